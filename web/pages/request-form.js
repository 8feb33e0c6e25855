// The request form (《跨部门协作需求单》): new (/requests/new) and edit (/requests/{id}/edit, drafts and
// returned requests). Every field carries a short help text; errors — found here or answered by the API
// with code and field — appear under the field they belong to. "Save draft" needs only a title; "Submit for
// review" needs every field and asks first, naming the reviewer. Enter never submits. Leaving with unsaved
// changes asks first (the page answers unsaved() to the router).

import { h, icon, uid } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { get, post, patch, ApiError } from '../lib/api.js';
import { session, loadDepartments, loadUsers, byId, departmentTree, flattenTree, departmentPath } from '../lib/session.js';
import { pageHeader, loading, loadError, toast, errorMessage, field, errorBanner, fieldLabel, confirmDialog } from '../lib/ui.js';
import { PRIORITIES, CONFIDENTIALITIES, todayISO, statusBadge, unbroken } from '../lib/requests.js';
import { showNotFound } from './notfound.js';

export const titleKey = 'request_form.new_title';

const LIMITS = { title: 200, text: 5000, criterion: 500, criteria: 20, departments: 30 };
const TEXT_FIELDS = ['background', 'goal', 'resources_needed', 'expected_outcome', 'risks'];

function chars(s) {
  return Array.from(String(s || '')).length;
}

// ---- success criteria: an editable list of rows (at least one) ----

function criteriaField(values) {
  const legendId = uid('crit-legend');
  const hintId = uid('hint');
  const errId = uid('err');
  const list = h('ol', { class: 'criteria-list' });
  const err = h('p', { id: errId, class: 'field-error', hidden: true });
  const add = h('button', { type: 'button', class: 'btn btn-small btn-quiet criteria-add' }, icon('plus'), h('span', { text: t('request_form.criteria_add') }));
  const inputs = () => [...list.querySelectorAll('input')];

  const renumber = () => {
    const rows = [...list.children];
    rows.forEach((li, i) => {
      li.querySelector('.criteria-num').textContent = String(i + 1);
      li.querySelector('input').setAttribute('aria-label', t('request_form.criterion_label', { n: i + 1 }));
      const rm = li.querySelector('.criteria-remove');
      rm.setAttribute('aria-label', t('request_form.criterion_remove', { n: i + 1 }));
      rm.disabled = rows.length <= 1;
    });
    add.disabled = rows.length >= LIMITS.criteria;
  };
  const addRow = (value = '', focus = false) => {
    const input = h('input', { type: 'text', class: 'input', name: 'success_criteria', maxlength: String(LIMITS.criterion), autocomplete: 'off', value });
    input.setAttribute('aria-describedby', hintId);
    input.addEventListener('input', () => api.clearError());
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        if (list.children.length < LIMITS.criteria) addRow('', true);
      }
    });
    const remove = h('button', { type: 'button', class: 'icon-btn criteria-remove' }, icon('close'));
    const li = h('li', { class: 'criteria-row' }, h('span', { class: 'criteria-num', 'aria-hidden': 'true' }), input, remove);
    remove.addEventListener('click', () => {
      const next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      renumber();
      api.clearError();
      if (next) next.querySelector('input').focus();
    });
    list.appendChild(li);
    renumber();
    if (focus) input.focus();
  };
  add.addEventListener('click', () => addRow('', true));
  (values && values.length ? values : ['']).forEach((v) => addRow(v));

  const el = h('fieldset', { class: 'field field-set', 'aria-describedby': hintId },
    h('legend', { class: 'field-label', id: legendId }, t('field.success_criteria'), h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' })),
    h('p', { id: hintId, class: 'field-hint field-hint-top', text: t('request_form.hint.success_criteria') }),
    list, add, err);

  const api = {
    el, name: 'success_criteria', label: t('field.success_criteria'),
    get input() { return inputs().find((i) => !i.value.trim()) || inputs()[0]; },
    value() { return inputs().map((i) => i.value.trim()).filter(Boolean); },
    rawValues() { return inputs().map((i) => i.value.trim()); },
    setError(msg, index = null) {
      err.replaceChildren(icon('alert'), h('span', { text: msg }));
      err.hidden = false;
      inputs().forEach((i, k) => {
        if (index === null ? !i.value.trim() || chars(i.value.trim()) > LIMITS.criterion : k === index) {
          i.setAttribute('aria-invalid', 'true');
          i.setAttribute('aria-describedby', `${errId} ${hintId}`);
        }
      });
      el.classList.add('field-set-invalid');
    },
    clearError() {
      err.hidden = true;
      err.replaceChildren();
      el.classList.remove('field-set-invalid');
      inputs().forEach((i) => { i.removeAttribute('aria-invalid'); i.setAttribute('aria-describedby', hintId); });
    },
    focus() { const i = api.input; if (i) i.focus(); },
  };
  return api;
}

