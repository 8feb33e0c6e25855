// Pieces shared by the request pages (需求单): status, priority and verdict badges, "who it waits on",
// the request summary used in lists, and the vocabulary of the state machine (docs/requests.md).

import { h, icon } from './dom.js';
import { t, tOr, durationSince, formatDay, formatDateTime, plural } from './i18n.js';
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

// A code such as REQ-2026-0001 that never breaks at its hyphens (non-breaking hyphens), for sentences and titles.
export function unbroken(code) {
  return String(code || '').replace(/-/g, '\u2011');
}

export function joinNames(names) {
  return names.filter(Boolean).join(t('common.list_separator'));
}

// How long a step may wait before it is shown as waiting long (yellow) and too long (red), in calendar days.
export const WAIT_WARN_DAYS = 3;
export const WAIT_LATE_DAYS = 7;

// The level of a wait that began at `since`: null, 'warn' (WAIT_WARN_DAYS or more) or 'late' (WAIT_LATE_DAYS or more).
export function waitLevel(since, now = Date.now()) {
  const start = Date.parse(since || '');
  if (Number.isNaN(start)) return null;
  const days = (now - start) / 86400e3;
  if (days >= WAIT_LATE_DAYS) return 'late';
  if (days >= WAIT_WARN_DAYS) return 'warn';
  return null;
}

// The level in words, as a badge (never colour alone): '等待较久' / '等待过久'; null below the first level.
export function waitLevelBadge(level) {
  if (!level) return null;
  const b = badge(t(`waiting.level.${level}`), level === 'late' ? 'danger' : 'warn');
  b.classList.add('wait-level');
  b.prepend(icon('alert', 'badge-icon'));
  return b;
}

// {step, since, on} -> {step: '影响评估与资源预估', since: '已等待 2 天', on: '等待平台部、财务部评估', level}; null when closed.
export function waitingParts(waiting, now = Date.now()) {
  if (!waiting || !waiting.step) return null;
  const me = session.user ? session.user.id : null;
  const names = joinNames((waiting.on || []).map((x) => (x.kind === 'user' && x.id === me ? t('waiting.you') : x.name)));
  return {
    step: tOr(`waiting.step.${waiting.step}`, waiting.step),
    since: waiting.since ? t('waiting.since', { duration: durationSince(waiting.since, now) }) : '',
    on: names ? tOr(`waiting.on.${waiting.step}`, names, { names }) : '',
    level: waitLevel(waiting.since, now),
  };
}

// '已等待 2 天 · 等待平台部、财务部评估' as a line with a clock (and the wait's level in words), or null for closed requests.
export function waitingLine(waiting, { withStep = false } = {}) {
  const p = waitingParts(waiting);
  if (!p) return null;
  const parts = [withStep ? p.step : null, p.since, p.on].filter(Boolean);
  const el = h('p', { class: ['waiting-line', p.level && `waiting-${p.level}`], dataset: p.level ? { level: p.level } : {} },
    icon('clock'), h('span', { text: parts.join(' · ') }), waitLevelBadge(p.level));
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

// Whole days an open request is past its due date (0 when it is not).
export function overdueDays(r) {
  if (!isOverdue(r)) return 0;
  const day = (ymd) => Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10)));
  return Math.max(1, Math.round((day(todayISO()) - day(r.due_date)) / 86400e3));
}

// '已逾期 3 天' as a red badge with words, or null.
export function overdueBadge(r) {
  const n = overdueDays(r);
  if (!n) return null;
  const b = badge(plural('request.overdue_days', n), 'danger');
  b.classList.add('overdue-badge');
  b.prepend(icon('alert', 'badge-icon'));
  return b;
}

// The due date (never broken across lines), and how long it is overdue, in words.
export function dueDate(r) {
  if (!r.due_date) return h('span', { class: 'muted', text: '—' });
  const overdue = isOverdue(r);
  return h('span', { class: 'due-cell' },
    h('span', { class: ['due', 'nowrap', overdue && 'due-overdue'] }, formatDay(r.due_date)),
    overdueBadge(r));
}

// One request in a list: code, title, status, who and when, how long it waited and on whom.
// extra: more elements under the waiting line; action: a link or button on the right.
export function requestItem(r, { extra = null, action = null } = {}) {
  // Names and dates are never broken across lines; the separators may wrap.
  const meta = [r.initiating_department_name, r.initiator_name,
    r.due_date ? t('request.due_short', { date: formatDay(r.due_date) }) : null].filter(Boolean)
    .flatMap((x, i) => [i ? ' · ' : null, h('span', { class: 'nowrap', text: x })]).filter(Boolean);
  return h('li', { class: 'req-item', dataset: { requestId: r.id, code: r.code } },
    h('div', { class: 'req-item-main' },
      h('p', { class: 'req-item-top' },
        h('span', { class: 'req-code', text: r.code }),
        statusBadge(r.status),
        r.priority === 'high' || r.priority === 'urgent' ? priorityBadge(r.priority, { long: true }) : null,
        overdueBadge(r)),
      h('a', { href: `/requests/${r.id}`, class: 'req-item-title clip', title: r.title, text: r.title }),
      h('p', { class: 'req-item-meta' }, meta),
      waitingLine(r.waiting),
      extra),
    action ? h('div', { class: 'req-item-action' }, action) : null);
}
