/* Stage 1 rules: the request's machine as one table, its records described as data, field checks,
 * the decision rule and visibility. */
#include "domain/request.h"

#include <stddef.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/org.h"
#include "util/clock.h"
#include "util/str.h"

const char *const rq_status_names[] = {
	"draft", "submitted", "returned", "rejected", "assessing", "accepted", "declined", "cancelled", NULL,
};

static const char *const action_names[] = {
	"edit", "submit", "approve", "return", "reject", "assess", "accept", "decline", "cancel", "withdraw", "urge", "cc", "transfer", "countersign", "sign", NULL,
};

const char *const rq_sign_names[] = {"approve", "reject", NULL};
const char *const rq_priority_names[] = {"low", "normal", "high", "urgent", NULL};
const char *const rq_verdict_names[] = {"feasible", "conditional", "infeasible", NULL};
const char *const project_status_names[] = {"planning", "executing", "closing", "closed", "on_hold", "cancelled", NULL};
const char *const project_role_names[] = {"lead", "assisting", NULL};

/* ------------------------------------------------------------------ guards (RQ-3, RQ-4, RQ-5) */

static int guard_submit(const void *facts, lerr *e)
{
	const rq_facts *f = facts;
	/* A draft may lack fields (rq_check_draft); what goes to review has every one (RQ-7). */
	int rc = rq_check_fields(f->rq, f->initiator_clearance, f->today, e);
	if (rc)
		return rc;
	if (!f->reviewer_id)
		return lerr_set(e, LERR_CONFLICT, "no_reviewer", NULL,
				"nobody can review this request: the initiating department and those above it have no head");
	/* The reviewer is a participant by position; what can stop them seeing it is their clearance. */
	if (f->reviewer_clearance < f->rq->confidentiality)
		return lerr_set(e, LERR_CONFLICT, "no_reviewer", NULL,
				"the reviewer's clearance does not reach %s: lower the confidentiality, or ask an administrator",
				clearance_name(f->rq->confidentiality));
	return 0;
}

/* 催办 at most once per RQ_URGE_WORK_MS of working time: 429 with the seconds to wait. */
static int guard_urge(const void *facts, lerr *e)
{
	const rq_facts *f = facts;
	int rc = rq_check_comment(f->comment, false, "comment", e);
	if (rc || !f->last_urged_at)
		return rc;
	int64_t next = cal_add_work_ms(f->last_urged_at, RQ_URGE_WORK_MS, f->tz_offset_s);
	if (next <= f->now)
		return 0;
	rc = lerr_set(e, LERR_THROTTLED, "urged_recently", NULL,
		      "the request was urged less than 4 working hours ago; you can urge again in %lld minutes",
		      (long long)((next - f->now + 59999) / 60000));
	if (e)
		e->retry_after = (int)((next - f->now + 999) / 1000);
	return rc;
}

static int guard_comment(const void *facts, lerr *e)
{
	return rq_check_comment(((const rq_facts *)facts)->comment, true, "comment", e);
}

static int guard_reason(const void *facts, lerr *e)
{
	return rq_check_comment(((const rq_facts *)facts)->comment, true, "reason", e);
}

static int guard_accept(const void *facts, lerr *e)
{
	const rq_facts *f = facts;
	if (f->signers_pending)
		return lerr_set(e, LERR_CONFLICT, "countersign_pending", NULL,
				"%zu approver%s added by the decider (加签) %s not answered yet: accepting waits for them",
				f->signers_pending, f->signers_pending == 1 ? "" : "s", f->signers_pending == 1 ? "has" : "have");
	return rq_check_accept(f->expected, f->received, f->infeasible, f->force, f->comment, e);
}

/* ------------------------------------------------------------------ the machine */

#define OPEN (SM_BIT(RQ_DRAFT) | SM_BIT(RQ_SUBMITTED) | SM_BIT(RQ_RETURNED) | SM_BIT(RQ_ASSESSING))
#define EDITABLE (SM_BIT(RQ_DRAFT) | SM_BIT(RQ_RETURNED))
#define REVIEW_WHO "only the head of the initiating department may review the request"
#define DECIDE_WHO "only the head of the initiating department or a coordinator may decide"
#define DECIDE_WHEN "only after the impact assessment has started"

