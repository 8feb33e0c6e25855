// The inbox (通知): notifications newest first; opening one marks it read; "mark all as read".
// New notifications appear while the page is open (the unread count arrives over server-sent events).

import { h, icon, replace } from '../lib/dom.js';
import { t, tOr, formatRelative, formatDateTime } from '../lib/i18n.js';
import { get, post } from '../lib/api.js';
import { setUnread, watchUnread, unreadCount } from '../lib/live.js';
import { pageHeader, loading, loadError, toast, errorMessage } from '../lib/ui.js';

export const titleKey = 'inbox.title';

const PAGE = 30;

const KIND_ICON = {
  'request.submitted': 'review',
  'request.approved': 'check',
  'request.assess': 'assess',
  'request.assessed': 'decide',
  'request.returned': 'undo',
  'request.rejected': 'ban',
  'request.accepted': 'flag',
  'request.declined': 'ban',
  'request.cancelled': 'ban',
};
const KIND_TONE = {
  'request.submitted': 'action', 'request.assess': 'action', 'request.assessed': 'action', 'request.returned': 'warn',
  'request.rejected': 'danger', 'request.declined': 'danger', 'request.cancelled': 'muted', 'request.approved': 'ok', 'request.accepted': 'ok',
};

export function kindText(kind) {
  return tOr(`notify.${kind}`, kind || '');
}

