// Requests (需求单): every request the user may see, with filters (several statuses, priorities, a due-date
// range, department, "mine", "waiting on me", search), sortable columns and paging; each row says how long the
// request has waited in its step and on whom.  Filters and sort live in the address (shareable; Back steps
// through them), and the export buttons download exactly what the filters select, in the same order.

import { h, icon, replace, debounce } from '../lib/dom.js';
import { t, plural, getLang } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { session, loadDepartments, departmentTree, flattenTree } from '../lib/session.js';
import { pageHeader, loading, loadError, toast, errorMessage } from '../lib/ui.js';
import { STATUSES, PRIORITIES, statusBadge, priorityBadge, dueDate, waitingParts, waitLevelBadge } from '../lib/requests.js';

export const titleKey = 'requests.title';

const STEPS = ['draft', 'review', 'assess', 'decide'];
const PAGE = 50;
// The sortable columns, and the direction a first click gives: the soonest due date, the highest priority.
const SORTS = { code: 'asc', status: 'asc', priority: 'desc', due_date: 'asc' };
const SORT_OPTIONS = ['', 'created', '-priority', 'priority', 'due_date', '-due_date', 'status', '-status', 'code', '-code'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

// The list's state from the address (anything unreadable is left out).
function stateFrom(query) {
  const list = (name, known) => [...new Set((query.getAll(name).join(',')).split(',').filter((v) => known.includes(v)))];
  const date = (name) => (DATE_RE.test(query.get(name) || '') ? query.get(name) : '');
  const sort = query.get('sort') || '';
  return {
    q: query.get('q') || '',
    statuses: list('status', STATUSES),
    priorities: list('priority', PRIORITIES),
    due_from: date('due_from'),
    due_to: date('due_to'),
    department_id: /^\d+$/.test(query.get('department_id') || '') ? query.get('department_id') : '',
    mine: query.get('mine') === '1',
    waiting: query.get('waiting_on') === 'me',
    sort: SORT_OPTIONS.includes(sort) ? sort : '',
  };
}

// The query parameters of a state: the same for the list, the address and the export.
function paramsOf(state) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  if (state.statuses.length) p.set('status', STATUSES.filter((s) => state.statuses.includes(s)).join(','));
  if (state.priorities.length) p.set('priority', PRIORITIES.filter((s) => state.priorities.includes(s)).join(','));
  if (state.due_from) p.set('due_from', state.due_from);
  if (state.due_to) p.set('due_to', state.due_to);
  if (state.department_id) p.set('department_id', state.department_id);
  if (state.mine) p.set('mine', '1');
  if (state.waiting) p.set('waiting_on', 'me');
  if (state.sort) p.set('sort', state.sort);
  return p;
}

