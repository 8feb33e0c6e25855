// A project (项目), as created when a request is accepted: code, name, status, the lead department (主办) and
// the assisting ones (配合), each with its liaison, and the request it came from. Planning comes in stage 2.

import { h, icon } from '../lib/dom.js';
import { t, tOr, formatDateTime } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { loadDepartments, loadUsers, byId, departmentPath } from '../lib/session.js';
import { loading, loadError, badge } from '../lib/ui.js';
import { confidentialityBadge } from '../lib/requests.js';

export const titleKey = 'project.title';

const STATUS_KIND = { planning: 'info', active: 'ok', closed: 'neutral', cancelled: 'neutral' };

export async function mount(main, ctx) {
  main.replaceChildren(loading());
  let p;
  let deptMap;
  let userMap;
  let req = null;
  try {
    const [proj, depts, users] = await Promise.all([get(`/projects/${ctx.params.id}`), loadDepartments().catch(() => []), loadUsers().catch(() => [])]);
    p = proj;
    deptMap = byId(depts);
    userMap = byId(users);
    if (p.request_id) req = await get(`/requests/${p.request_id}`).catch(() => null);
  } catch (e) {
    main.replaceChildren(loadError(e, () => ctx.navigate(location.pathname)));
    return null;
  }
  ctx.setTitle(`${p.code} ${p.name}`);
  const deptName = (id) => (deptMap.has(id) ? deptMap.get(id).name : t('dept.unknown_department', { id }));
  const userName = (id) => (userMap.has(id) ? userMap.get(id).name : t('dept.unknown_user', { id }));
  const liaisons = p.liaisons || {};
  const depts = (p.departments || []).slice().sort((a, b) => (a.role === 'lead' ? -1 : 0) - (b.role === 'lead' ? -1 : 0));

  const deptRow = (d) => {
    const liaison = liaisons[String(d.department_id)];
    const head = deptMap.has(d.department_id) ? deptMap.get(d.department_id).head_user_id : null;
    return h('li', { class: 'dept-item', dataset: { deptId: d.department_id, role: d.role } },
      h('div', { class: 'dept-item-main' },
        h('p', { class: 'dept-item-name' }, h('span', { text: deptName(d.department_id) })),
        deptMap.has(d.department_id) && deptMap.get(d.department_id).parent_id != null
          ? h('p', { class: 'dept-item-sub', text: departmentPath(deptMap, d.department_id) }) : null,
        h('p', { class: 'dept-item-sub' },
          h('span', { text: liaison ? t('project.liaison', { name: userName(liaison) }) : t('request.no_liaison') }),
          head ? h('span', { text: ` · ${t('project.head', { name: userName(head) })}` }) : null)),
      h('div', { class: 'dept-item-side' }, badge(tOr(`project.role.${d.role}`, d.role), d.role === 'lead' ? 'info' : 'neutral')));
  };

  main.replaceChildren(
    h('div', { class: 'page-head' },
      h('div',
        h('p', { class: 'page-kicker' },
          h('span', { class: 'req-code', text: p.code }),
          badge(tOr(`project.status.${p.status}`, p.status), STATUS_KIND[p.status] || 'neutral')),
        h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1', text: p.name }))),
    h('div', { class: 'banner banner-info' }, icon('info'), h('span', { class: 'banner-text', text: t('project.next_stage') })),
    h('div', { class: 'request-layout' },
      h('div', { class: 'request-main' },
        h('section', { class: 'card', 'aria-labelledby': 'prj-depts' },
          h('h2', { class: 'card-title', id: 'prj-depts', text: t('project.departments') }),
          h('p', { class: 'muted card-lead', text: t('project.departments_lead') }),
          h('ul', { class: 'dept-list' }, depts.map(deptRow)))),
      h('div', { class: 'request-side' },
        h('section', { class: 'card', 'aria-labelledby': 'prj-facts' },
          h('h2', { class: 'card-title', id: 'prj-facts', text: t('project.facts') }),
          h('dl', { class: 'facts facts-tight' },
            h('div', h('dt', { text: t('project.lead_department') }), h('dd', { text: p.lead_department_id ? deptName(p.lead_department_id) : '—' })),
            h('div', h('dt', { text: t('project.coordinator') }), h('dd', { text: p.coordinator_id ? userName(p.coordinator_id) : t('project.no_coordinator') })),
            h('div', h('dt', { text: t('field.confidentiality') }), h('dd', confidentialityBadge(p.confidentiality))),
            h('div', h('dt', { text: t('field.created_at') }), h('dd', { text: formatDateTime(p.created_at) })),
            h('div', h('dt', { text: t('project.request') }),
              h('dd', p.request_id
                ? h('a', { href: `/requests/${p.request_id}`, id: 'project-request' }, req ? `${req.code} ${req.title}` : t('project.open_request'))
                : '—')))))));
  return null;
}
