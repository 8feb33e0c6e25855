// Admin: the department tree with heads and liaisons; create, edit (rename, move, change head), set liaisons,
// delete when empty, and each department's change history.

import { h, icon, replace } from '../lib/dom.js';
import { t, tOr, formatDateTime, compareNames } from '../lib/i18n.js';
import { get, post, patch, put, del, ApiError } from '../lib/api.js';
import {
  loadDepartments, loadUsers, byId, departmentTree, flattenTree, subtreeIds, departmentPath,
} from '../lib/session.js';
import {
  pageHeader, loading, loadError, toast, errorMessage, field, formDialog, confirmDialog, openDialog,
} from '../lib/ui.js';

export const titleKey = 'dept.title';

// Members shown as chips in the detail panel; more are a link to the user list.
const MAX_CHIPS = 24;

// Collapsed departments survive navigation within the page and re-renders.
const collapsed = new Set();

export async function mount(main, ctx) {
  let depts = [];
  let users = [];
  let deptMap = new Map();
  let userMap = new Map();
  let roots = [];
  let selectedId = ctx.params.id ? Number(ctx.params.id) : null;
  let historyReq = 0;

  const treeBox = h('div', { class: 'tree-box' });
  const detail = h('section', { class: 'card detail', 'aria-labelledby': 'dept-detail-title' });
  const newButton = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openCreate(null) },
    icon('plus'), h('span', { text: t('dept.new') }));
  const expandAll = h('button', { type: 'button', class: 'btn btn-small btn-quiet', onclick: () => { collapsed.clear(); renderTree(); } },
    h('span', { text: t('dept.expand_all') }));
  const collapseAll = h('button', {
    type: 'button', class: 'btn btn-small btn-quiet',
    onclick: () => { for (const d of depts) if (depts.some((c) => c.parent_id === d.id)) collapsed.add(d.id); renderTree(); },
  }, h('span', { text: t('dept.collapse_all') }));
  const summary = h('p', { class: 'muted tree-summary', 'aria-live': 'polite' });

  const treeCard = h('section', { class: 'card tree-card', 'aria-labelledby': 'dept-tree-title' },
    h('div', { class: 'card-head' },
      h('h2', { class: 'card-title', id: 'dept-tree-title', text: t('dept.tree') }),
      h('div', { class: 'card-tools' }, expandAll, collapseAll)),
    summary,
    treeBox);

  main.replaceChildren(
    pageHeader(t('dept.title'), newButton),
    h('p', { class: 'page-lead', text: t('dept.lead') }),
    loading());

  async function reload() {
    [depts, users] = await Promise.all([loadDepartments(true), loadUsers(true)]);
    deptMap = byId(depts);
    userMap = byId(users);
    roots = departmentTree(depts);
  }

  // ---- helpers ----

  const userName = (id) => {
    const u = userMap.get(id);
    return u ? u.name : t('dept.unknown_user', { id });
  };
  const members = (id) => users.filter((u) => u.department_id === id).sort((a, b) => compareNames(a.name, b.name));
  const children = (id) => depts.filter((d) => d.parent_id === id);

  async function refresh({ select } = {}) {
    try {
      await reload();
    } catch (e) {
      toast(errorMessage(e), 'error');
      return;
    }
    if (select !== undefined && select !== selectedId) {
      ctx.navigate(select ? `/admin/departments/${select}` : '/admin/departments');
      return;
    }
    if (selectedId && !deptMap.has(selectedId)) selectedId = null;
    renderTree();
    renderDetail();
  }

  // ---- the tree ----

  function nodeEl(n) {
    const d = n.dept;
    const hasChildren = n.children.length > 0;
    const open = !collapsed.has(d.id);
    const childList = hasChildren
      ? h('ul', { class: 'tree-children', hidden: !open }, n.children.map(nodeEl))
      : null;
    const toggle = hasChildren
      ? h('button', {
        type: 'button', class: 'tree-toggle', 'aria-expanded': String(open),
        'aria-label': t(open ? 'dept.collapse' : 'dept.expand', { name: d.name }),
      }, icon('chevron'))
      : h('span', { class: 'tree-toggle-spacer', 'aria-hidden': 'true' });
    if (hasChildren) {
      toggle.addEventListener('click', () => {
        const nowOpen = toggle.getAttribute('aria-expanded') !== 'true';
        if (nowOpen) collapsed.delete(d.id); else collapsed.add(d.id);
        toggle.setAttribute('aria-expanded', String(nowOpen));
        toggle.setAttribute('aria-label', t(nowOpen ? 'dept.collapse' : 'dept.expand', { name: d.name }));
        childList.hidden = !nowOpen;
      });
    }
    const liaisons = (d.liaison_user_ids || []).map(userName);
    const meta = [];
    meta.push(h('span', { class: 'tree-meta-item' },
      h('span', { class: 'tree-meta-key', text: t('dept.head_short') }),
      h('span', { text: d.head_user_id != null ? userName(d.head_user_id) : t('dept.no_head') })));
    if (liaisons.length) {
      meta.push(h('span', { class: 'tree-meta-item' },
        h('span', { class: 'tree-meta-key', text: t('field.liaison_user_ids') }),
        h('span', { text: liaisons.join(t('common.list_separator')) })));
    }
    const selected = d.id === selectedId;
    const link = h('a', {
      href: `/admin/departments/${d.id}`, class: 'tree-label', 'aria-current': selected ? 'true' : null,
    },
    h('span', { class: 'tree-name', text: d.name }),
    h('span', { class: 'tree-meta' }, meta));
    return h('li', { class: 'tree-node', dataset: { deptId: d.id } },
      h('div', { class: ['tree-row', selected && 'selected'] }, toggle, link),
      childList);
  }

  function renderTree() {
    const focusedId = document.activeElement && document.activeElement.closest && document.activeElement.closest('.tree-node')
      ? document.activeElement.closest('.tree-node').dataset.deptId : null;
    const focusedToggle = document.activeElement && document.activeElement.classList && document.activeElement.classList.contains('tree-toggle');
    summary.textContent = t('dept.summary', { departments: depts.length, users: users.filter((u) => u.active !== false).length });
    // Open the path to the selected department.
    let p = selectedId ? deptMap.get(selectedId) : null;
    while (p && p.parent_id != null) { collapsed.delete(p.parent_id); p = deptMap.get(p.parent_id); }
    if (!roots.length) {
      replace(treeBox, h('div', { class: 'empty-inline' },
        h('div', { class: 'empty-icon' }, icon('tree')),
        h('div', h('p', { class: 'empty-title-sm', text: t('dept.empty_title') }), h('p', { class: 'muted', text: t('dept.empty_text') }))));
      return;
    }
    replace(treeBox, h('ul', { class: 'tree', 'aria-label': t('dept.tree') }, roots.map(nodeEl)));
    if (focusedId) {
      const el = treeBox.querySelector(`[data-dept-id="${focusedId}"] > .tree-row > ${focusedToggle ? '.tree-toggle' : '.tree-label'}`);
      if (el) el.focus();
    }
  }

  // ---- the detail panel ----

  function renderDetail() {
    const d = selectedId ? deptMap.get(selectedId) : null;
    if (!d) {
      replace(detail,
        h('h2', { class: 'card-title', id: 'dept-detail-title', text: t('dept.detail') }),
        h('div', { class: 'empty-inline' },
          h('div', { class: 'empty-icon' }, icon('info')),
          h('p', { class: 'muted', text: selectedId ? t('dept.not_found') : t('dept.select_hint') })));
      return;
    }
    const parent = d.parent_id != null ? deptMap.get(d.parent_id) : null;
    const mem = members(d.id);
    const liaisons = (d.liaison_user_ids || []).map((id) => h('li', { class: 'chip' }, h('span', { text: userName(id) })));
    const historyBox = h('div', { class: 'history', 'aria-live': 'polite' }, loading());

    replace(detail,
      h('div', { class: 'detail-head' },
        h('div',
          h('h2', { class: 'detail-title', id: 'dept-detail-title', text: d.name }),
          parent ? h('p', { class: 'muted', text: departmentPath(deptMap, d.id) }) : h('p', { class: 'muted', text: t('dept.top_level') }))),
      h('div', { class: 'detail-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => openEdit(d) }, icon('edit'), h('span', { text: t('common.edit') })),
        h('button', { type: 'button', class: 'btn', onclick: () => openLiaisons(d) }, icon('users'), h('span', { text: t('dept.set_liaisons') })),
        h('button', { type: 'button', class: 'btn', onclick: () => openCreate(d.id) }, icon('plus'), h('span', { text: t('dept.new_child') })),
        h('button', { type: 'button', class: 'btn btn-danger-quiet', onclick: () => confirmDelete(d) }, icon('trash'), h('span', { text: t('common.delete') }))),
      h('dl', { class: 'facts' },
        h('div', h('dt', { text: t('field.parent_id') }), h('dd', { text: parent ? parent.name : t('dept.no_parent') })),
        h('div', h('dt', { text: t('field.head_user_id') }), h('dd', { text: d.head_user_id != null ? userName(d.head_user_id) : t('dept.no_head') })),
        h('div', h('dt', { text: t('field.liaison_user_ids') }),
          h('dd', liaisons.length ? h('ul', { class: 'chips' }, liaisons) : h('span', { class: 'muted', text: t('dept.no_liaisons') }))),
        h('div', h('dt', { text: t('dept.members') }),
          h('dd', mem.length
            ? h('ul', { class: 'chips' },
              mem.slice(0, MAX_CHIPS).map((u) => h('li', { class: ['chip', u.active === false && 'chip-muted'] }, h('span', { text: u.name }))),
              mem.length > MAX_CHIPS
                ? h('li', { class: 'chip chip-more' },
                  h('a', { href: `/admin/users?department_id=${d.id}`, text: t('dept.members_more', { count: mem.length - MAX_CHIPS }) }))
                : null)
            : h('span', { class: 'muted', text: t('dept.no_members') }))),
        h('div', h('dt', { text: t('field.updated_at') }), h('dd', { text: formatDateTime(d.updated_at) }))),
      h('h3', { class: 'section-title', text: t('dept.history') }),
      historyBox);
    loadHistory(d.id, historyBox);
  }

  async function loadHistory(id, box) {
    const seq = ++historyReq;
    let items;
    try {
      const data = await get(`/departments/${id}/history`);
      items = (data && data.items) || [];
    } catch (e) {
      if (seq === historyReq) replace(box, h('p', { class: 'muted', text: errorMessage(e) }));
      return;
    }
    if (seq !== historyReq) return;
    if (!items.length) { replace(box, h('p', { class: 'muted', text: t('history.empty') })); return; }
    items = items.slice().sort((a, b) => String(b.at).localeCompare(String(a.at)) || (b.id - a.id));
    replace(box, h('ol', { class: 'timeline' }, items.map(historyItem)));
  }

  const isEmpty = (v) => v === null || v === undefined || (Array.isArray(v) && !v.length) || v === '';

  function showValue(key, v) {
    if (isEmpty(v)) return t('history.none');
    if (key === 'parent_id') return deptMap.has(v) ? deptMap.get(v).name : t('dept.unknown_department', { id: v });
    if (key === 'head_user_id') return userName(v);
    if (key === 'liaison_user_ids') return v.map(userName).join(t('common.list_separator'));
    if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  function historyItem(ev) {
    const before = ev.before || {};
    const after = ev.after || {};
    const skip = new Set(['id', 'version', 'created_at', 'updated_at']);
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !skip.has(k));
    const changes = [];
    for (const k of keys) {
      const a = JSON.stringify(before[k] ?? null);
      const b = JSON.stringify(after[k] ?? null);
      if (a === b) continue;
      if (!ev.before && isEmpty(after[k])) continue;
      changes.push(h('li', { class: 'change' },
        h('span', { class: 'change-field', text: tOr(`field.${k}`, k) }),
        ev.before ? h('span', { class: isEmpty(before[k]) ? 'change-none' : 'change-old', text: showValue(k, before[k]) }) : null,
        ev.before ? h('span', { class: 'change-arrow', 'aria-label': t('history.changed_to'), text: '→' }) : null,
        h('span', { class: 'change-new', text: showValue(k, after[k]) })));
    }
    return h('li', { class: 'timeline-item' },
      h('p', { class: 'timeline-head' },
        h('span', { class: 'timeline-action', text: tOr(`history.action.${ev.action}`, ev.action || '') }),
        h('span', { class: 'muted', text: t('history.by', { name: ev.actor_name || t('history.system'), at: formatDateTime(ev.at) }) })),
      changes.length ? h('ul', { class: 'changes' }, changes) : null);
  }

  // ---- forms ----

  function userOptions(preferDeptId, currentId) {
    const active = users.filter((u) => u.active !== false || u.id === currentId);
    const label = (u) => t('dept.user_option', { name: u.name, login: u.login });
    const opts = [{ value: '', label: t('dept.no_head_option') }];
    const own = preferDeptId ? active.filter((u) => u.department_id === preferDeptId) : [];
    const others = active.filter((u) => !own.includes(u));
    own.sort((a, b) => compareNames(a.name, b.name));
    others.sort((a, b) => compareNames(a.name, b.name));
    if (own.length) {
      opts.push({ group: t('dept.group_members'), options: own.map((u) => ({ value: u.id, label: label(u) })) });
      opts.push({ group: t('dept.group_others'), options: others.map((u) => ({ value: u.id, label: label(u) })) });
    } else {
      for (const u of others) opts.push({ value: u.id, label: label(u) });
    }
    return opts;
  }

  function parentOptions(excludeIds = new Set()) {
    const opts = [{ value: '', label: t('dept.no_parent_option') }];
    for (const n of flattenTree(roots)) {
      opts.push({ value: n.dept.id, label: `${'\u3000'.repeat(n.depth)}${n.dept.name}`, disabled: excludeIds.has(n.dept.id) });
    }
    return opts.filter((o) => !o.disabled);
  }

  const toId = (v) => (v === '' || v === null || v === undefined ? null : Number(v));

  function openCreate(parentId) {
    const name = field({ name: 'name', label: t('field.name'), required: true, attrs: { maxlength: '100', autocomplete: 'off' } });
    const parentField = field({ kind: 'select', name: 'parent_id', label: t('field.parent_id'), options: parentOptions(), value: parentId ?? '' });
    const head = field({ kind: 'select', name: 'head_user_id', label: t('field.head_user_id'), options: userOptions(null), value: '', hint: t('dept.head_hint') });
    formDialog({
      title: parentId ? t('dept.new_child_title', { parent: deptMap.get(parentId).name }) : t('dept.new_title'),
      fields: [name, parentField, head],
      submitLabel: t('common.create'),
      errorOverrides: { duplicate: 'dept.error.duplicate', not_found: 'dept.error.reference_gone' },
      async onSubmit(v, dlg) {
        const body = { name: v.name.trim(), parent_id: toId(v.parent_id), head_user_id: toId(v.head_user_id) };
        const created = await post('/departments', body);
        dlg.close();
        toast(t('dept.created', { name: created.name }));
        if (created.parent_id != null) collapsed.delete(created.parent_id);
        await refresh({ select: created.id });
      },
    });
  }

  function openEdit(d) {
    const exclude = subtreeIds(roots, d.id);
    const name = field({ name: 'name', label: t('field.name'), required: true, value: d.name, attrs: { maxlength: '100', autocomplete: 'off' } });
    const parentField = field({
      kind: 'select', name: 'parent_id', label: t('field.parent_id'), options: parentOptions(exclude), value: d.parent_id ?? '',
      hint: t('dept.move_hint'),
    });
    const head = field({ kind: 'select', name: 'head_user_id', label: t('field.head_user_id'), options: userOptions(d.id, d.head_user_id), value: d.head_user_id ?? '' });
    formDialog({
      title: t('dept.edit_title', { name: d.name }),
      fields: [name, parentField, head],
      errorOverrides: { duplicate: 'dept.error.duplicate', cycle: 'dept.error.cycle', not_found: 'dept.error.reference_gone' },
      onStale: () => refresh(),
      async onSubmit(v, dlg) {
        const body = {};
        if (v.name.trim() !== d.name) body.name = v.name.trim();
        if (toId(v.parent_id) !== (d.parent_id ?? null)) body.parent_id = toId(v.parent_id);
        if (toId(v.head_user_id) !== (d.head_user_id ?? null)) body.head_user_id = toId(v.head_user_id);
        if (!Object.keys(body).length) { dlg.close(); return; }
        const updated = await patch(`/departments/${d.id}`, body, d.version);
        dlg.close();
        toast(t('dept.saved', { name: (updated && updated.name) || body.name || d.name }));
        await refresh();
      },
    });
  }

  function openLiaisons(d) {
    // Liaisons are chosen among the department's own active members (the API answers not_member otherwise).
    const chosen = new Set(d.liaison_user_ids || []);
    const candidates = users
      .filter((u) => u.department_id === d.id && (u.active !== false || chosen.has(u.id)))
      .sort((a, b) => compareNames(a.name, b.name));
    const count = h('p', { class: 'pick-count', 'aria-live': 'polite' });
    const updateCount = () => { count.textContent = t('dept.liaisons_selected', { count: chosen.size }); };
    const rows = [];
    const row = (u) => {
      const id = `liaison-${d.id}-${u.id}`;
      const box = h('input', { type: 'checkbox', id, value: String(u.id), checked: chosen.has(u.id) });
      box.addEventListener('change', () => { if (box.checked) chosen.add(u.id); else chosen.delete(u.id); updateCount(); });
      const li = h('li', { class: 'pick-row' }, box,
        h('label', { for: id },
          h('span', { class: 'pick-name', text: u.name }),
          h('span', { class: 'pick-sub', text: u.active === false ? `${u.login} · ${t('users.inactive')}` : u.login })));
      rows.push({ li, text: `${u.name} ${u.login}`.toLowerCase() });
      return li;
    };
    let extra;
    if (!candidates.length) {
      extra = h('div', { class: 'empty-inline' },
        h('div', { class: 'empty-icon' }, icon('users')),
        h('div',
          h('p', { class: 'empty-title-sm', text: t('dept.liaisons_no_members') }),
          h('a', { href: `/admin/users?department_id=${d.id}`, text: t('dept.liaisons_go_users') })));
    } else {
      const filterId = `liaison-filter-${d.id}`;
      const filter = h('input', { type: 'search', id: filterId, class: 'input', autocomplete: 'off' });
      const noMatch = h('p', { class: 'muted pick-empty', hidden: true, text: t('common.no_match') });
      filter.addEventListener('input', () => {
        const q = filter.value.trim().toLowerCase();
        let shown = 0;
        for (const r of rows) { r.li.hidden = !!q && !r.text.includes(q); if (!r.li.hidden) shown += 1; }
        noMatch.hidden = shown > 0;
      });
      const list = h('ul', { class: 'pick-list' }, candidates.map(row));
      updateCount();
      extra = [
        candidates.length > 8 ? h('div', { class: 'field' },
          h('label', { for: filterId, class: 'field-label', text: t('common.filter_people') }), filter) : null,
        h('fieldset', { class: 'pick-set' },
          h('legend', { class: 'field-label', text: t('dept.group_members') }),
          h('div', { class: 'pick-lists' }, list, noMatch),
          count),
      ];
    }
    const ctl = formDialog({
      title: t('dept.liaisons_title', { name: d.name }),
      description: t('dept.liaisons_lead'),
      fields: [],
      extra,
      errorOverrides: { not_found: 'dept.error.reference_gone' },
      onStale: () => refresh(),
      async onSubmit(_v, dlg) {
        await put(`/departments/${d.id}/liaisons`, { user_ids: [...chosen] }, d.version);
        dlg.close();
        toast(t('dept.liaisons_saved', { name: d.name }));
        await refresh();
      },
    });
    if (!candidates.length) ctl.dialog.querySelector('button[type=submit]').disabled = true;
  }

  async function confirmDelete(d) {
    const kids = children(d.id).length;
    const mem = members(d.id).length;
    if (kids || mem) {
      const ok = h('button', { type: 'button', class: 'btn btn-primary', text: t('common.ok'), autofocus: true });
      const dlg = openDialog({
        title: t('dept.cannot_delete_title', { name: d.name }),
        body: h('div', { class: 'dialog-body' }, h('p', { text: t('dept.cannot_delete_text', { children: kids, members: mem }) })),
        footer: h('div', { class: 'dialog-foot' }, ok),
      });
      ok.addEventListener('click', dlg.close);
      return;
    }
    const yes = await confirmDialog({
      title: t('dept.delete_title', { name: d.name }),
      message: t('dept.delete_text'),
      confirmLabel: t('common.delete'),
      danger: true,
    });
    if (!yes) return;
    try {
      await del(`/departments/${d.id}`, { version: d.version });
    } catch (e) {
      toast(errorMessage(e, { conflict: 'dept.error.not_empty' }), 'error');
      if (e instanceof ApiError && (e.status === 409 || e.status === 404)) await refresh();
      return;
    }
    toast(t('dept.deleted', { name: d.name }));
    await refresh({ select: d.parent_id ?? null });
  }

  try {
    await reload();
  } catch (e) {
    main.replaceChildren(pageHeader(t('dept.title')), loadError(e, () => ctx.navigate(location.pathname)));
    return null;
  }
  main.replaceChildren(
    pageHeader(t('dept.title'), newButton),
    h('p', { class: 'page-lead', text: t('dept.lead') }),
    h('div', { class: 'split' }, treeCard, detail));
  renderTree();
  renderDetail();

  return {
    update(next) {
      const id = next.params.id ? Number(next.params.id) : null;
      if (id === selectedId) return;
      selectedId = id;
      renderTree();
      renderDetail();
      if (window.matchMedia('(max-width: 860px)').matches) detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
  };
}
