// Shared UI pieces: translated error messages, toasts, dialogs, form fields with inline errors.

import { h, icon, uid, replace } from './dom.js';
import { t, tOr, has, plural } from './i18n.js';
import { ApiError } from './api.js';

// ---- error messages ----

// 'liaison_user_ids[2]' -> 'liaison_user_ids'
function baseField(field) {
  return String(field || '').split(/[.[]/)[0];
}

// The translated name of an API field, e.g. field.head_user_id -> 部门负责人.
export function fieldLabel(field) {
  if (!field) return '';
  const f = baseField(field);
  return tOr(`field.${f}`, f);
}

// A sentence for an error, in the user's language. overrides maps an API code to a more specific i18n key.
export function errorMessage(err, overrides = {}, label = null) {
  if (!(err instanceof ApiError)) {
    console.error(err);
    return t('error.unexpected');
  }
  const field = baseField(err.field);
  const params = { field: label || fieldLabel(field) || t('error.this_field'), status: err.status };
  const secs = parseInt(err.retryAfter, 10);
  if (secs > 0) params.minutes = Math.max(1, Math.ceil(secs / 60));
  if (err.code === 'throttled' && secs > 0) return t('error.throttled_minutes', params);
  if (overrides[err.code]) return t(overrides[err.code], params);
  if (field && has(`error.${err.code}.${field}`)) return t(`error.${err.code}.${field}`, params);
  if (has(`error.${err.code}`)) return t(`error.${err.code}`, params);
  if (err.status >= 500) return t('error.server_error');
  return t('error.unexpected_status', params);
}

// ---- toasts (announced through the aria-live region in index.html) ----

export function toast(message, kind = 'success') {
  const region = document.getElementById('toasts');
  if (!region) return;
  const item = h('div', { class: ['toast', `toast-${kind}`], role: kind === 'error' ? 'alert' : 'status' },
    icon(kind === 'error' ? 'alert' : kind === 'info' ? 'info' : 'check'),
    h('span', { class: 'toast-text', text: message }),
    h('button', {
      type: 'button', class: 'icon-btn toast-close', 'aria-label': t('common.dismiss'),
      onclick: () => item.remove(),
    }, icon('close')));
  region.appendChild(item);
  setTimeout(() => item.remove(), kind === 'error' ? 9000 : 5000);
}

// ---- dialogs ----

// openDialog({title, body, footer, wide}) -> {dialog, close}. Focus goes into the dialog and back to the opener.
export function openDialog({ title, description, body, footer, wide = false, onClose }) {
  const opener = document.activeElement;
  const titleId = uid('dlg-title');
  const descId = description ? uid('dlg-desc') : null;
  const dialog = h('dialog', { class: ['dialog', wide && 'dialog-wide'], 'aria-labelledby': titleId, 'aria-describedby': descId });
  const close = () => { if (dialog.open) dialog.close(); };
  replace(dialog,
    h('div', { class: 'dialog-head' },
      h('h2', { id: titleId, class: 'dialog-title', text: title }),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('common.close'), onclick: close }, icon('close'))),
    description ? h('p', { id: descId, class: 'dialog-desc', text: description }) : null,
    body || null,
    footer || null,
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (onClose) onClose();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
  });
  // A click on the backdrop (outside the dialog box) closes it.
  dialog.addEventListener('mousedown', (e) => {
    if (e.target !== dialog) return;
    const r = dialog.getBoundingClientRect();
    const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
    if (!inside) close();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  const first = dialog.querySelector('[autofocus]') ||
    dialog.querySelector('.dialog-body input:not([type=hidden]):not([disabled]), .dialog-body select, .dialog-body textarea') ||
    dialog.querySelector('.dialog-foot button');
  if (first) first.focus();
  return { dialog, close };
}

// confirmDialog({title, message, confirmLabel, cancelLabel, danger}) -> Promise<boolean>
export function confirmDialog({ title, message, confirmLabel, cancelLabel, danger = false }) {
  return new Promise((resolve) => {
    let answer = false;
    const ok = h('button', { type: 'button', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], text: confirmLabel || t('common.confirm') });
    const cancel = h('button', { type: 'button', class: 'btn', text: cancelLabel || t('common.cancel'), autofocus: true });
    const { close } = openDialog({
      title,
      body: h('div', { class: 'dialog-body' }, h('p', { text: message })),
      footer: h('div', { class: 'dialog-foot' }, cancel, ok),
      onClose: () => resolve(answer),
    });
    ok.addEventListener('click', () => { answer = true; close(); });
    cancel.addEventListener('click', close);
  });
}

// ---- form fields ----

function describe(input, ids) {
  const list = ids.filter(Boolean).join(' ');
  if (list) input.setAttribute('aria-describedby', list);
  else input.removeAttribute('aria-describedby');
}