static const sm_rule rules[RQ_ACTION_COUNT] = {
	/* action        from                    who may                         to */
	[RQA_EDIT] = {EDITABLE, RQR_INITIATOR, -1, "only the initiator may edit the request", "edited",
		      "only drafts and returned requests can", NULL, 0},
	[RQA_SUBMIT] = {EDITABLE, RQR_INITIATOR, RQ_SUBMITTED, "only the initiator may submit the request", "submitted",
			"only drafts and returned requests can", guard_submit, RQE_TELL_REVIEWER},
	[RQA_APPROVE] = {SM_BIT(RQ_SUBMITTED), RQR_REVIEWER, RQ_ASSESSING, REVIEW_WHO, "reviewed",
			 "only submitted requests can", NULL, RQE_TELL_INITIATOR | RQE_TELL_ASSESSORS},
	[RQA_RETURN] = {SM_BIT(RQ_SUBMITTED), RQR_REVIEWER, RQ_RETURNED, REVIEW_WHO, "reviewed",
			"only submitted requests can", guard_comment, RQE_TELL_INITIATOR},
	[RQA_REJECT] = {SM_BIT(RQ_SUBMITTED), RQR_REVIEWER, RQ_REJECTED, REVIEW_WHO, "reviewed",
			"only submitted requests can", guard_comment, RQE_TELL_INITIATOR},
	[RQA_ASSESS] = {SM_BIT(RQ_ASSESSING), RQR_ASSESSOR, -1,
			"only a liaison or the head of an involved department may assess for it", "assessed",
			"only during the impact assessment", NULL, 0},
	[RQA_ACCEPT] = {SM_BIT(RQ_ASSESSING), RQR_REVIEWER | RQR_COORDINATOR, RQ_ACCEPTED, DECIDE_WHO, "decided",
			DECIDE_WHEN, guard_accept,
			RQE_CREATE_PROJECT | RQE_TELL_INITIATOR | RQE_TELL_ASSESSORS | RQE_TELL_HEADS},
	[RQA_DECLINE] = {SM_BIT(RQ_ASSESSING), RQR_REVIEWER | RQR_COORDINATOR, RQ_DECLINED, DECIDE_WHO, "decided",
			 DECIDE_WHEN, guard_comment, RQE_TELL_INITIATOR | RQE_TELL_ASSESSORS},
	[RQA_CANCEL] = {OPEN, RQR_INITIATOR | RQR_ADMIN, RQ_CANCELLED,
			"only the initiator or an administrator may cancel the request", "cancelled",
			"only open requests can", guard_reason, RQE_TELL_INITIATOR | RQE_TELL_WAITING},
	/* The review has not started while the request is submitted: the reviewer's item is done, and the
	 * draft is the initiator's alone again (V-1), so nobody else is told. */
	[RQA_WITHDRAW] = {SM_BIT(RQ_SUBMITTED), RQR_INITIATOR, RQ_DRAFT, "only the initiator may withdraw the request",
			  "withdrawn", "only a submitted request whose review has not been given can", NULL, 0},
	/* Reminds whoever the step waits on; the request itself does not change. */
	[RQA_URGE] = {SM_BIT(RQ_SUBMITTED) | SM_BIT(RQ_ASSESSING), RQR_INITIATOR, -1, "only the initiator may urge",
		      "urged", "only while it waits on a review, an assessment or a decision", guard_urge, RQE_TELL_WAITING},
	/* Copies people in; the operation checks each one's clearance (422 naming who cannot read it). */
	[RQA_CC] = {OPEN & ~SM_BIT(RQ_DRAFT), RQR_INITIATOR | RQR_REVIEWER | RQR_COORDINATOR, -1,
		    "only the initiator or whoever decides may copy people in", "copied to others",
		    "only once it has been submitted, and until it is closed", NULL, 0},
	/* The reviewer hands on the review or the decision; an assessor, their department's assessment.  The
	 * operation checks that the step is theirs and that the new person may see the request. */
	[RQA_TRANSFER] = {SM_BIT(RQ_SUBMITTED) | SM_BIT(RQ_ASSESSING), RQR_REVIEWER | RQR_ASSESSOR, -1,
			  "only whoever the step waits on may hand it to someone else", "transferred",
			  "only while it waits on a review, an assessment or a decision", NULL, 0},
	[RQA_COUNTERSIGN] = {SM_BIT(RQ_ASSESSING), RQR_REVIEWER | RQR_COORDINATOR, -1, DECIDE_WHO, "countersigned",
			     "only before the decision, once the impact assessment has started", NULL, 0},
	[RQA_SIGN] = {SM_BIT(RQ_ASSESSING), RQR_SIGNER, -1, "only an approver added by the decider may answer",
		      "answered", "only before the decision", NULL, 0},
};

