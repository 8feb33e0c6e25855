// Admin: searchable user table; create and edit users; deactivate and reactivate.

import { h, icon, replace, debounce } from '../lib/dom.js';
import { t, compareNames } from '../lib/i18n.js';
import { apiAll, post, patch } from '../lib/api.js';
import { session, loadDepartments, byId, departmentTree, flattenTree, departmentPath } from '../lib/session.js';
import {
  pageHeader, loading, loadError, toast, errorMessage, field, formDialog, confirmDialog, badge, clearanceBadge, ClientError,
} from '../lib/ui.js';

export const titleKey = 'users.title';

const CLEARANCES = ['public', 'internal', 'confidential', 'secret'];
const STATUSES = ['all', 'active', 'inactive'];

export async function mount(main, ctx) {
  let depts = [];
  let deptMap = new Map();
  let rows = [];
  let reqSeq = 0;
  const state = {
    q: ctx.query.get('q') || '',
    department_id: ctx.query.get('department_id') || '',
    status: STATUSES.includes(ctx.query.get('status')) ? ctx.query.get('status') : 'all',
  };

  const newButton = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openForm(null) },
    icon('plus'), h('span', { text: t('users.new') }));
  main.replaceChildren(pageHeader(t('users.title'), newButton), loading());

  try {
    depts = await loadDepartments(true);
  } catch (e) {
    main.replaceChildren(pageHeader(t('users.title')), loadError(e, () => ctx.navigate(location.pathname + location.search)));
    return null;
  }
  deptMap = byId(depts);
  const deptOptions = flattenTree(departmentTree(depts)).map((n) => ({ value: n.dept.id, label: `${'\u3000'.repeat(n.depth)}${n.dept.name}` }));

  // ---- toolbar ----
  const q = h('input', { type: 'search', id: 'users-q', class: 'input', value: state.q, autocomplete: 'off', placeholder: t('users.search_placeholder') });
  const deptFilter = h('select', { id: 'users-dept', class: 'input' },
    h('option', { value: '', text: t('users.all_departments') }),
    deptOptions.map((o) => h('option', { value: String(o.value), text: o.label })));
  deptFilter.value = state.department_id;
  const statusFilter = h('select', { id: 'users-status', class: 'input' },
    STATUSES.map((s) => h('option', { value: s, text: t(`users.status_filter.${s}`) })));
  statusFilter.value = state.status;
  const count = h('p', { class: 'muted result-count', role: 'status' });
  const tableBox = h('div', { class: 'table-box' });

  const toolbar = h('form', { class: 'toolbar', role: 'search', 'aria-label': t('users.search_label'), novalidate: true },
    h('div', { class: 'toolbar-field toolbar-grow' },
      h('label', { for: 'users-q', class: 'field-label', text: t('users.search_label') }),
      h('div', { class: 'input-icon' }, icon('search'), q)),
    h('div', { class: 'toolbar-field' },
      h('label', { for: 'users-dept', class: 'field-label', text: t('field.department_id') }), deptFilter),
    h('div', { class: 'toolbar-field' },
      h('label', { for: 'users-status', class: 'field-label', text: t('users.status') }), statusFilter));
  toolbar.addEventListener('submit', (e) => { e.preventDefault(); load(); });

  main.replaceChildren(
    pageHeader(t('users.title'), newButton),
    h('section', { class: 'card', 'aria-labelledby': 'page-title' }, toolbar, count, tableBox));

  const syncUrl = () => {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.department_id) p.set('department_id', state.department_id);
    if (state.status !== 'all') p.set('status', state.status);
    const s = p.toString();
    history.replaceState(null, '', s ? `/admin/users?${s}` : '/admin/users');
  };
  const onQuery = debounce(() => { state.q = q.value.trim(); syncUrl(); load(); }, 250);
  q.addEventListener('input', onQuery);
  deptFilter.addEventListener('change', () => { state.department_id = deptFilter.value; syncUrl(); load(); });
  statusFilter.addEventListener('change', () => { state.status = statusFilter.value; syncUrl(); renderTable(); });

  async function load() {
    const seq = ++reqSeq;
    tableBox.setAttribute('aria-busy', 'true');
    try {
      const items = await apiAll('/users', { q: state.q, department_id: state.department_id });
      if (seq !== reqSeq) return;
      rows = items.sort((a, b) => compareNames(a.name, b.name));
      renderTable();
    } catch (e) {
      if (seq !== reqSeq) return;
      replace(tableBox, loadError(e, load));
      count.textContent = '';
    } finally {
      if (seq === reqSeq) tableBox.removeAttribute('aria-busy');
    }
  }

  function deptName(id) {
    return id != null && deptMap.has(id) ? departmentPath(deptMap, id) : t('user_menu.no_department');
  }

  function renderTable() {
    const shown = rows.filter((u) => state.status === 'all' || (state.status === 'active') === (u.active !== false));
    count.textContent = t('users.count', { count: shown.length });
    if (!shown.length) {
      replace(tableBox, h('div', { class: 'empty-inline' },
        h('div', { class: 'empty-icon' }, icon('users')),
        h('p', { class: 'muted', text: state.q || state.department_id || state.status !== 'all' ? t('users.no_match') : t('users.empty') })));
      return;
    }
    const th = (key, cls) => h('th', { scope: 'col', class: cls, text: t(key) });
    const table = h('table', { class: 'table table-cards' },
      h('caption', { class: 'visually-hidden', text: t('users.table_caption') }),
      h('thead', h('tr',
        th('users.person'), th('field.department_id'), th('users.roles'),
        th('field.clearance'), th('users.status'), th('common.actions', 'col-actions'))),
      h('tbody', shown.map(rowEl)));
    replace(tableBox, table);
  }

  function rowEl(u) {
    const roles = [];
    if (u.is_admin) roles.push(badge(t('role.admin'), 'info'));
    if (u.is_coordinator) roles.push(badge(t('role.coordinator'), 'info'));
    const active = u.active !== false;
    const self = session.user && session.user.id === u.id;
    const td = (labelKey, ...content) => h('td', { dataset: { label: t(labelKey) } }, content);
    return h('tr', { class: active ? null : 'row-inactive', dataset: { userId: u.id } },
      h('th', { scope: 'row', class: 'cell-name' },
        h('span', { class: 'user-name', text: u.name }),
        h('span', { class: 'user-sub' },
          h('span', { class: 'user-login', text: u.login }),
          u.email ? h('span', { class: 'user-email', text: u.email }) : null)),
      td('field.department_id', h('span', { text: deptName(u.department_id) })),
      td('users.roles', roles.length ? h('span', { class: 'badges' }, roles) : h('span', { class: 'muted', text: t('role.member') })),
      td('field.clearance', clearanceBadge(u.clearance)),
      td('users.status', active ? badge(t('users.active'), 'ok') : badge(t('users.inactive'), 'neutral')),
      h('td', { class: 'col-actions' },
        h('div', { class: 'row-actions' },
          h('button', {
            type: 'button', class: 'btn btn-small', 'aria-label': t('users.edit_label', { name: u.name }), onclick: () => openForm(u),
          }, icon('edit'), h('span', { text: t('common.edit') })),
          self ? null : h('button', {
            type: 'button', class: ['btn', 'btn-small', active ? 'btn-danger-quiet' : null],
            'aria-label': t(active ? 'users.deactivate_label' : 'users.reactivate_label', { name: u.name }),
            onclick: () => setActive(u, !active),
          }, icon(active ? 'pause' : 'play'), h('span', { text: t(active ? 'users.deactivate' : 'users.reactivate') })))));
  }

  // ---- create / edit ----

  function openForm(u) {
    const editing = !!u;
    const fLogin = field({
      name: 'login', label: t('field.login'), required: true, value: u ? u.login : '',
      hint: t('users.login_hint'), attrs: { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: '64' },
    });
    const fName = field({ name: 'name', label: t('field.person_name'), required: true, value: u ? u.name : '', attrs: { autocomplete: 'off', maxlength: '100' } });
    const fEmail = field({ name: 'email', label: t('field.email'), type: 'email', value: u ? u.email || '' : '', attrs: { autocomplete: 'off' } });
    const fDept = field({
      kind: 'select', name: 'department_id', label: t('field.department_id'),
      options: [{ value: '', label: t('users.no_department_option') }, ...deptOptions],
      value: u ? u.department_id ?? '' : state.department_id,
    });
    const fPassword = field({
      name: 'password', label: editing ? t('users.new_password') : t('field.password'), type: 'password', required: !editing,
      hint: editing ? t('users.password_keep_hint') : t('users.password_hint'), attrs: { autocomplete: 'new-password', minlength: '8' },
    });
    const fClearance = field({
      kind: 'select', name: 'clearance', label: t('field.clearance'),
      options: CLEARANCES.map((c) => ({ value: c, label: t(`clearance.${c}`) })),
      value: u ? u.clearance || 'internal' : 'internal', hint: t('users.clearance_hint'),
    });
    const fAdmin = field({ kind: 'checkbox', name: 'is_admin', label: t('field.is_admin'), value: u ? u.is_admin : false, hint: t('users.admin_hint') });
    const fCoord = field({ kind: 'checkbox', name: 'is_coordinator', label: t('field.is_coordinator'), value: u ? u.is_coordinator : false, hint: t('users.coordinator_hint') });
    if (editing && session.user && session.user.id === u.id) fAdmin.input.disabled = true;

    const toId = (v) => (v === '' ? null : Number(v));
    formDialog({
      title: editing ? t('users.edit_title', { name: u.name }) : t('users.new_title'),
      fields: [fLogin, fName, fEmail, fDept, fPassword, fClearance, fAdmin, fCoord],
      submitLabel: editing ? t('common.save') : t('common.create'),
      wide: true,
      errorOverrides: { duplicate: 'users.error.duplicate_login' },
      onStale: () => load(),
      async onSubmit(v, dlg) {
        if (v.password && v.password.length < 8) throw new ClientError(t('error.weak_password', { field: t('field.password') }), 'password');
        const body = {
          login: v.login.trim(), name: v.name.trim(), email: v.email.trim(), department_id: toId(v.department_id),
          clearance: v.clearance, is_admin: v.is_admin, is_coordinator: v.is_coordinator,
        };
        if (v.password) body.password = v.password;
        if (!editing) {
          const created = await post('/users', body);
          dlg.close();
          toast(t('users.created', { name: created.name }));
        } else {
          const changed = {};
          for (const [k, val] of Object.entries(body)) {
            if (k === 'password' || (u[k] ?? (k === 'email' ? '' : null)) !== val) changed[k] = val;
          }
          if (fAdmin.input.disabled) delete changed.is_admin;
          if (!Object.keys(changed).length) { dlg.close(); return; }
          await patch(`/users/${u.id}`, changed, u.version);
          dlg.close();
          toast(t('users.saved', { name: body.name }));
          if (session.user && session.user.id === u.id) ctx.refreshFrame();
        }
        await load();
      },
    });
  }

  async function setActive(u, active) {
    const yes = await confirmDialog({
      title: t(active ? 'users.reactivate_title' : 'users.deactivate_title', { name: u.name }),
      message: t(active ? 'users.reactivate_text' : 'users.deactivate_text', { name: u.name }),
      confirmLabel: t(active ? 'users.reactivate' : 'users.deactivate'),
      danger: !active,
    });
    if (!yes) return;
    try {
      await patch(`/users/${u.id}`, { active }, u.version);
      toast(t(active ? 'users.reactivated' : 'users.deactivated', { name: u.name }));
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
    await load();
  }

  await load();
  return null;
}
