/* Stage 1 operations: the request's steps on rq_machine, assessments, and the views the caller sees. */
#include "ops/request.h"

#include "ops/org.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/org.h"
#include "ops/project.h"
#include "store/audit.h"
#include "store/inbox.h"
#include "store/org.h"
#include "store/rows.h"
#include "util/clock.h"
#include "util/str.h"

enum { HEADS_MAX = 64 };

/* ------------------------------------------------------------------ loading */

static int load_visible(op_ctx *c, int64_t id, request *rq, lerr *e)
{
	int rc = rq_load_visible(c->db, c->a, &c->who, id, rq);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "request %lld does not exist", (long long)id);
	return op_fail("request", e);
}

/* The head who reviews and decides: the initiating department's head, or the first head above it when
 * the initiator heads it (or it has none). */
static int64_t reviewer_of(op_ctx *c, const request *rq)
{
	if (rq->reviewer_override) /* handed on (转交) */
		return rq->reviewer_override;
	int64_t heads[HEADS_MAX];
	size_t n = dept_heads_up(c->db, rq->initiating_department_id, heads, HEADS_MAX);
	return rq_reviewer(rq->initiator_id, heads, n);
}

static bool involves(const request *rq, int64_t dept)
{
	for (size_t i = 0; i < rq->ninvolved; i++)
		if (rq->involved[i] == dept)
			return true;
	return false;
}

/* Who assesses for dept after a transfer (转交), or 0. */
static int64_t assignee_of(const request *rq, int64_t dept)
{
	for (size_t i = 0; rq->assignees && i < rq->ninvolved; i++)
		if (rq->involved[i] == dept)
			return rq->assignees[i];
	return 0;
}

/* What the person `who` is to the request by their own positions (for assessing, `assess_dept` narrows
 * RQR_ASSESSOR to one department). */
static unsigned own_roles(op_ctx *c, const principal *who, const request *rq, int64_t reviewer, int64_t assess_dept);

/* The step roles (reviewer, assessor, added approver) of a person the caller stands in for (代理人). */
static unsigned step_roles_of(op_ctx *c, int64_t uid, const request *rq, int64_t reviewer, int64_t assess_dept)
{
	principal p;
	if (!principal_of(c->db, c->a, uid, &p))
		return 0;
	return own_roles(c, &p, rq, reviewer, assess_dept) & (RQR_REVIEWER | RQR_ASSESSOR | RQR_SIGNER);
}

/* Whom the caller stands in for today (代理人): an arena array. */
static size_t delegators_of(op_ctx *c, int64_t **out)
{
	char today[11];
	size_t n = 0;
	op_today(today);
	if (org_delegators(c->db, c->a, c->who.user_id, today, out, &n) != DB_DONE)
		n = 0;
	return n;
}

/* What the caller is to the request: their own roles, and the steps of those they stand in for. */
static unsigned roles_of(op_ctx *c, const request *rq, int64_t reviewer, int64_t assess_dept)
{
	unsigned roles = own_roles(c, &c->who, rq, reviewer, assess_dept);
	int64_t *dl;
	size_t nd = delegators_of(c, &dl);
	for (size_t i = 0; i < nd; i++)
		roles |= step_roles_of(c, dl[i], rq, reviewer, assess_dept);
	return roles;
}

/* The person the caller acts for when only a delegation lets them take `act` (recorded "on behalf of"),
 * else 0. */
static int64_t acting_for(op_ctx *c, const request *rq, int64_t reviewer, int64_t assess_dept, enum rq_action act)
{
	if (rq_can((enum rq_status)rq->status, act, own_roles(c, &c->who, rq, reviewer, assess_dept), NULL) == 0)
		return 0;
	int64_t *dl;
	size_t nd = delegators_of(c, &dl);
	for (size_t i = 0; i < nd; i++)
		if (rq_can((enum rq_status)rq->status, act, step_roles_of(c, dl[i], rq, reviewer, assess_dept), NULL) == 0)
			return dl[i];
	return 0;
}

/* The timeline's note for a step taken on behalf of someone: "代李强办理" (and the comment). */
/* A timeline note naming a person: "<before>NAME<after>", then "：comment" when there is one. */
static const char *person_note(op_ctx *c, int64_t uid, const char *before, const char *after, const char *comment)
{
	const char **names;
	const char *name = org_user_names(c->db, c->a, &uid, 1, &names) == DB_DONE && names[0] ? names[0] : "?";
	bool said = comment && *comment;
	return arena_printf(c->a, "%s%s%s%s%s", before, name, after, said ? "：" : "", said ? comment : "");
}

static const char *behalf_note(op_ctx *c, int64_t for_uid, const char *comment)
{
	return for_uid ? person_note(c, for_uid, "代", "办理", comment) : comment;
}

static unsigned own_roles(op_ctx *c, const principal *who, const request *rq, int64_t reviewer, int64_t assess_dept)
{
	bool assesses = false;
	if (assess_dept) {
		assesses = involves(rq, assess_dept) && (assignee_of(rq, assess_dept) == who->user_id ||
							 dept_is_liaison_or_head(c->db, c->a, assess_dept, who->user_id));
	} else {
		int64_t *mine;
		size_t n;
		for (size_t i = 0; i < rq->ninvolved && !assesses; i++)
			assesses = rq->assignees && rq->assignees[i] == who->user_id;
		assesses = assesses ||
			   (dept_filter_mine(c->db, c->a, who->user_id, rq->involved, rq->ninvolved, &mine, &n) == DB_DONE && n);
	}
	return rq_roles(rq, who->user_id, reviewer, assesses, who->is_coordinator, who->is_admin);
}

/* Assessments received from involved departments: counts, and when the last one came. */
typedef struct tally {
	assessment *items;
	size_t n, received, infeasible;
	int64_t last_at;
	int64_t *pending;
	size_t npending;
} tally;

/* The tally of rq from its assessments items[0..n) (any order, other requests' ignored). */
static void tally_from(op_ctx *c, const request *rq, assessment *items, size_t n, tally *t)
{
	memset(t, 0, sizeof *t);
	t->items = items;
	t->n = n;
	t->pending = arena_alloc(c->a, (rq->ninvolved ? rq->ninvolved : 1) * sizeof *t->pending);
	for (size_t k = 0; k < rq->ninvolved; k++) {
		bool got = false;
		for (size_t i = 0; i < n; i++)
			if (items[i].request_id == rq->id && items[i].department_id == rq->involved[k]) {
				got = true;
				t->received++;
				t->infeasible += items[i].verdict == RQV_INFEASIBLE;
				if (items[i].created_at > t->last_at)
					t->last_at = items[i].created_at;
			}
		if (!got)
			t->pending[t->npending++] = rq->involved[k];
	}
}

static int tally_of(op_ctx *c, const request *rq, tally *t)
{
	assessment *items;
	size_t n;
	if (assessment_list(c->db, c->a, rq->id, &items, &n) != DB_DONE)
		return -1;
	tally_from(c, rq, items, n, t);
	return 0;
}

/* ------------------------------------------------------------------ the views */

/* What the views of a page share, loaded once whatever the page's length: the department tree (for
 * reviewers and names), the departments the viewer speaks for, every assessment of the page's
 * requests and the names of their reviewers.  A page of any length costs the same few statements. */
typedef struct view_env {
	const department *depts;
	size_t ndepts;
	const int64_t *mine;    /* departments the viewer heads or is a liaison of */
	size_t nmine;
	assessment *as;         /* of every request of the page */
	size_t nas;
	int64_t *reviewers;     /* per request of the page */
	const char **reviewer_names;
	rq_countersign *cs;     /* of every request of the page (full views) */
	size_t ncs;
	int64_t *dl;            /* whom the viewer stands in for today (代理人; full views) */
	size_t ndl;
	int64_t *dmine;         /* the departments those people assess for */
	size_t ndmine;
} view_env;