const sm rq_machine = {"request", rq_status_names, action_names, OPEN, rules};

const char *rq_status_name(enum rq_status s)
{
	return sm_state_name(&rq_machine, (int)s);
}

int rq_status_parse(const char *s)
{
	return sm_state_parse(&rq_machine, s);
}

const char *rq_action_name(enum rq_action a)
{
	return sm_action_name(&rq_machine, (int)a);
}

bool rq_status_open(enum rq_status s)
{
	return sm_is_open(&rq_machine, (int)s);
}

int rq_can(enum rq_status st, enum rq_action act, unsigned roles, lerr *e)
{
	return sm_can(&rq_machine, (int)st, (int)act, roles, e);
}

enum rq_status rq_next(enum rq_status st, enum rq_action act)
{
	return (enum rq_status)sm_next(&rq_machine, (int)st, (int)act);
}

static bool in(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

unsigned rq_roles(const request *rq, int64_t viewer, int64_t reviewer, bool assesses, bool is_coordinator,
		  bool is_admin)
{
	unsigned roles = 0;
	if (viewer && rq->initiator_id == viewer)
		roles |= RQR_INITIATOR;
	if (viewer && reviewer == viewer)
		roles |= RQR_REVIEWER;
	if (assesses)
		roles |= RQR_ASSESSOR;
	if (is_coordinator)
		roles |= RQR_COORDINATOR;
	if (is_admin)
		roles |= RQR_ADMIN;
	if (viewer && in(rq->signers, rq->nsigners, viewer))
		roles |= RQR_SIGNER;
	return roles;
}

const char *rq_notice_kind(enum rq_action a)
{
	switch (a) {
	case RQA_SUBMIT: return "request.submitted";
	case RQA_APPROVE: return "request.approved";
	case RQA_RETURN: return "request.returned";
	case RQA_REJECT: return "request.rejected";
	case RQA_ACCEPT: return "request.accepted";
	case RQA_DECLINE: return "request.declined";
	case RQA_CANCEL: return "request.cancelled";
	case RQA_WITHDRAW: return "request.withdrawn";
	case RQA_URGE: return "request.urged";
	case RQA_CC: return "request.cc";
	case RQA_TRANSFER: return "request.transferred";
	case RQA_COUNTERSIGN: return "request.countersign";
	case RQA_SIGN: return "request.countersigned";
	case RQA_ASSESS: return "request.assessed";
	default: return "request.changed";
	}
}

const char *const *rq_step_items(int status)
{
	static const char *const review[] = {"request.submitted", "request.transferred", NULL};
	static const char *const assessing[] = {"request.assess", "request.assessed", "request.transferred",
						"request.countersign", NULL};
	static const char *const revision[] = {"request.returned", NULL};
	static const char *const none[] = {NULL};
	switch (status) {
	case RQ_SUBMITTED: return review;
	case RQ_ASSESSING: return assessing;
	case RQ_RETURNED: return revision;
	default: return none;
	}
}

int rq_priority_parse(const char *s)
{
	return enum_parse(rq_priority_names, s);
}

int rq_verdict_parse(const char *s)
{
	return enum_parse(rq_verdict_names, s);
}

/* ------------------------------------------------------------------ field checks */

int rq_check_due_date(const char *due, int64_t today, lerr *e)
{
	int64_t days;
	if (!due || !*due)
		return lerr_set(e, LERR_INVALID, "required", "due_date", "due_date is required");
	if (!date_valid(due, &days))
		return lerr_set(e, LERR_INVALID, "invalid_value", "due_date", "due_date must be a date like 2026-12-31");
	if (days < today)
		return lerr_set(e, LERR_INVALID, "date_in_past", "due_date", "due_date %s is in the past", due);
	return 0;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

int rq_check_criteria(const char *const *criteria, size_t n, lerr *e)
{
	if (n == 0)
		return lerr_set(e, LERR_INVALID, "required", "success_criteria",
				"success_criteria needs at least one measurable criterion");
	if (n > RQ_CRITERIA_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", "success_criteria", "success_criteria has more than %d items",
				RQ_CRITERIA_MAX);
	for (size_t i = 0; i < n; i++) {
		if (!criteria[i] || blank(criteria[i]))
			return lerr_set(e, LERR_INVALID, "required", "success_criteria",
					"success criterion %zu is empty", i + 1);
		if (utf8_count(criteria[i]) > RQ_CRITERION_MAX)
			return lerr_set(e, LERR_INVALID, "too_long", "success_criteria",
					"success criterion %zu is longer than %d characters", i + 1, RQ_CRITERION_MAX);
	}
	return 0;
}

/* The involved departments: at most RQ_DEPARTMENTS_MAX, no duplicates, and — when `need_other` — at least
 * one other than the initiator's. */
static int check_departments(const int64_t *ids, size_t n, int64_t initiating, bool need_other, lerr *e)
{
	if (n > RQ_DEPARTMENTS_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", "involved_department_ids",
				"involved_department_ids has more than %d items", RQ_DEPARTMENTS_MAX);
	bool other = false;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i])
				return lerr_set(e, LERR_INVALID, "duplicate", "involved_department_ids",
						"department %lld is listed twice", (long long)ids[i]);
		other |= ids[i] != initiating;
	}
	if (need_other && !other)
		return lerr_set(e, LERR_INVALID, "required", "involved_department_ids",
				"involved_department_ids needs at least one department other than the initiator's");
	return 0;
}