export async function mount(main, ctx) {
  const state = stateFrom(ctx.query);
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
  const deptFilter = h('select', { id: 'requests-dept', class: 'input', 'aria-describedby': 'requests-dept-hint' },
    h('option', { value: '', text: t('requests.all_departments') }),
    deptOptions.map((o) => h('option', { value: String(o.value), text: o.label })));
  deptFilter.value = state.department_id;
  const mine = h('input', { type: 'checkbox', id: 'requests-mine', checked: state.mine });
  const waiting = h('input', { type: 'checkbox', id: 'requests-waiting', checked: state.waiting });
  const sortSelect = h('select', { id: 'requests-sort', class: 'input' },
    SORT_OPTIONS.map((v) => h('option', { value: v, text: t(sortLabelKey(v)) })));
  sortSelect.value = state.sort;

  // Several statuses and priorities: a group of checkboxes each.
  const chipGroup = (id, legendKey, values, chosen, labelOf) => {
    const boxes = values.map((v) => h('input', { type: 'checkbox', value: v, checked: chosen.includes(v) }));
    const set = h('fieldset', { class: 'chip-filter', id },
      h('legend', { class: 'field-label', text: t(legendKey) }),
      h('div', { class: 'chip-options' }, boxes.map((b, i) => h('label', { class: 'chip-option', dataset: { value: values[i] } }, b, h('span', { text: labelOf(values[i]) })))));
    return { set, boxes };
  };
  const statusChips = chipGroup('requests-status', 'requests.status', STATUSES, state.statuses, (s) => t(`status.${s}`));
  const priorityChips = chipGroup('requests-priority', 'requests.priority_filter', PRIORITIES, state.priorities, (p) => t(`priority.${p}`));
  const dueFrom = h('input', { type: 'date', id: 'requests-due-from', class: 'input', value: state.due_from, 'aria-describedby': 'requests-due-error' });
  const dueTo = h('input', { type: 'date', id: 'requests-due-to', class: 'input', value: state.due_to, 'aria-describedby': 'requests-due-error' });
  const dueError = h('p', { id: 'requests-due-error', class: 'field-error', hidden: true, text: t('requests.due_range_error') });
  const dueRange = h('fieldset', { class: 'due-filter', id: 'requests-due' },
    h('legend', { class: 'field-label', text: t('requests.due_filter') }),
    h('div', { class: 'due-inputs' },
      h('label', { for: 'requests-due-from', class: 'due-label', text: t('requests.due_from') }), dueFrom,
      h('label', { for: 'requests-due-to', class: 'due-label', text: t('requests.due_to') }), dueTo),
    dueError);
  const clear = h('button', { type: 'button', class: 'btn btn-quiet btn-small', id: 'requests-clear' }, icon('close'), h('span', { text: t('requests.clear_filters') }));

  const count = h('p', { class: 'muted result-count', role: 'status' });
  const exportLink = (format, labelKey) => h('a', { class: 'btn btn-small', id: `requests-export-${format}`, download: '', 'aria-describedby': 'requests-export-hint' },
    icon('download'), h('span', { text: t(labelKey) }));
  const csvLink = exportLink('csv', 'requests.export_csv');
  const xlsxLink = exportLink('xlsx', 'requests.export_xlsx');
  const tableBox = h('div', { class: 'table-box' }, loading());
  const more = h('button', { type: 'button', class: 'btn', hidden: true, text: t('common.load_more') });

  const toolbar = h('form', { class: 'toolbar', role: 'search', 'aria-label': t('requests.search_label'), novalidate: true },
    h('div', { class: 'toolbar-field toolbar-grow' },
      h('label', { for: 'requests-q', class: 'field-label', text: t('requests.search_label') }),
      h('div', { class: 'input-icon' }, icon('search'), q)),
    h('div', { class: 'toolbar-field' },
      h('label', { for: 'requests-dept', class: 'field-label', text: t('requests.department') }), deptFilter,
      h('p', { id: 'requests-dept-hint', class: 'visually-hidden', text: t('requests.department_hint') })),
    h('div', { class: 'toolbar-field sort-narrow' },
      h('label', { for: 'requests-sort', class: 'field-label', text: t('requests.sort_label') }), sortSelect),
    h('div', { class: 'toolbar-field toolbar-check' },
      h('label', { class: 'toggle', for: 'requests-waiting' }, waiting, h('span', { text: t('requests.waiting_on_me') }))),
    h('div', { class: 'toolbar-field toolbar-check' },
      h('label', { class: 'toggle', for: 'requests-mine' }, mine, h('span', { text: t('requests.mine') }))));
  toolbar.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  const filters = h('div', { class: 'toolbar toolbar-filters' }, statusChips.set, priorityChips.set, dueRange,
    h('div', { class: 'toolbar-field toolbar-check' }, clear));

  const filtered = () => !!(state.q || state.statuses.length || state.priorities.length || state.due_from || state.due_to
    || state.department_id || state.mine || state.waiting);

  // The address holds the state: each change is a step Back undoes, but typing in the search box replaces
  // its own step rather than adding one per letter.
  const address = () => { const s = paramsOf(state).toString(); return s ? `/requests?${s}` : '/requests'; };
  let typing = false;
  const syncUrl = ({ push = true } = {}) => {
    const url = address();
    if (url === location.pathname + location.search) return;
    if (push && !typing) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  };
  const syncExport = () => {
    for (const [a, format] of [[csvLink, 'csv'], [xlsxLink, 'xlsx']]) {
      const p = paramsOf(state);
      p.set('format', format);
      p.set('lang', getLang());
      a.href = `/api/v1/requests/export?${p}`;
    }
    clear.hidden = !filtered();
  };
  const changed = ({ push = true } = {}) => { syncUrl({ push }); syncExport(); load(); };
  q.addEventListener('input', debounce(() => {
    const was = state.q;
    state.q = q.value.trim();
    if (state.q === was) return;
    // The first letter starts a step of the history; the rest of the word replaces it.
    changed({ push: !typing });
    typing = true;
  }, 250));
  q.addEventListener('blur', () => { typing = false; });
  const onChips = (chips, key) => chips.boxes.forEach((b) => b.addEventListener('change', () => {
    state[key] = chips.boxes.filter((x) => x.checked).map((x) => x.value);
    typing = false;
    changed();
  }));
  onChips(statusChips, 'statuses');
  onChips(priorityChips, 'priorities');
  const onDate = () => {
    const from = DATE_RE.test(dueFrom.value) ? dueFrom.value : '';
    const to = DATE_RE.test(dueTo.value) ? dueTo.value : '';
    const bad = from && to && from > to;
    dueError.hidden = !bad;
    dueTo.setAttribute('aria-invalid', bad ? 'true' : 'false');
    if (bad) return; // nothing sent until the range reads forwards
    if (from === state.due_from && to === state.due_to) return;
    state.due_from = from;
    state.due_to = to;
    typing = false;
    changed();
  };
  dueFrom.addEventListener('change', onDate);
  dueTo.addEventListener('change', onDate);
  deptFilter.addEventListener('change', () => { state.department_id = deptFilter.value; typing = false; changed(); });
  mine.addEventListener('change', () => { state.mine = mine.checked; typing = false; changed(); });
  waiting.addEventListener('change', () => { state.waiting = waiting.checked; typing = false; changed(); });
  sortSelect.addEventListener('change', () => { state.sort = sortSelect.value; typing = false; changed(); });
  clear.addEventListener('click', () => {
    Object.assign(state, { q: '', statuses: [], priorities: [], due_from: '', due_to: '', department_id: '', mine: false, waiting: false });
    q.value = ''; deptFilter.value = ''; mine.checked = false; waiting.checked = false; dueFrom.value = ''; dueTo.value = '';
    dueError.hidden = true;
    for (const b of [...statusChips.boxes, ...priorityChips.boxes]) b.checked = false;
    typing = false;
    changed();
    q.focus();
  });
  more.addEventListener('click', () => load({ append: true }));

  const meta = h('div', { class: 'list-meta' }, count,
    h('div', { class: 'list-export' }, csvLink, xlsxLink,
      h('p', { id: 'requests-export-hint', class: 'visually-hidden', text: t('requests.export_hint') })));
  const listCard = h('section', { class: 'card', 'aria-labelledby': 'page-title' },
    toolbar, filters, meta, tableBox, h('div', { class: 'load-more' }, more),
    h('p', { id: 'requests-sort-hint', class: 'visually-hidden', text: t('requests.sort_hint') }));
  main.replaceChildren(pageHeader(t('requests.title'), newButton), listCard);
  syncExport();

  // A column heading cycles: its first direction, the other, then the default order (newest first).
  function nextSort(col) {
    const first = SORTS[col] === 'desc' ? `-${col}` : col;
    const second = SORTS[col] === 'desc' ? col : `-${col}`;
    if (state.sort === first) return second;
    if (state.sort === second) return '';
    return first;
  }
  function sortBy(col) {
    state.sort = nextSort(col);
    sortSelect.value = state.sort;
    typing = false;
    changed();
  }

  async function load({ append = false } = {}) {
    const mySeq = ++seq;
    tableBox.setAttribute('aria-busy', 'true');
    more.disabled = true;
    try {
      const data = await get('/requests', {
        params: { limit: PAGE, cursor: append ? cursor : null, ...Object.fromEntries(paramsOf(state)) },
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
      const again = h('button', { type: 'button', class: 'btn btn-small', text: t('requests.clear_filters') });
      again.addEventListener('click', () => clear.click());
      return h('div', { class: 'empty-inline' },
        h('div', { class: 'empty-icon' }, icon('search')),
        h('p', { class: 'muted', text: t('requests.no_match') }), again);
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
    const th = (key, cls, col) => {
      if (!col) return h('th', { scope: 'col', class: cls, text: t(key) });
      const name = state.sort.replace(/^-/, '');
      const dir = name === col ? (state.sort.startsWith('-') ? 'descending' : 'ascending') : null;
      const button = h('button', { type: 'button', class: 'sort-button', dataset: { sort: col }, 'aria-describedby': 'requests-sort-hint' },
        h('span', { text: t(key) }), icon(dir === 'ascending' ? 'sort-asc' : dir === 'descending' ? 'sort-desc' : 'sort', dir ? 'sort-icon sort-on' : 'sort-icon'));
      button.addEventListener('click', () => sortBy(col));
      // On a phone the headings are cards' labels and the order is chosen in the menu: the heading keeps its
      // name, without a button nobody can see.
      return h('th', { scope: 'col', class: cls, 'aria-sort': dir || 'none' }, h('span', { class: 'th-narrow', text: t(key) }), button);
    };
    replace(tableBox, h('table', { class: 'table table-cards requests-table' },
      h('caption', { class: 'visually-hidden', text: t('requests.table_caption') }),
      h('thead', h('tr',
        th('requests.col.code', 'col-code', 'code'), th('field.title'), th('requests.col.department'), th('requests.status', null, 'status'),
        th('field.priority', null, 'priority'), th('field.due_date', null, 'due_date'), th('requests.col.waiting'))),
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

// The i18n key of a sort option's label.
function sortLabelKey(v) {
  if (!v) return 'requests.sort.default';
  const col = v.replace(/^-/, '');
  return `requests.sort.${col}.${v.startsWith('-') ? 'desc' : 'asc'}`;
}