/* The reviewer of rq, walking the tree in memory (the rule: rq_reviewer). */
static int64_t reviewer_in(const view_env *env, const request *rq)
{
	if (rq->reviewer_override)
		return rq->reviewer_override;
	int64_t heads[HEADS_MAX];
	size_t n = 0;
	for (int64_t dept = rq->initiating_department_id; dept > 0 && n < HEADS_MAX;) {
		const department *dp = org_dept_find(env->depts, env->ndepts, dept);
		if (!dp)
			break;
		heads[n++] = dp->head_user_id;
		dept = dp->parent_id;
	}
	return rq_reviewer(rq->initiator_id, heads, n);
}

/* What views share whatever the requests: the tree and the viewer's departments (full views only). */
static int env_base(op_ctx *c, bool full, view_env *env, lerr *e)
{
	memset(env, 0, sizeof *env);
	if (org_dept_all(c->db, c->a, &env->depts, &env->ndepts) != DB_DONE ||
	    (full && org_user_departments(c->db, c->a, c->who.user_id, &env->mine, &env->nmine) != DB_DONE))
		return op_fail("request", e);
	if (full && (env->ndl = delegators_of(c, &env->dl))) { /* and the departments of those the viewer stands in for */
		size_t cap = 0;
		for (size_t i = 0; i < env->ndl; i++) {
			const int64_t *d;
			size_t n;
			if (org_user_departments(c->db, c->a, env->dl[i], &d, &n) != DB_DONE)
				return op_fail("request", e);
			for (size_t k = 0; k < n; k++) {
				env->dmine = rows_grow(c->a, env->dmine, env->ndmine, &cap, sizeof *env->dmine);
				env->dmine[env->ndmine++] = d[k];
			}
		}
	}
	return 0;
}

/* What the views of items need besides: their assessments and their reviewers' names. */
static int env_page(op_ctx *c, const request *items, size_t n, view_env *env, lerr *e)
{
	int64_t *ids = arena_alloc(c->a, (n ? n : 1) * sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = items[i].id;
	if (assessment_list_many(c->db, c->a, ids, n, &env->as, &env->nas) != DB_DONE)
		return op_fail("request", e);
	env->reviewers = arena_alloc(c->a, (n ? n : 1) * sizeof *env->reviewers);
	for (size_t i = 0; i < n; i++)
		env->reviewers[i] = reviewer_in(env, &items[i]);
	if (org_user_names(c->db, c->a, env->reviewers, n, &env->reviewer_names) != DB_DONE)
		return op_fail("request", e);
	return 0;
}

static bool mine(const view_env *env, int64_t dept)
{
	for (size_t i = 0; i < env->nmine; i++)
		if (env->mine[i] == dept)
			return true;
	return false;
}

static rq_party dept_party(const view_env *env, int64_t id)
{
	const department *dp = org_dept_find(env->depts, env->ndepts, id);
	return (rq_party){"department", id, dp ? dp->name : NULL};
}

/* The i-th request of the page as the caller sees it: reviewer, assessment progress, whom it waits
 * on; with `full`, what the caller may do and for which departments they assess. */
static void view_of(op_ctx *c, const view_env *env, size_t i, const request *rq, bool full, request_view *v)
{
	memset(v, 0, sizeof *v);
	v->rq = *rq;
	if (v->rq.due_date && !*v->rq.due_date)
		v->rq.due_date = NULL; /* a draft without one (RQ-7) */
	if (full) { /* the page's countersigns: this request's, and who has not answered */
		size_t k = 0;
		while (k < env->ncs && env->cs[k].request_id != rq->id)
			k++;
		v->countersigns = env->cs + k;
		v->rq.signers = arena_alloc(c->a, (env->ncs ? env->ncs : 1) * sizeof *v->rq.signers);
		v->rq.nsigners = 0;
		for (; k < env->ncs && env->cs[k].request_id == rq->id; k++, v->ncountersigns++)
			if (env->cs[k].decision < 0)
				v->rq.signers[v->rq.nsigners++] = env->cs[k].user_id;
		rq = &v->rq;
	}
	v->reviewer_id = env->reviewers[i];
	rq_party reviewer = {"user", v->reviewer_id, env->reviewer_names[i]};
	tally t;
	tally_from(c, rq, env->as, env->nas, &t);
	v->progress = (rq_progress){(int64_t)rq->ninvolved, (int64_t)t.received, t.pending, t.npending};
	rq_waiting *w = arena_alloc(c->a, sizeof *w);
	w->since = rq->status_changed_at;
	w->on = arena_alloc(c->a, (t.npending + v->ncountersigns + 1) * sizeof *w->on);
	switch (rq->status) {
	case RQ_DRAFT:
	case RQ_RETURNED:
		w->step = rq->status == RQ_DRAFT ? "draft" : "revision";
		w->on[w->non++] = (rq_party){"user", rq->initiator_id, rq->initiator_name};
		break;
	case RQ_SUBMITTED:
		w->step = "review";
		if (v->reviewer_id)
			w->on[w->non++] = reviewer;
		break;
	case RQ_ASSESSING:
		if (t.npending) {
			w->step = "assessment";
			for (size_t k = 0; k < t.npending; k++) {
				int64_t who = assignee_of(rq, t.pending[k]); /* handed to a person (转交) */
				w->on[w->non++] = who ? (rq_party){"user", who, NULL} : dept_party(env, t.pending[k]);
			}
		} else if (rq->nsigners) { /* the decision waits for the approvers it added (加签) */
			w->step = "countersign";
			w->since = t.last_at;
			for (size_t k = 0; k < v->ncountersigns; k++)
				if (v->countersigns[k].decision < 0)
					w->on[w->non++] = (rq_party){"user", v->countersigns[k].user_id, v->countersigns[k].name};
		} else {
			w->step = "decision"; /* since the last assessment arrived */
			w->since = t.last_at;
			if (v->reviewer_id)
				w->on[w->non++] = reviewer;
		}
		break;
	default:
		break;
	}
	v->waiting = w->step ? w : NULL;
	if (!full)
		return;
	v->mine = arena_alloc(c->a, (rq->ninvolved ? rq->ninvolved : 1) * sizeof *v->mine);
	unsigned delegated = 0; /* the steps of those the viewer stands in for (代理人) */
	for (size_t k = 0; k < rq->ninvolved; k++) {
		bool theirs = false;
		for (size_t j = 0; j < env->ndmine && !theirs; j++)
			theirs = env->dmine[j] == rq->involved[k];
		for (size_t j = 0; j < env->ndl && !theirs; j++)
			theirs = rq->assignees && rq->assignees[k] == env->dl[j];
		if (mine(env, rq->involved[k]) || (rq->assignees && rq->assignees[k] == c->who.user_id) || theirs)
			v->mine[v->nmine++] = rq->involved[k];
	}
	for (size_t j = 0; j < env->ndl; j++) {
		if (v->reviewer_id == env->dl[j])
			delegated |= RQR_REVIEWER;
		for (size_t k = 0; k < rq->nsigners; k++)
			if (rq->signers[k] == env->dl[j])
				delegated |= RQR_SIGNER;
	}
	unsigned roles = rq_roles(rq, c->who.user_id, v->reviewer_id, v->nmine > 0, c->who.is_coordinator, c->who.is_admin) |
			 delegated;
	static const struct {
		enum rq_action a;
		const char *name;
	} acts[] = {
		{RQA_EDIT, "edit"},     {RQA_SUBMIT, "submit"}, {RQA_APPROVE, "review"},
		{RQA_ASSESS, "assess"}, {RQA_ACCEPT, "decide"}, {RQA_CANCEL, "cancel"}, {RQA_WITHDRAW, "withdraw"}, {RQA_URGE, "urge"}, {RQA_CC, "cc"}, {RQA_TRANSFER, "transfer"}, {RQA_COUNTERSIGN, "countersign"}, {RQA_SIGN, "countersign_answer"},
	};
	v->allowed = arena_alloc(c->a, sizeof acts / sizeof acts[0] * sizeof *v->allowed);
	/* 转交 is offered to whoever the current step waits on: the reviewer for the review and the decision,
	 * an assessor of a department still to assess (op_request_transfer checks the same). */
	bool reviewer_step = rq->status == RQ_SUBMITTED || t.npending == 0, my_step = reviewer_step && v->reviewer_id == c->who.user_id;
	for (size_t k = 0; !reviewer_step && k < t.npending && !my_step; k++)
		for (size_t j = 0; j < v->nmine; j++)
			my_step |= v->mine[j] == t.pending[k];
	for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++)
		if (rq_can((enum rq_status)rq->status, acts[k].a, roles, NULL) == 0 && (acts[k].a != RQA_TRANSFER || my_step))
			v->allowed[v->nallowed++] = acts[k].name;
}

