// The browser application: boots (language, session), draws the frame, and routes real paths to page modules.

import { h, icon, replace, initials } from './lib/dom.js';
import { t, setLang, detectLang, getLang, LANGS } from './lib/i18n.js';
import { setUnauthenticatedHandler } from './lib/api.js';
import { session, loadMe, signOut, isAdmin, loadDepartments, byId } from './lib/session.js';
import { errorMessage, toast, loadError, confirmDialog } from './lib/ui.js';
import { startLive, stopLive, watchUnread } from './lib/live.js';

import * as loginPage from './pages/login.js';
import * as homePage from './pages/home.js';
import * as requestsPage from './pages/requests.js';
import * as requestFormPage from './pages/request-form.js';
import * as requestPage from './pages/request.js';
import * as assessPage from './pages/assess.js';
import * as projectsPage from './pages/projects.js';
import * as projectPage from './pages/project.js';
import * as inboxPage from './pages/inbox.js';
import * as departmentsPage from './pages/departments.js';
import * as usersPage from './pages/users.js';
import * as accountPage from './pages/account.js';
import * as notFoundPage from './pages/notfound.js';

// path pattern -> page module. Admin pages say so; the nav hides them from others and the page refuses.
const ROUTES = [
  { re: /^\/$/, page: homePage, nav: 'home' },
  { re: /^\/requests\/?$/, page: requestsPage, nav: 'requests' },
  { re: /^\/requests\/new\/?$/, page: requestFormPage, nav: 'requests' },
  { re: /^\/requests\/(\d+)\/edit\/?$/, page: requestFormPage, nav: 'requests', params: ['id'] },
  { re: /^\/requests\/(\d+)\/assess\/(\d+)\/?$/, page: assessPage, nav: 'requests', params: ['id', 'department_id'] },
  { re: /^\/requests\/(\d+)\/?$/, page: requestPage, nav: 'requests', params: ['id'] },
  { re: /^\/projects\/?$/, page: projectsPage, nav: 'projects' },
  { re: /^\/projects\/(\d+)\/?$/, page: projectPage, nav: 'projects', params: ['id'] },
  { re: /^\/inbox\/?$/, page: inboxPage, nav: 'inbox' },
  { re: /^\/admin\/departments(?:\/(\d+))?\/?$/, page: departmentsPage, nav: 'departments', admin: true, params: ['id'] },
  { re: /^\/admin\/users\/?$/, page: usersPage, nav: 'users', admin: true },
  { re: /^\/me\/?$/, page: accountPage, nav: 'me' },
];

const NAV = [
  { key: 'home', href: '/', label: 'nav.home', icon: 'home' },
  { key: 'requests', href: '/requests', label: 'nav.requests', icon: 'inbox' },
  { key: 'projects', href: '/projects', label: 'nav.projects', icon: 'folder' },
];
const ADMIN_NAV = [
  { key: 'departments', href: '/admin/departments', label: 'nav.departments', icon: 'tree' },
  { key: 'users', href: '/admin/users', label: 'nav.users', icon: 'users' },
];

const root = document.getElementById('app');
let frame = null; // {main, nav, links, closeMenus}
let current = null; // {route, page, instance}

// ---- navigation ----

// A page with unsaved changes says so (instance.unsaved()); leaving it then asks first.
function hasUnsaved() {
  return !!(current && current.instance && typeof current.instance.unsaved === 'function' && current.instance.unsaved());
}

function askLeave() {
  return confirmDialog({
    title: t('leave.title'), message: t('leave.text'), confirmLabel: t('leave.leave'), cancelLabel: t('leave.stay'), danger: true,
  });
}

