// The page for paths that lead nowhere (and for admin pages seen by non-admins: 404, as the API does), and for
// a request or other item that does not exist or that the user may not see (the API answers 404 for both).

import { h, icon } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export const titleKey = 'notfound.title';

// back: {href, label} — a way back to the list the item would have been in, besides "My work".
export function showNotFound(main, { back = null, setTitle = null } = {}) {
  if (setTitle) setTitle(t('notfound.title'));
  main.replaceChildren(
    h('section', { class: 'empty-state empty-page' },
      h('div', { class: 'empty-icon' }, icon('search')),
      h('h1', { class: 'empty-title', tabindex: '-1', text: t('notfound.title') }),
      h('p', { class: 'empty-text', text: t('notfound.text') }),
      h('div', { class: 'empty-actions' },
        back ? h('a', { href: back.href, class: 'btn btn-primary' }, icon('chevronLeft'), h('span', { text: back.label })) : null,
        h('a', { href: '/', class: ['btn', back ? null : 'btn-primary'] }, icon('home'), h('span', { text: t('notfound.home') })))));
  const heading = main.querySelector('h1');
  if (heading && main.contains(document.activeElement)) heading.focus({ preventScroll: true });
}

export async function mount(main) {
  showNotFound(main);
  return null;
}