/* Views of a page of requests, in a bounded number of statements; base (from env_base) when the caller
 * has it already, else loaded here. */
static int views_with(op_ctx *c, const view_env *base, const request *items, size_t n, bool full, request_view **out,
		      lerr *e)
{
	view_env env;
	int rc = 0;
	if (base)
		env = *base;
	else
		rc = env_base(c, full, &env, e);
	if (rc || (rc = env_page(c, items, n, &env, e)))
		return rc;
	if (full) { /* who was added to approve (加签): shown, and a role of theirs */
		int64_t *ids = arena_alloc(c->a, (n ? n : 1) * sizeof *ids);
		for (size_t i = 0; i < n; i++)
			ids[i] = items[i].id;
		if (rq_countersigns_many(c->db, c->a, ids, n, &env.cs, &env.ncs) != DB_DONE)
			return op_fail("request", e);
	}
	*out = arena_alloc(c->a, (n ? n : 1) * sizeof **out);
	for (size_t i = 0; i < n; i++)
		view_of(c, &env, i, &items[i], full, &(*out)[i]);
	return 0;
}

static int views_of(op_ctx *c, const request *items, size_t n, bool full, request_view **out, lerr *e)
{
	return views_with(c, NULL, items, n, full, out, e);
}

/* Whether the person p may see rq (rq_may_see, with the departments of rq they head found in the tree). */
static bool sees(op_ctx *c, const view_env *env, const request *rq, const principal *p)
{
	if (!p->user_id)
		return false;
	int64_t *headed = arena_alloc(c->a, (rq->ninvolved + 1) * sizeof *headed);
	size_t nheaded = 0;
	for (size_t k = 0; k <= rq->ninvolved; k++) {
		int64_t d = k == rq->ninvolved ? rq->initiating_department_id : rq->involved[k];
		for (int64_t up = d, hops = 0; up > 0 && hops < HEADS_MAX; hops++) {
			const department *dp = org_dept_find(env->depts, env->ndepts, up);
			if (!dp)
				break;
			if (dp->head_user_id == p->user_id) {
				headed[nheaded++] = d;
				break;
			}
			up = dp->parent_id;
		}
	}
	rq_viewer v = {.user_id = p->user_id, .department_id = p->department_id, .clearance = p->clearance,
		       .is_admin = p->is_admin, .is_coordinator = p->is_coordinator, .headed = headed, .nheaded = nheaded};
	return rq_may_see(rq, &v);
}

/* Whom each involved department's assessment is asked of (rq_asked_of: the people tell_departments tells
 * when the review approves), in one statement.  A draft is judged as it will be once submitted. */
static int asked_fill(op_ctx *c, const view_env *env, const request *rq, request_view *v, lerr *e)
{
	/* The involved departments with their liaisons (the tree of env has none). */
	department *depts = arena_alloc(c->a, (rq->ninvolved ? rq->ninvolved : 1) * sizeof *depts);
	for (size_t k = 0; k < rq->ninvolved; k++) {
		const department *dp = org_dept_find(env->depts, env->ndepts, rq->involved[k]);
		depts[k] = dp ? *dp : (department){.id = rq->involved[k]};
		depts[k].liaisons = NULL;
		depts[k].nliaisons = 0;
	}
	if (org_dept_liaisons(c->db, c->a, depts, rq->ninvolved) != DB_DONE)
		return op_fail("request", e);
	size_t cap = 0, n = 0;
	for (size_t k = 0; k < rq->ninvolved; k++)
		cap += depts[k].nliaisons + 1;
	int64_t *ids = arena_alloc(c->a, (cap ? cap : 1) * sizeof *ids);
	for (size_t k = 0; k < rq->ninvolved; k++) {
		const department *dp = &depts[k];
		for (size_t i = 0; dp && i < dp->nliaisons; i++)
			ids[n++] = dp->liaisons[i];
		if (dp && dp->head_user_id > 0)
			ids[n++] = dp->head_user_id;
	}
	principal *ps;
	const char **names;
	if (principals_of(c->db, c->a, ids, n, &ps, &names) != DB_DONE)
		return op_fail("request", e);
	request seen = *rq;
	if (seen.status == RQ_DRAFT)
		seen.status = RQ_SUBMITTED;
	v->asked = arena_alloc(c->a, (rq->ninvolved ? rq->ninvolved : 1) * sizeof *v->asked);
	v->nasked = 0;
	for (size_t k = 0; k < rq->ninvolved; k++) {
		const department *dp = &depts[k];
		size_t nl = dp->nliaisons;
		int64_t head = dp->head_user_id;
		bool *may = arena_alloc(c->a, (nl + 1) * sizeof *may);
		size_t *pick = arena_alloc(c->a, (nl + 1) * sizeof *pick);
		const principal *head_p = NULL;
		const char *head_name = NULL;
		for (size_t i = 0; i < nl; i++) {
			may[i] = false;
			for (size_t j = 0; j < n; j++)
				if (ids[j] == dp->liaisons[i] && ps[j].user_id) {
					may[i] = sees(c, env, &seen, &ps[j]);
					break;
				}
		}
		for (size_t j = 0; head > 0 && j < n; j++)
			if (ids[j] == head && ps[j].user_id) {
				head_p = &ps[j];
				head_name = names[j];
				break;
			}
		rq_asked *a = &v->asked[v->nasked++];
		a->department_id = rq->involved[k];
		size_t m = rq_asked_of(dp->liaisons, may, nl, head, head_p && sees(c, env, &seen, head_p), pick, &a->via);
		a->people = arena_alloc(c->a, (m ? m : 1) * sizeof *a->people);
		a->npeople = 0;
		for (size_t i = 0; i < m; i++) {
			int64_t uid = pick[i] == nl ? head : dp->liaisons[pick[i]];
			const char *name = pick[i] == nl ? head_name : NULL;
			for (size_t j = 0; !name && j < n; j++)
				if (ids[j] == uid)
					name = names[j];
			a->people[a->npeople++] = (rq_party){"user", uid, name};
		}
	}
	return 0;
}

/* The full view of one request: what views_of gives, and whom each department's assessment is asked of. */
static int view_one(op_ctx *c, const request *rq, request_view *out, lerr *e)
{
	view_env env;
	request_view *v;
	int rc = env_base(c, true, &env, e);
	if (!rc)
		rc = views_with(c, &env, rq, 1, true, &v, e);
	if (!rc)
		rc = asked_fill(c, &env, rq, &v[0], e);
	if (!rc)
		*out = v[0];
	return rc;
}