export async function navigate(path, { replace: replaceState = false, force = false } = {}) {
  if (!force && hasUnsaved() && !(await askLeave())) return;
  if (path === location.pathname + location.search) { render(); return; }
  if (replaceState) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

// Closing the tab or reloading with unsaved changes: the browser asks.
window.addEventListener('beforeunload', (e) => {
  if (!hasUnsaved()) return;
  e.preventDefault();
  e.returnValue = '';
});

function match(pathname) {
  for (const r of ROUTES) {
    const m = r.re.exec(pathname);
    if (m) {
      const params = {};
      (r.params || []).forEach((name, i) => { params[name] = m[i + 1]; });
      return { route: r, params };
    }
  }
  return { route: { page: notFoundPage, nav: null }, params: {} };
}

// Same-origin links inside the app are handled without a page load.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/static/')) return;
  if (url.hash && url.pathname === location.pathname) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

// Back and forward: the address has already changed; with unsaved changes, put it back and ask.
let shownPath = null;
window.addEventListener('popstate', async () => {
  const target = location.pathname + location.search;
  if (shownPath && target !== shownPath && hasUnsaved()) {
    history.pushState(null, '', shownPath);
    if (!(await askLeave())) return;
    navigate(target, { force: true });
    return;
  }
  render();
});

function setTitle(text) {
  document.title = text ? `${text} · ${t('app.short_name')}` : t('app.name');
}

// ---- the frame: header, navigation, user menu, main ----

function langSelect(idSuffix) {
  const id = `lang-${idSuffix}`;
  const select = h('select', { id, class: 'lang-select' },
    LANGS.map((code) => h('option', { value: code, text: t(`lang.${code}`), lang: code })));
  select.value = getLang();
  select.addEventListener('change', async () => {
    await setLang(select.value, { persist: true });
    frame = null;
    await render({ focusMain: false });
    if (frame) frame.openMenu();
    const again = document.getElementById(id);
    if (again) again.focus();
  });
  return h('div', { class: 'lang-switch' },
    h('label', { for: id, class: 'lang-label' }, icon('globe'), h('span', { text: t('common.language') })),
    select);
}

// Document-wide listeners, attached once; they act on whichever frame is current.
document.addEventListener('mousedown', (e) => { if (frame) frame.onDocumentMouseDown(e); });
document.addEventListener('keydown', (e) => { if (frame) frame.onDocumentKeyDown(e); });

function buildFrame() {
  const user = session.user;
  const deptMap = byId(session.departments || []);
  const dept = user.department_id != null ? deptMap.get(user.department_id) : null;

  const links = new Map();
  const navItem = (item) => {
    const a = h('a', { href: item.href, class: 'nav-link' }, icon(item.icon), h('span', { text: t(item.label) }));
    links.set(item.key, a);
    return h('li', a);
  };
  const nav = h('nav', { id: 'sidenav', class: 'sidenav', 'aria-label': t('nav.label') },
    h('ul', { class: 'nav-list' }, NAV.map(navItem)),
    isAdmin() ? [
      h('p', { class: 'nav-section', id: 'nav-admin-heading', text: t('nav.admin') }),
      h('ul', { class: 'nav-list', 'aria-labelledby': 'nav-admin-heading' }, ADMIN_NAV.map(navItem)),
    ] : null);

  const backdrop = h('div', { class: 'backdrop', hidden: true });
  const navToggle = h('button', {
    type: 'button', class: 'icon-btn nav-toggle', 'aria-controls': 'sidenav', 'aria-expanded': 'false',
    'aria-label': t('nav.open_menu'),
  }, icon('menu'));

  const setNavOpen = (open) => {
    nav.classList.toggle('open', open);
    backdrop.hidden = !open;
    navToggle.setAttribute('aria-expanded', String(open));
    navToggle.setAttribute('aria-label', t(open ? 'nav.close_menu' : 'nav.open_menu'));
    replace(navToggle, icon(open ? 'close' : 'menu'));
    if (open) { const first = nav.querySelector('a'); if (first) first.focus(); }
  };
  navToggle.addEventListener('click', () => setNavOpen(!nav.classList.contains('open')));
  backdrop.addEventListener('click', () => setNavOpen(false));
  nav.addEventListener('click', (e) => { if (e.target.closest('a')) setNavOpen(false); });

  // User menu: a disclosure button and panel.
  const menuPanel = h('div', { id: 'user-menu-panel', class: 'menu-panel', hidden: true },
    h('div', { class: 'menu-who' },
      h('span', { class: 'avatar avatar-lg', 'aria-hidden': 'true', text: initials(user.name) }),
      h('div', { class: 'menu-who-text' },
        h('p', { class: 'menu-name', text: user.name }),
        h('p', { class: 'menu-sub', text: dept ? dept.name : t('user_menu.no_department') }),
        h('p', { class: 'menu-sub menu-login', text: user.login }))),
    h('div', { class: 'menu-section' }, langSelect('menu')),
    h('div', { class: 'menu-section menu-actions' },
      h('a', { href: '/me', class: 'menu-item' }, icon('user'), h('span', { text: t('user_menu.account') })),
      h('button', { type: 'button', class: 'menu-item', onclick: doSignOut }, icon('logout'), h('span', { text: t('user_menu.sign_out') }))));
  const menuButton = h('button', {
    type: 'button', class: 'user-button', 'aria-expanded': 'false', 'aria-controls': 'user-menu-panel',
    'aria-label': t('user_menu.label', { name: user.name }),
  },
  h('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(user.name) }),
  h('span', { class: 'user-button-text' },
    h('span', { class: 'user-button-name', text: user.name }),
    dept ? h('span', { class: 'user-button-dept', text: dept.name }) : null),
  icon('chevronDown', 'user-button-chevron'));
  const setMenuOpen = (open, { restoreFocus = false } = {}) => {
    menuPanel.hidden = !open;
    menuButton.setAttribute('aria-expanded', String(open));
    if (open) { const sel = menuPanel.querySelector('select'); if (sel) sel.focus(); }
    if (!open && restoreFocus) menuButton.focus();
  };
  menuButton.addEventListener('click', () => setMenuOpen(menuPanel.hidden));
  menuPanel.addEventListener('click', (e) => { if (e.target.closest('a')) setMenuOpen(false); });
  const userMenu = h('div', { class: 'user-menu' }, menuButton, menuPanel);

  // The inbox bell: the unread count comes from the server-sent event stream (lib/live.js).
  const bellCount = h('span', { class: 'bell-count', hidden: true, 'aria-hidden': 'true' });
  const bell = h('a', { href: '/inbox', class: 'icon-btn bell', id: 'inbox-bell', 'aria-label': t('bell.label') },
    icon('bell'), bellCount);
  links.set('inbox', bell);
  let lastCount = null;
  const showCount = (n) => {
    const count = Number.isFinite(n) ? n : 0;
    bellCount.hidden = count <= 0;
    bellCount.textContent = count > 9 ? '9+' : String(count); // two digits would cover the bell; the label has the number
    bell.dataset.unread = String(count);
    bell.setAttribute('aria-label', count > 0 ? t('bell.label_unread', { count }) : t('bell.label'));
    bell.title = bell.getAttribute('aria-label');
    if (lastCount !== null && count > lastCount) {
      bell.classList.remove('bell-ring');
      void bell.offsetWidth; // restart the animation
      bell.classList.add('bell-ring');
    }
    lastCount = count;
  };

  const header = h('header', { class: 'topbar' },
    navToggle,
    h('a', { href: '/', class: 'brand' },
      h('img', { src: '/static/img/logo.svg', alt: '', class: 'brand-logo', width: '28', height: '28' }),
      h('span', { class: 'brand-name', text: t('app.name') })),
    h('div', { class: 'topbar-spacer' }),
    bell,
    userMenu);
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const skip = h('a', { href: '#main', class: 'skip-link', text: t('app.skip_to_content') });
  skip.addEventListener('click', (e) => { e.preventDefault(); main.focus(); });

  replace(root, skip, header, h('div', { class: 'layout' }, nav, backdrop, main));
  watchUnread(bell, showCount);
  startLive();
  return {
    main, nav, links,
    closeMenus: () => { setMenuOpen(false); setNavOpen(false); },
    openMenu: () => setMenuOpen(true),
    onDocumentMouseDown(e) {
      if (!menuPanel.hidden && !userMenu.contains(e.target)) setMenuOpen(false);
    },
    onDocumentKeyDown(e) {
      if (e.key !== 'Escape' || document.querySelector('dialog[open]')) return;
      if (!menuPanel.hidden) setMenuOpen(false, { restoreFocus: true });
      if (nav.classList.contains('open')) { setNavOpen(false); navToggle.focus(); }
    },
  };
}

async function doSignOut() {
  stopLive();
  try {
    await signOut();
  } catch (e) {
    toast(errorMessage(e), 'error');
  }
  frame = null;
  history.pushState(null, '', '/login');
  render();
}

// ---- rendering a route ----

let renderSeq = 0;

async function render({ focusMain = true } = {}) {
  const seq = ++renderSeq;
  const path = location.pathname;
  shownPath = path + location.search;

  if (!session.user) {
    stopLive();
    if (current && current.instance && current.instance.destroy) current.instance.destroy();
    current = null;
    frame = null;
    if (path !== '/login') {
      const next = path + location.search;
      history.replaceState(null, '', next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
    }
    setTitle(t('login.title'));
    loginPage.mount(root, { onSignedIn, langSwitch: () => langSelect('login') });
    return;
  }
  if (path === '/login') {
    const next = new URLSearchParams(location.search).get('next');
    history.replaceState(null, '', next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
    return render({ focusMain });
  }

  if (!frame) {
    try { await loadDepartments(); } catch { /* the frame can live without department names */ }
    if (seq !== renderSeq) return;
    frame = buildFrame();
    current = null;
  }
  frame.closeMenus();

  const { route, params } = match(path);
  for (const [key, a] of frame.links) {
    if (key === route.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const query = new URLSearchParams(location.search);
  const ctx = { params, query, navigate, setTitle, user: session.user, refreshFrame };

  // Same page, new parameters: let the page update itself in place.
  if (current && current.page === route.page && current.instance && current.instance.update) {
    current.instance.update(ctx);
    return;
  }
  if (current && current.instance && current.instance.destroy) current.instance.destroy();
  current = null;

  const page = route.admin && !isAdmin() ? notFoundPage : route.page;
  setTitle(t(page.titleKey));
  const main = frame.main;
  main.replaceChildren();
  let instance = null;
  try {
    instance = await page.mount(main, ctx);
  } catch (e) {
    replace(main, loadError(e, () => render()));
  }
  if (seq !== renderSeq) { if (instance && instance.destroy) instance.destroy(); return; }
  current = { page: route.page, instance };
  if (focusMain) {
    const heading = main.querySelector('h1');
    if (heading) heading.focus({ preventScroll: true });
  }
}

// Rebuilds the header and nav (after the user's own name or department changed).
function refreshFrame() {
  frame = null;
  render({ focusMain: false });
}

function onSignedIn() {
  frame = null;
  render();
}

// ---- boot ----

async function boot() {
  await setLang(detectLang());
  setUnauthenticatedHandler(() => {
    if (!session.user) return;
    session.user = null;
    stopLive();
    toast(t('error.session_expired'), 'info');
    render();
  });
  try {
    await loadMe();
  } catch (e) {
    document.title = t('app.name');
    replace(root, h('main', { class: 'main boot-error' }, loadError(e, () => location.reload())));
    return;
  }
  await render();
}

boot();
