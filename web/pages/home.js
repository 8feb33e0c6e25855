// "My work" (我的工作): greets the user and lists what waits for them — reviews, assessments, decisions,
// their drafts and returned requests, and their requests in progress — with how long each has waited and on whom.
// A section that can never apply to the user (reviews for someone who heads no department, ...) is not shown.


import { h, icon, replace } from '../lib/dom.js';
import { t, formatDate } from '../lib/i18n.js';
import { get } from '../lib/api.js';
import { session, isAdmin, loadDepartments, loadUsers, byId, departmentPath } from '../lib/session.js';
import { badge, clearanceBadge, loading, loadError } from '../lib/ui.js';
import { requestItem, joinNames } from '../lib/requests.js';
import { watchUnread } from '../lib/live.js';

export const titleKey = 'home.title';

function greetingKey() {
  const hour = new Date().getHours();
  if (hour < 5) return 'home.greeting_evening';
  if (hour < 12) return 'home.greeting_morning';
  if (hour < 18) return 'home.greeting_afternoon';
  return 'home.greeting_evening';
}

// The sections of GET /api/v1/me/work, in the order the work flows.
const SECTIONS = [
  { key: 'reviews', icon: 'review' },
  { key: 'assessments', icon: 'assess' },
  { key: 'decisions', icon: 'decide' },
  { key: 'drafts', icon: 'edit' },
  { key: 'in_progress', icon: 'clock' },
  { key: 'delegated', icon: 'users' }, // what waits on those you stand in for (代理人)
];

// The reviewer's comment on a returned request: the note of its latest 'return' step.
async function returnNote(id) {
  const data = await get(`/requests/${id}/history`);
  const items = ((data && data.items) || []).filter((x) => x.action === 'return');
  return items.length ? items[items.length - 1] : null;
}