int rq_check_departments(const int64_t *ids, size_t n, int64_t initiating, lerr *e)
{
	return check_departments(ids, n, initiating, true, e);
}

int rq_check_confidentiality(int level, int initiator_clearance, lerr *e)
{
	if (level > initiator_clearance)
		return lerr_set(e, LERR_INVALID, "above_clearance", "confidentiality",
				"confidentiality is above your own clearance; you could not see the request yourself");
	return 0;
}

int rq_check_comment(const char *comment, bool required, const char *field, lerr *e)
{
	if (required && (!comment || blank(comment)))
		return lerr_set(e, LERR_INVALID, "required", field, "%s is required for this action", field);
	if (comment && utf8_count(comment) > RQ_COMMENT_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", field, "%s is longer than %d characters", field,
				RQ_COMMENT_MAX);
	return 0;
}

int rq_check_text(const char *s, bool required, const char *field, lerr *e)
{
	if (required && (!s || blank(s)))
		return lerr_set(e, LERR_INVALID, "required", field, "%s is required", field);
	if (s && utf8_count(s) > RQ_TEXT_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", field, "%s is longer than %d characters", field, RQ_TEXT_MAX);
	return 0;
}

/* A request about to be saved: `complete` for one about to be submitted (every field it needs), else a
 * draft (RQ-7: a title, and whatever else is given within its limits). */
static int check_request(const request *rq, bool complete, int initiator_clearance, int64_t today, lerr *e)
{
	int rc;
	if ((rc = org_check_name(rq->title, RQ_TITLE_MAX, "title", e)) ||
	    (rc = rq_check_text(rq->background, complete, "background", e)) ||
	    (rc = rq_check_text(rq->goal, complete, "goal", e)) ||
	    (rc = rq_check_text(rq->resources_needed, false, "resources_needed", e)) ||
	    (rc = rq_check_text(rq->expected_outcome, false, "expected_outcome", e)) ||
	    (rc = rq_check_text(rq->risks, false, "risks", e)) ||
	    ((complete || rq->ncriteria) && (rc = rq_check_criteria(rq->criteria, rq->ncriteria, e))) ||
	    ((complete || (rq->due_date && *rq->due_date)) && (rc = rq_check_due_date(rq->due_date, today, e))))
		return rc;
	if (rq->confidentiality < CLEAR_PUBLIC || rq->confidentiality > CLEAR_SECRET)
		return lerr_set(e, LERR_INVALID, "invalid_value", "confidentiality",
				"confidentiality must be one of public, internal, confidential, secret");
	if ((rc = rq_check_confidentiality(rq->confidentiality, initiator_clearance, e)))
		return rc;
	if (rq->priority < RQP_LOW || rq->priority > RQP_URGENT)
		return lerr_set(e, LERR_INVALID, "invalid_value", "priority", "priority must be one of low, normal, high, urgent");
	return check_departments(rq->involved, rq->ninvolved, rq->initiating_department_id, complete, e);
}

int rq_check_fields(const request *rq, int initiator_clearance, int64_t today, lerr *e)
{
	return check_request(rq, true, initiator_clearance, today, e);
}

int rq_check_draft(const request *rq, int initiator_clearance, int64_t today, lerr *e)
{
	return check_request(rq, false, initiator_clearance, today, e);
}

int rq_check_assessment(const assessment *a, lerr *e)
{
	if (a->verdict < RQV_FEASIBLE || a->verdict > RQV_INFEASIBLE)
		return lerr_set(e, LERR_INVALID, "invalid_value", "verdict", "verdict must be feasible, conditional or infeasible");
	if (a->person_days_x100 < 0 || a->person_days_x100 > 100000 * 100LL)
		return lerr_set(e, LERR_INVALID, "invalid_value", "person_days", "person_days must be between 0 and 100000");
	if (a->cost_cents < 0 || a->cost_cents > 1000000000000LL * 100)
		return lerr_set(e, LERR_INVALID, "invalid_value", "cost", "cost must be 0 or more");
	if (a->schedule_impact_days < 0 || a->schedule_impact_days > 10000)
		return lerr_set(e, LERR_INVALID, "invalid_value", "schedule_impact_days",
				"schedule_impact_days must be between 0 and 10000 working days");
	int rc;
	if (a->verdict != RQV_FEASIBLE && (rc = rq_check_comment(a->conditions, true, "conditions", e)))
		return rc;
	return rq_check_text(a->impact, true, "impact", e);
}

int rq_check_accept(size_t expected, size_t received, size_t infeasible, bool force, const char *comment, lerr *e)
{
	if (force)
		return rq_check_comment(comment, true, "comment", e);
	if (received < expected)
		return lerr_set(e, LERR_CONFLICT, "assessments_missing", NULL,
				"%zu of %zu involved departments have not assessed yet; wait, or accept with force and a comment",
				expected - received, expected);
	if (infeasible > 0)
		return lerr_set(e, LERR_CONFLICT, "infeasible_verdict", NULL,
				"%zu department%s judged the request infeasible; accept only with force and a comment",
				infeasible, infeasible == 1 ? "" : "s");
	return 0;
}

int64_t rq_reviewer(int64_t initiator, const int64_t *heads, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (heads[i] > 0 && heads[i] != initiator)
			return heads[i];
	return 0;
}

bool rq_visible(int confidentiality, int viewer_clearance, bool participant)
{
	if (confidentiality <= CLEAR_INTERNAL)
		return true;
	return participant && viewer_clearance >= confidentiality;
}


bool rq_may_see(const request *rq, const rq_viewer *v)
{
	if (rq->status == RQ_DRAFT && rq->initiator_id != v->user_id)
		return false; /* V-1 */
	bool participant = rq->initiator_id == v->user_id || v->is_admin || v->is_coordinator ||
			   rq->initiating_department_id == v->department_id ||
			   in(v->headed, v->nheaded, rq->initiating_department_id);
	for (size_t i = 0; !participant && i < rq->ninvolved; i++)
		participant = rq->involved[i] == v->department_id || in(v->headed, v->nheaded, rq->involved[i]);
	participant = participant || in(rq->cc, rq->ncc, v->user_id); /* copied in (抄送) */
	return rq_visible(rq->confidentiality, v->clearance, participant); /* V-2, V-3 */
}

size_t rq_asked_of(const int64_t *liaisons, const bool *may_see, size_t n, int64_t head, bool head_may_see,
		   size_t *pick, const char **via)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (liaisons[i] > 0 && may_see[i])
			pick[k++] = i;
	*via = "liaison";
	if (k)
		return k;
	if (head > 0 && head_may_see) {
		*via = "head";
		pick[0] = n;
		return 1;
	}
	*via = "none";
	return 0;
}

