// "My work": greets the user, shows who they are in the organisation, and what this page will gather.

import { h, icon } from '../lib/dom.js';
import { t, formatDate } from '../lib/i18n.js';
import { session, isAdmin, loadDepartments, byId, departmentPath } from '../lib/session.js';
import { badge, clearanceBadge } from '../lib/ui.js';

export const titleKey = 'home.title';

function greetingKey() {
  const hour = new Date().getHours();
  if (hour < 5) return 'home.greeting_evening';
  if (hour < 12) return 'home.greeting_morning';
  if (hour < 18) return 'home.greeting_afternoon';
  return 'home.greeting_evening';
}

const COMING = ['reviews', 'assessments', 'tasks', 'receipts', 'reports'];
const STAGES = ['intake', 'plan', 'sync', 'monitor', 'close'];

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

  const work = h('section', { class: 'card dash-work', 'aria-labelledby': 'home-work' },
    h('h2', { class: 'card-title', id: 'home-work', text: t('home.work_title') }),
    h('div', { class: 'empty-inline' },
      h('div', { class: 'empty-icon' }, icon('inbox')),
      h('div',
        h('p', { class: 'empty-title-sm', text: t('home.work_empty') }),
        h('p', { class: 'muted', text: t('home.work_coming') }))),
    h('ul', { class: 'coming-list' },
      COMING.map((k) => h('li', icon('clock', 'coming-icon'), h('span', { text: t(`home.coming.${k}`) })))));

  const stages = h('section', { class: 'card dash-flow', 'aria-labelledby': 'home-flow' },
    h('h2', { class: 'card-title', id: 'home-flow', text: t('home.flow_title') }),
    h('p', { class: 'muted', text: t('home.flow_lead') }),
    h('ol', { class: 'stages' },
      STAGES.map((k, i) => h('li', { class: 'stage' },
        h('span', { class: 'stage-num', 'aria-hidden': 'true', text: String(i + 1) }),
        h('div', { class: 'stage-body' },
          h('p', { class: 'stage-name', text: t(`stage.${k}`) }),
          h('p', { class: 'stage-desc', text: t(`stage.${k}.desc`) })),
        badge(t('common.coming_soon'), 'neutral')))));

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
        h('p', { class: 'page-sub', text: t('home.today', { date: formatDate(new Date().toISOString()) }) }))),
    h('div', { class: 'dash' }, work, h('div', { class: 'dash-side' }, info, admin), stages));
  return null;
}