// ---- involved departments: checkboxes over the department tree ----

function departmentsField(depts, chosenIds, ownId) {
  const chosen = new Set(chosenIds || []);
  const deptMap = byId(depts);
  const hintId = uid('hint');
  const errId = uid('err');
  const err = h('p', { id: errId, class: 'field-error', hidden: true });
  const summary = h('p', { class: 'pick-count', 'aria-live': 'polite' });
  const rows = [];
  const nodes = flattenTree(departmentTree(depts));
  const updateSummary = () => {
    const names = nodes.filter((n) => chosen.has(n.dept.id)).map((n) => n.dept.name);
    summary.textContent = names.length
      ? t('request_form.departments_selected', { count: names.length, names: names.join(t('common.list_separator')) })
      : t('request_form.departments_none');
  };
  const list = h('ul', { class: 'pick-list dept-pick' }, nodes.map((n) => {
    const d = n.dept;
    const id = uid(`dept-${d.id}`);
    const box = h('input', { type: 'checkbox', id, value: String(d.id), checked: chosen.has(d.id), name: 'involved_department_ids' });
    box.setAttribute('aria-describedby', hintId);
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(d.id); else chosen.delete(d.id);
      updateSummary();
      api.clearError();
    });
    const path = departmentPath(deptMap, d.id);
    const li = h('li', { class: ['pick-row', `depth-${Math.min(n.depth, 5)}`] }, box,
      h('label', { for: id },
        h('span', { class: 'pick-name' }, d.name, d.id === ownId ? h('span', { class: 'pick-tag', text: t('request_form.own_department') }) : null),
        n.depth > 0 ? h('span', { class: 'pick-sub', text: path }) : null));
    rows.push({ li, box, text: path.toLowerCase() });
    return li;
  }));
  const noMatch = h('p', { class: 'muted pick-empty', hidden: true, text: t('common.no_match') });
  let filter = null;
  if (nodes.length > 10) {
    filter = h('input', { type: 'search', class: 'input pick-filter', autocomplete: 'off', placeholder: t('request_form.departments_filter'), 'aria-label': t('request_form.departments_filter') });
    filter.addEventListener('input', () => {
      const q = filter.value.trim().toLowerCase();
      let shown = 0;
      for (const r of rows) { r.li.hidden = !!q && !r.text.includes(q); if (!r.li.hidden) shown += 1; }
      noMatch.hidden = shown > 0;
    });
  }
  updateSummary();
  const el = h('fieldset', { class: 'field field-set pick-set', 'aria-describedby': hintId },
    h('legend', { class: 'field-label' }, t('field.involved_department_ids'), h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' })),
    h('p', { id: hintId, class: 'field-hint field-hint-top', text: t('request_form.hint.involved_department_ids') }),
    filter,
    h('div', { class: 'pick-lists' }, list, noMatch),
    summary, err);
  const api = {
    el, name: 'involved_department_ids', label: t('field.involved_department_ids'),
    get input() { return rows.length ? rows[0].box : null; },
    value() { return nodes.filter((n) => chosen.has(n.dept.id)).map((n) => n.dept.id); },
    setError(msg) {
      err.replaceChildren(icon('alert'), h('span', { text: msg }));
      err.hidden = false;
      el.classList.add('field-set-invalid');
      for (const r of rows) r.box.setAttribute('aria-describedby', `${errId} ${hintId}`);
    },
    clearError() {
      err.hidden = true;
      err.replaceChildren();
      el.classList.remove('field-set-invalid');
      for (const r of rows) r.box.setAttribute('aria-describedby', hintId);
    },
    focus() { const first = rows.find((r) => !r.li.hidden); if (first) first.box.focus(); },
  };
  return api;
}