export async function mount(main) {
  const user = session.user;
  let depts = [];
  try { depts = await loadDepartments(); } catch { /* shown as "no department" */ }
  const deptMap = byId(depts);
  const roles = [];
  if (user.is_admin) roles.push(badge(t('role.admin'), 'info'));
  if (user.is_coordinator) roles.push(badge(t('role.coordinator'), 'info'));
  const headOf = depts.filter((d) => d.head_user_id === user.id);
  const liaisonOf = depts.filter((d) => (d.liaison_user_ids || []).includes(user.id));
  for (const d of headOf) roles.push(badge(t('role.head_of', { department: d.name }), 'neutral'));
  for (const d of liaisonOf) roles.push(badge(t('role.liaison_of', { department: d.name }), 'neutral'));
  if (!roles.length) roles.push(badge(t('role.member'), 'neutral'));

  const info = h('section', { class: 'card', 'aria-labelledby': 'home-me' },
    h('h2', { class: 'card-title', id: 'home-me', text: t('home.about_you') }),
    h('dl', { class: 'facts' },
      h('div', h('dt', { text: t('field.department_id') }),
        h('dd', { text: user.department_id != null && deptMap.has(user.department_id) ? departmentPath(deptMap, user.department_id) : t('user_menu.no_department') })),
      h('div', h('dt', { text: t('home.roles') }), h('dd', { class: 'badges' }, roles)),
      h('div', h('dt', { text: t('field.clearance') }), h('dd', clearanceBadge(user.clearance)))),
    h('a', { href: '/me', class: 'card-link' }, t('home.manage_account'), icon('chevron')));

  const workBody = h('div', { class: 'work-body', 'aria-live': 'polite' }, loading());
  const work = h('section', { class: 'card dash-work', 'aria-labelledby': 'home-work' },
    h('div', { class: 'card-head' },
      h('h2', { class: 'card-title', id: 'home-work', text: t('home.work_title') }),
      h('a', { href: '/requests', class: 'card-head-link' }, t('work.all_requests'), icon('chevron'))),
    workBody);

  // Which sections can ever hold something for this user: heads review; liaisons and heads assess; heads and
  // coordinators decide; whoever may raise requests has drafts and requests in progress.
  const isHead = headOf.length > 0;
  const canApply = {
    reviews: isHead,
    assessments: isHead || liaisonOf.length > 0,
    decisions: isHead || !!user.is_coordinator,
    drafts: user.department_id != null,
    in_progress: user.department_id != null,
    delegated: false, // shown when something is in it
  };

  const admin = isAdmin()
    ? h('section', { class: 'card', 'aria-labelledby': 'home-admin' },
      h('h2', { class: 'card-title', id: 'home-admin', text: t('home.admin_title') }),
      h('p', { class: 'muted', text: t('home.admin_lead') }),
      h('ul', { class: 'link-list' },
        h('li', h('a', { href: '/admin/departments' }, icon('tree'), h('span', { text: t('nav.departments') }))),
        h('li', h('a', { href: '/admin/users' }, icon('users'), h('span', { text: t('nav.users') })))))
    : null;

  main.replaceChildren(
    h('div', { class: 'page-head' },
      h('div',
        h('h1', { class: 'page-title', tabindex: '-1', text: t(greetingKey(), { name: user.name }) }),
        h('p', { class: 'page-sub', text: t('home.today', { date: formatDate(new Date().toISOString()) }) })),
      user.department_id != null
        ? h('div', { class: 'page-actions' },
          h('a', { href: '/requests/new', class: 'btn btn-primary' }, icon('plus'), h('span', { text: t('requests.new') })))
        : null),
    h('div', { class: 'dash' }, work, h('div', { class: 'dash-side' }, info, admin)));

  const deptName = (id) => (deptMap.has(id) ? deptMap.get(id).name : t('dept.unknown_department', { id }));
  const userNames = new Map();

  function actionFor(key, r) {
    if (key === 'reviews') return h('a', { href: `/requests/${r.id}`, class: 'btn btn-small btn-primary' }, icon('review'), h('span', { text: t('work.action.review') }));
    if (key === 'assessments') {
      const mine = r.my_department_ids || [];
      const href = mine.length === 1 ? `/requests/${r.id}/assess/${mine[0]}` : `/requests/${r.id}`;
      return h('a', { href, class: 'btn btn-small btn-primary' }, icon('assess'), h('span', { text: t('work.action.assess') }));
    }
    if (key === 'decisions') return h('a', { href: `/requests/${r.id}`, class: 'btn btn-small btn-primary' }, icon('decide'), h('span', { text: t('work.action.decide') }));
    if (key === 'drafts') return h('a', { href: `/requests/${r.id}/edit`, class: 'btn btn-small' }, icon('edit'), h('span', { text: t('work.action.edit') }));
    if (key === 'delegated') return h('a', { href: `/requests/${r.id}`, class: 'btn btn-small btn-primary' }, icon('send'), h('span', { text: t('work.action.open') }));
    return null;
  }

  function extraFor(key, r) {
    if (key === 'delegated') {
      const who = r.on_behalf_of && userNames.has(r.on_behalf_of) ? userNames.get(r.on_behalf_of) : String(r.on_behalf_of || '');
      return h('p', { class: 'req-item-note' }, badge(t('work.delegated.for', { name: who }), 'info'));
    }
    if (key === 'assessments') {
      const names = joinNames((r.my_department_ids || []).map(deptName));
      return names ? h('p', { class: 'req-item-note' }, icon('building'), h('span', { text: t('work.assess_for', { departments: names }) })) : null;
    }
    if (key === 'decisions') {
      const p = r.assessment_progress || { expected: 0, received: 0 };
      const all = p.received >= p.expected;
      return h('p', { class: 'req-item-note' },
        badge(all ? t('work.assessments_all_in', { received: p.received, expected: p.expected })
          : t('work.assessments_some_in', { received: p.received, expected: p.expected }), all ? 'ok' : 'warn'));
    }
    if (key === 'drafts' && r.status === 'returned') {
      const note = h('div', { class: 'return-note', hidden: true });
      returnNote(r.id).then((ev) => {
        if (!ev || !ev.note) return;
        replace(note,
          h('p', { class: 'return-note-head', text: t('work.returned_by', { name: ev.actor_name || t('history.system') }) }),
          h('p', { class: 'return-note-text', text: ev.note }));
        note.hidden = false;
      }).catch(() => { /* the badge alone says it was returned */ });
      return note;
    }
    return null;
  }

  function section(key, list, iconName) {
    const id = `work-${key.replace('_', '-')}`;
    return h('section', { class: ['work-section', !list.length && 'work-section-empty'], id, 'aria-labelledby': `${id}-title` },
      h('h3', { class: 'work-title', id: `${id}-title` },
        icon(iconName),
        h('span', { text: t(`work.${key}.title`) }),
        h('span', { class: ['count-pill', list.length && 'count-pill-on'], text: String(list.length) })),
      list.length
        ? h('ul', { class: 'req-list' }, list.map((r) => requestItem(r, { extra: extraFor(key, r), action: actionFor(key, r) })))
        : h('p', { class: 'work-empty muted', text: t(`work.${key}.empty`) }));
  }

  async function loadWork() {
    let data;
    try {
      data = await get('/me/work');
    } catch (e) {
      replace(workBody, loadError(e, () => { replace(workBody, loading()); loadWork(); }));
      return;
    }
    const lists = Object.fromEntries(SECTIONS.map((s) => [s.key, (data && Array.isArray(data[s.key])) ? data[s.key] : []]));
    if (lists.delegated.length && !userNames.size) {
      try { for (const u of await loadUsers()) userNames.set(u.id, u.name); } catch { /* ids then */ }
    }
    const total = SECTIONS.reduce((n, s) => n + (s.key === 'in_progress' ? 0 : lists[s.key].length), 0);
    // An empty section is shown only when it can apply; one with something in it always.
    const shown = SECTIONS.filter((s) => lists[s.key].length || canApply[s.key]);
    replace(workBody,
      total === 0 ? h('div', { class: 'empty-inline' },
        h('div', { class: 'empty-icon' }, icon('check')),
        h('div',
          h('p', { class: 'empty-title-sm', text: t('home.work_empty') }),
          h('p', { class: 'muted', text: t('work.empty_hint') }))) : null,
      // What has work in it first, in the order the work flows; the empty sections after, saying what they will hold.
      shown.filter((s) => lists[s.key].length).map((s) => section(s.key, lists[s.key], s.icon)),
      shown.filter((s) => !lists[s.key].length).map((s) => section(s.key, lists[s.key], s.icon)));
  }
  await loadWork();
  // Something new in the inbox usually means new work: refresh the lists without a reload.
  let known;
  watchUnread(work, (n) => {
    if (Number.isFinite(n) && Number.isFinite(known) && n > known) loadWork();
    known = n;
  });
  return null;
}