/* ------------------------------------------------------------------ records as data */

#define F(T, m) .off = offsetof(T, m)
#define N(T, m) .count_off = offsetof(T, m)

static const rfield request_fields[] = {
	{"id", RK_INT, F(request, id)},
	{"code", RK_STR, F(request, code)},
	{"title", RK_STR, F(request, title)},
	{"status", RK_ENUM, F(request, status), .names = rq_status_names},
	{"priority", RK_ENUM, F(request, priority), .names = rq_priority_names},
	{"confidentiality", RK_ENUM, F(request, confidentiality), .names = clearance_names},
	{"due_date", RK_DATE, F(request, due_date)},
	{"initiator_id", RK_ID, F(request, initiator_id)},
	{"initiator_name", RK_STR, F(request, initiator_name)},
	{"initiating_department_id", RK_ID, F(request, initiating_department_id)},
	{"initiating_department_name", RK_STR, F(request, initiating_department_name)},
	{"involved_department_ids", RK_IDS, F(request, involved), N(request, ninvolved)},
	{"cc_user_ids", RK_IDS, F(request, cc), N(request, ncc), .flags = RF_FULL},
	{"project_id", RK_ID, F(request, project_id), .doc = "the project created when it was accepted"},
	{"submitted_at", RK_TIME, F(request, submitted_at)},
	{"status_changed_at", RK_TIME, F(request, status_changed_at)},
	{"version", RK_INT, F(request, version)},
	{"created_at", RK_TIME, F(request, created_at)},
	{"updated_at", RK_TIME, F(request, updated_at)},
	{"background", RK_STR, F(request, background), .flags = RF_FULL},
	{"goal", RK_STR, F(request, goal), .flags = RF_FULL},
	{"success_criteria", RK_STRS, F(request, criteria), N(request, ncriteria), .flags = RF_FULL},
	{"resources_needed", RK_STR, F(request, resources_needed), .flags = RF_FULL},
	{"expected_outcome", RK_STR, F(request, expected_outcome), .flags = RF_FULL},
	{"risks", RK_STR, F(request, risks), .flags = RF_FULL},
};
const rdesc request_desc = RDESC("RequestRecord", request_fields, "A collaboration request (需求单) as stored");