// A labelled control with a hint and an inline error. kind: input | select | textarea | checkbox.
// -> {el, input, name, setError(msg), clearError(), value()}
export function field({ kind = 'input', name, label, type = 'text', value, options = [], hint, required = false, attrs = {} }) {
  const id = uid(`f-${name}`);
  const hintId = hint ? uid('hint') : null;
  const errId = uid('err');
  let input;
  if (kind === 'select') {
    input = h('select', { id, name, required, ...attrs },
      options.map((o) => (o.group
        ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: String(x.value), text: x.label, disabled: !!x.disabled })))
        : h('option', { value: String(o.value), text: o.label, disabled: !!o.disabled }))));
    if (value !== undefined && value !== null) input.value = String(value);
  } else if (kind === 'textarea') {
    input = h('textarea', { id, name, required, ...attrs });
    input.value = value || '';
  } else if (kind === 'checkbox') {
    input = h('input', { id, name, type: 'checkbox', checked: !!value, ...attrs });
  } else {
    input = h('input', { id, name, type, required, ...attrs });
    if (value !== undefined && value !== null) input.value = String(value);
  }
  const err = h('p', { id: errId, class: 'field-error', hidden: true });
  const hintEl = hint ? h('p', { id: hintId, class: 'field-hint', text: hint }) : null;
  const labelEl = h('label', { for: id, class: 'field-label' }, label,
    required && kind !== 'checkbox' ? h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null);
  const el = kind === 'checkbox'
    ? h('div', { class: 'field field-check' }, h('div', { class: 'check-row' }, input, labelEl), hintEl, err)
    : h('div', { class: 'field' }, labelEl, input, hintEl, err);
  describe(input, [hintId]);

  const api = {
    el, input, name, label,
    setError(msg) {
      err.replaceChildren(icon('alert'), h('span', { text: msg }));
      err.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      describe(input, [errId, hintId]);
    },
    clearError() {
      err.hidden = true;
      err.replaceChildren();
      input.removeAttribute('aria-invalid');
      describe(input, [hintId]);
    },
    value() {
      if (kind === 'checkbox') return input.checked;
      return input.value;
    },
  };
  input.addEventListener('input', () => api.clearError());
  input.addEventListener('change', () => api.clearError());
  return api;
}

// A group of radio buttons shown as cards: choiceField({name, label, options: [{value, label, desc, tone}], value}).
// -> the same shape as field(): {el, input, name, label, setError, clearError, value(), onChange(fn)}.
export function choiceField({ name, label, options, value, hint, required = false, compact = false }) {
  const hintId = hint ? uid('hint') : null;
  const errId = uid('err');
  const group = uid(`c-${name}`);
  const err = h('p', { id: errId, class: 'field-error', hidden: true });
  const listeners = [];
  const radios = options.map((o) => {
    const id = uid(`${group}-${o.value}`);
    const radio = h('input', { type: 'radio', id, name: group, value: String(o.value), checked: String(value) === String(o.value) });
    radio.addEventListener('change', () => { api.clearError(); for (const fn of listeners) fn(api.value()); });
    const card = h('label', { for: id, class: ['choice', o.tone && `choice-${o.tone}`] },
      radio,
      h('span', { class: 'choice-text' },
        h('span', { class: 'choice-label', text: o.label }),
        o.desc ? h('span', { class: 'choice-desc', text: o.desc }) : null));
    return { radio, card };
  });
  const el = h('fieldset', { class: ['field', 'field-set', 'choice-set', compact && 'choice-set-compact'], 'aria-describedby': hintId },
    h('legend', { class: 'field-label' }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null),
    h('div', { class: 'choices' }, radios.map((r) => r.card)),
    hint ? h('p', { id: hintId, class: 'field-hint', text: hint }) : null,
    err);
  const api = {
    el, name, label,
    get input() { return (radios.find((r) => r.radio.checked) || radios[0]).radio; },
    value() { const r = radios.find((x) => x.radio.checked); return r ? r.radio.value : ''; },
    set(v) { for (const r of radios) r.radio.checked = r.radio.value === String(v); for (const fn of listeners) fn(api.value()); },
    onChange(fn) { listeners.push(fn); },
    setError(msg) {
      err.replaceChildren(icon('alert'), h('span', { text: msg }));
      err.hidden = false;
      el.classList.add('field-set-invalid');
    },
    clearError() { err.hidden = true; err.replaceChildren(); el.classList.remove('field-set-invalid'); },
  };
  return api;
}

// A banner for errors that belong to no single field (role=alert, so it is read out).
export function errorBanner() {
  const el = h('div', { class: 'banner banner-error', role: 'alert', hidden: true });
  return {
    el,
    show(message, action) {
      replace(el, icon('alert'), h('span', { class: 'banner-text', text: message }), action || null);
      el.hidden = false;
    },
    clear() { el.hidden = true; el.replaceChildren(); },
  };
}

