// One request (需求单): what it asks, where it stands (the step, since when, on whom), the involved departments
// and their assessments side by side, the timeline of every step, and the actions the API allows the caller
// (allowed_actions): edit, submit, review, assess, decide, cancel.

import { h, icon, replace } from '../lib/dom.js';
import { t, tOr, formatDateTime, formatDay, formatNumber, durationSince } from '../lib/i18n.js';
import { get, post, ApiError } from '../lib/api.js';
import { loadDepartments, loadUsers, byId, departmentPath, session } from '../lib/session.js';
import { watchUnread, watchChanges } from '../lib/live.js';
import {
  loading, loadError, toast, errorMessage, field, formDialog, confirmDialog, openDialog, badge, choiceField, ClientError,
} from '../lib/ui.js';
import {
  statusBadge, priorityBadge, confidentialityBadge, verdictBadge, waitingParts, joinNames, dueDate, isOverdue,
  overdueBadge, waitLevelBadge, unbroken, CONFIDENTIALITIES,
} from '../lib/requests.js';
import { showNotFound } from './notfound.js';

export const titleKey = 'request.title';

const FLOW = ['raise', 'review', 'assess', 'decide'];
const ACTION_TONE = {
  approve: 'ok', accept: 'ok', assess: 'info', reassess: 'info', submit: 'info',
  return: 'warn', reject: 'danger', decline: 'danger', cancel: 'muted', update: 'muted', create: 'muted',
};
const SKIP_DIFF = new Set(['id', 'version', 'created_at', 'updated_at', 'status', 'status_changed_at', 'submitted_at', 'code',
  'initiator_id', 'initiator_name', 'initiating_department_id', 'initiating_department_name', 'project_id']);

// Where the request stands on the four steps of stage 1: -> {index, state: 'current'|'done'|'stopped'}.
function flowPosition(r) {
  switch (r.status) {
    case 'draft': case 'returned': return { index: 0, state: 'current' };
    case 'submitted': return { index: 1, state: 'current' };
    case 'assessing': return r.waiting && ['decision', 'countersign'].includes(r.waiting.step) ? { index: 3, state: 'current' } : { index: 2, state: 'current' };
    case 'rejected': return { index: 1, state: 'stopped' };
    case 'accepted': return { index: 3, state: 'done' };
    case 'declined': return { index: 3, state: 'stopped' };
    default: return { index: -1, state: 'stopped' };
  }
}

function setRequired(f, on) {
  f.input.required = on;
  const star = f.el.querySelector('.req');
  if (star) star.hidden = !on;
}

