// A department's impact assessment (影响评估与资源预估) of a request: /requests/{id}/assess/{department_id}.
// Impact scope, person-days, cost, materials, schedule impact in working days, the verdict and its conditions.
// The first save creates it; revising sends If-Match with the assessment's version.

import { h, icon } from '../lib/dom.js';
import { t, formatDay, formatDateTime } from '../lib/i18n.js';
import { get, put, ApiError } from '../lib/api.js';
import { loadDepartments, byId } from '../lib/session.js';
import { loading, loadError, toast, errorMessage, field, errorBanner, errorSummary, choiceField } from '../lib/ui.js';
import { statusBadge, waitingLine, verdictBadge } from '../lib/requests.js';
import { showNotFound } from './notfound.js';

export const titleKey = 'assess.title';

function chars(s) {
  return Array.from(String(s || '')).length;
}

export async function mount(main, ctx) {
  const id = Number(ctx.params.id);
  const deptId = Number(ctx.params.department_id);
  main.replaceChildren(loading());

  let r;
  let list;
  let deptMap;
  try {
    const [req, as, depts] = await Promise.all([get(`/requests/${id}`), get(`/requests/${id}/assessments`), loadDepartments().catch(() => [])]);
    r = req;
    list = as;
    deptMap = byId(depts);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) showNotFound(main, { back: { href: '/requests', label: t('request.back_to_list') }, setTitle: ctx.setTitle });
    else main.replaceChildren(loadError(e, () => ctx.navigate(location.pathname)));
    return null;
  }
  const dept = deptMap.get(deptId);
  const deptName = dept ? dept.name : t('dept.unknown_department', { id: deptId });
  let existing = ((list && list.items) || []).find((a) => a.department_id === deptId) || null;
  ctx.setTitle(t('assess.page_title', { department: deptName, code: r.code }));

  const back = h('a', { href: `/requests/${r.id}`, class: 'btn btn-quiet' }, t('assess.back'));
  const head = h('div', { class: 'page-head' },
    h('div',
      h('p', { class: 'page-kicker' },
        h('a', { href: `/requests/${r.id}`, class: 'crumb' }, h('span', { class: 'req-code', text: r.code })),
        statusBadge(r.status)),
      h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1', text: t('assess.heading', { department: deptName }) }),
      h('p', { class: 'page-sub', text: r.title })));

  const allowed = (r.allowed_actions || []).includes('assess') && (r.my_department_ids || []).includes(deptId);
  if (!allowed) {
    main.replaceChildren(head,
      h('div', { class: 'banner banner-warn', role: 'status' }, icon('lock'),
        h('span', { class: 'banner-text', text: (r.involved_department_ids || []).includes(deptId) ? t('assess.not_allowed') : t('assess.not_involved') }),
        back));
    return null;
  }

  // ---- the form ----
  const v = (k, dflt = '') => (existing && existing[k] !== undefined && existing[k] !== null ? existing[k] : dflt);
  const fImpact = field({ kind: 'textarea', name: 'impact', label: t('field.impact'), required: true, value: v('impact'), hint: t('assess.hint.impact'), attrs: { rows: '4', maxlength: '5000' } });
  const fDays = field({ name: 'person_days', label: t('field.person_days'), type: 'number', required: true, value: existing ? existing.person_days : '', hint: t('assess.hint.person_days'), attrs: { min: '0', step: '0.5', inputmode: 'decimal' } });
  const fCost = field({ name: 'cost', label: t('field.cost_yuan'), type: 'number', required: true, value: existing ? existing.cost : '', hint: t('assess.hint.cost'), attrs: { min: '0', step: '0.01', inputmode: 'decimal' } });
  const fSchedule = field({ name: 'schedule_impact_days', label: t('field.schedule_impact_days'), type: 'number', required: true, value: existing ? existing.schedule_impact_days : '', hint: t('assess.hint.schedule_impact_days'), attrs: { min: '0', step: '1', inputmode: 'numeric' } });
  const fMaterials = field({ kind: 'textarea', name: 'materials', label: t('field.materials'), value: v('materials'), hint: t('assess.hint.materials'), attrs: { rows: '2', maxlength: '5000' } });
  const fVerdict = choiceField({
    name: 'verdict', label: t('field.verdict'), value: v('verdict', ''), required: true, hint: t('assess.hint.verdict'),
    options: [
      { value: 'feasible', label: t('verdict.feasible'), desc: t('assess.verdict.feasible_desc'), tone: 'ok' },
      { value: 'conditional', label: t('verdict.conditional'), desc: t('assess.verdict.conditional_desc'), tone: 'warn' },
      { value: 'infeasible', label: t('verdict.infeasible'), desc: t('assess.verdict.infeasible_desc'), tone: 'danger' },
    ],
  });
  const fConditions = field({ kind: 'textarea', name: 'conditions', label: t('field.conditions'), required: true, value: v('conditions'), hint: t('assess.hint.conditions'), attrs: { rows: '3', maxlength: '5000' } });
  const syncConditions = () => {
    const need = fVerdict.value() !== '' && fVerdict.value() !== 'feasible';
    const star = fConditions.el.querySelector('.req');
    if (star) star.hidden = !need;
    fConditions.input.required = need;
  };
  fVerdict.onChange(syncConditions);
  syncConditions();

  const all = [fImpact, fDays, fCost, fSchedule, fMaterials, fVerdict, fConditions];
  const byName = Object.fromEntries(all.map((f) => [f.name, f]));
  const banner = errorBanner();
  const errSummary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'assess-submit' }, icon('send'),
    h('span', { text: existing ? t('assess.submit_revise') : t('assess.submit') }));

  const form = h('form', { class: 'assess-form', novalidate: true, 'aria-labelledby': 'page-title' },
    errSummary.el,
    banner.el,
    existing ? h('div', { class: 'banner banner-info' }, icon('info'),
      h('span', { class: 'banner-text', text: t('assess.revising', { name: existing.assessor_name || '', at: formatDateTime(existing.updated_at) }) })) : null,
    h('section', { class: 'card form-card', 'aria-labelledby': 'assess-impact' },
      h('h2', { class: 'card-title', id: 'assess-impact', text: t('assess.section.impact') }),
      h('p', { class: 'muted form-card-lead', text: t('assess.section.impact_lead') }),
      fImpact.el,
      h('div', { class: 'form-row' }, fDays.el, fCost.el, fSchedule.el),
      fMaterials.el),
    h('section', { class: 'card form-card', 'aria-labelledby': 'assess-verdict' },
      h('h2', { class: 'card-title', id: 'assess-verdict', text: t('assess.section.verdict') }),
      fVerdict.el, fConditions.el),
    h('div', { class: 'form-bar' },
      h('p', { class: 'form-bar-note muted', text: t('assess.submit_note') }),
      h('div', { class: 'form-bar-actions' }, back, submit)));

  // What is being assessed, beside the form.
  const summary = h('aside', { class: 'card assess-summary', 'aria-labelledby': 'assess-req' },
    h('h2', { class: 'card-title', id: 'assess-req', text: t('assess.request') }),
    waitingLine(r.waiting, { withStep: true }),
    h('dl', { class: 'doc doc-compact' },
      h('div', { class: 'doc-row' }, h('dt', { text: t('field.goal') }), h('dd', { class: 'prose', text: r.goal || '' })),
      h('div', { class: 'doc-row' }, h('dt', { text: t('field.success_criteria') }),
        h('dd', h('ol', { class: 'criteria' }, (r.success_criteria || []).map((c) => h('li', { text: c }))))),
      r.resources_needed ? h('div', { class: 'doc-row' }, h('dt', { text: t('field.resources_needed') }), h('dd', { class: 'prose', text: r.resources_needed })) : null,
      h('div', { class: 'doc-row' }, h('dt', { text: t('field.due_date') }), h('dd', { text: formatDay(r.due_date) })),
      h('div', { class: 'doc-row' }, h('dt', { text: t('request.raised_by_short') }),
        h('dd', { text: `${r.initiator_name || ''} · ${r.initiating_department_name || ''}` }))),
    existing ? h('p', { class: 'assess-current' }, h('span', { class: 'muted', text: t('assess.current_verdict') }), verdictBadge(existing.verdict)) : null,
    h('a', { href: `/requests/${r.id}`, class: 'card-link' }, t('assess.full_request'), icon('chevron')));

  main.replaceChildren(head, h('div', { class: 'assess-layout' }, form, summary));

  // ---- checking and saving ----
  const numberError = (f, { integer = false } = {}) => {
    const raw = String(f.value()).trim();
    if (!raw) return t('error.required', { field: f.label });
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n)) || f.input.validity.badInput) {
      return t(integer ? 'error.whole_number' : 'error.non_negative', { field: f.label });
    }
    return null;
  };

  function check() {
    const errs = [];
    if (!fImpact.value().trim()) errs.push([fImpact, t('error.required', { field: fImpact.label })]);
    else if (chars(fImpact.value()) > 5000) errs.push([fImpact, t('error.too_long_max', { field: fImpact.label, max: 5000 })]);
    for (const [f, opts] of [[fDays, {}], [fCost, {}], [fSchedule, { integer: true }]]) {
      const msg = numberError(f, opts);
      if (msg) errs.push([f, msg]);
    }
    if (!fVerdict.value()) errs.push([fVerdict, t('assess.verdict_required')]);
    else if (fVerdict.value() !== 'feasible' && !fConditions.value().trim()) errs.push([fConditions, t('assess.conditions_required')]);
    return errs;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    banner.clear();
    errSummary.clear();
    for (const f of all) f.clearError();
    const errs = check();
    if (errs.length) {
      for (const [f, msg] of errs) f.setError(msg);
      errSummary.show(errs.map(([f, msg]) => ({ message: msg, input: f.input })));
      return;
    }
    const body = {
      impact: fImpact.value().trim(),
      person_days: Number(fDays.value()),
      cost: Number(fCost.value()),
      materials: fMaterials.value().trim(),
      schedule_impact_days: Number(fSchedule.value()),
      verdict: fVerdict.value(),
      conditions: fConditions.value().trim(),
    };
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      existing = await put(`/requests/${r.id}/assessments/${deptId}`, body, existing ? existing.version : undefined);
      toast(t('assess.saved', { department: deptName }));
      ctx.navigate(`/requests/${r.id}`);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 412 || err.code === 'if_match_required')) {
        banner.show(t('assess.stale'), h('button', { type: 'button', class: 'btn btn-small', text: t('common.reload'), onclick: () => ctx.navigate(location.pathname) }));
      } else {
        const name = err instanceof ApiError && err.field ? String(err.field).split(/[.[]/)[0] : null;
        const target = name ? byName[name] : null;
        const msg = errorMessage(err, {}, target ? target.label : null);
        if (target) { target.setError(msg); target.input.focus(); } else banner.show(msg);
      }
      if (!banner.el.hidden) banner.el.scrollIntoView({ block: 'center' });
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  return null;
}