// A summary of a form's errors above it: announced (role alert) and focused, each error a link that takes the
// focus to its field. show([{message, input}]) / clear().
export function errorSummary() {
  const title = h('p', { class: 'banner-title' });
  const list = h('ul', { class: 'error-summary-list' });
  const el = h('div', { class: 'banner banner-error error-summary', role: 'alert', tabindex: '-1', hidden: true },
    icon('alert'), h('div', { class: 'banner-text' }, title, list));
  return {
    el,
    show(items) {
      title.textContent = plural('form.error_summary', items.length);
      replace(list, items.map((x) => {
        const a = h('a', { href: x.input && x.input.id ? `#${x.input.id}` : '#', text: x.message });
        a.addEventListener('click', (e) => {
          e.preventDefault();
          if (x.input) { x.input.focus(); x.input.scrollIntoView({ block: 'center' }); }
        });
        return h('li', a);
      }));
      el.hidden = false;
      el.scrollIntoView({ block: 'nearest' });
      el.focus({ preventScroll: true });
    },
    clear() { el.hidden = true; list.replaceChildren(); },
  };
}

// formDialog: a dialog holding a form whose fields show the API's 422 errors inline.
// onSubmit(values, ctl) may throw ApiError; a 412 shows the "changed by someone else" message with a reload button.
// cancelLabel names the button that closes without doing anything; danger paints the submit button red.
export function formDialog({
  title, description, fields, extra, before, submitLabel, cancelLabel, danger = false, onSubmit, onStale, onConflict, errorOverrides = {}, wide = false,
}) {
  const banner = errorBanner();
  const submit = h('button', { type: 'submit', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], text: submitLabel || t('common.save') });
  const cancel = h('button', { type: 'button', class: 'btn', text: cancelLabel || t('common.cancel') });
  const byName = {};
  for (const f of fields) byName[f.name] = f;
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('div', { class: 'dialog-body' }, banner.el, before || null, fields.map((f) => f.el), extra || null),
    h('div', { class: 'dialog-foot' }, cancel, submit));
  const dlg = openDialog({ title, description, body: form, wide });
  cancel.addEventListener('click', dlg.close);

  const ctl = {
    close: dlg.close,
    dialog: dlg.dialog,
    fields: byName,
    banner,
    submit,
    showError(err) {
      // The thing moved on while the dialog was open (someone else acted): the page says what happened.
      if (onConflict && err instanceof ApiError && err.status === 409 && err.code === 'invalid_transition') {
        onConflict(ctl);
        return;
      }
      if (err instanceof ApiError && err.status === 412) {
        const reload = onStale
          ? h('button', { type: 'button', class: 'btn btn-small', text: t('common.reload'), onclick: () => { dlg.close(); onStale(); } })
          : null;
        banner.show(t('error.precondition_failed'), reload);
        return;
      }
      const target = err instanceof ApiError && err.field ? byName[baseField(err.field)] : null;
      const msg = errorMessage(err, errorOverrides, target ? target.label : null);
      if (target) {
        target.setError(msg);
        target.input.focus();
      } else {
        banner.show(msg);
      }
    },
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    banner.clear();
    for (const f of fields) f.clearError();
    // Client-side check of required fields, with the same words the API's 'required' code gets.
    for (const f of fields) {
      if (f.input.required && !String(f.value()).trim()) {
        f.setError(t('error.required', { field: f.label }));
        f.input.focus();
        return;
      }
    }
    const values = {};
    for (const f of fields) values[f.name] = f.value();
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(values, ctl);
    } catch (err) {
      if (err && err.name === 'ClientError') {
        const target = err.field ? byName[err.field] : null;
        if (target) { target.setError(err.message); target.input.focus(); } else banner.show(err.message);
      } else {
        ctl.showError(err);
      }
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  return ctl;
}

// A validation failure found in the browser, shown like an API field error.
export class ClientError extends Error {
  constructor(message, field) {
    super(message);
    this.name = 'ClientError';
    this.field = field;
  }
}

// ---- small pieces ----

export function pageHeader(titleText, ...actions) {
  return h('div', { class: 'page-head' },
    h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1', text: titleText }),
    actions.length ? h('div', { class: 'page-actions' }, actions) : null);
}

export function loading() {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { text: t('common.loading') }));
}

// A panel saying the page could not load, with a retry button.
export function loadError(err, retry) {
  return h('div', { class: 'empty-state' },
    h('div', { class: 'empty-icon empty-icon-error' }, icon('alert')),
    h('h2', { class: 'empty-title', text: t('common.load_failed') }),
    h('p', { class: 'empty-text', text: errorMessage(err) }),
    retry ? h('button', { type: 'button', class: 'btn', onclick: retry }, icon('refresh'), t('common.retry')) : null);
}

export function badge(text, kind = 'neutral') {
  return h('span', { class: ['badge', `badge-${kind}`], text });
}

const CLEARANCE_KIND = { public: 'neutral', internal: 'info', confidential: 'warn', secret: 'danger' };
export function clearanceBadge(level) {
  return badge(tOr(`clearance.${level}`, level || ''), CLEARANCE_KIND[level] || 'neutral');
}
