// Requests (需求单): an empty state until stage 1 is built, explaining what a request goes through.

import { h, icon } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { pageHeader } from '../lib/ui.js';

export const titleKey = 'requests.title';

const STEPS = ['draft', 'review', 'assess', 'decide'];

export async function mount(main) {
  const newButton = h('button', { type: 'button', class: 'btn btn-primary', disabled: true, 'aria-describedby': 'requests-soon' },
    icon('plus'), h('span', { text: t('requests.new') }));
  main.replaceChildren(
    pageHeader(t('requests.title'), newButton),
    h('section', { class: 'card empty-state', 'aria-labelledby': 'requests-empty' },
      h('img', { src: '/static/img/empty-requests.svg', alt: '', class: 'empty-art', width: '160', height: '120' }),
      h('h2', { class: 'empty-title', id: 'requests-empty', text: t('requests.empty_title') }),
      h('p', { class: 'empty-text', text: t('requests.empty_text') }),
      h('p', { class: 'empty-text muted', id: 'requests-soon', text: t('requests.coming') }),
      h('ol', { class: 'steps' },
        STEPS.map((k, i) => h('li', { class: 'step' },
          h('span', { class: 'step-num', 'aria-hidden': 'true', text: String(i + 1) }),
          h('span', { class: 'step-name', text: t(`requests.step.${k}`) }),
          h('span', { class: 'step-desc', text: t(`requests.step.${k}.desc`) }))))));
  return null;
}