export async function mount(main, ctx) {
  const id = Number(ctx.params.id);
  let r = null;
  let history = [];
  let assess = { items: [], pending_department_ids: [], totals: null };
  let deptMap = new Map();
  let userMap = new Map();

  main.replaceChildren(loading());

  async function fetchAll() {
    const [req, hist, as, depts, users] = await Promise.all([
      get(`/requests/${id}`),
      get(`/requests/${id}/history`).catch(() => null),
      get(`/requests/${id}/assessments`).catch(() => null),
      loadDepartments().catch(() => []),
      loadUsers().catch(() => []),
    ]);
    r = req;
    history = (hist && hist.items) || [];
    assess = as || { items: [], pending_department_ids: (req.assessment_progress || {}).pending_department_ids || [], totals: null };
    deptMap = byId(depts);
    userMap = byId(users);
  }

  try {
    await fetchAll();
  } catch (e) {
    // Missing, or not the caller's to see (the API does not say which): the not-found page, with a way back.
    if (e instanceof ApiError && e.status === 404) showNotFound(main, { back: { href: '/requests', label: t('request.back_to_list') }, setTitle: ctx.setTitle });
    else main.replaceChildren(loadError(e, () => ctx.navigate(location.pathname)));
    return null;
  }

  const deptName = (did) => (deptMap.has(did) ? deptMap.get(did).name : t('dept.unknown_department', { id: did }));
  const userName = (uid) => (userMap.has(uid) ? userMap.get(uid).name : t('dept.unknown_user', { id: uid }));
  const lastStep = (action) => {
    const list = history.filter((x) => x.action === action);
    return list.length ? list[list.length - 1] : null;
  };
  const can = (a) => (r.allowed_actions || []).includes(a);

  let alive = true;
  async function refresh() {
    try {
      await fetchAll();
    } catch (e) {
      if (alive) toast(errorMessage(e), 'error');
      return;
    }
    if (alive) render();
  }

  // ---- the header: code, status, title, facts, actions ----

  function actionsBar() {
    const buttons = [];
    if (can('review')) {
      buttons.push(h('button', { type: 'button', class: 'btn btn-primary', id: 'act-review', onclick: openReview }, icon('review'), h('span', { text: t('request.act.review') })));
    }
    if (can('assess')) {
      const mine = r.my_department_ids || [];
      const done = mine.length > 0 && mine.every((d) => assess.items.some((a) => a.department_id === d));
      buttons.push(h('button', { type: 'button', class: ['btn', done ? null : 'btn-primary'], id: 'act-assess', onclick: openAssess },
        icon('assess'), h('span', { text: t(done ? 'request.act.reassess' : 'request.act.assess') })));
    }
    if (can('decide')) {
      buttons.push(h('button', { type: 'button', class: 'btn btn-primary', id: 'act-decide', onclick: openDecision }, icon('decide'), h('span', { text: t('request.act.decide') })));
    }
    if (can('submit')) {
      buttons.push(h('button', { type: 'button', class: 'btn btn-primary', id: 'act-submit', onclick: doSubmit }, icon('send'), h('span', { text: t('request.act.submit') })));
    }
    if (can('edit')) {
      buttons.push(h('a', { href: `/requests/${r.id}/edit`, class: 'btn', id: 'act-edit' }, icon('edit'), h('span', { text: t('request.act.edit') })));
    }
    if (can('countersign_answer')) {
      buttons.push(h('button', { type: 'button', class: 'btn btn-primary', id: 'act-sign', onclick: openSign }, icon('review'), h('span', { text: t('request.act.sign') })));
    }
    if (can('countersign')) {
      buttons.push(h('button', { type: 'button', class: 'btn', id: 'act-countersign', onclick: openCountersign }, icon('plus'), h('span', { text: t('request.act.countersign') })));
    }
    if (can('transfer')) {
      buttons.push(h('button', { type: 'button', class: 'btn', id: 'act-transfer', onclick: openTransfer }, icon('send'), h('span', { text: t('request.act.transfer') })));
    }
    if (can('cc')) {
      buttons.push(h('button', { type: 'button', class: 'btn', id: 'act-cc', onclick: openCc }, icon('users'), h('span', { text: t('request.act.cc') })));
    }
    if (can('urge')) {
      buttons.push(h('button', { type: 'button', class: 'btn', id: 'act-urge', onclick: openUrge }, icon('bell'), h('span', { text: t('request.act.urge') })));
    }
    if (can('withdraw')) {
      buttons.push(h('button', { type: 'button', class: 'btn', id: 'act-withdraw', onclick: openWithdraw }, icon('undo'), h('span', { text: t('request.act.withdraw') })));
    }
    if (can('cancel')) {
      buttons.push(h('button', { type: 'button', class: 'btn btn-danger-quiet', id: 'act-cancel', onclick: openCancel }, icon('ban'), h('span', { text: t('request.act.cancel') })));
    }
    buttons.push(h('button', { type: 'button', class: 'btn btn-quiet', id: 'act-copy', onclick: doCopy }, icon('copy'), h('span', { text: t('request.act.copy') })));
    buttons.push(h('button', { type: 'button', class: 'btn btn-quiet', id: 'act-print', onclick: () => window.print() }, icon('printer'), h('span', { text: t('request.act.print') })));
    return buttons.length ? h('div', { class: 'page-actions request-actions' }, buttons) : null;
  }

  function header() {
    const dept = r.initiating_department_name || (r.initiating_department_id ? deptName(r.initiating_department_id) : '');
    return h('div', { class: 'page-head request-head' },
      h('div', { class: 'request-head-main' },
        h('p', { class: 'page-kicker' },
          h('a', { href: '/requests', class: 'crumb' }, t('requests.title')),
          h('span', { class: 'crumb-sep', 'aria-hidden': 'true', text: '/' }),
          h('span', { class: 'req-code', text: r.code }),
          statusBadge(r.status)),
        h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1', text: r.title }),
        h('ul', { class: 'meta-row' },
          h('li', priorityBadge(r.priority, { long: true })),
          h('li', confidentialityBadge(r.confidentiality)),
          r.due_date ? h('li', { class: ['meta-item', isOverdue(r) && 'meta-overdue'] }, icon('calendar'),
            h('span', { text: t('request.due', { date: formatDay(r.due_date) }) }), overdueBadge(r)) : null,
          h('li', { class: 'meta-item' }, icon('user'),
            h('span', { text: t('request.raised_by', { name: r.initiator_name || userName(r.initiator_id), department: dept }) })),
          (r.cc_user_ids || []).length ? h('li', { class: 'meta-item', id: 'request-cc' }, icon('users'),
            h('span', { text: t('request.cc.shown', { names: r.cc_user_ids.map(userName).join(t('common.list_separator')) }) })) : null)),
      actionsBar());
  }

  // What only a printout shows: the form's name (审批单), the code, and when it was printed.
  function printHead() {
    return h('div', { class: 'print-head', 'aria-hidden': 'true' },
      h('p', { class: 'print-form', text: t('request.print.form') }),
      h('p', { class: 'print-meta', text: t('request.print.meta', { code: r.code, at: formatDateTime(new Date().toISOString()) }) }));
  }

  // ---- where it stands ----

  function flow() {
    const pos = flowPosition(r);
    if (pos.index < 0) return null;
    return h('ol', { class: 'flow', 'aria-label': t('request.flow_label') },
      FLOW.map((k, i) => {
        let state = 'todo';
        if (i < pos.index) state = 'done';
        else if (i === pos.index) state = pos.state === 'current' ? 'current' : pos.state === 'done' ? 'done' : 'stopped';
        return h('li', { class: ['flow-step', `flow-${state}`], 'aria-current': state === 'current' ? 'step' : null },
          h('span', { class: 'flow-dot', 'aria-hidden': 'true' }, state === 'done' ? icon('check') : state === 'stopped' ? icon('close') : String(i + 1)),
          h('span', { class: 'flow-name', text: t(`request.flow.${k}`) }),
          h('span', { class: 'visually-hidden', text: ` (${t(`request.flow_state.${state}`)})` }));
      }));
  }

  function noteBlock(ev) {
    if (!ev || !ev.note) return null;
    return h('blockquote', { class: 'quote' }, h('p', { text: ev.note }));
  }

  function statusBanner() {
    const s = r.status;
    if (s === 'accepted') {
      const ev = lastStep('accept');
      return h('div', { class: 'banner banner-ok', id: 'request-outcome' }, icon('flag'),
        h('div', { class: 'banner-text' },
          h('p', { class: 'banner-title', text: t('request.accepted_banner', { name: ev ? ev.actor_name : '', at: ev ? formatDateTime(ev.at) : '' }) }),
          noteBlock(ev),
          r.project_id ? h('p', h('a', { href: `/projects/${r.project_id}`, class: 'project-link', id: 'project-link' },
            icon('folder'), h('span', { text: t('request.open_project') }), icon('chevron'))) : null));
    }
    if (s === 'rejected' || s === 'declined' || s === 'cancelled') {
      const ev = lastStep({ rejected: 'reject', declined: 'decline', cancelled: 'cancel' }[s]);
      return h('div', { class: ['banner', s === 'cancelled' ? 'banner-muted' : 'banner-error'], id: 'request-outcome' }, icon('ban'),
        h('div', { class: 'banner-text' },
          h('p', { class: 'banner-title', text: t(`request.${s}_banner`, { name: ev ? ev.actor_name : '', at: ev ? formatDateTime(ev.at) : '' }) }),
          noteBlock(ev)));
    }
    const w = waitingParts(r.waiting);
    if (!w) return null;
    const ret = s === 'returned' ? lastStep('return') : null;
    return h('div', { class: ['banner', s === 'returned' ? 'banner-warn' : 'banner-info', 'waiting-banner'], id: 'waiting-banner' },
      icon(s === 'returned' ? 'undo' : 'clock'),
      h('div', { class: 'banner-text' },
        h('p', { class: 'banner-title' },
          h('span', { class: 'waiting-step', text: t('request.current_step', { step: w.step }) }),
          h('span', { class: 'waiting-since', title: r.waiting.since ? formatDateTime(r.waiting.since) : null, text: w.since }),
          waitLevelBadge(w.level)),
        w.on ? h('p', { class: 'waiting-on', text: w.on }) : null,
        ret ? h('div', { class: 'return-note', id: 'return-note' },
          h('p', { class: 'return-note-head', text: t('request.returned_by', { name: ret.actor_name || '' }) }),
          h('p', { class: 'return-note-text', text: ret.note || '' })) : null));
  }

  // ---- the request's content ----

  function content() {
    const text = (k) => (r[k] && String(r[k]).trim()
      ? h('dd', { class: 'prose', text: r[k] })
      : h('dd', { class: 'muted', text: t('request.not_given') }));
    const crit = (r.success_criteria || []).length
      ? h('dd', h('ol', { class: 'criteria' }, r.success_criteria.map((c) => h('li', { text: c }))))
      : h('dd', { class: 'muted', text: t('request.not_given') });
    const row = (key, dd) => h('div', { class: 'doc-row', dataset: { field: key } }, h('dt', { text: t(`field.${key}`) }), dd);
    return h('section', { class: 'card', 'aria-labelledby': 'req-content' },
      h('h2', { class: 'card-title', id: 'req-content', text: t('request.content') }),
      h('dl', { class: 'doc' },
        row('background', text('background')),
        row('goal', text('goal')),
        row('success_criteria', crit),
        row('expected_outcome', text('expected_outcome')),
        row('resources_needed', text('resources_needed')),
        row('risks', text('risks'))));
  }

  // ---- involved departments with their assessment status ----

  function departments() {
    const items = new Map(assess.items.map((a) => [a.department_id, a]));
    const inAssessment = ['assessing', 'accepted', 'declined'].includes(r.status) || assess.items.length > 0;
    const mine = new Set(r.my_department_ids || []);
    return h('section', { class: 'card', 'aria-labelledby': 'req-depts' },
      h('h2', { class: 'card-title', id: 'req-depts', text: t('field.involved_department_ids') }),
      h('ul', { class: 'dept-list' }, (r.involved_department_ids || []).map((did) => {
        const a = items.get(did);
        const asked = (r.assessors || []).find((x) => x.department_id === did);
        let status;
        if (a) status = verdictBadge(a.verdict);
        else if (inAssessment) status = badge(t('request.assessment_pending'), r.status === 'assessing' ? 'warn' : 'neutral');
        else if (['draft', 'submitted', 'returned'].includes(r.status)) status = badge(t('request.assessment_not_started'), 'neutral');
        else status = badge(t('request.assessment_none'), 'neutral');
        const act = can('assess') && mine.has(did)
          ? h('a', { href: `/requests/${r.id}/assess/${did}`, class: 'btn btn-small', dataset: { assessDept: did } },
            icon('assess'), h('span', { text: t(a ? 'request.act.reassess' : 'request.act.assess') }))
          : null;
        return h('li', { class: ['dept-item', a ? null : inAssessment && r.status === 'assessing' ? 'dept-item-pending' : null], dataset: { deptId: did } },
          h('div', { class: 'dept-item-main' },
            h('p', { class: 'dept-item-name' }, h('span', { text: deptName(did) }), mine.has(did) ? h('span', { class: 'pick-tag', text: t('request.my_department') }) : null),
            askedLine(asked),
            a ? h('p', { class: 'dept-item-sub', text: t('request.assessed_by', { name: a.assessor_name || '', at: formatDateTime(a.updated_at) }) }) : null),
          h('div', { class: 'dept-item-side' }, status, act));
      })));
  }

  // Whom the department's assessment is asked of (the API's assessors: never someone who may not see the request).
  function askedLine(asked) {
    if (!asked) return null;
    const names = joinNames((asked.people || []).map((p) => p.name || userName(p.id)));
    if (asked.via === 'liaison') return h('p', { class: 'dept-item-sub dept-asked', dataset: { via: 'liaison' }, text: t('request.liaisons', { names }) });
    if (asked.via === 'head') {
      return h('p', { class: 'dept-item-sub dept-asked', dataset: { via: 'head' } },
        h('span', { text: t('request.asked_head', { names }) }),
        h('span', { class: 'dept-asked-why', text: t('request.asked_head_why') }));
    }
    return h('p', { class: 'dept-item-sub dept-asked dept-asked-none', dataset: { via: 'none' }, text: t('request.asked_none') });
  }

  // When it was submitted: the latest submission (after a return, the resubmission), the first kept beside it.
  function submissions() {
    const list = history.filter((x) => x.action === 'submit').map((x) => x.at).sort();
    if (!list.length && r.submitted_at) list.push(r.submitted_at);
    return { first: list[0] || null, last: list[list.length - 1] || null, count: list.length };
  }

  function facts() {
    const reviewer = r.reviewer_id ? userName(r.reviewer_id) : t('request.no_reviewer');
    const rows = [
      ['field.initiator', r.initiator_name || userName(r.initiator_id)],
      ['field.initiating_department_id', r.initiating_department_id ? departmentPath(deptMap, r.initiating_department_id) || r.initiating_department_name : ''],
      ['field.reviewer_id', reviewer],
      ['field.due_date', dueDate(r)],
      ['field.priority', priorityBadge(r.priority)],
      ['field.confidentiality', confidentialityBadge(r.confidentiality)],
    ];
    const sub = submissions();
    const when = (iso) => h('time', { datetime: iso, text: formatDateTime(iso) });
    rows.push(['field.submitted_at', sub.last ? when(sub.last) : t('request.not_submitted'), 'submitted_at']);
    if (sub.count > 1) rows.push(['field.first_submitted_at', when(sub.first), 'first_submitted_at']);
    rows.push(['field.updated_at', formatDateTime(r.updated_at)]);
    return h('section', { class: 'card', 'aria-labelledby': 'req-facts' },
      h('h2', { class: 'card-title', id: 'req-facts', text: t('request.facts') }),
      h('dl', { class: 'facts facts-tight' }, rows.map(([k, v, key]) => h('div', { dataset: key ? { fact: key } : {} }, h('dt', { text: t(k) }),
        typeof v === 'string' ? h('dd', { text: v }) : h('dd', v)))));
  }

  // ---- the assessments side by side ----

  function comparison() {
    if (!assess.items.length) return null;
    const items = new Map(assess.items.map((a) => [a.department_id, a]));
    const order = [...(r.involved_department_ids || [])];
    for (const a of assess.items) if (!order.includes(a.department_id)) order.push(a.department_id);
    const pending = new Set(assess.pending_department_ids || []);
    const th = (key, cls) => h('th', { scope: 'col', class: cls, text: t(key) });
    const num = (v, digits = 2) => formatNumber(v, digits);
    const td = (labelKey, content, cls) => h('td', { class: cls, dataset: { label: t(labelKey) } }, content);
    const rows = order.map((did) => {
      const a = items.get(did);
      if (!a) {
        return h('tr', { class: 'row-pending', dataset: { deptId: did } },
          h('th', { scope: 'row', class: 'cell-name' }, h('span', { class: 'cmp-dept', text: deptName(did) })),
          h('td', { colspan: '6', class: 'cell-pending' }, badge(t('request.assessment_pending'), 'warn'),
            r.status === 'assessing' && r.waiting && r.waiting.since
              ? h('span', { class: 'muted small', text: t('waiting.since', { duration: durationSince(r.waiting.since) }) }) : null));
      }
      return h('tr', { dataset: { deptId: did, verdict: a.verdict } },
        h('th', { scope: 'row', class: 'cell-name' },
          h('span', { class: 'cmp-dept', text: a.department_name || deptName(did) }),
          a.impact ? h('span', { class: 'cmp-sub', text: t('request.cmp.impact', { text: a.impact }) }) : null,
          a.materials ? h('span', { class: 'cmp-sub', text: t('request.cmp.materials', { text: a.materials }) }) : null),
        td('request.cmp.person_days', num(a.person_days, 1), 'num'),
        td('request.cmp.cost', num(a.cost), 'num'),
        td('request.cmp.schedule', num(a.schedule_impact_days, 0), 'num'),
        td('field.verdict', verdictBadge(a.verdict)),
        td('field.conditions', a.conditions ? h('span', { class: 'cmp-cond', text: a.conditions }) : h('span', { class: 'muted', text: '—' })),
        td('field.assessor', h('span', { class: 'cmp-who' },
          h('span', { text: a.assessor_name || '' }),
          h('span', { class: 'muted small', text: formatDateTime(a.updated_at) }))));
    });
    const tot = assess.totals;
    const expected = order.length;
    const foot = tot ? h('tfoot', h('tr', { class: 'row-total' },
      h('th', { scope: 'row', class: 'cell-name' }, t('request.cmp.total', { received: tot.received, expected })),
      td('request.cmp.person_days', num(tot.person_days, 1), 'num'),
      td('request.cmp.cost', num(tot.cost), 'num'),
      td('request.cmp.schedule', t('request.cmp.max', { days: num(tot.max_schedule_impact_days, 0) }), 'num'),
      td('field.verdict', h('span', { class: 'badges' },
        tot.conditional ? badge(t('request.cmp.conditional_count', { count: tot.conditional }), 'warn') : null,
        tot.infeasible ? badge(t('request.cmp.infeasible_count', { count: tot.infeasible }), 'danger') : null,
        !tot.conditional && !tot.infeasible ? badge(t('request.cmp.all_feasible'), 'ok') : null)),
      h('td', { class: 'cell-empty' }), h('td', { class: 'cell-empty' }))) : null;
    const pendingNames = joinNames([...pending].map(deptName));
    return h('section', { class: 'card rg-cmp', id: 'comparison', 'aria-labelledby': 'req-cmp' },
      h('div', { class: 'card-head' },
        h('h2', { class: 'card-title', id: 'req-cmp', text: t('request.cmp.title') }),
        pending.size ? badge(t('request.cmp.pending', { names: pendingNames }), 'warn') : badge(t('request.cmp.complete'), 'ok')),
      h('p', { class: 'muted card-lead', text: t('request.cmp.lead') }),
      h('div', { class: 'table-box cmp-box', tabindex: '0', role: 'region', 'aria-label': t('request.cmp.region') },
        h('table', { class: 'table table-cards cmp-table' },
          h('caption', { class: 'visually-hidden', text: t('request.cmp.title') }),
          h('thead', h('tr',
            th('request.cmp.department'), th('request.cmp.person_days', 'num'), th('request.cmp.cost', 'num'),
            th('request.cmp.schedule', 'num'), th('field.verdict'), th('field.conditions'), th('field.assessor'))),
          h('tbody', rows),
          foot)));
  }

  // ---- the timeline ----

  function diffFields(ev) {
    if (!ev.before || !ev.after) return [];
    const keys = [...new Set([...Object.keys(ev.before), ...Object.keys(ev.after)])].filter((k) => !SKIP_DIFF.has(k));
    return keys.filter((k) => JSON.stringify(ev.before[k] ?? null) !== JSON.stringify(ev.after[k] ?? null));
  }

  // A field's value as the timeline shows it (before and after an edit).
  function shown(k, v) {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) return t('request.diff.empty');
    if (k === 'involved_department_ids') return joinNames(v.map(deptName));
    if (k === 'success_criteria') return v.map((c, i) => `${i + 1}. ${c}`).join('\n');
    if (k === 'due_date') return formatDay(v);
    if (k === 'priority') return tOr(`priority.${v}`, v);
    if (k === 'confidentiality') return tOr(`clearance.${v}`, v);
    return String(v);
  }

  function timeline() {
    const items = history.slice().sort((a, b) => String(a.at).localeCompare(String(b.at)) || (a.id - b.id));
    const list = items.map((ev) => {
      const extra = [];
      if ((ev.action === 'assess' || ev.action === 'reassess') && ev.after) {
        extra.push(h('p', { class: 'timeline-sub' },
          h('span', { text: ev.after.department_name || deptName(ev.after.department_id) }),
          ev.after.verdict ? verdictBadge(ev.after.verdict) : null));
      }
      if (ev.action === 'update') {
        const changed = diffFields(ev);
        if (changed.length) {
          extra.push(h('dl', { class: 'diff' }, changed.map((k) => h('div', { class: 'diff-field', dataset: { diffField: k } },
            h('dt', { text: tOr(`field.${k}`, k) }),
            h('dd', { class: 'diff-before' }, h('span', { class: 'diff-tag', text: t('request.diff.before') }), h('del', { text: shown(k, ev.before[k]) })),
            h('dd', { class: 'diff-after' }, h('span', { class: 'diff-tag', text: t('request.diff.after') }), h('ins', { text: shown(k, ev.after[k]) }))))));
        }
      }
      return h('li', { class: ['timeline-item', `timeline-${ACTION_TONE[ev.action] || 'muted'}`], dataset: { action: ev.action } },
        h('p', { class: 'timeline-head' },
          h('span', { class: 'timeline-action', text: tOr(`request.action.${ev.action}`, ev.action || '') }),
          h('span', { class: 'muted', text: t('history.by', { name: ev.actor_name || t('history.system'), at: formatDateTime(ev.at) }) })),
        extra,
        ev.note ? h('blockquote', { class: 'quote' }, h('p', { text: ev.note })) : null);
    });
    return h('section', { class: 'card', 'aria-labelledby': 'req-timeline' },
      h('h2', { class: 'card-title', id: 'req-timeline', text: t('request.timeline') }),
      list.length ? h('ol', { class: 'timeline request-timeline' }, list) : h('p', { class: 'muted', text: t('history.empty') }));
  }

  function render() {
    ctx.setTitle(`${r.code} ${r.title}`);
    const focused = document.activeElement && document.activeElement.id;
    replace(main,
      printHead(),
      header(),
      flow(),
      statusBanner(),
      h('div', { class: ['request-grid', !assess.items.length && 'request-grid-nocmp'] },
        h('div', { class: 'rg-content' }, content()),
        h('div', { class: 'rg-depts' }, departments(), countersigns()),
        comparison(),
        h('div', { class: 'rg-timeline' }, timeline()),
        h('div', { class: 'rg-facts' }, facts())));
    if (focused) { const el = document.getElementById(focused); if (el) el.focus(); }
  }

  // 加签: the approvers the decider added, and what each answered.
  function countersigns() {
    const list = r.countersigns || [];
    if (!list.length) return null;
    return h('section', { class: 'card', id: 'req-countersigns', 'aria-labelledby': 'req-cs' },
      h('h2', { class: 'card-title', id: 'req-cs', text: t('request.countersign.card') }),
      h('ul', { class: 'dept-list' }, list.map((x) => h('li', { class: 'dept-item', dataset: { userId: x.user_id, decision: x.decision || 'pending' } },
        h('div', { class: 'dept-item-head' },
          h('span', { class: 'dept-name', text: x.name || userName(x.user_id) }),
          x.decision === 'approve' ? badge(t('request.countersign.approved'), 'ok')
            : x.decision === 'reject' ? badge(t('request.countersign.rejected'), 'danger')
              : badge(t('request.countersign.pending'), 'warn')),
        x.comment ? h('p', { class: 'muted', text: x.comment }) : null))));
  }

  // ---- actions ----

  function stale() { refresh(); }

  // Someone else moved the request on while a dialog was open: say who did what, and show it as it is now.
  async function changedUnderneath(dlg) {
    const lastSeen = history.length ? history[history.length - 1].id : 0;
    if (dlg) dlg.close();
    await refresh();
    const me = session.user && session.user.id;
    const news = history.filter((ev) => ev.id > lastSeen && ev.actor_id !== me);
    const ev = news[news.length - 1];
    toast(ev
      ? t('request.changed_meanwhile', { name: ev.actor_name || t('history.system'), action: tOr(`request.action.${ev.action}`, ev.action), at: formatDateTime(ev.at) })
      : t('request.changed_meanwhile_plain'), 'error');
  }

  async function doSubmit() {
    const reviewer = r.reviewer_id ? userName(r.reviewer_id) : null;
    const yes = await confirmDialog({
      title: t('request.submit_title', { code: unbroken(r.code) }),
      message: reviewer ? t('request.submit_text', { name: reviewer }) : t('request.submit_text_plain'),
      confirmLabel: t('request.act.submit'),
    });
    if (!yes) return;
    try {
      r = await post(`/requests/${r.id}/submit`);
      toast(t('request.submitted'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.code === 'invalid_transition') return changedUnderneath(null);
      toast(errorMessage(e), 'error');
    }
    await refresh();
  }

  function openReview() {
    const choice = choiceField({
      name: 'decision', label: t('request.review.decision'), value: 'approve', required: true,
      options: [
        { value: 'approve', label: t('request.review.approve'), desc: t('request.review.approve_desc'), tone: 'ok' },
        { value: 'return', label: t('request.review.return'), desc: t('request.review.return_desc'), tone: 'warn' },
        { value: 'reject', label: t('request.review.reject'), desc: t('request.review.reject_desc'), tone: 'danger' },
      ],
    });
    const comment = field({ kind: 'textarea', name: 'comment', label: t('request.review.comment'), required: true, hint: t('request.review.comment_hint'), attrs: { rows: '4', maxlength: '2000' } });
    setRequired(comment, false);
    const ctl = formDialog({
      title: t('request.review.title', { code: unbroken(r.code) }),
      description: t('request.review.lead'),
      fields: [choice, comment],
      submitLabel: t('request.review.submit.approve'),
      wide: true,
      onStale: stale, onConflict: changedUnderneath,
      async onSubmit(v, dlg) {
        const decision = choice.value();
        const text = v.comment.trim();
        if (decision !== 'approve' && !text) throw new ClientError(t('request.review.comment_required'), 'comment');
        const payload = { decision };
        if (text) payload.comment = text;
        await post(`/requests/${r.id}/review`, payload);
        dlg.close();
        toast(t(`request.review.done.${decision}`));
        await refresh();
      },
    });
    choice.onChange((d) => {
      setRequired(comment, d !== 'approve');
      ctl.submit.textContent = t(`request.review.submit.${d}`);
      ctl.submit.classList.toggle('btn-danger', d === 'reject');
      ctl.submit.classList.toggle('btn-primary', d !== 'reject');
    });
  }

  function openAssess() {
    const mine = r.my_department_ids || [];
    if (mine.length === 1) { ctx.navigate(`/requests/${r.id}/assess/${mine[0]}`); return; }
    const done = new Set(assess.items.map((a) => a.department_id));
    const close = h('button', { type: 'button', class: 'btn', text: t('common.cancel') });
    const dlg = openDialog({
      title: t('request.assess_choose_title'),
      description: t('request.assess_choose_lead'),
      body: h('div', { class: 'dialog-body' }, h('ul', { class: 'link-list' }, mine.map((did) => h('li',
        h('a', { href: `/requests/${r.id}/assess/${did}`, dataset: { assessDept: did } },
          icon('assess'), h('span', { class: 'link-list-text', text: deptName(did) }),
          done.has(did) ? badge(t('request.assessment_done'), 'ok') : badge(t('request.assessment_pending'), 'warn')))))),
      footer: h('div', { class: 'dialog-foot' }, close),
    });
    close.addEventListener('click', dlg.close);
    dlg.dialog.addEventListener('click', (e) => { if (e.target.closest('a')) dlg.close(); });
  }

  function openDecision() {
    const p = r.assessment_progress || { expected: 0, received: 0, pending_department_ids: [] };
    const pendingIds = assess.pending_department_ids || p.pending_department_ids || [];
    const infeasible = assess.items.filter((a) => a.verdict === 'infeasible');
    const conditional = assess.items.filter((a) => a.verdict === 'conditional');
    const missing = pendingIds.length > 0;
    let needForce = missing || infeasible.length > 0;

    const summary = h('div', { class: 'decision-summary' },
      h('p', { class: 'decision-progress' },
        badge(t(missing ? 'work.assessments_some_in' : 'work.assessments_all_in', { received: assess.items.length, expected: (r.involved_department_ids || []).length }), missing ? 'warn' : 'ok'),
        assess.totals && assess.items.length ? h('span', { class: 'muted', text: t('request.decision.totals', {
          person_days: formatNumber(assess.totals.person_days, 1), cost: formatNumber(assess.totals.cost), days: formatNumber(assess.totals.max_schedule_impact_days, 0),
        }) }) : null),
      conditional.length ? h('ul', { class: 'decision-conds' }, conditional.map((a) => h('li',
        h('span', { class: 'decision-cond-dept', text: a.department_name || deptName(a.department_id) }),
        h('span', { text: a.conditions || '' })))) : null);
    const why = h('div', { class: 'banner banner-warn', hidden: !needForce, id: 'decision-why' }, icon('alert'),
      h('span', { class: 'banner-text', text: [
        missing ? t('request.decision.missing', { names: joinNames(pendingIds.map(deptName)) }) : null,
        infeasible.length ? t('request.decision.infeasible', { names: joinNames(infeasible.map((a) => a.department_name || deptName(a.department_id))) }) : null,
      ].filter(Boolean).join(' ') }));

    const choice = choiceField({
      name: 'decision', label: t('request.decision.decision'), value: 'accept', required: true,
      options: [
        { value: 'accept', label: t('request.decision.accept'), desc: t('request.decision.accept_desc'), tone: 'ok' },
        { value: 'decline', label: t('request.decision.decline'), desc: t('request.decision.decline_desc'), tone: 'danger' },
      ],
    });
    const force = field({ kind: 'checkbox', name: 'force', label: t('request.decision.force'), hint: t('request.decision.force_hint') });
    force.el.classList.add('field-check-full');
    const comment = field({ kind: 'textarea', name: 'comment', label: t('request.decision.comment'), required: true, hint: t('request.decision.comment_hint'), attrs: { rows: '4', maxlength: '2000' } });
    const sync = () => {
      const d = choice.value();
      force.el.hidden = !(d === 'accept' && needForce);
      why.hidden = !(d === 'accept' && needForce);
      setRequired(comment, d === 'decline' || (d === 'accept' && force.value()));
      ctl.submit.textContent = t(d === 'accept' ? (force.value() ? 'request.decision.submit_force' : 'request.decision.submit_accept') : 'request.decision.submit_decline');
      ctl.submit.classList.toggle('btn-danger', d === 'decline');
      ctl.submit.classList.toggle('btn-primary', d !== 'decline');
    };
    const ctl = formDialog({
      title: t('request.decision.title', { code: unbroken(r.code) }),
      description: t('request.decision.lead'),
      before: [summary, why],
      fields: [choice, force, comment],
      submitLabel: t('request.decision.submit_accept'),
      wide: true,
      onStale: stale, onConflict: changedUnderneath,
      async onSubmit(v, dlg) {
        const decision = choice.value();
        const text = v.comment.trim();
        const forced = decision === 'accept' && !force.el.hidden && force.value();
        if (decision === 'accept' && needForce && !forced) throw new ClientError(t('request.decision.force_needed'), 'force');
        if ((decision === 'decline' || forced) && !text) throw new ClientError(t('request.decision.comment_required'), 'comment');
        const payload = { decision };
        if (text) payload.comment = text;
        if (forced) payload.force = true;
        try {
          r = await post(`/requests/${r.id}/decision`, payload);
        } catch (err) {
          // The assessments changed since the page loaded: explain, and offer forcing.
          if (err instanceof ApiError && (err.code === 'assessments_missing' || err.code === 'infeasible_verdict')) {
            needForce = true;
            sync();
            throw new ClientError(errorMessage(err), 'force');
          }
          throw err;
        }
        dlg.close();
        toast(decision === 'accept' ? t('request.decision.done_accept') : t('request.decision.done_decline'));
        await refresh();
      },
    });
    choice.onChange(sync);
    force.input.addEventListener('change', sync);
    sync();
  }

  // Whom the request waits on now, as names ("李强", "财务部、生产部").
  function waitingNames() {
    const on = (r.waiting && r.waiting.on) || [];
    return on.map((p) => p.name || (p.kind === 'department' ? deptName(p.id) : userName(p.id))).join(t('common.list_separator'));
  }

  function openWithdraw() {
    const comment = field({ kind: 'textarea', name: 'comment', label: t('request.withdraw.comment'), hint: t('request.withdraw.comment_hint'), attrs: { rows: '3', maxlength: '2000' } });
    formDialog({
      title: t('request.withdraw.title', { code: unbroken(r.code) }),
      description: t('request.withdraw.lead', { name: r.reviewer_id ? userName(r.reviewer_id) : t('request.withdraw.the_reviewer') }),
      fields: [comment],
      submitLabel: t('request.act.withdraw'),
      cancelLabel: t('request.withdraw.keep'),
      onStale: stale, onConflict: changedUnderneath,
      async onSubmit(v, dlg) {
        await post(`/requests/${r.id}/withdraw`, v.comment.trim() ? { comment: v.comment.trim() } : {});
        dlg.close();
        toast(t('request.withdraw.done'));
        await refresh();
      },
    });
  }

  function openUrge() {
    const comment = field({ kind: 'textarea', name: 'comment', label: t('request.urge.comment'), hint: t('request.urge.comment_hint'), attrs: { rows: '3', maxlength: '2000' } });
    formDialog({
      title: t('request.urge.title', { code: unbroken(r.code) }),
      description: t('request.urge.lead', { names: waitingNames() }),
      fields: [comment],
      submitLabel: t('request.act.urge'),
      onStale: stale, onConflict: changedUnderneath,
      async onSubmit(v, dlg) {
        await post(`/requests/${r.id}/urge`, v.comment.trim() ? { comment: v.comment.trim() } : {});
        dlg.close();
        toast(t('request.urge.done', { names: waitingNames() }));
        await refresh();
      },
    });
  }

  // People to pick from, grouped by department: not those in `skip`; greyed out who cannot read the request.
  function peopleOptions(skip) {
    const level = CONFIDENTIALITIES.indexOf(r.confidentiality);
    const groups = new Map();
    for (const u of userMap.values()) {
      if (skip.has(u.id) || u.active === false) continue;
      const g = u.department_id ? departmentPath(deptMap, u.department_id) : t('request.cc.no_department');
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push({ value: u.id, label: u.name, disabled: CONFIDENTIALITIES.indexOf(u.clearance) < level });
    }
    return [...groups.entries()].map(([g, list]) => ({ group: g, options: list }));
  }

  // 转交: hand the step that waits on me to a colleague who may see the request.
  function openTransfer() {
    const pending = (r.assessment_progress && r.assessment_progress.pending_department_ids) || [];
    const mineStill = (r.my_department_ids || []).filter((d) => pending.includes(d));
    const fields = [];
    const to = field({ kind: 'select', name: 'to_user_id', label: t('request.transfer.to'), required: true,
      options: [{ value: '', label: t('request.transfer.choose') }, ...peopleOptions(new Set([session.user && session.user.id]))],
      hint: t('request.transfer.to_hint') });
    fields.push(to);
    let dept = null;
    if (r.status === 'assessing' && mineStill.length > 1) {
      dept = field({ kind: 'select', name: 'department_id', label: t('request.transfer.department'), required: true,
        options: mineStill.map((d) => ({ value: d, label: deptName(d) })) });
      fields.push(dept);
    }
    const comment = field({ kind: 'textarea', name: 'comment', label: t('request.transfer.comment'), hint: t('request.transfer.comment_hint'), attrs: { rows: '3', maxlength: '2000' } });
    fields.push(comment);
    formDialog({
      title: t('request.transfer.title', { code: unbroken(r.code) }),
      description: t('request.transfer.lead'),
      fields,
      submitLabel: t('request.act.transfer'),
      onStale: stale, onConflict: changedUnderneath,
      async onSubmit(v, dlg) {
        const body = { to_user_id: Number(v.to_user_id) };
        if (dept) body.department_id = Number(v.department_id);
        if (v.comment.trim()) body.comment = v.comment.trim();
        await post(`/requests/${r.id}/transfer`, body);
        dlg.close();
        toast(t('request.transfer.done', { name: userName(body.to_user_id) }));
        await refresh();
      },
    });
  }

  function openCountersign() {
    const who = field({ kind: 'select', name: 'user_id', label: t('request.countersign.who'), required: true,
      options: [{ value: '', label: t('request.transfer.choose') },
        ...peopleOptions(new Set([session.user && session.user.id, r.initiator_id, ...(r.countersigns || []).map((x) => x.user_id)]))],
      hint: t('request.transfer.to_hint') });
    const comment = field({ kind: 'textarea', name: 'comment', label: t('request.countersign.comment'), hint: t('request.countersign.comment_hint'), attrs: { rows: '3', maxlength: '2000' } });
    formDialog({
      title: t('request.countersign.title', { code: unbroken(r.code) }),
      description: t('request.countersign.lead'),
      fields: [who, comment],
      submitLabel: t('request.act.countersign'),
      onStale: stale, onConflict: changedUnderneath,
      async onSubmit(v, dlg) {
        const body = { user_id: Number(v.user_id) };
        if (v.comment.trim()) body.comment = v.comment.trim();
        await post(`/requests/${r.id}/countersign`, body);
        dlg.close();
        toast(t('request.countersign.done', { name: userName(body.user_id) }));
        await refresh();
      },
    });
  }

  function openSign() {
    const choice = choiceField({
      name: 'decision', label: t('request.sign.decision'), value: 'approve', required: true,
      options: [
        { value: 'approve', label: t('request.sign.approve'), desc: t('request.sign.approve_desc'), tone: 'ok' },
        { value: 'reject', label: t('request.sign.reject'), desc: t('request.sign.reject_desc'), tone: 'danger' },
      ],
    });
    const comment = field({ kind: 'textarea', name: 'comment', label: t('request.sign.comment'), required: true, hint: t('request.sign.comment_hint'), attrs: { rows: '3', maxlength: '2000' } });
    setRequired(comment, false);
    choice.onChange((v) => setRequired(comment, v === 'reject'));
    formDialog({
      title: t('request.sign.title', { code: unbroken(r.code) }),
      description: t('request.sign.lead', { name: userName(r.reviewer_id) }),
      fields: [choice, comment],
      submitLabel: t('request.act.sign'),
      onStale: stale, onConflict: changedUnderneath,
      async onSubmit(v, dlg) {
        const body = { decision: v.decision };
        if (v.comment.trim()) body.comment = v.comment.trim();
        await post(`/requests/${r.id}/countersign/answer`, body);
        dlg.close();
        toast(t('request.sign.done'));
        await refresh();
      },
    });
  }

  // 抄送: pick people (grouped by department) to copy in. Who cannot read the request (clearance) is named.
  function openCc() {
    const options = peopleOptions(new Set([r.initiator_id, ...(r.cc_user_ids || [])]));
    const people = field({ kind: 'select', name: 'user_ids', label: t('request.cc.people'), required: true, options,
      hint: t('request.cc.people_hint', { level: t(`clearance.${r.confidentiality}`) }), attrs: { multiple: true, size: '10' } });
    people.value = () => [...people.input.selectedOptions].map((o) => Number(o.value));
    formDialog({
      title: t('request.cc.title', { code: unbroken(r.code) }),
      description: t('request.cc.lead'),
      fields: [people],
      submitLabel: t('request.act.cc'),
      onStale: stale, onConflict: changedUnderneath,
      async onSubmit(v, dlg) {
        if (!v.user_ids.length) throw new ClientError(t('error.required', { field: t('request.cc.people') }), 'user_ids');
        await post(`/requests/${r.id}/cc`, { user_ids: v.user_ids });
        dlg.close();
        toast(t('request.cc.done', { names: v.user_ids.map(userName).join(t('common.list_separator')) }));
        await refresh();
      },
    });
  }

  async function doCopy() {
    try {
      const copy = await post(`/requests/${r.id}/copy`);
      toast(t('request.copy.done', { code: copy.code }));
      ctx.navigate(`/requests/${copy.id}/edit`);
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  }

  function openCancel() {
    const reason = field({ kind: 'textarea', name: 'reason', label: t('request.cancel.reason'), required: true, hint: t('request.cancel.reason_hint'), attrs: { rows: '3', maxlength: '2000' } });
    formDialog({
      title: t('request.cancel.title', { code: unbroken(r.code) }),
      description: t('request.cancel.lead'),
      fields: [reason],
      submitLabel: t('request.cancel.submit'),
      cancelLabel: t('request.cancel.keep'),
      danger: true,
      onStale: stale, onConflict: changedUnderneath,
      async onSubmit(v, dlg) {
        await post(`/requests/${r.id}/cancel`, { reason: v.reason.trim() });
        dlg.close();
        toast(t('request.cancel.done'));
        await refresh();
      },
    });
  }

  render();
  // Someone changed this request (any step, by anyone): show it as it now stands — unless a dialog is open,
  // whose action will then say what happened (changedUnderneath).
  const stopChanges = watchChanges('request', id, () => {
    if (!document.querySelector('dialog[open]')) refresh();
  });
  // A new notification often means this request moved on (someone assessed, reviewed, decided): show it.
  let known;
  const stop = watchUnread(null, (n) => {
    if (Number.isFinite(n) && Number.isFinite(known) && n > known && !document.querySelector('dialog[open]')) refresh();
    known = n;
  });
  return { destroy() { alive = false; stop(); stopChanges(); } };
}
