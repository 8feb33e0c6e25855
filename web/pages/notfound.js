// The page for paths that lead nowhere (and for admin pages seen by non-admins: 404, as the API does).

import { h, icon } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export const titleKey = 'notfound.title';

export async function mount(main) {
  main.replaceChildren(
    h('section', { class: 'empty-state empty-page' },
      h('div', { class: 'empty-icon' }, icon('search')),
      h('h1', { class: 'empty-title', tabindex: '-1', text: t('notfound.title') }),
      h('p', { class: 'empty-text', text: t('notfound.text') }),
      h('a', { href: '/', class: 'btn btn-primary' }, icon('home'), h('span', { text: t('notfound.home') }))));
  return null;
}
