// A project (项目), as created when a request is accepted: code, name, status, what the accepted request carried
// into it (the goal, the success criteria, the impact assessments with their totals), the follow-ups (跟进事项) —
// every condition attached to the acceptance, which the plan of the next stage must cover — the lead department
// (主办) and the assisting ones (配合) with their liaisons, and the request it came from.

import { h, icon } from '../lib/dom.js';
import { t, tOr, formatDateTime, formatNumber } from '../lib/i18n.js';
import { get, ApiError } from '../lib/api.js';
import { loadDepartments, loadUsers, byId, departmentPath } from '../lib/session.js';
import { loading, loadError, badge } from '../lib/ui.js';
import { confidentialityBadge, verdictBadge, unbroken } from '../lib/requests.js';
import { projectStatusBadge, openFollowUpsBadge } from '../lib/projects.js';
import { showNotFound } from './notfound.js';

export const titleKey = 'project.title';

export async function mount(main, ctx) {
  main.replaceChildren(loading());
  let p;
  let deptMap;
  let userMap;
  try {
    const [proj, depts, users] = await Promise.all([get(`/projects/${ctx.params.id}`), loadDepartments().catch(() => []), loadUsers().catch(() => [])]);
    p = proj;
    deptMap = byId(depts);
    userMap = byId(users);
  } catch (e) {
    // A project that does not exist and one the user may not see answer alike (404): the not-found page, a way back.
    if (e instanceof ApiError && e.status === 404) showNotFound(main, { back: { href: '/projects', label: t('projects.back_to_list') }, setTitle: ctx.setTitle });
    else main.replaceChildren(loadError(e, () => ctx.navigate(location.pathname)));
    return null;
  }
  ctx.setTitle(`${p.code} ${p.name}`);
  const deptName = (id) => (deptMap.has(id) ? deptMap.get(id).name : t('dept.unknown_department', { id }));
  const userName = (id) => (userMap.has(id) ? userMap.get(id).name : t('dept.unknown_user', { id }));
  const liaisons = p.liaisons || {};
  const depts = (p.departments || []).slice().sort((a, b) => (a.role === 'lead' ? -1 : 0) - (b.role === 'lead' ? -1 : 0));
  const num = (v, digits = 2) => formatNumber(v, digits);

  // ---- the follow-ups: every condition of the acceptance ----

  function followUps() {
    const items = p.follow_ups || [];
    const source = (f) => (f.source === 'decision'
      ? t('project.follow_up.from_decision')
      : t('project.follow_up.from_department', { name: f.department_name || deptName(f.department_id) }));
    const item = (f) => h('li', { class: 'fu-item', dataset: { followUpId: f.id, source: f.source, status: f.status } },
      h('div', { class: 'fu-main' },
        h('p', { class: 'fu-source' },
          icon(f.source === 'decision' ? 'decide' : 'assess', 'fu-icon'),
          h('span', { class: 'fu-source-name', text: source(f) }),
          f.raised_by_name ? h('span', { class: 'muted', text: t('project.follow_up.raised_by', { name: f.raised_by_name }) }) : null),
        h('p', { class: 'fu-text prose', text: f.text })),
      h('div', { class: 'fu-side' },
        badge(tOr(`project.follow_up.status.${f.status}`, f.status), f.status === 'open' ? 'warn' : 'ok')));
    return h('section', { class: 'card', id: 'follow-ups', 'aria-labelledby': 'prj-fu' },
      h('div', { class: 'card-head' },
        h('h2', { class: 'card-title', id: 'prj-fu', text: t('project.follow_ups') }),
        openFollowUpsBadge(p.open_follow_ups)),
      h('p', { class: 'muted card-lead', text: t('project.follow_ups_lead') }),
      items.length
        ? h('ul', { class: 'fu-list' }, items.map(item))
        : h('p', { class: 'empty-inline-text', id: 'follow-ups-empty' }, icon('check'), h('span', { text: t('project.follow_ups_empty') })));
  }

  // ---- the goal and the success criteria ----

  function goal() {
    const crit = p.success_criteria || [];
    return h('section', { class: 'card', id: 'project-goal', 'aria-labelledby': 'prj-goal' },
      h('h2', { class: 'card-title', id: 'prj-goal', text: t('project.goal_title') }),
      h('dl', { class: 'doc' },
        h('div', { class: 'doc-row', dataset: { field: 'goal' } }, h('dt', { text: t('field.goal') }),
          p.goal && p.goal.trim() ? h('dd', { class: 'prose', text: p.goal }) : h('dd', { class: 'muted', text: t('request.not_given') })),
        h('div', { class: 'doc-row', dataset: { field: 'success_criteria' } }, h('dt', { text: t('field.success_criteria') }),
          crit.length
            ? h('dd', h('ol', { class: 'criteria' }, crit.map((c) => h('li', { text: c }))))
            : h('dd', { class: 'muted', text: t('request.not_given') }))));
  }

  // ---- the assessments and their totals ----

  function assessments() {
    const tot = p.assessment_totals || {};
    const items = p.assessments || [];
    const stat = (key, value, sub) => h('div', { class: 'stat', dataset: { stat: key } },
      h('dt', { class: 'stat-label', text: t(`project.totals.${key}`) }),
      h('dd', { class: 'stat-value' }, h('span', { text: value }), sub ? h('span', { class: 'stat-sub', text: sub }) : null));
    const verdicts = h('span', { class: 'badges' },
      tot.conditional ? badge(t('request.cmp.conditional_count', { count: tot.conditional }), 'warn') : null,
      tot.infeasible ? badge(t('request.cmp.infeasible_count', { count: tot.infeasible }), 'danger') : null,
      tot.received && !tot.conditional && !tot.infeasible ? badge(t('request.cmp.all_feasible'), 'ok') : null,
      tot.received < tot.expected ? badge(t('project.totals.missing', { count: tot.expected - tot.received }), 'warn') : null);
    const th = (key, cls) => h('th', { scope: 'col', class: cls, text: t(key) });
    const td = (labelKey, content, cls) => h('td', { class: cls, dataset: { label: t(labelKey) } }, content);
    const table = items.length ? h('div', { class: 'table-box cmp-box', tabindex: '0', role: 'region', 'aria-label': t('project.assessments_region') },
      h('table', { class: 'table table-cards cmp-table prj-assess-table' },
        h('caption', { class: 'visually-hidden', text: t('project.assessments') }),
        // The verdict and its conditions stay with the department, so that the table fits beside the overview.
        h('thead', h('tr',
          th('project.assessments_col'), th('request.cmp.person_days', 'num'), th('request.cmp.cost', 'num'),
          th('request.cmp.schedule', 'num'))),
        h('tbody', items.map((a) => h('tr', { dataset: { deptId: a.department_id, verdict: a.verdict } },
          h('th', { scope: 'row', class: 'cell-name' },
            h('span', { class: 'prj-assess-head' },
              h('span', { class: 'cmp-dept', text: a.department_name || deptName(a.department_id) }),
              verdictBadge(a.verdict)),
            a.verdict !== 'feasible' && a.conditions
              ? h('span', { class: 'cmp-cond' }, h('span', { class: 'muted', text: t('project.condition_label') }), h('span', { text: a.conditions }))
              : null),
          td('request.cmp.person_days', num(a.person_days, 1), 'num'),
          td('request.cmp.cost', num(a.cost), 'num'),
          td('request.cmp.schedule', num(a.schedule_impact_days, 0), 'num')))))) : null;
    return h('section', { class: 'card', id: 'project-assessments', 'aria-labelledby': 'prj-assess' },
      h('div', { class: 'card-head' },
        h('h2', { class: 'card-title', id: 'prj-assess', text: t('project.assessments') }),
        verdicts),
      h('p', { class: 'muted card-lead', text: t('project.assessments_lead', { received: tot.received || 0, expected: tot.expected || 0 }) }),
      h('dl', { class: 'stats' },
        stat('person_days', num(tot.person_days, 1), t('project.totals.person_days_unit')),
        stat('cost', num(tot.cost), t('project.totals.cost_unit')),
        stat('max_schedule_impact_days', num(tot.max_schedule_impact_days, 0), t('project.totals.schedule_unit'))),
      table || h('p', { class: 'muted', text: t('project.assessments_none') }));
  }

  // ---- the departments ----

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
          projectStatusBadge(p.status)),
        h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1', text: p.name }))),
    h('div', { class: 'banner banner-info' }, icon('info'), h('span', { class: 'banner-text', text: t('project.next_stage') })),
    h('div', { class: 'request-layout' },
      h('div', { class: 'request-main' },
        followUps(),
        goal(),
        assessments(),
        h('section', { class: 'card', 'aria-labelledby': 'prj-depts' },
          h('h2', { class: 'card-title', id: 'prj-depts', text: t('project.departments') }),
          h('p', { class: 'muted card-lead', text: t('project.departments_lead') }),
          h('ul', { class: 'dept-list' }, depts.map(deptRow)))),
      h('div', { class: 'request-side' },
        h('section', { class: 'card', 'aria-labelledby': 'prj-facts' },
          h('h2', { class: 'card-title', id: 'prj-facts', text: t('project.facts') }),
          h('dl', { class: 'facts facts-tight' },
            h('div', h('dt', { text: t('project.lead_department') }), h('dd', { text: p.lead_department_id ? deptName(p.lead_department_id) : '—' })),
            h('div', h('dt', { text: t('project.assisting_departments') }),
              h('dd', { text: depts.filter((d) => d.role !== 'lead').map((d) => deptName(d.department_id)).join(t('common.list_separator')) || '—' })),
            h('div', h('dt', { text: t('project.coordinator') }), h('dd', { text: p.coordinator_id ? userName(p.coordinator_id) : t('project.no_coordinator') })),
            h('div', h('dt', { text: t('field.confidentiality') }), h('dd', confidentialityBadge(p.confidentiality))),
            h('div', h('dt', { text: t('field.created_at') }), h('dd', { text: formatDateTime(p.created_at) })),
            h('div', h('dt', { text: t('project.request') }),
              h('dd', p.request_id
                ? h('a', { href: `/requests/${p.request_id}`, id: 'project-request', class: 'nowrap' }, p.request_code ? unbroken(p.request_code) : t('project.open_request'))
                : '—')))))));
  return null;
}