static int view_by_id(op_ctx *c, int64_t id, request_view *out, lerr *e)
{
	request rq;
	if (rq_load(c->db, c->a, id, &rq) != DB_ROW)
		return op_fail("request", e);
	return view_one(c, &rq, out, e);
}

/* ------------------------------------------------------------------ create and edit */

/* Copies the given fields of in over rq. */
static void apply(request *rq, const request_in *in)
{
	if (in->set & RQ_IN_TITLE)
		rq->title = in->title;
	if (in->set & RQ_IN_BACKGROUND)
		rq->background = in->background;
	if (in->set & RQ_IN_GOAL)
		rq->goal = in->goal;
	if (in->set & RQ_IN_CRITERIA) {
		rq->criteria = in->criteria;
		rq->ncriteria = in->ncriteria;
	}
	if (in->set & RQ_IN_RESOURCES)
		rq->resources_needed = in->resources_needed;
	if (in->set & RQ_IN_OUTCOME)
		rq->expected_outcome = in->expected_outcome;
	if (in->set & RQ_IN_DUE)
		rq->due_date = in->due_date;
	if (in->set & RQ_IN_RISKS)
		rq->risks = in->risks;
	if (in->set & RQ_IN_DEPARTMENTS) {
		rq->involved = in->departments;
		rq->ninvolved = in->ndepartments;
	}
	if (in->set & RQ_IN_CONFIDENTIALITY)
		rq->confidentiality = in->confidentiality >= 0 ? in->confidentiality : CLEAR_INTERNAL;
	if (in->set & RQ_IN_PRIORITY)
		rq->priority = in->priority >= 0 ? in->priority : RQP_NORMAL;
}

/* The fields a draft needs (RQ-6, RQ-7), and that every involved department exists.  What the form
 * leaves out is stored empty: submission asks for every field (guard_submit). */
static int check_request(op_ctx *c, request *rq, lerr *e)
{
	const char **texts[] = {&rq->background,       &rq->goal,  &rq->resources_needed,
				&rq->expected_outcome, &rq->risks, &rq->due_date};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (!*texts[i])
			*texts[i] = "";
	int rc = rq_check_draft(rq, c->who.clearance, clock_local_today(), e);
	for (size_t i = 0; !rc && i < rq->ninvolved; i++)
		if (!org_dept_exists(c->db, rq->involved[i]))
			rc = lerr_set(e, LERR_INVALID, "invalid_value", "involved_department_ids",
				      "department %lld does not exist", (long long)rq->involved[i]);
	return rc;
}

int op_request_create(op_ctx *c, const request_in *in, request_view *out, lerr *e)
{
	if (c->who.department_id <= 0)
		return lerr_set(e, LERR_INVALID, "no_department", NULL,
				"you belong to no department, so you cannot raise a request; ask an administrator");
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	request rq = {.confidentiality = CLEAR_INTERNAL, .priority = RQP_NORMAL, .status = RQ_DRAFT,
		      .initiator_id = c->who.user_id, .initiating_department_id = c->who.department_id};
	apply(&rq, in);
	char prefix[16], code[32];
	int64_t id;
	if ((rc = check_request(c, &rq, e)))
		goto done;
	snprintf(prefix, sizeof prefix, "REQ-%04d", clock_local_year());
	rq.code = code;
	if (code_next(c->db, prefix, code, sizeof code) || rq_insert(c->db, &rq, &id) != DB_DONE) {
		rc = op_fail("request", e);
		goto done;
	}
	if (!(rc = view_by_id(c, id, out, e)))
		rc = op_audit(c, "request", id, "create", &request_desc, NULL, &out->rq, NULL, e);
done:
	return op_end(c, rc, e);
}

int op_request_copy(op_ctx *c, int64_t id, request_view *out, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	request src;
	if ((rc = load_visible(c, id, &src, e)))
		goto done;
	request_in in = {.set = RQ_IN_TITLE | RQ_IN_BACKGROUND | RQ_IN_GOAL | RQ_IN_CRITERIA | RQ_IN_RESOURCES |
				RQ_IN_OUTCOME | RQ_IN_RISKS | RQ_IN_DEPARTMENTS | RQ_IN_CONFIDENTIALITY | RQ_IN_PRIORITY,
			 .title = src.title, .background = src.background, .goal = src.goal,
			 .criteria = (const char **)src.criteria, .ncriteria = src.ncriteria,
			 .resources_needed = src.resources_needed, .expected_outcome = src.expected_outcome,
			 .risks = src.risks, .departments = src.involved, .ndepartments = src.ninvolved,
			 .confidentiality = src.confidentiality, .priority = src.priority};
	/* A due date already past is left for the new initiator to choose. */
	if (rq_check_due_date(src.due_date, clock_local_today(), NULL) == 0) {
		in.set |= RQ_IN_DUE;
		in.due_date = src.due_date;
	}
	if (!(rc = op_request_create(c, &in, out, e)))
		rc = op_audit(c, "request", out->rq.id, "copy", NULL, NULL, NULL, src.code, e);
done:
	return op_end(c, rc, e);
}

int op_request_update(op_ctx *c, int64_t id, int64_t version, const request_in *in, request_view *out, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	request before, rq;
	if ((rc = load_visible(c, id, &before, e)) ||
	    (rc = rq_can((enum rq_status)before.status, RQA_EDIT, roles_of(c, &before, reviewer_of(c, &before), 0), e)))
		goto done;
	rq = before;
	rq.version = version;
	apply(&rq, in);
	if ((rc = check_request(c, &rq, e)) || (rc = op_write_result(rq_update(c->db, &rq), "request", id, e)) ||
	    (rc = view_by_id(c, id, out, e)))
		goto done;
	rc = op_audit(c, "request", id, "update", &request_desc, &before, &out->rq, NULL, e);
done:
	return op_end(c, rc, e);
}

/* ------------------------------------------------------------------ the steps */

/* Everyone who acts for the involved departments (only those in `only`, when not NULL): their liaisons,
 * or the head when none of them can be told; with `with_heads` the head as well. */
