// Requests (需求单): every request the user may see, newest first, with filters (status, department,
// "mine", search) and paging; each row says how long the request has waited in its step and on whom.

import { h, icon, replace, debounce } from '../lib/dom.js';
import { t, plural } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { session, loadDepartments, departmentTree, flattenTree } from '../lib/session.js';
import { pageHeader, loading, loadError, toast, errorMessage } from '../lib/ui.js';
import { STATUSES, statusBadge, priorityBadge, dueDate, waitingParts, waitLevelBadge } from '../lib/requests.js';

export const titleKey = 'requests.title';

const STEPS = ['draft', 'review', 'assess', 'decide'];
const PAGE = 50;

export async function mount(main, ctx) {
  const state = {
    q: ctx.query.get('q') || '',
    status: STATUSES.includes(ctx.query.get('status')) ? ctx.query.get('status') : '',
    department_id: /^\d+$/.test(ctx.query.get('department_id') || '') ? ctx.query.get('department_id') : '',
    mine: ctx.query.get('mine') === '1',
  };
  let rows = [];
  let cursor = null;
  let seq = 0;

  const canCreate = session.user && session.user.department_id != null;
  const newButton = canCreate
    ? h('a', { href: '/requests/new', class: 'btn btn-primary', id: 'new-request' }, icon('plus'), h('span', { text: t('requests.new') }))
    : null;
  main.replaceChildren(pageHeader(t('requests.title'), newButton), loading());

  let depts = [];
  try { depts = await loadDepartments(); } catch { /* the filter offers no departments */ }
  const deptOptions = flattenTree(departmentTree(depts)).map((n) => ({ value: n.dept.id, label: `${'\u3000'.repeat(n.depth)}${n.dept.name}` }));

  // ---- toolbar ----
  const q = h('input', { type: 'search', id: 'requests-q', class: 'input', value: state.q, autocomplete: 'off', placeholder: t('requests.search_placeholder') });
  const statusFilter = h('select', { id: 'requests-status', class: 'input' },
    h('option', { value: '', text: t('requests.all_statuses') }),
    STATUSES.map((s) => h('option', { value: s, text: t(`status.${s}`) })));
  statusFilter.value = state.status;
  const deptFilter = h('select', { id: 'requests-dept', class: 'input', 'aria-describedby': 'requests-dept-hint' },
    h('option', { value: '', text: t('requests.all_departments') }),
    deptOptions.map((o) => h('option', { value: String(o.value), text: o.label })));
  deptFilter.value = state.department_id;
  const mine = h('input', { type: 'checkbox', id: 'requests-mine', checked: state.mine });
  const count = h('p', { class: 'muted result-count', role: 'status' });
  const tableBox = h('div', { class: 'table-box' }, loading());
  const more = h('button', { type: 'button', class: 'btn', hidden: true, text: t('common.load_more') });

  const toolbar = h('form', { class: 'toolbar', role: 'search', 'aria-label': t('requests.search_label'), novalidate: true },
    h('div', { class: 'toolbar-field toolbar-grow' },
      h('label', { for: 'requests-q', class: 'field-label', text: t('requests.search_label') }),
      h('div', { class: 'input-icon' }, icon('search'), q)),
    h('div', { class: 'toolbar-field' },
      h('label', { for: 'requests-status', class: 'field-label', text: t('requests.status') }), statusFilter),
    h('div', { class: 'toolbar-field' },
      h('label', { for: 'requests-dept', class: 'field-label', text: t('requests.department') }), deptFilter,
      h('p', { id: 'requests-dept-hint', class: 'visually-hidden', text: t('requests.department_hint') })),
    h('div', { class: 'toolbar-field toolbar-check' },
      h('label', { class: 'toggle', for: 'requests-mine' }, mine, h('span', { text: t('requests.mine') }))));
  toolbar.addEventListener('submit', (e) => { e.preventDefault(); load(); });

  const filtered = () => !!(state.q || state.status || state.department_id || state.mine);

  const syncUrl = () => {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.status) p.set('status', state.status);
    if (state.department_id) p.set('department_id', state.department_id);
    if (state.mine) p.set('mine', '1');
    const s = p.toString();
    history.replaceState(null, '', s ? `/requests?${s}` : '/requests');
  };
  const changed = () => { syncUrl(); load(); };
  q.addEventListener('input', debounce(() => { state.q = q.value.trim(); changed(); }, 250));
  statusFilter.addEventListener('change', () => { state.status = statusFilter.value; changed(); });
  deptFilter.addEventListener('change', () => { state.department_id = deptFilter.value; changed(); });
  mine.addEventListener('change', () => { state.mine = mine.checked; changed(); });
  more.addEventListener('click', () => load({ append: true }));

  const listCard = h('section', { class: 'card', 'aria-labelledby': 'page-title' },
    toolbar, count, tableBox, h('div', { class: 'load-more' }, more));
  main.replaceChildren(pageHeader(t('requests.title'), newButton), listCard);

  async function load({ append = false } = {}) {
    const mySeq = ++seq;
    tableBox.setAttribute('aria-busy', 'true');
    more.disabled = true;
    try {
      const data = await get('/requests', {
        params: {
          limit: PAGE, cursor: append ? cursor : null, q: state.q, status: state.status,
          department_id: state.department_id, mine: state.mine ? 1 : null,
        },
      });
      if (mySeq !== seq) return;
      const items = (data && data.items) || [];
      rows = append ? rows.concat(items) : items;
      cursor = data && data.next_cursor;
      render();
    } catch (e) {
      if (mySeq !== seq) return;
      if (append) toast(errorMessage(e), 'error');
      else { replace(tableBox, loadError(e, () => load())); count.textContent = ''; more.hidden = true; }
    } finally {
      if (mySeq === seq) { tableBox.removeAttribute('aria-busy'); more.disabled = false; }
    }
  }

  function emptyState() {
    if (filtered()) {
      return h('div', { class: 'empty-inline' },
        h('div', { class: 'empty-icon' }, icon('search')),
        h('p', { class: 'muted', text: t('requests.no_match') }));
    }
    return h('div', { class: 'empty-state' },
      h('img', { src: '/static/img/empty-requests.svg', alt: '', class: 'empty-art', width: '160', height: '120' }),
      h('h2', { class: 'empty-title', text: t('requests.empty_title') }),
      h('p', { class: 'empty-text', text: t('requests.empty_text') }),
      h('ol', { class: 'steps' },
        STEPS.map((k, i) => h('li', { class: 'step' },
          h('span', { class: 'step-num', 'aria-hidden': 'true', text: String(i + 1) }),
          h('span', { class: 'step-name', text: t(`requests.step.${k}`) }),
          h('span', { class: 'step-desc', text: t(`requests.step.${k}.desc`) })))),
      canCreate ? h('a', { href: '/requests/new', class: 'btn btn-primary' }, icon('plus'), h('span', { text: t('requests.new_first') })) : null);
  }

  function render() {
    more.hidden = !cursor;
    count.textContent = rows.length
      ? plural(cursor ? 'requests.count_more' : 'requests.count', rows.length)
      : '';
    if (!rows.length) { replace(tableBox, emptyState()); return; }
    const th = (key, cls) => h('th', { scope: 'col', class: cls, text: t(key) });
    replace(tableBox, h('table', { class: 'table table-cards requests-table' },
      h('caption', { class: 'visually-hidden', text: t('requests.table_caption') }),
      h('thead', h('tr',
        th('requests.col.code', 'col-code'), th('field.title'), th('requests.col.department'), th('requests.status'),
        th('field.priority'), th('field.due_date'), th('requests.col.waiting'))),
      h('tbody', rows.map(rowEl))));
  }

  function rowEl(r) {
    const td = (labelKey, ...content) => h('td', { dataset: { label: t(labelKey) } }, content);
    const w = waitingParts(r.waiting);
    return h('tr', { dataset: { requestId: r.id, code: r.code } },
      h('td', { class: 'col-code' }, h('span', { class: 'req-code', text: r.code })),
      h('th', { scope: 'row', class: 'cell-name' }, h('a', { href: `/requests/${r.id}`, class: 'row-title clip', title: r.title, text: r.title })),
      td('requests.col.department', h('span', { class: 'nowrap', text: r.initiating_department_name || '' })),
      td('requests.status', statusBadge(r.status)),
      td('field.priority', priorityBadge(r.priority)),
      td('field.due_date', dueDate(r)),
      td('requests.col.waiting', w
        ? h('div', { class: 'cell-waiting', dataset: w.level ? { level: w.level } : {} },
          h('span', { class: 'cell-waiting-step', text: w.step }),
          h('span', { class: 'cell-waiting-sub', text: [w.since, w.on].filter(Boolean).join(' · ') }),
          waitLevelBadge(w.level))
        : h('span', { class: 'muted', text: t('requests.closed') })));
  }

  await load();
  return null;
}