static const rfield party_fields[] = {
	{"kind", RK_STR, F(rq_party, kind), .doc = "user or department"},
	{"id", RK_INT, F(rq_party, id)},
	{"name", RK_STR, F(rq_party, name)},
};
static const rdesc party_desc = RDESC("Party", party_fields, "A person or a department");

static const rfield waiting_fields[] = {
	{"step", RK_STR, F(rq_waiting, step), .doc = "draft, revision, review, assessment or decision"},
	{"since", RK_TIME, F(rq_waiting, since)},
	{"on", RK_LIST, F(rq_waiting, on), N(rq_waiting, non), .sub = &party_desc, .elem_size = sizeof(rq_party)},
};
static const rdesc waiting_desc = RDESC("Waiting", waiting_fields, "Who the request waits on, since when");

static const rfield progress_fields[] = {
	{"expected", RK_INT, F(rq_progress, expected)},
	{"received", RK_INT, F(rq_progress, received)},
	{"pending_department_ids", RK_IDS, F(rq_progress, pending), N(rq_progress, npending)},
};
static const rdesc progress_desc = RDESC(NULL, progress_fields, "Assessment progress");

static const rfield asked_fields[] = {
	{"department_id", RK_INT, F(rq_asked, department_id)},
	{"via", RK_STR, F(rq_asked, via), .doc = "liaison, head (no liaison may see the request) or none"},
	{"people", RK_LIST, F(rq_asked, people), N(rq_asked, npeople), .sub = &party_desc, .elem_size = sizeof(rq_party)},
};
static const rdesc asked_desc = RDESC("Assessors", asked_fields, "Who assesses for an involved department");

static const rfield countersign_fields[] = {
	{"user_id", RK_INT, F(rq_countersign, user_id)},
	{"name", RK_STR, F(rq_countersign, name)},
	{"added_by", RK_ID, F(rq_countersign, added_by)},
	{"decision", RK_ENUM, F(rq_countersign, decision), .names = rq_sign_names, .doc = "approve, reject, or null until answered"},
	{"comment", RK_STR, F(rq_countersign, comment)},
	{"added_at", RK_TIME, F(rq_countersign, added_at)},
	{"answered_at", RK_TIME, F(rq_countersign, answered_at)},
};
static const rdesc countersign_desc = RDESC("Countersign", countersign_fields, "An approver added by the decider (加签)");

