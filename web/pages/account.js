// My account: own name and e-mail, password change, and personal API tokens (shown once at creation).

import { h, icon, replace } from '../lib/dom.js';
import { t, formatDateTime } from '../lib/i18n.js';
import { api, get, post, patch, del, ApiError } from '../lib/api.js';
import { session, loadMe, loadDepartments, loadUsers, byId, departmentPath } from '../lib/session.js';
import {
  pageHeader, toast, errorMessage, field, errorBanner, confirmDialog, openDialog, loading, clearanceBadge, badge,
} from '../lib/ui.js';

export const titleKey = 'account.title';

// A form on the page (not in a dialog) whose API errors land on its fields.
function inlineForm({ id, title, lead, fields, submitLabel, onSubmit }) {
  const banner = errorBanner();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', text: submitLabel });
  const byName = {};
  for (const f of fields) byName[f.name] = f;
  const form = h('form', { class: 'stack-form', novalidate: true, 'aria-labelledby': id },
    banner.el, fields.map((f) => f.el), h('div', { class: 'form-actions' }, submit));
  const fail = (msg, name) => {
    const target = name ? byName[name] : null;
    if (target) { target.setError(msg); target.input.focus(); } else banner.show(msg);
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    banner.clear();
    for (const f of fields) f.clearError();
    for (const f of fields) {
      if (f.input.required && !String(f.value()).trim()) { fail(t('error.required', { field: f.label }), f.name); return; }
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(Object.fromEntries(fields.map((f) => [f.name, f.value()])), { fail, form });
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        banner.show(t('error.precondition_failed'), h('button', {
          type: 'button', class: 'btn btn-small', text: t('common.reload'), onclick: () => location.reload(),
        }));
      } else {
        const name = err instanceof ApiError ? String(err.field || '').split(/[.[]/)[0] : null;
        fail(errorMessage(err, {}, byName[name] ? byName[name].label : null), name);
      }
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  return h('section', { class: 'card' },
    h('h2', { class: 'card-title', id, text: title }),
    lead ? h('p', { class: 'muted', text: lead }) : null,
    form);
}

export async function mount(main, ctx) {
  const me = session.user;
  let deptMap = new Map();
  try { deptMap = byId(await loadDepartments()); } catch { /* shown as no department */ }

  // ---- profile ----
  const fName = field({ name: 'name', label: t('field.person_name'), required: true, value: me.name, attrs: { autocomplete: 'name', maxlength: '100' } });
  const fEmail = field({ name: 'email', label: t('field.email'), type: 'email', value: me.email || '', attrs: { autocomplete: 'email' } });
  const profile = inlineForm({
    id: 'account-profile',
    title: t('account.profile'),
    fields: [fName, fEmail],
    submitLabel: t('common.save'),
    async onSubmit(v) {
      const body = {};
      if (v.name.trim() !== me.name) body.name = v.name.trim();
      if (v.email.trim() !== (me.email || '')) body.email = v.email.trim();
      if (!Object.keys(body).length) { toast(t('account.nothing_changed'), 'info'); return; }
      const updated = await patch(`/users/${me.id}`, body, me.version);
      if (updated && updated.id === me.id) Object.assign(me, updated);
      else await loadMe();
      toast(t('account.profile_saved'));
      ctx.refreshFrame();
    },
  });

  // ---- password ----
  const fCurrent = field({ name: 'current_password', label: t('field.current_password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } });
  const fNew = field({ name: 'password', label: t('account.new_password'), type: 'password', required: true, hint: t('users.password_hint'), attrs: { autocomplete: 'new-password', minlength: '8' } });
  const fRepeat = field({ name: 'password_repeat', label: t('account.repeat_password'), type: 'password', required: true, attrs: { autocomplete: 'new-password' } });
  const password = inlineForm({
    id: 'account-password',
    title: t('account.password'),
    fields: [fCurrent, fNew, fRepeat],
    submitLabel: t('account.change_password'),
    async onSubmit(v, { fail, form }) {
      if (v.password.length < 8) { fail(t('error.weak_password', { field: t('field.password') }), 'password'); return; }
      if (v.password !== v.password_repeat) { fail(t('account.passwords_differ'), 'password_repeat'); return; }
      const updated = await patch(`/users/${me.id}`, { password: v.password, current_password: v.current_password }, me.version);
      if (updated && updated.id === me.id) Object.assign(me, updated);
      else await loadMe();
      form.reset();
      toast(t('account.password_changed'));
    },
  });

  // ---- facts ----
  const roles = [];
  if (me.is_admin) roles.push(badge(t('role.admin'), 'info'));
  if (me.is_coordinator) roles.push(badge(t('role.coordinator'), 'info'));
  if (!roles.length) roles.push(badge(t('role.member'), 'neutral'));
  const facts = h('section', { class: 'card', 'aria-labelledby': 'account-facts' },
    h('h2', { class: 'card-title', id: 'account-facts', text: t('account.facts') }),
    h('dl', { class: 'facts' },
      h('div', h('dt', { text: t('field.login') }), h('dd', { text: me.login })),
      h('div', h('dt', { text: t('field.department_id') }),
        h('dd', { text: me.department_id != null && deptMap.has(me.department_id) ? departmentPath(deptMap, me.department_id) : t('user_menu.no_department') })),
      h('div', h('dt', { text: t('home.roles') }), h('dd', { class: 'badges' }, roles)),
      h('div', h('dt', { text: t('field.clearance') }), h('dd', clearanceBadge(me.clearance)))),
    h('p', { class: 'muted small card-note', text: t('account.facts_hint') }));

  // ---- API tokens ----
  const tokenList = h('div', { class: 'token-list', 'aria-live': 'polite' }, loading());
  const fTokenName = field({ name: 'name', label: t('tokens.name'), required: true, hint: t('tokens.name_hint'), attrs: { maxlength: '100', autocomplete: 'off' } });
  const tokenBanner = errorBanner();
  const tokenForm = h('form', { class: 'inline-form', novalidate: true, 'aria-label': t('tokens.create') },
    tokenBanner.el, fTokenName.el,
    h('button', { type: 'submit', class: 'btn btn-primary' }, icon('key'), h('span', { text: t('tokens.create') })));
  tokenForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    tokenBanner.clear();
    fTokenName.clearError();
    const name = fTokenName.input.value.trim();
    if (!name) { fTokenName.setError(t('error.required', { field: t('tokens.name') })); fTokenName.input.focus(); return; }
    try {
      const created = await post('/tokens', { name });
      fTokenName.input.value = '';
      showToken(created);
      await loadTokens();
    } catch (err) {
      const msg = errorMessage(err);
      if (err instanceof ApiError && err.field === 'name') { fTokenName.setError(msg); fTokenName.input.focus(); } else tokenBanner.show(msg);
    }
  });
  const tokens = h('section', { class: 'card card-wide', 'aria-labelledby': 'account-tokens' },
    h('h2', { class: 'card-title', id: 'account-tokens', text: t('tokens.title') }),
    h('p', { class: 'muted', text: t('tokens.lead') }),
    tokenForm,
    tokenList);

  async function loadTokens() {
    let items;
    try {
      const data = await get('/tokens');
      items = (data && data.items) || [];
    } catch (e) {
      replace(tokenList, h('p', { class: 'muted', text: errorMessage(e) }));
      return;
    }
    if (!items.length) { replace(tokenList, h('p', { class: 'muted empty-line', text: t('tokens.empty') })); return; }
    replace(tokenList, h('ul', { class: 'tokens' }, items.map((tk) => h('li', { class: 'token-row' },
      icon('key', 'token-icon'),
      h('div', { class: 'token-text' },
        h('p', { class: 'token-name', text: tk.name }),
        h('p', { class: 'muted small', text: [
          t('tokens.created_at', { at: formatDateTime(tk.created_at) }),
          tk.last_used_at ? t('tokens.last_used', { at: formatDateTime(tk.last_used_at) }) : t('tokens.never_used'),
        ].join(' · ') })),
      h('button', {
        type: 'button', class: 'btn btn-small btn-danger-quiet', 'aria-label': t('tokens.revoke_label', { name: tk.name }),
        onclick: () => revoke(tk),
      }, icon('trash'), h('span', { text: t('tokens.revoke') }))))));
  }

  async function revoke(tk) {
    const yes = await confirmDialog({
      title: t('tokens.revoke_title', { name: tk.name }),
      message: t('tokens.revoke_text'),
      confirmLabel: t('tokens.revoke'),
      danger: true,
    });
    if (!yes) return;
    try {
      await del(`/tokens/${tk.id}`);
      toast(t('tokens.revoked', { name: tk.name }));
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
    await loadTokens();
  }

  function showToken(created) {
    const value = h('input', { type: 'text', id: 'new-token', class: 'input mono', readOnly: true, value: created.token, autocomplete: 'off', spellcheck: 'false' });
    const copied = h('p', { class: 'field-hint', role: 'status' });
    const copy = h('button', { type: 'button', class: 'btn' }, icon('copy'), h('span', { text: t('tokens.copy') }));
    copy.addEventListener('click', async () => {
      value.focus();
      value.select();
      try {
        await navigator.clipboard.writeText(created.token);
        copied.textContent = t('tokens.copied');
      } catch {
        copied.textContent = document.execCommand && document.execCommand('copy') ? t('tokens.copied') : t('tokens.copy_manually');
      }
    });
    const done = h('button', { type: 'button', class: 'btn btn-primary', text: t('tokens.done') });
    const dlg = openDialog({
      title: t('tokens.created_title', { name: created.name }),
      description: t('tokens.created_lead'),
      body: h('div', { class: 'dialog-body' },
        h('div', { class: 'field' },
          h('label', { for: 'new-token', class: 'field-label', text: t('tokens.token') }),
          h('div', { class: 'copy-row' }, value, copy),
          copied),
        h('p', { class: 'banner banner-warn' }, icon('alert'), h('span', { class: 'banner-text', text: t('tokens.once_warning') }))),
      footer: h('div', { class: 'dialog-foot' }, done),
    });
    done.addEventListener('click', dlg.close);
    value.focus();
    value.select();
  }

  // 代理人: a deputy while away.
  const deputyBody = h('div', { id: 'deputy-body' });
  const deputy = h('section', { class: 'card', id: 'account-deputy', 'aria-labelledby': 'account-deputy-title' },
    h('h2', { class: 'card-title', id: 'account-deputy-title', text: t('delegation.title') }),
    h('p', { class: 'muted', text: t('delegation.lead') }),
    deputyBody);
  async function loadDeputy() {
    let current = null;
    try {
      current = await get('/me/delegation'); // null (204) when none
    } catch (e) {
      replace(deputyBody, h('p', { class: 'field-error', text: errorMessage(e) }));
      return;
    }
    let users = [];
    try { users = await loadUsers(); } catch { /* the picker stays empty */ }
    const people = users.filter((u) => u.id !== me.id && u.active !== false)
      .map((u) => ({ value: u.id, label: u.department_id && deptMap.has(u.department_id) ? `${u.name}（${deptMap.get(u.department_id).name}）` : u.name }));
    const who = field({ kind: 'select', name: 'deputy_id', label: t('delegation.deputy'), required: true,
      options: [{ value: '', label: t('delegation.choose') }, ...people], value: current ? current.deputy_id : '' });
    const from = field({ name: 'from', type: 'date', label: t('delegation.from'), required: true, value: current ? current.from : '' });
    const to = field({ name: 'to', type: 'date', label: t('delegation.to'), required: true, value: current ? current.to : '' });
    const form = inlineForm({
      id: 'deputy-form', title: '', fields: [who, from, to], submitLabel: t('delegation.save_label'),
      async onSubmit(v) {
        await api('PUT', '/me/delegation', { body: { deputy_id: Number(v.deputy_id), from: v.from, to: v.to } });
        toast(t('delegation.saved'));
        await loadDeputy();
      },
    });
    replace(deputyBody,
      current ? h('p', { class: 'deputy-current', id: 'deputy-current' },
        badge(current.active ? t('delegation.active') : t('delegation.scheduled'), current.active ? 'ok' : 'neutral'), ' ',
        h('span', { text: t('delegation.current', { name: current.deputy_name, from: current.from, to: current.to }) }), ' ',
        h('button', { type: 'button', class: 'btn btn-small btn-danger-quiet', id: 'deputy-end', text: t('delegation.end'),
          onclick: async () => {
            try { await del('/me/delegation'); toast(t('delegation.ended')); } catch (e) { toast(errorMessage(e), 'error'); }
            await loadDeputy();
          } })) : null,
      [...form.childNodes].filter((n) => n.tagName === 'FORM'));
  }

  main.replaceChildren(
    pageHeader(t('account.title')),
    h('div', { class: 'grid' }, profile, facts, password, deputy, tokens));
  await Promise.all([loadTokens(), loadDeputy()]);
  return null;
}
