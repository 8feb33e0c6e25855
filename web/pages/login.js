// Sign-in page: login and password, errors inline, language switch available before signing in.

import { h, icon, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { signIn } from '../lib/session.js';
import { ApiError } from '../lib/api.js';
import { errorMessage, field } from '../lib/ui.js';

export const titleKey = 'login.title';

// Remembered across a language switch, so typed text is not lost (never the password).
let lastLogin = '';

export function mount(root, { onSignedIn, langSwitch }) {
  const login = field({ name: 'login', label: t('field.login'), value: lastLogin, required: true, attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } });
  const password = field({ name: 'password', label: t('field.password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } });
  const error = h('div', { class: 'banner banner-error', role: 'alert', id: 'login-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', text: t('login.submit') });

  const showError = (msg) => {
    error.replaceChildren(icon('alert'), h('span', { class: 'banner-text', text: msg }));
    error.hidden = false;
  };

  login.input.addEventListener('input', () => { lastLogin = login.input.value; });

  const form = h('form', { class: 'login-form', novalidate: true, 'aria-describedby': 'login-error' },
    error, login.el, password.el, submit);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    login.clearError();
    password.clearError();
    const l = login.input.value.trim();
    const p = password.input.value;
    if (!l) { login.setError(t('error.required', { field: t('field.login') })); login.input.focus(); return; }
    if (!p) { password.setError(t('error.required', { field: t('field.password') })); password.input.focus(); return; }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    submit.textContent = t('login.submitting');
    try {
      await signIn(l, p);
      lastLogin = '';
      onSignedIn();
      return;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 422 || err.status === 403 || err.status === 404) && err.code !== 'csrf_failed') {
        showError(t('login.failed'));
      } else {
        showError(errorMessage(err));
      }
      password.input.value = '';
      password.input.focus();
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
      submit.textContent = t('login.submit');
    }
  });

  const page = h('div', { class: 'login-page' },
    h('div', { class: 'login-top' }, langSwitch()),
    h('main', { class: 'login-main', id: 'main' },
      h('div', { class: 'login-card' },
        h('div', { class: 'login-brand' },
          h('img', { src: '/static/img/logo.svg', alt: '', class: 'brand-logo brand-logo-lg', width: '40', height: '40' }),
          h('span', { class: 'brand-name', text: t('app.name') })),
        h('h1', { class: 'login-title', tabindex: '-1', text: t('login.title') }),
        h('p', { class: 'login-lead', text: t('login.lead') }),
        form),
      h('p', { class: 'login-foot', text: t('login.help') })));
  replace(root, page);
  (lastLogin ? password.input : login.input).focus();
  return null;
}