export async function mount(main, ctx) {
  const editing = !!ctx.params.id;
  const me = session.user;
  main.replaceChildren(loading());

  let req = null;
  let depts = [];
  let returnEv = null;
  try {
    const [d, r] = await Promise.all([loadDepartments(), editing ? get(`/requests/${ctx.params.id}`) : null]);
    depts = d;
    req = r;
    if (req && req.status === 'returned') {
      const hist = await get(`/requests/${req.id}/history`).catch(() => null);
      const ret = ((hist && hist.items) || []).filter((x) => x.action === 'return');
      returnEv = ret.length ? ret[ret.length - 1] : null;
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) showNotFound(main, { back: { href: '/requests', label: t('request.back_to_list') }, setTitle: ctx.setTitle });
    else main.replaceChildren(loadError(e, () => ctx.navigate(location.pathname)));
    return null;
  }
  ctx.setTitle(editing ? t('request_form.edit_title', { code: req.code }) : t('request_form.new_title'));

  // Nobody without a department can raise a request; a request past review cannot be edited.
  if (!editing && me.department_id == null) {
    main.replaceChildren(pageHeader(t('request_form.new_title')),
      h('div', { class: 'banner banner-warn', role: 'status' }, icon('alert'), h('span', { class: 'banner-text', text: t('error.no_department') })));
    return null;
  }
  if (editing && !(req.allowed_actions || []).includes('edit')) {
    main.replaceChildren(pageHeader(t('request_form.edit_title', { code: unbroken(req.code) })),
      h('div', { class: 'banner banner-warn', role: 'status' }, icon('lock'),
        h('span', { class: 'banner-text', text: t('request_form.not_editable') }),
        h('a', { href: `/requests/${req.id}`, class: 'btn btn-small', text: t('request_form.back_to_request') })));
    return null;
  }

  const ownId = editing ? req.initiating_department_id : me.department_id;
  const v = (k, dflt = '') => (req && req[k] !== undefined && req[k] !== null ? req[k] : dflt);

  // ---- fields ----
  const fTitle = field({ name: 'title', label: t('field.title'), required: true, value: v('title'), hint: t('request_form.hint.title'), attrs: { maxlength: String(LIMITS.title), autocomplete: 'off' } });
  const fDue = field({ name: 'due_date', label: t('field.due_date'), type: 'date', required: true, value: v('due_date'), hint: t('request_form.hint.due_date'), attrs: { min: todayISO() } });
  const fPriority = field({
    kind: 'select', name: 'priority', label: t('field.priority'), value: v('priority', 'normal'),
    options: PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })), hint: t('request_form.hint.priority'),
  });
  // A level above the user's own clearance would hide the request from its own initiator: not offered.
  const myLevel = Math.max(CONFIDENTIALITIES.indexOf(me.clearance), CONFIDENTIALITIES.indexOf(v('confidentiality', 'internal')));
  const fConf = field({
    kind: 'select', name: 'confidentiality', label: t('field.confidentiality'), value: v('confidentiality', 'internal'),
    options: CONFIDENTIALITIES.map((c, i) => ({
      value: c, label: i > myLevel ? t('request_form.above_clearance', { level: t(`clearance.${c}`) }) : t(`clearance.${c}`), disabled: i > myLevel,
    })),
    hint: t('request_form.hint.confidentiality'),
  });
  const area = (name, required, rowsN = 4) => field({
    kind: 'textarea', name, label: t(`field.${name}`), required, value: v(name), hint: t(`request_form.hint.${name}`),
    attrs: { rows: String(rowsN), maxlength: String(LIMITS.text) },
  });
  const fBackground = area('background', true);
  const fGoal = area('goal', true, 3);
  const fCriteria = criteriaField(v('success_criteria', []));
  const fOutcome = area('expected_outcome', false, 3);
  const fResources = area('resources_needed', false);
  const fRisks = area('risks', false, 3);
  const fDepts = departmentsField(depts, v('involved_department_ids', []), ownId);

  const all = [fTitle, fDue, fPriority, fConf, fBackground, fGoal, fCriteria, fOutcome, fResources, fRisks, fDepts];
  const byName = Object.fromEntries(all.map((f) => [f.name, f]));
  const banner = errorBanner();

  const section = (titleKey, leadKey, ...content) => {
    const id = uid('sec');
    return h('section', { class: 'card form-card', 'aria-labelledby': id },
      h('h2', { class: 'card-title', id, text: t(titleKey) }),
      leadKey ? h('p', { class: 'muted form-card-lead', text: t(leadKey) }) : null,
      content);
  };

  const saveBtn = h('button', { type: 'button', class: 'btn', id: 'save-draft' }, icon('check'), h('span', { text: t('request_form.save_draft') }));
  const submitBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'submit-request' }, icon('send'), h('span', { text: t('request_form.submit') }));
  const cancelLink = h('a', { href: editing ? `/requests/${req.id}` : '/requests', class: 'btn btn-quiet', text: t('common.cancel') });

  const form = h('form', { class: 'request-form', novalidate: true, 'aria-labelledby': 'page-title' },
    banner.el,
    returnEv && returnEv.note ? h('div', { class: 'banner banner-warn return-banner', role: 'note' }, icon('undo'),
      h('div', { class: 'banner-text' },
        h('p', { class: 'banner-title', text: t('request.returned_by', { name: returnEv.actor_name || t('history.system') }) }),
        h('p', { class: 'quote', text: returnEv.note }))) : null,
    section('request_form.section.basics', null,
      fTitle.el,
      h('div', { class: 'form-row' }, fDue.el, fPriority.el, fConf.el)),
    section('request_form.section.content', 'request_form.section.content_lead',
      fBackground.el, fGoal.el, fCriteria.el, fOutcome.el),
    section('request_form.section.resources', null, fResources.el, fRisks.el),
    section('request_form.section.departments', null, fDepts.el),
    h('div', { class: 'form-bar' },
      h('p', { class: 'form-bar-note muted', text: t('request_form.submit_note') }),
      h('div', { class: 'form-bar-actions' }, cancelLink, saveBtn, submitBtn)));

  main.replaceChildren(
    h('div', { class: 'page-head' },
      h('div',
        editing ? h('p', { class: 'page-kicker' }, h('span', { class: 'req-code', text: req.code }), statusBadge(req.status)) : null,
        h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1', text: editing ? t('request_form.edit_title', { code: unbroken(req.code) }) : t('request_form.new_title') }),
        h('p', { class: 'page-sub', text: t('request_form.lead') }))),
    form);

  // ---- checking ----

  function clearErrors() {
    banner.clear();
    for (const f of all) f.clearError();
  }

  // -> [{field, message}] found in the browser, in the order of the form. A draft needs only its title;
  // submitting needs every required field (the API checks the same, RQ-7 of docs/requests.md).
  function check(submitting) {
    const errs = [];
    const need = (f) => { if (!String(f.value()).trim() && (submitting || f === fTitle)) errs.push({ f, msg: t('error.required', { field: f.label }) }); };
    const max = (f, n) => { if (chars(String(f.value()).trim()) > n) errs.push({ f, msg: t('error.too_long_max', { field: f.label, max: n }) }); };
    need(fTitle); max(fTitle, LIMITS.title);
    const due = fDue.value();
    if (!due) { if (submitting) errs.push({ f: fDue, msg: t('error.required', { field: fDue.label }) }); }
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) errs.push({ f: fDue, msg: t('error.invalid_type', { field: fDue.label }) });
    else if (due < todayISO()) errs.push({ f: fDue, msg: t('error.date_in_past', { field: fDue.label }) });
    need(fBackground); max(fBackground, LIMITS.text);
    need(fGoal); max(fGoal, LIMITS.text);
    const crit = fCriteria.rawValues();
    const filled = crit.filter(Boolean);
    if (!filled.length) { if (submitting) errs.push({ f: fCriteria, msg: t('error.required.success_criteria') }); }
    else if (filled.some((c) => chars(c) > LIMITS.criterion)) errs.push({ f: fCriteria, msg: t('error.too_long.success_criteria') });
    for (const f of [fOutcome, fResources, fRisks]) max(f, LIMITS.text);
    const ids = fDepts.value();
    if (!ids.some((id) => id !== ownId)) { if (submitting) errs.push({ f: fDepts, msg: t('error.required.involved_department_ids') }); }
    else if (ids.length > LIMITS.departments) errs.push({ f: fDepts, msg: t('error.too_many_departments', { max: LIMITS.departments }) });
    return errs;
  }

  function showErrors(errs) {
    const seen = new Set();
    for (const { f, msg } of errs) {
      if (seen.has(f)) continue;
      seen.add(f);
      f.setError(msg);
    }
    if (seen.size > 1) banner.show(t('request_form.fix_errors', { count: seen.size }));
    const first = errs[0].f;
    if (first.focus) first.focus(); else first.input.focus();
  }

  // A failure from the API: under its field when it names one we show, else in the banner.
  function showApiError(err) {
    if (err instanceof ApiError && err.status === 412) {
      banner.show(t('error.precondition_failed'), h('button', {
        type: 'button', class: 'btn btn-small', text: t('common.reload'), onclick: () => ctx.navigate(location.pathname),
      }));
      banner.el.scrollIntoView({ block: 'center' });
      return;
    }
    const name = err instanceof ApiError && err.field ? String(err.field).split(/[.[]/)[0] : null;
    const target = name ? byName[name] : null;
    const msg = errorMessage(err, {}, target ? target.label : fieldLabel(name));
    if (target) showErrors([{ f: target, msg }]);
    else { banner.show(msg); banner.el.scrollIntoView({ block: 'center' }); }
  }

  function body() {
    const b = {
      title: fTitle.value().trim(),
      due_date: fDue.value(),
      priority: fPriority.value(),
      confidentiality: fConf.value(),
      success_criteria: fCriteria.value(),
      involved_department_ids: fDepts.value(),
    };
    for (const k of TEXT_FIELDS) b[k] = byName[k].value().trim();
    return b;
  }

  async function save() {
    if (!req) {
      req = await post('/requests', body());
      // From now on this is an edit of the saved draft (a failed submit must not create a second one).
      history.replaceState(null, '', `/requests/${req.id}/edit`);
      cancelLink.setAttribute('href', `/requests/${req.id}`);
    } else {
      req = await patch(`/requests/${req.id}`, body(), req.version);
    }
    return req;
  }

  // Who will review: the head of the initiating department, or the first head above when the initiator heads
  // it (the rule rq_reviewer of the API); the request knows once saved.
  async function reviewerName() {
    let users = [];
    try { users = await loadUsers(); } catch { /* the sentence without a name */ }
    const userMap = byId(users);
    let rid = req && req.reviewer_id;
    if (!rid) {
      const deptMap = byId(depts);
      const seen = new Set();
      for (let d = deptMap.get(ownId); d && !seen.has(d.id); d = d.parent_id != null ? deptMap.get(d.parent_id) : null) {
        seen.add(d.id);
        if (d.head_user_id && d.head_user_id !== me.id) { rid = d.head_user_id; break; }
      }
    }
    return rid && userMap.has(rid) ? userMap.get(rid).name : null;
  }

  // What was last saved (or loaded): the form has unsaved changes while it differs.
  const snapshot = () => JSON.stringify(body());
  let saved = snapshot();

  let busy = false;
  async function run(submitting) {
    if (busy) return;
    clearErrors();
    const errs = check(submitting);
    if (errs.length) { showErrors(errs); return; }
    if (submitting) {
      const name = await reviewerName();
      const yes = await confirmDialog({
        title: req ? t('request.submit_title', { code: unbroken(req.code) }) : t('request_form.submit_title_new'),
        message: name ? t('request.submit_text', { name }) : t('request.submit_text_plain'),
        confirmLabel: t('request.act.submit'),
      });
      if (!yes) return;
    }
    busy = true;
    saveBtn.disabled = true;
    submitBtn.disabled = true;
    form.setAttribute('aria-busy', 'true');
    let stored = false;
    try {
      await save();
      stored = true;
      saved = snapshot();
      if (submitting) {
        req = await post(`/requests/${req.id}/submit`);
        const on = req.waiting && req.waiting.on && req.waiting.on.length ? req.waiting.on.map((x) => x.name).join(t('common.list_separator')) : null;
        toast(on ? t('request_form.submitted_to', { name: on }) : t('request_form.submitted'));
      } else {
        toast(t('request_form.saved', { code: req.code }));
      }
      ctx.navigate(`/requests/${req.id}`);
    } catch (err) {
      if (stored && submitting) {
        // The draft is saved; only the submission failed (e.g. no reviewer, or the due date passed).
        showApiError(err);
        toast(t('request_form.saved_not_submitted', { code: req.code }), 'info');
      } else {
        showApiError(err);
      }
    } finally {
      busy = false;
      saveBtn.disabled = false;
      submitBtn.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  saveBtn.addEventListener('click', () => run(false));
  submitBtn.addEventListener('click', () => run(true));
  // Enter in a field submits the form implicitly: it must never submit for review (nor save).
  form.addEventListener('submit', (e) => e.preventDefault());
  return { unsaved: () => snapshot() !== saved };
}