static const rfield request_view_fields[] = {
	{"", RK_EMBED, F(request_view, rq), .sub = &request_desc},
	{"reviewer_id", RK_ID, F(request_view, reviewer_id), .flags = RF_NO_AUDIT},
	{"assessment_progress", RK_INLINE, F(request_view, progress), .sub = &progress_desc, .flags = RF_NO_AUDIT},
	{"waiting", RK_OBJ, F(request_view, waiting), .sub = &waiting_desc, .flags = RF_NO_AUDIT},
	{"allowed_actions", RK_STRS, F(request_view, allowed), N(request_view, nallowed), .flags = RF_FULL | RF_NO_AUDIT},
	{"my_department_ids", RK_IDS, F(request_view, mine), N(request_view, nmine), .flags = RF_FULL | RF_NO_AUDIT},
	{"assessors", RK_LIST, F(request_view, asked), N(request_view, nasked), .sub = &asked_desc,
	 .elem_size = sizeof(rq_asked), .flags = RF_FULL | RF_NO_AUDIT,
	 .doc = "per involved department, whom its assessment is asked of (never someone who may not see it)"},
	{"countersigns", RK_LIST, F(request_view, countersigns), N(request_view, ncountersigns), .sub = &countersign_desc,
	 .elem_size = sizeof(rq_countersign), .flags = RF_FULL | RF_NO_AUDIT,
	 .doc = "approvers the decider added (加签), with their answers"},
	{"on_behalf_of", RK_ID, F(request_view, on_behalf_of), .flags = RF_FULL | RF_NO_AUDIT,
	 .doc = "in My work's delegated list: the person the caller stands in for (代理人)"},
};
const rdesc request_view_desc = RDESC("Request", request_view_fields, "A request as the caller sees it");

static const rfield assessment_fields[] = {
	{"id", RK_INT, F(assessment, id)},
	{"request_id", RK_INT, F(assessment, request_id)},
	{"department_id", RK_INT, F(assessment, department_id)},
	{"department_name", RK_STR, F(assessment, department_name)},
	{"impact", RK_STR, F(assessment, impact)},
	{"person_days", RK_CENTS, F(assessment, person_days_x100)},
	{"cost", RK_CENTS, F(assessment, cost_cents)},
	{"materials", RK_STR, F(assessment, materials)},
	{"schedule_impact_days", RK_INT, F(assessment, schedule_impact_days)},
	{"verdict", RK_ENUM, F(assessment, verdict), .names = rq_verdict_names},
	{"conditions", RK_STR, F(assessment, conditions)},
	{"assessor_id", RK_INT, F(assessment, assessor_id)},
	{"assessor_name", RK_STR, F(assessment, assessor_name)},
	{"version", RK_INT, F(assessment, version)},
	{"created_at", RK_TIME, F(assessment, created_at)},
	{"updated_at", RK_TIME, F(assessment, updated_at)},
};
const rdesc assessment_desc = RDESC("Assessment", assessment_fields, "One department's impact assessment");

static const rfield project_dept_fields[] = {
	{"department_id", RK_INT, F(project_dept, department_id)},
	{"role", RK_ENUM, F(project_dept, role), .names = project_role_names},
};
static const rdesc project_dept_desc = RDESC(NULL, project_dept_fields, "A department of the project");

static const rfield project_fields[] = {
	{"id", RK_INT, F(project, id)},
	{"code", RK_STR, F(project, code)},
	{"name", RK_STR, F(project, name)},
	{"request_id", RK_ID, F(project, request_id)},
	{"status", RK_ENUM, F(project, status), .names = project_status_names},
	{"lead_department_id", RK_ID, F(project, lead_department_id)},
	{"coordinator_id", RK_ID, F(project, coordinator_id)},
	{"confidentiality", RK_ENUM, F(project, confidentiality), .names = clearance_names},
	{"version", RK_INT, F(project, version)},
	{"created_at", RK_TIME, F(project, created_at)},
	{"updated_at", RK_TIME, F(project, updated_at)},
	{"departments", RK_LIST, F(project, departments), N(project, ndepartments), .sub = &project_dept_desc,
	 .elem_size = sizeof(project_dept)},
};
const rdesc project_desc = RDESC("ProjectRecord", project_fields, "A project as stored");