export async function mount(main, ctx) {
  let onlyUnread = ctx.query.get('unread') === '1';
  let items = [];
  let cursor = null;
  let seq = 0;
  let known = unreadCount();

  const markAll = h('button', { type: 'button', class: 'btn', id: 'inbox-read-all' }, icon('check'), h('span', { text: t('inbox.mark_all') }));
  const filterAll = h('button', { type: 'button', class: 'seg-btn', 'aria-pressed': String(!onlyUnread), text: t('inbox.filter_all') });
  const filterUnread = h('button', { type: 'button', class: 'seg-btn', 'aria-pressed': String(onlyUnread), text: t('inbox.filter_unread') });
  const summary = h('p', { class: 'muted result-count', role: 'status' });
  const listBox = h('div', { class: 'notes-box' }, loading());
  const more = h('button', { type: 'button', class: 'btn', hidden: true, text: t('common.load_more') });

  main.replaceChildren(
    pageHeader(t('inbox.title'), markAll),
    h('p', { class: 'page-lead', text: t('inbox.lead') }),
    h('section', { class: 'card', 'aria-labelledby': 'page-title' },
      h('div', { class: 'card-head' },
        h('div', { class: 'seg', role: 'group', 'aria-label': t('inbox.filter_label') }, filterAll, filterUnread),
        summary),
      listBox,
      h('div', { class: 'load-more' }, more)));

  const setFilter = (unread) => {
    onlyUnread = unread;
    filterAll.setAttribute('aria-pressed', String(!unread));
    filterUnread.setAttribute('aria-pressed', String(unread));
    history.replaceState(null, '', unread ? '/inbox?unread=1' : '/inbox');
    load();
  };
  filterAll.addEventListener('click', () => setFilter(false));
  filterUnread.addEventListener('click', () => setFilter(true));

  function updateSummary(n) {
    const count = Number.isFinite(n) ? n : 0;
    summary.textContent = count ? t('inbox.unread_count', { count }) : t('inbox.all_read');
    markAll.disabled = count === 0;
  }

  async function load({ append = false } = {}) {
    const mySeq = ++seq;
    if (!append) { cursor = null; listBox.setAttribute('aria-busy', 'true'); }
    more.disabled = true;
    try {
      const data = await get('/inbox', { params: { limit: PAGE, cursor: append ? cursor : null, unread: onlyUnread ? 1 : null } });
      if (mySeq !== seq) return;
      const page = (data && data.items) || [];
      items = append ? items.concat(page) : page;
      cursor = data && data.next_cursor;
      if (data && Number.isFinite(data.unread_count)) { known = data.unread_count; setUnread(data.unread_count); updateSummary(data.unread_count); }
      render();
    } catch (e) {
      if (mySeq !== seq) return;
      if (append) toast(errorMessage(e), 'error');
      else replace(listBox, loadError(e, () => load()));
    } finally {
      if (mySeq === seq) { listBox.removeAttribute('aria-busy'); more.disabled = false; }
    }
  }

  function render() {
    more.hidden = !cursor;
    if (!items.length) {
      replace(listBox, h('div', { class: 'empty-inline' },
        h('div', { class: 'empty-icon' }, icon('bell')),
        h('div',
          h('p', { class: 'empty-title-sm', text: onlyUnread ? t('inbox.empty_unread') : t('inbox.empty') }),
          h('p', { class: 'muted', text: t('inbox.empty_hint') }))));
      return;
    }
    replace(listBox, h('ul', { class: 'notes' }, items.map(itemEl)));
  }

  function itemEl(n) {
    const unread = !n.read_at;
    const pending = unread && !n.done; // what the bell counts: unread, and not already done by someone

    const href = typeof n.link === 'string' && n.link.startsWith('/') && !n.link.startsWith('//') ? n.link : null;
    const body = [
      h('span', { class: ['note-icon', `note-icon-${KIND_TONE[n.kind] || 'muted'}`], 'aria-hidden': 'true' }, icon(KIND_ICON[n.kind] || 'bell')),
      h('span', { class: 'note-body' },
        h('span', { class: 'note-kind' },
          pending ? h('span', { class: 'visually-hidden', text: `${t('inbox.unread')}: ` }) : null,
          kindText(n.kind),
          n.done ? h('span', { class: ['badge', 'badge-neutral', 'note-done'], title: t('inbox.done_hint'), text: t('inbox.done') }) : null),
        n.code || n.title ? h('span', { class: 'note-subject' },
          n.code ? h('span', { class: 'req-code', text: n.code }) : null,
          n.title ? h('span', { class: 'note-title clip', title: n.title, text: n.title }) : null) : null,
        h('span', { class: 'note-meta' },
          n.actor_name ? h('span', { text: n.actor_name }) : null,
          h('time', { datetime: n.created_at, title: formatDateTime(n.created_at), text: formatRelative(n.created_at) }))),
      pending ? h('span', { class: 'note-dot', 'aria-hidden': 'true' }) : null,
    ];
    const link = href
      ? h('a', { href, class: 'note-link' }, body)
      : h('button', { type: 'button', class: 'note-link' }, body);
    link.addEventListener('click', async (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      if (unread) {
        const u = unreadCount();
        try {
          await post(`/inbox/${n.id}/read`);
          n.read_at = new Date().toISOString();
          // The event stream tells the new count too; lower it here only if it has not arrived yet.
          if (pending && Number.isFinite(u) && u > 0 && unreadCount() === u) { known = u - 1; setUnread(u - 1); }
        } catch (err) {
          toast(errorMessage(err), 'error');
        }
      }
      if (href) ctx.navigate(href);
      else render();
    });
    return h('li', { class: ['note', pending && 'note-unread', n.done && 'note-is-done'], dataset: { kind: n.kind, id: n.id, done: String(!!n.done) } }, link);
  }

  markAll.addEventListener('click', async () => {
    markAll.disabled = true;
    try {
      await post('/inbox/read-all');
      setUnread(0);
      toast(t('inbox.marked_all'));
      await load();
    } catch (e) {
      toast(errorMessage(e), 'error');
      markAll.disabled = false;
    }
  });
  more.addEventListener('click', () => load({ append: true }));

  // A count we did not cause means something arrived, or an item was done or read elsewhere: show it.
  watchUnread(main.firstChild, (n) => {
    if (!Number.isFinite(n)) return;
    updateSummary(n);
    if (Number.isFinite(known) && n !== known) load();
    known = n;
  });

  await load();
  return null;
}