static int tell_departments(op_ctx *c, const request *rq, const char *kind, bool with_heads, const int64_t *only,
			    size_t nonly, lerr *e)
{
	for (size_t i = 0; i < rq->ninvolved; i++) {
		int64_t dept = rq->involved[i];
		bool listed = !only;
		for (size_t k = 0; only && k < nonly; k++)
			listed |= only[k] == dept;
		if (!listed)
			continue;
		int64_t to = rq->assignees ? rq->assignees[i] : 0;
		if (to) { /* handed to a person (转交): they act for the department on this request */
			int r = op_tell(c, to, kind, "request", rq->id, e);
			if (r < 0)
				return r;
			continue;
		}
		int64_t *people, heads[1];
		size_t n, told = 0;
		if (dept_liaisons(c->db, c->a, dept, &people, &n) != DB_DONE)
			return op_fail("notification", e);
		for (size_t j = 0; j < n; j++) {
			int r = op_tell(c, people[j], kind, "request", rq->id, e);
			if (r < 0)
				return r;
			told += (size_t)r;
		}
		if ((told == 0 || with_heads) && dept_heads_up(c->db, dept, heads, 1) == 1) {
			int r = op_tell(c, heads[0], kind, "request", rq->id, e);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Creates the project of an accepted request (RQ-4), with a follow-up for each condition of the acceptance
 * (`comment` is the decision's; domain/project.h FU-1..FU-4). */
static int create_project(op_ctx *c, const request *rq, const char *comment, lerr *e)
{
	char prefix[16], code[32];
	int64_t project_id;
	snprintf(prefix, sizeof prefix, "PRJ-%04d", clock_local_year());
	if (code_next(c->db, prefix, code, sizeof code) ||
	    project_create_from_request(c->db, rq, code, &project_id) != DB_DONE ||
	    rq_set_project(c->db, rq->id, project_id) != DB_DONE)
		return op_fail("request", e);
	project p;
	if (project_load(c->db, c->a, project_id, &p) != DB_ROW)
		return op_fail("project", e);
	int rc = op_audit(c, "project", project_id, "create", &project_desc, NULL, &p, NULL, e);
	return rc ? rc : op_follow_ups_create(c, rq, &p, comment, e);
}

/* Runs the effects of `act` (the machine's effects column) after the move from `from`. */
static int run_effects(op_ctx *c, const request *rq, enum rq_action act, int from, const tally *t, int64_t reviewer,
		       const char *comment, lerr *e)
{
	unsigned fx = sm_effects(&rq_machine, act);
	const char *kind = rq_notice_kind(act);
	int rc = 0;
	if ((fx & RQE_CREATE_PROJECT) && (rc = create_project(c, rq, comment, e)))
		return rc;
	if ((fx & RQE_TELL_INITIATOR) && (rc = op_tell(c, rq->initiator_id, kind, "request", rq->id, e)) < 0)
		return rc;
	if ((fx & RQE_TELL_REVIEWER) && (rc = op_tell(c, reviewer, kind, "request", rq->id, e)) < 0)
		return rc;
	if ((fx & RQE_TELL_ASSESSORS) &&
	    (rc = tell_departments(c, rq, act == RQA_APPROVE ? "request.assess" : kind, fx & RQE_TELL_HEADS, NULL, 0, e)))
		return rc;
	if (fx & RQE_TELL_WAITING) {
		/* Whoever the request was waiting on: the reviewer, or the departments still to assess. */
		if (from == RQ_SUBMITTED || (from == RQ_ASSESSING && t->npending == 0))
			rc = op_tell(c, reviewer, kind, "request", rq->id, e);
		else if (from == RQ_ASSESSING)
			rc = tell_departments(c, rq, kind, false, t->pending, t->npending, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The inbox items that asked for the step of `from` are done: the request left it (rq_step_items). */
static int items_done(op_ctx *c, int64_t id, int from, lerr *e)
{
	for (const char *const *k = rq_step_items(from); *k; k++) {
		int64_t *users;
		size_t n;
		if (inbox_waiting_users(c->db, c->a, *k, "request", id, &users, &n) != DB_DONE ||
		    inbox_mark_done(c->db, *k, "request", id, 0, clock_now_ms()) != DB_DONE)
			return op_fail("inbox", e);
		for (size_t i = 0; i < n; i++)
			op_recount(c, users[i]);
	}
	return 0;
}

/* After an assessment: the "request.assess" items of those who act for no department still to assess are
 * done (the liaisons and heads tell_departments told). */
static int assess_items_done(op_ctx *c, const request *rq, const tally *t, lerr *e)
{
	static const char *const kinds[] = {"request.assess", "request.transferred"};
	for (size_t j = 0; j < 2; j++) {
		int64_t *users;
		size_t n;
		if (inbox_waiting_users(c->db, c->a, kinds[j], "request", rq->id, &users, &n) != DB_DONE)
			return op_fail("inbox", e);
		for (size_t i = 0; i < n; i++) {
			bool still = false;
			for (size_t k = 0; k < t->npending && !still; k++) {
				int64_t head[1], to = assignee_of(rq, t->pending[k]);
				still = to ? to == users[i]
					   : dept_is_liaison_or_head(c->db, c->a, t->pending[k], users[i]) ||
						     (dept_heads_up(c->db, t->pending[k], head, 1) == 1 && head[0] == users[i]);
			}
			if (still || (j == 1 && reviewer_of(c, rq) == users[i])) /* a decision handed on still waits */
				continue;
			if (inbox_mark_done(c->db, kinds[j], "request", rq->id, users[i], clock_now_ms()) != DB_DONE)
				return op_fail("inbox", e);
			op_recount(c, users[i]);
		}
	}
	return 0;
}

/* One step of rq_machine: gather the facts, ask the machine, move, run the effects, record. */
static int step(op_ctx *c, int64_t id, enum rq_action act, const char *comment, bool force, request_view *out,
		lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	request rq;
	tally t;
	if ((rc = load_visible(c, id, &rq, e)))
		goto done;
	if (tally_of(c, &rq, &t)) {
		rc = op_fail("request", e);
		goto done;
	}
	if (comment && !*comment)
		comment = NULL;
	int64_t reviewer = reviewer_of(c, &rq);
	int64_t now = clock_now_ms();
	rq_facts f = {.rq = &rq, .today = clock_local_today(), .comment = comment, .force = force,
		      .reviewer_id = reviewer, .expected = rq.ninvolved, .received = t.received, .infeasible = t.infeasible,
		      .now = now, .tz_offset_s = clock_local_offset_s(now), .signers_pending = rq.nsigners};
	if (act == RQA_URGE && audit_last_at(c->db, "request", id, rq_action_name(RQA_URGE), &f.last_urged_at) != DB_DONE) {
		rc = op_fail("request", e);
		goto done;
	}
	principal rp, ip;
	if (reviewer && principal_of(c->db, c->a, reviewer, &rp))
		f.reviewer_clearance = rp.clearance;
	else
		f.reviewer_id = 0;
	if (rq.initiator_id == c->who.user_id)
		f.initiator_clearance = c->who.clearance;
	else if (act == RQA_SUBMIT && principal_of(c->db, c->a, rq.initiator_id, &ip))
		f.initiator_clearance = ip.clearance;
	if ((rc = sm_check(&rq_machine, rq.status, act, roles_of(c, &rq, reviewer, 0), &f, e)))
		goto done;
	int from = rq.status, to = sm_next(&rq_machine, from, act);
	/* An action that keeps the status (urge) changes nothing of the request: no write, no new version. */
	if ((to != from && ((rc = op_write_result(rq_set_status(c->db, id, rq.version, to), "request", id, e)) ||
			    (rc = items_done(c, id, from, e)))) ||
	    (rc = run_effects(c, &rq, act, from, &t, reviewer, comment, e)) || (rc = view_by_id(c, id, out, e)))
		goto done;
	rc = op_audit(c, "request", id, rq_action_name(act), &request_desc, &rq, &out->rq,
		      behalf_note(c, acting_for(c, &rq, reviewer, 0, act), comment), e);
done:
	return op_end(c, rc, e);
}

int op_request_submit(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e)
{
	return step(c, id, RQA_SUBMIT, in ? in->comment : NULL, false, out, e);
}

int op_request_review(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e)
{
	static const enum rq_action acts[] = {RQA_APPROVE, RQA_RETURN, RQA_REJECT};
	if (in->decision < 0 || in->decision > 2)
		return lerr_set(e, LERR_INVALID, "invalid_value", "decision", "decision must be approve, return or reject");
	return step(c, id, acts[in->decision], in->comment, false, out, e);
}

int op_request_decide(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e)
{
	if (in->decision < 0 || in->decision > 1)
		return lerr_set(e, LERR_INVALID, "invalid_value", "decision", "decision must be accept or decline");
	return step(c, id, in->decision == 0 ? RQA_ACCEPT : RQA_DECLINE, in->comment, in->force, out, e);
}

int op_request_withdraw(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e)
{
	return step(c, id, RQA_WITHDRAW, in ? in->comment : NULL, false, out, e);
}

int op_request_urge(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e)
{
	return step(c, id, RQA_URGE, in ? in->comment : NULL, false, out, e);
}

int op_request_cc(op_ctx *c, int64_t id, const cc_in *in, request_view *out, lerr *e)
{
	if (!in->n)
		return lerr_set(e, LERR_INVALID, "required", "user_ids", "user_ids needs at least one person to copy in");
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	request rq;
	if ((rc = load_visible(c, id, &rq, e)) ||
	    (rc = rq_can((enum rq_status)rq.status, RQA_CC, roles_of(c, &rq, reviewer_of(c, &rq), 0), e)))
		goto done;
	principal *ps;
	const char **names;
	if (principals_of(c->db, c->a, in->user_ids, in->n, &ps, &names) != DB_DONE) {
		rc = op_fail("request", e);
		goto done;
	}
	/* Everyone named must exist and be able to read it: refuse the whole list, naming each one, rather than
	 * copy in some and silently drop the others. */
	sbuf unknown, low;
	sbuf_init(&unknown);
	sbuf_init(&low);
	for (size_t i = 0; i < in->n; i++) {
		if (!ps[i].user_id)
			sbuf_printf(&unknown, "%s%lld", unknown.len ? ", " : "", (long long)in->user_ids[i]);
		else if (ps[i].clearance < rq.confidentiality)
			sbuf_printf(&low, "%s%s (%s)", low.len ? ", " : "", names[i], clearance_name(ps[i].clearance));
	}
	if (unknown.len)
		rc = lerr_set(e, LERR_INVALID, "not_found", "user_ids", "no active user with id %s", unknown.p);
	else if (low.len)
		rc = lerr_set(e, LERR_INVALID, "clearance_too_low", "user_ids",
			      "%s cannot read a %s request: their clearance is too low", low.p,
			      clearance_name(rq.confidentiality));
	sbuf_release(&unknown);
	sbuf_release(&low);
	if (rc)
		goto done;
	sbuf added;
	sbuf_init(&added);
	for (size_t i = 0; i < in->n && !rc; i++) {
		int w = rq_cc_add(c->db, id, in->user_ids[i], c->who.user_id);
		if (w != DB_DONE && w != 1)
			rc = op_fail("request", e);
		else if (w == DB_DONE) {
			sbuf_printf(&added, "%s%s", added.len ? "、" : "", names[i]);
			int t = op_tell(c, in->user_ids[i], rq_notice_kind(RQA_CC), "request", id, e);
			if (t < 0)
				rc = t;
		}
	}
	if (!rc && !(rc = view_by_id(c, id, out, e)) && added.len)
		rc = op_audit(c, "request", id, rq_action_name(RQA_CC), NULL, NULL, NULL, added.p, e);
	sbuf_release(&added);
done:
	return op_end(c, rc, e);
}

/* Someone other than the caller, active, who may see the request: 0, or 422 on `field` saying why not. */
static int may_take_part(op_ctx *c, int64_t id, int64_t uid, const char *field, lerr *e)
{
	principal p;
	if (uid == c->who.user_id)
		return lerr_set(e, LERR_INVALID, "invalid_value", field, "choose someone other than yourself");
	if (!principal_of(c->db, c->a, uid, &p))
		return lerr_set(e, LERR_INVALID, "not_found", field, "no active user with id %lld", (long long)uid);
	if (!op_user_may_see(c->db, uid, "request", id))
		return lerr_set(e, LERR_INVALID, "cannot_see", field,
				"user %lld may not see this request (its confidentiality, or their clearance): choose someone who may",
				(long long)uid);
	return 0;
}

/* "NAME" or "NAME：comment", for the timeline. */
static const char *name_note(op_ctx *c, int64_t uid, const char *comment)
{
	return person_note(c, uid, "", "", comment);
}

int op_request_transfer(op_ctx *c, int64_t id, const transfer_in *in, request_view *out, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	request rq;
	tally t;
	if ((rc = load_visible(c, id, &rq, e)))
		goto done;
	if (tally_of(c, &rq, &t)) {
		rc = op_fail("request", e);
		goto done;
	}
	int64_t reviewer = reviewer_of(c, &rq);
	if ((rc = rq_can((enum rq_status)rq.status, RQA_TRANSFER, roles_of(c, &rq, reviewer, 0), e)))
		goto done;
	/* Which step: the review or the decision are the reviewer's; during the assessment, the department's
	 * (the one named, or the caller's only pending one). */
	bool reviewer_step = rq.status == RQ_SUBMITTED || t.npending == 0;
	int64_t dept = 0;
	if (reviewer_step) {
		if (reviewer != c->who.user_id) {
			rc = lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL, "the %s waits on the reviewer: only they may hand it on",
				      rq.status == RQ_SUBMITTED ? "review" : "decision");
			goto done;
		}
	} else {
		for (size_t k = 0; k < t.npending; k++) {
			int64_t p = t.pending[k];
			if ((in->department_id && p != in->department_id) ||
			    !(roles_of(c, &rq, reviewer, p) & RQR_ASSESSOR))
				continue;
			if (dept) {
				rc = lerr_set(e, LERR_INVALID, "required", "department_id",
					      "you assess for several departments here: name the one to hand on in department_id");
				goto done;
			}
			dept = p;
		}
		if (!dept) {
			rc = in->department_id
				     ? lerr_set(e, LERR_INVALID, "invalid_value", "department_id",
						"department %lld has no assessment of yours still to write",
						(long long)in->department_id)
				     : lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL,
						"the request waits on departments' assessments that are not yours to hand on");
			goto done;
		}
	}
	int64_t from = reviewer_step ? reviewer : c->who.user_id;
	if ((rc = may_take_part(c, id, in->to_user_id, "to_user_id", e)))
		goto done;
	int w = reviewer_step ? rq_set_reviewer_override(c->db, id, in->to_user_id) : rq_set_assignee(c->db, id, dept, in->to_user_id);
	if (w != DB_DONE) {
		rc = op_fail("request", e);
		goto done;
	}
	/* The step no longer waits on the one who handed it on: their item is done; the new person is told. */
	const char *kinds[] = {rq.status == RQ_SUBMITTED ? "request.submitted" : reviewer_step ? "request.assessed" : "request.assess",
			       "request.transferred"};
	for (size_t k = 0; k < 2; k++)
		if (inbox_mark_done(c->db, kinds[k], "request", id, from, clock_now_ms()) != DB_DONE) {
			rc = op_fail("inbox", e);
			goto done;
		}
	op_recount(c, from);
	int told = op_tell(c, in->to_user_id, rq_notice_kind(RQA_TRANSFER), "request", id, e);
	if (told < 0) {
		rc = told;
		goto done;
	}
	if ((rc = view_by_id(c, id, out, e)))
		goto done;
	/* The timeline says to whom ("赵六"), and why when a comment came with it ("赵六：…"). */
	rc = op_audit(c, "request", id, rq_action_name(RQA_TRANSFER), &request_desc, &rq, &out->rq,
		      name_note(c, in->to_user_id, in->comment), e);
done:
	return op_end(c, rc, e);
}

int op_request_countersign(op_ctx *c, int64_t id, const countersign_in *in, request_view *out, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	request rq;
	if ((rc = load_visible(c, id, &rq, e)) ||
	    (rc = rq_can((enum rq_status)rq.status, RQA_COUNTERSIGN, roles_of(c, &rq, reviewer_of(c, &rq), 0), e)) ||
	    (rc = may_take_part(c, id, in->user_id, "user_id", e)))
		goto done;
	if (in->user_id == rq.initiator_id) {
		rc = lerr_set(e, LERR_INVALID, "invalid_value", "user_id", "the initiator cannot approve their own request");
		goto done;
	}
	int w = rq_countersign_add(c->db, id, in->user_id, c->who.user_id);
	if (w == 1) {
		rc = lerr_set(e, LERR_CONFLICT, "already_added", "user_id", "this person was added as an approver already");
		goto done;
	}
	if (w != DB_DONE) {
		rc = op_fail("request", e);
		goto done;
	}
	int t = op_tell(c, in->user_id, rq_notice_kind(RQA_COUNTERSIGN), "request", id, e);
	if (t < 0) {
		rc = t;
		goto done;
	}
	if (!(rc = view_by_id(c, id, out, e)))
		rc = op_audit(c, "request", id, rq_action_name(RQA_COUNTERSIGN), NULL, NULL, NULL,
			      name_note(c, in->user_id, in->comment), e);
done:
	return op_end(c, rc, e);
}

int op_request_countersign_answer(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	request rq;
	const char *comment = in->comment && *in->comment ? in->comment : NULL;
	if ((rc = load_visible(c, id, &rq, e)) ||
	    (rc = rq_can((enum rq_status)rq.status, RQA_SIGN, roles_of(c, &rq, reviewer_of(c, &rq), 0), e)) ||
	    (rc = rq_check_comment(comment, in->decision == 1, "comment", e)))
		goto done;
	int64_t behalf = acting_for(c, &rq, reviewer_of(c, &rq), 0, RQA_SIGN), signer = behalf ? behalf : c->who.user_id;
	if (rq_countersign_answer(c->db, id, signer, in->decision, comment) != DB_DONE ||
	    inbox_mark_done(c->db, rq_notice_kind(RQA_COUNTERSIGN), "request", id, signer, clock_now_ms()) != DB_DONE) {
		rc = op_fail("request", e);
		goto done;
	}
	op_recount(c, signer);
	int t = op_tell(c, reviewer_of(c, &rq), rq_notice_kind(RQA_SIGN), "request", id, e); /* the decider sees the answer */
	if (t < 0) {
		rc = t;
		goto done;
	}
	if (!(rc = view_by_id(c, id, out, e)))
		rc = op_audit(c, "request", id, in->decision == 1 ? "countersign_reject" : "countersign_approve", NULL, NULL,
			      NULL, behalf_note(c, behalf, comment), e);
done:
	return op_end(c, rc, e);
}

int op_request_cancel(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e)
{
	return step(c, id, RQA_CANCEL, in->reason, false, out, e);
}

/* Hundredths of v, exactly when v has at most two decimals; out of range values become -1 or huge, which
 * rq_check_assessment refuses. */
static int64_t hundredths(double v)
{
	if (!(v >= 0))
		return -1;
	if (v > 1e15)
		return INT64_MAX / 2;
	return (int64_t)llround(v * 100.0);
}

int op_request_assess(op_ctx *c, int64_t id, int64_t dept, int64_t version, const assessment_in *in, assessment *out,
		      lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	request rq;
	assessment before, a;
	bool had = false;
	if ((rc = load_visible(c, id, &rq, e)))
		goto done;
	if (!involves(&rq, dept)) {
		rc = lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "department %lld is not involved in request %lld",
			      (long long)dept, (long long)id);
		goto done;
	}
	int64_t behalf = acting_for(c, &rq, reviewer_of(c, &rq), dept, RQA_ASSESS);
	if ((rc = rq_can((enum rq_status)rq.status, RQA_ASSESS, roles_of(c, &rq, reviewer_of(c, &rq), dept), e)))
		goto done;
	int got = assessment_load(c->db, c->a, id, dept, &before);
	if (got != DB_ROW && got != DB_DONE) {
		rc = op_fail("assessment", e);
		goto done;
	}
	had = got == DB_ROW;
	if (had && version == 0) {
		rc = lerr_set(e, LERR_PRECONDITION, "if_match_required", NULL,
			      "this department has assessed already: send If-Match with the assessment's version to revise it");
		goto done;
	}
	if ((had && before.version != version) || (!had && version > 0)) {
		rc = lerr_set(e, LERR_STALE, "precondition_failed", NULL,
			      "the assessment was changed by someone else; reload and try again");
		goto done;
	}
	a = (assessment){.request_id = id, .department_id = dept, .impact = in->impact, .materials = in->materials,
			 .conditions = in->conditions, .person_days_x100 = hundredths(in->person_days),
			 .cost_cents = hundredths(in->cost), .schedule_impact_days = in->schedule_impact_days,
			 .verdict = in->verdict, .assessor_id = c->who.user_id};
	bool created = !had;
	if ((rc = rq_check_assessment(&a, e)))
		goto done;
	int w = assessment_put(c->db, &a, had ? version : 0);
	if (w == 1) {
		rc = lerr_set(e, LERR_STALE, "precondition_failed", NULL,
			      "the assessment was changed by someone else; reload and try again");
		goto done;
	}
	if (w != DB_DONE || assessment_load(c->db, c->a, id, dept, out) != DB_ROW) {
		rc = op_fail("assessment", e);
		goto done;
	}
	if ((rc = op_audit(c, "request", id, created ? "assess" : "reassess", &assessment_desc, had ? &before : NULL, out,
			   behalf_note(c, behalf, NULL), e)))
		goto done;
	tally t;
	if (tally_of(c, &rq, &t)) {
		rc = op_fail("assessment", e);
		goto done;
	}
	if (created && (rc = assess_items_done(c, &rq, &t, e)))
		goto done;
	if (created && t.received == rq.ninvolved && (rc = op_tell(c, reviewer_of(c, &rq), "request.assessed", "request", id, e)) > 0)
		rc = 0;
done:
	return op_end(c, rc, e);
}

/* ------------------------------------------------------------------ reads */

int op_request_get(op_ctx *c, int64_t id, request_view *out, lerr *e)
{
	request rq;
	int rc = load_visible(c, id, &rq, e);
	return rc ? rc : view_one(c, &rq, out, e);
}

int op_request_views(op_ctx *c, const request *items, size_t n, bool full, request_view **out, lerr *e)
{
	return views_of(c, items, n, full, out, e);
}

int op_request_assessments(op_ctx *c, int64_t id, assessment_sheet *out, lerr *e)
{
	request rq;
	int rc = load_visible(c, id, &rq, e);
	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	tally t;
	if (tally_of(c, &rq, &t))
		return op_fail("assessment list", e);
	out->items = t.items;
	out->n = t.n;
	out->pending = t.pending;
	out->npending = t.npending;
	for (size_t i = 0; i < t.n; i++) {
		const assessment *a = &t.items[i];
		out->person_days_x100 += a->person_days_x100;
		out->cost_cents += a->cost_cents;
		if (a->schedule_impact_days > out->max_schedule_impact_days)
			out->max_schedule_impact_days = a->schedule_impact_days;
		out->conditional += a->verdict == RQV_CONDITIONAL;
		out->infeasible += a->verdict == RQV_INFEASIBLE;
	}
	return 0;
}

int op_project_get(op_ctx *c, int64_t id, project *out, lerr *e)
{
	if (!project_visible_to(c->db, id, &c->who) || project_load(c->db, c->a, id, out) != DB_ROW)
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "project %lld does not exist", (long long)id);
	return 0;
}

int op_project_list(op_ctx *c, int64_t before, int limit, project **items, size_t *n, int64_t *next, lerr *e)
{
	if (project_list(c->db, c->a, &c->who, before, limit, items, n, next) != DB_DONE)
		return op_fail("project list", e);
	return 0;
}

/* ------------------------------------------------------------------ My work */

static bool may(const request_view *v, const char *action)
{
	for (size_t i = 0; i < v->nallowed; i++)
		if (strcmp(v->allowed[i], action) == 0)
			return true;
	return false;
}

/* Waiting on one of my departments: an assessment to write. */
static bool to_assess(const request_view *v)
{
	if (!may(v, "assess"))
		return false;
	for (size_t k = 0; k < v->nmine; k++)
		for (size_t j = 0; j < v->progress.npending; j++)
			if (v->progress.pending[j] == v->mine[k])
				return true;
	return false;
}

/* Whether list l keeps request v: the SQL (rq_work_candidates) narrows to candidates, the machine (what
 * the caller may do) decides. */
static bool keeps(int l, const request_view *v)
{
	switch (l) {
	case WORK_REVIEWS:
		return may(v, "review");
	case WORK_ASSESSMENTS:
		return to_assess(v);
	case WORK_DECISIONS: /* deciding, or answering as an approver the decider added (加签) */
		return may(v, "decide") || may(v, "countersign_answer");
	default: /* drafts and requests under way: every candidate */
		return true;
	}
}

static void keep(op_ctx *c, work_list *l, size_t *cap, const request_view *v)
{
	if (l->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		request_view *p = arena_alloc(c->a, ncap * sizeof *p);
		if (l->n)
			memcpy(p, l->items, l->n * sizeof *p);
		l->items = p;
		*cap = ncap;
	}
	l->items[l->n++] = *v;
}

const char *const work_list_names[] = {"reviews", "assessments", "decisions", "drafts", "in_progress", "delegated", NULL};

/* One statement's worth of candidates for the lists in `lists`, below `cursor`, into out; a list leaves
 * *open when its page is full (with the cursor of the next) or its candidates ran out; last[l] is the
 * last candidate of list l seen, from where a list still open goes on. */
static int work_take(op_ctx *c, const view_env *base, unsigned lists, int64_t cursor, int limit, my_work *out,
		     size_t *cap, unsigned *open, int64_t *last, lerr *e)
{
	int chunk = limit + 1 > 200 ? 200 : limit + 1;
	request *rows;
	int *kinds;
	size_t k;
	request_view *views;
	if (rq_work_candidates(c->db, c->a, &c->who, &c->who, lists, cursor, chunk, &rows, &kinds, &k) != DB_DONE)
		return op_fail("work list", e);
	int rc = views_with(c, base, rows, k, true, &views, e);
	if (rc)
		return rc;
	int got[WORK_LISTS] = {0};
	for (size_t i = 0; i < k; i++) {
		int l = kinds[i];
		if (l < 0 || l >= WORK_LISTS || !(*open & (1u << l)))
			continue;
		got[l]++;
		last[l] = rows[i].id;
		if (!keeps(l, &views[i]))
			continue;
		work_list *w = &out->lists[l];
		if ((int)w->n == limit) { /* one more than a page: the cursor, and this list is done */
			w->next = w->items[w->n - 1].rq.id;
			*open &= ~(1u << l);
			continue;
		}
		keep(c, w, &cap[l], &views[i]);
	}
	for (int l = 0; l < WORK_LISTS; l++)
		if ((lists & (1u << l)) && got[l] < chunk)
			*open &= ~(1u << l);
	return 0;
}

/* Pages of the lists in `lists` (bit 1 << WORK_*), each from `before` (0: the top): full views, newest
 * first; out->lists[l].next is the cursor when more remain.  Every list comes from one statement; a list
 * whose candidates ran out before it kept a page (the machine refused some) goes on alone below its last
 * candidate. */
static int work_pages(op_ctx *c, const view_env *base, unsigned lists, int64_t before, int limit, my_work *out,
		      lerr *e)
{
	memset(out, 0, sizeof *out);
	size_t cap[WORK_LISTS] = {0};
	int64_t last[WORK_LISTS] = {0};
	unsigned open = lists;
	int rc = work_take(c, base, lists, before, limit, out, cap, &open, last, e);
	for (int l = 0; !rc && l < WORK_LISTS; l++)
		while (!rc && (open & (1u << l)))
			rc = work_take(c, base, 1u << l, last[l], limit, out, cap, &open, last, e);
	return rc;
}

static int cmp_view_desc(const void *x, const void *y)
{
	int64_t a = ((const request_view *)x)->rq.id, b = ((const request_view *)y)->rq.id;
	return a < b ? 1 : a > b ? -1 : 0;
}

/* A page of what waits on the people the caller stands in for today (代理人): their reviews, assessments and
 * decisions that the caller may see, newest first below `before`, each marked with whom it is for.  Each of
 * their lists is walked alone (as work_pages does) until it has a page or runs out; the pages are merged. */
static int delegated_page(op_ctx *c, const view_env *base, int64_t before, int limit, work_list *out, lerr *e)
{
	memset(out, 0, sizeof *out);
	int64_t *dl;
	size_t nd = delegators_of(c, &dl), n = 0, cap = 0;
	request_view *all = NULL;
	bool more = false;
	int chunk = limit + 1 > 200 ? 200 : limit + 1;
	for (size_t d = 0; d < nd; d++) {
		principal owner;
		if (!principal_of(c->db, c->a, dl[d], &owner))
			continue;
		for (int l = WORK_REVIEWS; l <= WORK_DECISIONS; l++) {
			int64_t cursor = before;
			size_t kept = 0;
			for (;;) {
				request *rows;
				int *kinds;
				size_t k;
				request_view *views;
				if (rq_work_candidates(c->db, c->a, &c->who, &owner, 1u << l, cursor, chunk, &rows, &kinds, &k) != DB_DONE)
					return op_fail("work list", e);
				int rc = views_with(c, base, rows, k, true, &views, e);
				if (rc)
					return rc;
				for (size_t i = 0; i < k && kept <= (size_t)limit; i++) {
					cursor = rows[i].id;
					bool dup = false;
					for (size_t x = 0; x < n && !dup; x++)
						dup = all[x].rq.id == views[i].rq.id;
					if (dup || !keeps(l, &views[i]))
						continue;
					all = rows_grow(c->a, all, n, &cap, sizeof *all);
					all[n] = views[i];
					all[n++].on_behalf_of = dl[d];
					kept++;
				}
				if (kept > (size_t)limit || k < (size_t)chunk)
					break;
			}
		}
	}
	if (n > 1)
		qsort(all, n, sizeof *all, cmp_view_desc);
	more = n > (size_t)limit;
	out->items = all;
	out->n = more ? (size_t)limit : n;
	out->next = more ? all[limit - 1].rq.id : 0;
	return 0;
}

int op_my_work_list(op_ctx *c, int list, int64_t before, int limit, work_list *out, lerr *e)
{
	if (list == WORK_DELEGATED) {
		view_env base;
		int rc = env_base(c, true, &base, e);
		return rc ? rc : delegated_page(c, &base, before, limit, out, e);
	}
	if (list < 0 || list >= WORK_LISTS)
		return lerr_set(e, LERR_INVALID, "invalid_value", "list", "unknown work list");
	view_env base;
	my_work w;
	int rc = env_base(c, true, &base, e);
	if (!rc && !(rc = work_pages(c, &base, 1u << list, before, limit, &w, e)))
		*out = w.lists[list];
	return rc;
}

int op_my_work(op_ctx *c, int limit, my_work *w, lerr *e)
{
	view_env base;
	int rc = env_base(c, true, &base, e); /* once for every list */
	if (!rc)
		rc = work_pages(c, &base, (1u << WORK_LISTS) - 1, 0, limit, w, e);
	return rc ? rc : delegated_page(c, &base, 0, limit, &w->lists[WORK_DELEGATED], e);
}

bool op_request_waits_on_me(const request_view *v)
{
	/* My work's lists but the one of requests under way (which wait on others); a draft or returned
	 * request is the drafts list's when its initiator may submit it. */
	return keeps(WORK_REVIEWS, v) || keeps(WORK_ASSESSMENTS, v) || keeps(WORK_DECISIONS, v) || may(v, "submit");
}
