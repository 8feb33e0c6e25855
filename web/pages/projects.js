// Projects (项目): every project the user may see (a project is seen by whoever sees its request), newest first,
// with its code, name, status, lead department (主办部门), when it was created and how many follow-ups (跟进事项)
// are still open; paged.

import { h, icon, replace } from '../lib/dom.js';
import { t, plural, formatDate, formatDateTime } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { loadDepartments, byId } from '../lib/session.js';
import { pageHeader, loading, loadError, toast, errorMessage } from '../lib/ui.js';
import { projectStatusBadge, openFollowUpsBadge } from '../lib/projects.js';

export const titleKey = 'projects.title';

const PAGE = 50;

export async function mount(main, ctx) {
  let rows = [];
  let cursor = null;
  let seq = 0;
  main.replaceChildren(pageHeader(t('projects.title')), loading());

  let deptMap = new Map();
  try { deptMap = byId(await loadDepartments()); } catch { /* ids stand in for names */ }
  const deptName = (id) => (deptMap.has(id) ? deptMap.get(id).name : t('dept.unknown_department', { id }));

  const count = h('p', { class: 'muted result-count', role: 'status' });
  const tableBox = h('div', { class: 'table-box' }, loading());
  const more = h('button', { type: 'button', class: 'btn', hidden: true, text: t('common.load_more') });
  more.addEventListener('click', () => load({ append: true }));
  main.replaceChildren(
    pageHeader(t('projects.title')),
    h('p', { class: 'muted page-lead', text: t('projects.lead') }),
    h('section', { class: 'card', 'aria-labelledby': 'page-title' }, count, tableBox, h('div', { class: 'load-more' }, more)));

  async function load({ append = false } = {}) {
    const mySeq = ++seq;
    tableBox.setAttribute('aria-busy', 'true');
    more.disabled = true;
    try {
      const data = await get('/projects', { params: { limit: PAGE, cursor: append ? cursor : null } });
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
    return h('div', { class: 'empty-state', id: 'projects-empty' },
      h('div', { class: 'empty-icon' }, icon('folder')),
      h('h2', { class: 'empty-title', text: t('projects.empty_title') }),
      h('p', { class: 'empty-text', text: t('projects.empty_text') }),
      h('a', { href: '/requests', class: 'btn' }, icon('inbox'), h('span', { text: t('projects.to_requests') })));
  }

  function render() {
    more.hidden = !cursor;
    count.textContent = rows.length ? plural(cursor ? 'projects.count_more' : 'projects.count', rows.length) : '';
    if (!rows.length) { replace(tableBox, emptyState()); return; }
    const th = (key, cls) => h('th', { scope: 'col', class: cls, text: t(key) });
    replace(tableBox, h('table', { class: 'table table-cards projects-table' },
      h('caption', { class: 'visually-hidden', text: t('projects.table_caption') }),
      h('thead', h('tr',
        th('requests.col.code', 'col-code'), th('projects.col.name'), th('projects.col.status'), th('project.lead_department'),
        th('projects.col.created'), th('projects.col.follow_ups'))),
      h('tbody', rows.map(rowEl))));
  }

  function rowEl(p) {
    const td = (labelKey, ...content) => h('td', { dataset: { label: t(labelKey) } }, content);
    return h('tr', { dataset: { projectId: p.id, code: p.code } },
      h('td', { class: 'col-code' }, h('span', { class: 'req-code', text: p.code })),
      h('th', { scope: 'row', class: 'cell-name' }, h('a', { href: `/projects/${p.id}`, class: 'row-title clip', title: p.name, text: p.name })),
      td('projects.col.status', projectStatusBadge(p.status)),
      td('project.lead_department', h('span', { class: 'nowrap', text: p.lead_department_id ? deptName(p.lead_department_id) : '—' })),
      td('projects.col.created', h('time', { class: 'nowrap', datetime: p.created_at, title: formatDateTime(p.created_at), text: formatDate(p.created_at) })),
      td('projects.col.follow_ups', openFollowUpsBadge(p.open_follow_ups)));
  }

  await load();
  return null;
}
