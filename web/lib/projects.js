// Pieces shared by the project pages (项目): the status badge and the open follow-ups (跟进事项) count.

import { icon } from './dom.js';
import { t, tOr, plural } from './i18n.js';
import { badge } from './ui.js';

export const PROJECT_STATUSES = ['planning', 'executing', 'closing', 'closed', 'on_hold', 'cancelled'];
const STATUS_KIND = { planning: 'info', executing: 'ok', closing: 'info', closed: 'neutral', on_hold: 'warn', cancelled: 'neutral' };

export function projectStatusBadge(status) {
  const b = badge(tOr(`project.status.${status}`, status || ''), STATUS_KIND[status] || 'neutral');
  b.classList.add('status-badge');
  b.dataset.status = status || '';
  return b;
}

// '2 项待覆盖' as a warning badge (words, not colour alone), or '无待覆盖' when nothing is open.
export function openFollowUpsBadge(count) {
  const n = Number(count) || 0;
  const b = badge(n ? plural('project.follow_ups_open', n) : t('project.follow_ups_none_open'), n ? 'warn' : 'ok');
  b.classList.add('follow-ups-open');
  b.dataset.count = String(n);
  if (n) b.prepend(icon('flag', 'badge-icon'));
  return b;
}
