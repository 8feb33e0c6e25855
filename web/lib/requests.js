// Pieces shared by the request pages (需求单): status, priority and verdict badges, "who it waits on",
// the request summary used in lists, and the vocabulary of the state machine (docs/requests.md).

import { h, icon } from './dom.js';
import { t, tOr, durationSince, formatDay, formatDateTime } from './i18n.js';
import { badge, clearanceBadge } from './ui.js';
import { session } from './session.js';

export const STATUSES = ['draft', 'submitted', 'returned', 'assessing', 'accepted', 'rejected', 'declined', 'cancelled'];
export const OPEN_STATUSES = new Set(['draft', 'submitted', 'returned', 'assessing']);
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
export const CONFIDENTIALITIES = ['public', 'internal', 'confidential', 'secret'];
export const VERDICTS = ['feasible', 'conditional', 'infeasible'];

const STATUS_KIND = {
  draft: 'neutral', submitted: 'info', returned: 'warn', assessing: 'info',
  accepted: 'ok', rejected: 'danger', declined: 'danger', cancelled: 'neutral',
};
const PRIORITY_KIND = { low: 'neutral', normal: 'neutral', high: 'warn', urgent: 'danger' };
const VERDICT_KIND = { feasible: 'ok', conditional: 'warn', infeasible: 'danger' };

export function statusBadge(status) {
  const b = badge(tOr(`status.${status}`, status || ''), STATUS_KIND[status] || 'neutral');
  b.classList.add('status-badge');
  b.dataset.status = status || '';
  return b;
}

// long: 'Priority: High' where no column header says what the badge is.
export function priorityBadge(priority, { long = false } = {}) {
  const name = tOr(`priority.${priority}`, priority || '');
  return badge(long ? t('priority.label', { priority: name }) : name, PRIORITY_KIND[priority] || 'neutral');
}

export function confidentialityBadge(level) {
  const b = clearanceBadge(level);
  b.prepend(icon('lock', 'badge-icon'));
  return b;
}

export function verdictBadge(verdict) {
  return badge(tOr(`verdict.${verdict}`, verdict || ''), VERDICT_KIND[verdict] || 'neutral');
}

export function joinNames(names) {
  return names.filter(Boolean).join(t('common.list_separator'));
}

// {step, since, on} -> {step: '影响评估与资源预估', since: '已等待 2 天', on: '等待 平台部、财务部 评估'}; null when closed.
export function waitingParts(waiting, now = Date.now()) {
  if (!waiting || !waiting.step) return null;
  const me = session.user ? session.user.id : null;
  const names = joinNames((waiting.on || []).map((x) => (x.kind === 'user' && x.id === me ? t('waiting.you') : x.name)));
  return {
    step: tOr(`waiting.step.${waiting.step}`, waiting.step),
    since: waiting.since ? t('waiting.since', { duration: durationSince(waiting.since, now) }) : '',
    on: names ? tOr(`waiting.on.${waiting.step}`, names, { names }) : '',
  };
}

// '已等待 2 天 · 等待 平台部、财务部 评估' as a line with a clock, or null for closed requests.
export function waitingLine(waiting, { withStep = false } = {}) {
  const p = waitingParts(waiting);
  if (!p) return null;
  const parts = [withStep ? p.step : null, p.since, p.on].filter(Boolean);
  const el = h('p', { class: 'waiting-line' }, icon('clock'), h('span', { text: parts.join(' · ') }));
  if (waiting.since) el.title = formatDateTime(waiting.since);
  return el;
}

// Today in the browser's time zone as YYYY-MM-DD (the API checks against the organisation's; they agree in practice).
export function todayISO(d = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function isOverdue(r) {
  return !!(r && r.due_date && OPEN_STATUSES.has(r.status) && r.due_date < todayISO());
}

// The due date, marked when an open request is past it.
export function dueDate(r) {
  if (!r.due_date) return h('span', { class: 'muted', text: '—' });
  const overdue = isOverdue(r);
  return h('span', { class: ['due', overdue && 'due-overdue'], title: overdue ? t('request.overdue') : null },
    formatDay(r.due_date));
}

// One request in a list: code, title, status, who and when, how long it waited and on whom.
// extra: more elements under the waiting line; action: a link or button on the right.
export function requestItem(r, { extra = null, action = null } = {}) {
  const meta = [r.initiating_department_name, r.initiator_name,
    r.due_date ? t('request.due_short', { date: formatDay(r.due_date) }) : null].filter(Boolean).join(' · ');
  return h('li', { class: 'req-item', dataset: { requestId: r.id, code: r.code } },
    h('div', { class: 'req-item-main' },
      h('p', { class: 'req-item-top' },
        h('span', { class: 'req-code', text: r.code }),
        statusBadge(r.status),
        r.priority === 'high' || r.priority === 'urgent' ? priorityBadge(r.priority, { long: true }) : null,
        isOverdue(r) ? badge(t('request.overdue'), 'danger') : null),
      h('a', { href: `/requests/${r.id}`, class: 'req-item-title', text: r.title }),
      h('p', { class: 'req-item-meta', text: meta }),
      waitingLine(r.waiting),
      extra),
    action ? h('div', { class: 'req-item-action' }, action) : null);
}
