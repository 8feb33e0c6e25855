/* Stage 1: the collaboration request (需求单) — create and edit, submit, initial review, impact
 * assessment per involved department, feasibility decision, cancel — operations, then HTTP handlers. */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "domain/org.h"
#include "domain/request.h"
#include "store/audit.h"
#include "store/org.h"
#include "store/request.h"
#include "util/clock.h"
#include "util/jsonv.h"

#define MAX_DEPTS 64

static enum rq_status status_of(json_t *rq)
{
	int s = rq_status_parse(jv_str(rq, "status"));
	return s < 0 ? RQ_CANCELLED : (enum rq_status)s;
}

static size_t involved_of(json_t *rq, int64_t *ids)
{
	size_t n = 0, i;
	json_t *x;
	json_array_foreach(json_object_get(rq, "involved_department_ids"), i, x) if (n < MAX_DEPTS) ids[n++] =
		json_integer_value(x);
	return n;
}

/* The head who reviews and decides: the initiating department's head, or the first head above it
 * when the initiator heads it (or it has none). */
static int64_t reviewer_of(db *d, json_t *rq)
{
	int64_t heads[64];
	size_t n = dept_heads_up(d, jv_int(rq, "initiating_department_id", 0), heads, 64);
	return rq_reviewer(jv_int(rq, "initiator_id", 0), heads, n);
}

static unsigned roles_of(db *d, const principal *who, json_t *rq, int64_t assess_dept)
{
	unsigned roles = 0;
	if (who->user_id && jv_int(rq, "initiator_id", 0) == who->user_id)
		roles |= RQR_INITIATOR;
	if (who->user_id && reviewer_of(d, rq) == who->user_id)
		roles |= RQR_REVIEWER;
	if (who->is_coordinator)
		roles |= RQR_COORDINATOR;
	if (who->is_admin)
		roles |= RQR_ADMIN;
	int64_t ids[MAX_DEPTS];
	size_t n = involved_of(rq, ids);
	for (size_t i = 0; i < n; i++)
		if ((!assess_dept || ids[i] == assess_dept) && dept_is_liaison_or_head(d, ids[i], who->user_id))
			roles |= RQR_ASSESSOR;
	return roles;
}

/* Loads a request the caller may see; 404 otherwise. The caller owns *rq. */
static int load_visible(db *d, const principal *who, int64_t id, json_t **rq, lerr *e)
{
	*rq = NULL;
	if (!rq_visible_to(d, id, who) || !(*rq = rq_get(d, id)))
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "request %lld does not exist", (long long)id);
	return 0;
}

/* ------------------------------------------------------------------ fields */

#define RQ_FIELDS(req)                                                                      \
	{"title", JF_STRING, req, 0, RQ_TITLE_MAX},                                         \
	{"background", JF_STRING, req, 0, RQ_TEXT_MAX},                                     \
	{"goal", JF_STRING, req, 0, RQ_TEXT_MAX},                                           \
	{"success_criteria", JF_ARRAY, req, 0, RQ_CRITERIA_MAX},                            \
	{"resources_needed", JF_STRING, 0, 0, RQ_TEXT_MAX},                                 \
	{"expected_outcome", JF_STRING, 0, 0, RQ_TEXT_MAX},                                 \
	{"due_date", JF_STRING, req, 0, 10},                                                \
	{"risks", JF_STRING, 0, 0, RQ_TEXT_MAX},                                            \
	{"involved_department_ids", JF_IDS, req, 0, RQ_DEPARTMENTS_MAX},                    \
	{"confidentiality", JF_STRING, 0, 0, 20},                                           \
	{"priority", JF_STRING, 0, 0, 20}

static const jfield create_fields[] = {RQ_FIELDS(JF_REQUIRED)};
static const jfield update_fields[] = {RQ_FIELDS(0)};

/* Checks a whole request (after merging an edit) and fills row from it; row points into `rq`. */
static int check_request(db *d, json_t *rq, int64_t initiating, int initiator_clearance, rq_row *row, int64_t *depts,
			 lerr *e)
{
	int rc;
	memset(row, 0, sizeof *row);
	row->title = jv_str(rq, "title");
	row->background = jv_str(rq, "background");
	row->goal = jv_str(rq, "goal");
	row->resources_needed = jv_str(rq, "resources_needed");
	row->expected_outcome = jv_str(rq, "expected_outcome");
	row->due_date = jv_str(rq, "due_date");
	row->risks = jv_str(rq, "risks");
	row->confidentiality = jv_str(rq, "confidentiality") ? jv_str(rq, "confidentiality") : "internal";
	row->priority = jv_str(rq, "priority") ? jv_str(rq, "priority") : "normal";
	row->success_criteria = json_object_get(rq, "success_criteria");
	if ((rc = org_check_name(row->title, RQ_TITLE_MAX, "title", e)))
		return rc;
	static const char *const required[] = {"background", "goal"};
	for (size_t i = 0; i < 2; i++)
		if ((rc = rq_check_comment(jv_str(rq, required[i]), true, required[i], e)))
			return rc;
	const char *crit[RQ_CRITERIA_MAX + 1];
	size_t nc = 0, i;
	json_t *x;
	json_array_foreach(row->success_criteria, i, x) {
		if (!json_is_string(x))
			return lerr_set(e, LERR_INVALID, "invalid_type", "success_criteria",
					"success_criteria must hold only text");
		if (nc <= RQ_CRITERIA_MAX)
			crit[nc++] = json_string_value(x);
	}
	if ((rc = rq_check_criteria(crit, nc, e)) || (rc = rq_check_due_date(row->due_date, clock_local_today(), e)))
		return rc;
	row->conf_level = clearance_parse(row->confidentiality);
	if (row->conf_level < 0)
		return lerr_set(e, LERR_INVALID, "invalid_value", "confidentiality",
				"confidentiality must be one of public, internal, confidential, secret");
	if ((rc = rq_check_confidentiality(row->conf_level, initiator_clearance, e)))
		return rc;
	if (rq_priority_parse(row->priority) < 0)
		return lerr_set(e, LERR_INVALID, "invalid_value", "priority", "priority must be one of low, normal, high, urgent");
	size_t n = 0;
	json_array_foreach(json_object_get(rq, "involved_department_ids"), i, x) if (n < MAX_DEPTS) depts[n++] =
		json_integer_value(x);
	if ((rc = rq_check_departments(depts, n, initiating, e)))
		return rc;
	for (i = 0; i < n; i++) {
		json_t *dj = org_dept_get(d, depts[i]);
		json_decref(dj);
		if (!dj)
			return lerr_set(e, LERR_INVALID, "invalid_value", "involved_department_ids",
					"department %lld does not exist", (long long)depts[i]);
	}
	row->departments = depts;
	row->ndepartments = n;
	return 0;
}

static int fail_internal(lerr *e)
{
	return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the request could not be saved");
}

/* Records the step in the request's history (the audit trail). */
static int record(db *d, const principal *who, int64_t id, const char *action, json_t *before, json_t *after,
		  const char *note, lerr *e)
{
	audit_event ev = {who->user_id, "request", id, action, before, after, note};
	return audit_write(d, &ev, e);
}

int request_create(db *d, const principal *who, json_t *in, json_t **out, lerr *e)
{
	int rc = JSONV_CHECK(in, create_fields, e);
	if (rc)
		return rc;
	if (who->department_id <= 0)
		return lerr_set(e, LERR_INVALID, "no_department", NULL,
				"you belong to no department, so you cannot raise a request; ask an administrator");
	rq_row row;
	int64_t depts[MAX_DEPTS], id;
	if ((rc = check_request(d, in, who->department_id, who->clearance, &row, depts, e)))
		return rc;
	char prefix[16], code[32];
	snprintf(prefix, sizeof prefix, "REQ-%04d", clock_local_year());
	if (code_next(d, prefix, code, sizeof code) || rq_insert(d, code, &row, who->user_id, who->department_id, &id) != DB_DONE)
		return fail_internal(e);
	*out = rq_get(d, id);
	return record(d, who, id, "create", NULL, *out, NULL, e);
}

int request_update(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e)
{
	json_t *before;
	int rc = load_visible(d, who, id, &before, e);
	if (rc)
		return rc;
	json_t *merged = json_deep_copy(before);
	rq_row row;
	int64_t depts[MAX_DEPTS];
	if ((rc = rq_can(status_of(before), RQA_EDIT, roles_of(d, who, before, 0), e)) ||
	    (rc = JSONV_CHECK(in, update_fields, e)))
		goto done;
	json_object_update_existing(merged, in);
	json_object_update_missing(merged, in);
	if ((rc = check_request(d, merged, jv_int(before, "initiating_department_id", 0), who->clearance, &row, depts, e)))
		goto done;
	if ((rc = write_result(rq_update(d, id, version, &row), "request", id, e)))
		goto done;
	*out = rq_get(d, id);
	rc = record(d, who, id, "update", before, *out, NULL, e);
done:
	json_decref(before);
	json_decref(merged);
	return rc;
}

static bool json_array_contains(json_t *a, int64_t v)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) if (json_integer_value(x) == v) return true;
	return false;
}

/* Everyone who acts for the involved departments (only those listed in `only`, when not NULL): their
 * liaisons, or the head when none of them can be told. */
static void notify_departments(db *d, json_t *rq, const char *kind, int64_t actor, bool with_heads, json_t *only)
{
	int64_t ids[MAX_DEPTS], people[16], heads[1];
	size_t n = involved_of(rq, ids);
	int64_t id = jv_int(rq, "id", 0);
	for (size_t i = 0; i < n; i++) {
		if (only && !json_array_contains(only, ids[i]))
			continue;
		size_t k = dept_liaisons(d, ids[i], people, 16), told = 0;
		for (size_t j = 0; j < k; j++)
			told += notify(d, people[j], kind, "request", id, actor) > 0;
		/* The head hears it when asked to, or when no liaison could be told (none, or no clearance). */
		if ((told == 0 || with_heads) && dept_heads_up(d, ids[i], heads, 1) == 1)
			notify(d, heads[0], kind, "request", id, actor);
	}
}

/* Involved departments that have not assessed yet (a new array), and when the last assessment came. */
static json_t *pending_departments_at(db *d, json_t *rq, int64_t *last_ms)
{
	int64_t ids[MAX_DEPTS];
	size_t n = involved_of(rq, ids);
	json_t *list = assessment_list(d, jv_int(rq, "id", 0)), *pending = json_array();
	if (last_ms)
		*last_ms = 0;
	for (size_t k = 0; k < n; k++) {
		bool got = false;
		size_t i;
		json_t *a;
		json_array_foreach(list, i, a) if (jv_int(a, "department_id", 0) == ids[k]) {
			got = true;
			int64_t at;
			if (last_ms && !time_parse_rfc3339(jv_str(a, "created_at"), &at) && at > *last_ms)
				*last_ms = at;
		}
		if (!got)
			json_array_append_new(pending, json_integer(ids[k]));
	}
	json_decref(list);
	return pending;
}

static json_t *pending_departments(db *d, json_t *rq)
{
	return pending_departments_at(d, rq, NULL);
}

static int count_assessments(db *d, json_t *rq, size_t *expected, size_t *received, size_t *infeasible)
{
	int64_t ids[MAX_DEPTS];
	*expected = involved_of(rq, ids);
	*received = *infeasible = 0;
	json_t *list = assessment_list(d, jv_int(rq, "id", 0));
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a) {
		for (size_t k = 0; k < *expected; k++)
			if (ids[k] == jv_int(a, "department_id", 0)) {
				(*received)++;
				if (strcmp(jv_str(a, "verdict"), "infeasible") == 0)
					(*infeasible)++;
			}
	}
	json_decref(list);
	return 0;
}

static int accept_request(db *d, const principal *who, json_t *rq, int64_t *project_id, lerr *e)
{
	int64_t ids[MAX_DEPTS];
	size_t n = involved_of(rq, ids);
	char prefix[16], code[32];
	snprintf(prefix, sizeof prefix, "PRJ-%04d", clock_local_year());
	const char *conf = jv_str(rq, "confidentiality");
	if (code_next(d, prefix, code, sizeof code) ||
	    project_create_from_request(d, jv_int(rq, "id", 0), code, jv_str(rq, "title"),
					jv_int(rq, "initiating_department_id", 0), ids, n, conf, clearance_parse(conf),
					project_id) != DB_DONE ||
	    rq_set_project(d, jv_int(rq, "id", 0), *project_id) != DB_DONE)
		return fail_internal(e);
	json_t *p = project_get(d, *project_id);
	audit_event ev = {who->user_id, "project", *project_id, "create", NULL, p, NULL};
	int rc = audit_write(d, &ev, e);
	json_decref(p);
	return rc;
}

int request_step(db *d, const principal *who, int64_t id, const char *step, json_t *in, json_t **out, lerr *e)
{
	static const jfield review_fields[] = {{"decision", JF_STRING, JF_REQUIRED, 0, 20},
					       {"comment", JF_STRING, 0, 0, RQ_COMMENT_MAX}};
	static const jfield decision_fields[] = {{"decision", JF_STRING, JF_REQUIRED, 0, 20},
						 {"comment", JF_STRING, 0, 0, RQ_COMMENT_MAX},
						 {"force", JF_BOOL, 0, 0, 0}};
	static const jfield cancel_fields[] = {{"reason", JF_STRING, 0, 0, RQ_COMMENT_MAX}};
	static const jfield no_fields[] = {{"comment", JF_STRING, 0, 0, RQ_COMMENT_MAX}};
	json_t *rq;
	int rc = load_visible(d, who, id, &rq, e);
	if (rc)
		return rc;
	enum rq_action act;
	const char *note = NULL;
	const char *decision = NULL;
	if (strcmp(step, "submit") == 0) {
		act = RQA_SUBMIT;
		rc = in ? JSONV_CHECK(in, no_fields, e) : 0;
		note = in ? jv_str(in, "comment") : NULL;
	} else if (strcmp(step, "cancel") == 0) {
		act = RQA_CANCEL;
		rc = JSONV_CHECK(in, cancel_fields, e);
		note = jv_str(in, "reason");
	} else if (strcmp(step, "review") == 0) {
		rc = JSONV_CHECK(in, review_fields, e);
		decision = jv_str(in, "decision");
		note = jv_str(in, "comment");
		act = !rc && strcmp(decision, "approve") == 0  ? RQA_APPROVE
		      : !rc && strcmp(decision, "return") == 0 ? RQA_RETURN
							       : RQA_REJECT;
		if (!rc && strcmp(decision, "approve") && strcmp(decision, "return") && strcmp(decision, "reject"))
			rc = lerr_set(e, LERR_INVALID, "invalid_value", "decision", "decision must be approve, return or reject");
	} else {
		rc = JSONV_CHECK(in, decision_fields, e);
		decision = jv_str(in, "decision");
		note = jv_str(in, "comment");
		act = !rc && strcmp(decision, "accept") == 0 ? RQA_ACCEPT : RQA_DECLINE;
		if (!rc && strcmp(decision, "accept") && strcmp(decision, "decline"))
			rc = lerr_set(e, LERR_INVALID, "invalid_value", "decision", "decision must be accept or decline");
	}
	if (rc)
		goto done;
	if (note && !*note)
		note = NULL;
	enum rq_status st = status_of(rq);
	if ((rc = rq_can(st, act, roles_of(d, who, rq, 0), e)))
		goto done;
	/* What each step needs besides the right status and role. */
	switch (act) {
	case RQA_SUBMIT:
		rc = rq_check_due_date(jv_str(rq, "due_date"), clock_local_today(), e);
		if (!rc && !reviewer_of(d, rq))
			rc = lerr_set(e, LERR_CONFLICT, "no_reviewer", NULL,
				      "nobody can review this request: the initiating department and those above it have no head");
		principal rp;
		/* The reviewer is a participant by position; what can stop them seeing it is their clearance. */
		if (!rc && (!principal_of(d, reviewer_of(d, rq), &rp) ||
			    rp.clearance < clearance_parse(jv_str(rq, "confidentiality"))))
			rc = lerr_set(e, LERR_CONFLICT, "no_reviewer", NULL,
				      "the reviewer's clearance does not reach %s: lower the confidentiality, or ask an administrator",
				      jv_str(rq, "confidentiality"));
		break;
	case RQA_RETURN:
	case RQA_REJECT:
	case RQA_DECLINE:
		rc = rq_check_comment(note, true, "comment", e);
		break;
	case RQA_CANCEL:
		rc = rq_check_comment(note, true, "reason", e);
		break;
	case RQA_ACCEPT: {
		size_t expected, received, infeasible;
		count_assessments(d, rq, &expected, &received, &infeasible);
		rc = rq_check_accept(expected, received, infeasible, jv_bool(in, "force", false), note, e);
		break;
	}
	default:
		break;
	}
	if (rc)
		goto done;
	enum rq_status next = rq_next(st, act);
	if ((rc = write_result(rq_set_status(d, id, jv_int(rq, "version", 0), rq_status_name(next)), "request", id, e)))
		goto done;
	int64_t initiator = jv_int(rq, "initiator_id", 0), actor = who->user_id;
	switch (act) {
	case RQA_SUBMIT:
		notify(d, reviewer_of(d, rq), "request.submitted", "request", id, actor);
		break;
	case RQA_APPROVE:
		notify(d, initiator, "request.approved", "request", id, actor);
		notify_departments(d, rq, "request.assess", actor, false, NULL);
		break;
	case RQA_RETURN:
		notify(d, initiator, "request.returned", "request", id, actor);
		break;
	case RQA_REJECT:
		notify(d, initiator, "request.rejected", "request", id, actor);
		break;
	case RQA_ACCEPT: {
		int64_t project_id;
		if ((rc = accept_request(d, who, rq, &project_id, e)))
			goto done;
		notify(d, initiator, "request.accepted", "request", id, actor);
		notify_departments(d, rq, "request.accepted", actor, true, NULL);
		break;
	}
	case RQA_DECLINE:
		notify(d, initiator, "request.declined", "request", id, actor);
		notify_departments(d, rq, "request.declined", actor, false, NULL);
		break;
	case RQA_CANCEL: {
		/* The initiator, and whoever the request was waiting on. */
		notify(d, initiator, "request.cancelled", "request", id, actor);
		json_t *pending = pending_departments(d, rq);
		if (st == RQ_SUBMITTED || (st == RQ_ASSESSING && json_array_size(pending) == 0))
			notify(d, reviewer_of(d, rq), "request.cancelled", "request", id, actor);
		else if (st == RQ_ASSESSING)
			notify_departments(d, rq, "request.cancelled", actor, false, pending);
		json_decref(pending);
		break;
	}
	default:
		break;
	}
	*out = rq_get(d, id);
	rc = record(d, who, id, rq_action_name(act), rq, *out, note, e);
done:
	json_decref(rq);
	return rc;
}

int request_assess(db *d, const principal *who, int64_t id, int64_t dept, int64_t version, json_t *in,
		   json_t **out, lerr *e)
{
	static const jfield fields[] = {
		{"impact", JF_STRING, JF_REQUIRED, 0, RQ_TEXT_MAX},
		{"person_days", JF_NUMBER, JF_REQUIRED, 0, 0},
		{"cost", JF_NUMBER, JF_REQUIRED, 0, 0},
		{"materials", JF_STRING, 0, 0, RQ_TEXT_MAX},
		{"schedule_impact_days", JF_INT, JF_REQUIRED, 0, 0},
		{"verdict", JF_STRING, JF_REQUIRED, 0, 20},
		{"conditions", JF_STRING, 0, 0, RQ_TEXT_MAX},
	};
	json_t *rq, *before = NULL;
	int rc = load_visible(d, who, id, &rq, e);
	if (rc)
		return rc;
	int64_t ids[MAX_DEPTS];
	size_t n = involved_of(rq, ids), i;
	bool involved = false;
	for (i = 0; i < n; i++)
		involved |= ids[i] == dept;
	if (!involved) {
		rc = lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "department %lld is not involved in request %lld",
			      (long long)dept, (long long)id);
		goto done;
	}
	if ((rc = rq_can(status_of(rq), RQA_ASSESS, roles_of(d, who, rq, dept), e)) || (rc = JSONV_CHECK(in, fields, e)))
		goto done;
	before = assessment_get(d, id, dept);
	if (before && version == 0) {
		rc = lerr_set(e, LERR_PRECONDITION, "if_match_required", NULL,
			      "this department has assessed already: send If-Match with the assessment's version to revise it");
		goto done;
	}
	if ((before && jv_int(before, "version", 0) != version) || (!before && version > 0)) {
		rc = lerr_set(e, LERR_STALE, "precondition_failed", NULL,
			      "the assessment was changed by someone else; reload and try again");
		goto done;
	}
	assessment_row a = {
		.impact = jv_str(in, "impact"),
		.materials = jv_str(in, "materials"),
		.verdict = jv_str(in, "verdict"),
		.conditions = jv_str(in, "conditions"),
		.person_days = json_number_value(json_object_get(in, "person_days")),
		.cost = json_number_value(json_object_get(in, "cost")),
		.schedule_impact_days = jv_int(in, "schedule_impact_days", 0),
	};
	int verdict = rq_verdict_parse(a.verdict);
	if (verdict < 0)
		rc = lerr_set(e, LERR_INVALID, "invalid_value", "verdict", "verdict must be feasible, conditional or infeasible");
	else if (a.person_days < 0 || a.person_days > 100000)
		rc = lerr_set(e, LERR_INVALID, "invalid_value", "person_days", "person_days must be between 0 and 100000");
	else if (a.cost < 0 || a.cost > 1e12)
		rc = lerr_set(e, LERR_INVALID, "invalid_value", "cost", "cost must be 0 or more");
	else if (a.schedule_impact_days < 0 || a.schedule_impact_days > 10000)
		rc = lerr_set(e, LERR_INVALID, "invalid_value", "schedule_impact_days",
			      "schedule_impact_days must be between 0 and 10000 working days");
	else if (verdict != RQV_FEASIBLE)
		rc = rq_check_comment(a.conditions, true, "conditions", e);
	if (rc || (rc = rq_check_comment(a.impact, true, "impact", e)))
		goto done;
	bool created;
	if (assessment_put(d, id, dept, who->user_id, &a, &created) != DB_DONE) {
		rc = fail_internal(e);
		goto done;
	}
	*out = assessment_get(d, id, dept);
	if ((rc = record(d, who, id, created ? "assess" : "reassess", before, *out, NULL, e)))
		goto done;
	size_t expected, received, infeasible;
	count_assessments(d, rq, &expected, &received, &infeasible);
	if (created && received == expected)
		notify(d, reviewer_of(d, rq), "request.assessed", "request", id, who->user_id);
done:
	json_decref(rq);
	json_decref(before);
	return rc;
}

/* ------------------------------------------------------------------ what the caller sees */

static json_t *who_json(db *d, const char *kind, int64_t id)
{
	return json_pack("{s:s, s:I, s:o}", "kind", kind, "id", (json_int_t)id, "name",
			 strcmp(kind, "user") == 0 ? org_user_name(d, id) : org_dept_name(d, id));
}

void request_decorate(db *d, const principal *who, json_t *rq, bool full)
{
	enum rq_status st = status_of(rq);
	int64_t reviewer = reviewer_of(d, rq);
	json_object_set_new(rq, "reviewer_id", reviewer ? json_integer(reviewer) : json_null());
	/* Assessment progress. */
	int64_t ids[MAX_DEPTS], last_assessment = 0;
	size_t n = involved_of(rq, ids);
	json_t *pending = pending_departments_at(d, rq, &last_assessment);
	size_t received = n - json_array_size(pending);
	json_object_set_new(rq, "assessment_progress",
			    json_pack("{s:I, s:I, s:O}", "expected", (json_int_t)n, "received", (json_int_t)received,
				      "pending_department_ids", pending));
	/* Who it waits on, since when. */
	json_t *on = json_array(), *since = json_incref(json_object_get(rq, "status_changed_at"));
	const char *step = NULL;
	switch (st) {
	case RQ_DRAFT:
	case RQ_RETURNED:
		step = st == RQ_DRAFT ? "draft" : "revision";
		json_array_append_new(on, who_json(d, "user", jv_int(rq, "initiator_id", 0)));
		break;
	case RQ_SUBMITTED:
		step = "review";
		if (reviewer)
			json_array_append_new(on, who_json(d, "user", reviewer));
		break;
	case RQ_ASSESSING:
		if (json_array_size(pending)) {
			step = "assessment";
			size_t i;
			json_t *x;
			json_array_foreach(pending, i, x) json_array_append_new(on, who_json(d, "department", json_integer_value(x)));
		} else {
			step = "decision"; /* since the last assessment arrived */
			char at[40];
			time_format_rfc3339(last_assessment, at, sizeof at);
			json_decref(since);
			since = json_string(at);
			if (reviewer)
				json_array_append_new(on, who_json(d, "user", reviewer));
		}
		break;
	default:
		break;
	}
	json_decref(pending);
	if (step) {
		json_object_set_new(rq, "waiting", json_pack("{s:s, s:o, s:o}", "step", step, "since", since, "on", on));
	} else {
		json_decref(on);
		json_decref(since);
		json_object_set_new(rq, "waiting", json_null());
	}
	if (!full)
		return;
	/* What the caller may do now, and for which departments they assess. */
	unsigned roles = roles_of(d, who, rq, 0);
	json_t *allowed = json_array(), *mine = json_array();
	static const struct { enum rq_action a; const char *name; } acts[] = {
		{RQA_EDIT, "edit"},     {RQA_SUBMIT, "submit"}, {RQA_APPROVE, "review"},
		{RQA_ASSESS, "assess"}, {RQA_ACCEPT, "decide"}, {RQA_CANCEL, "cancel"},
	};
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
		if (rq_can(st, acts[i].a, roles, NULL) == 0)
			json_array_append_new(allowed, json_string(acts[i].name));
	for (size_t k = 0; k < n; k++)
		if (dept_is_liaison_or_head(d, ids[k], who->user_id))
			json_array_append_new(mine, json_integer(ids[k]));
	json_object_set_new(rq, "allowed_actions", allowed);
	json_object_set_new(rq, "my_department_ids", mine);
}

/* ------------------------------------------------------------------ HTTP */

static void reply_request(req *r, int status, json_t *rq)
{
	request_decorate(r->db, &r->who, rq, true);
	reply_resource(r, status, rq);
}

void h_requests_create(req *r)
{
	json_t *in = req_json(r);
	if (!in)
		return;
	RUN_WRITE_AS(r, 201, "/api/v1/requests/%lld", request_create(r->db, &r->who, in, &out, &e), reply_request);
}

void h_requests_list(req *r)
{
	int limit;
	int64_t before, next, dept;
	if (!req_page(r, &limit, &before) || !req_query_int(r, "department_id", 0, &dept))
		return;
	rq_filter f = {.status = req_query(r, "status"), .department_id = dept, .q = req_query(r, "q")};
	if (f.status && rq_status_parse(f.status) < 0)
		return reply_problem(r, 400, "bad_request", "status", "status must be one of the request statuses");
	const char *mine = req_query(r, "mine");
	if (mine && strcmp(mine, "0") != 0)
		f.initiator_id = r->who.user_id;
	json_t *items = rq_list(r->db, &r->who, &f, before, limit, &next);
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x) request_decorate(r->db, &r->who, x, false);
	reply_list(r, items, next);
}

void h_requests_get(req *r)
{
	json_t *rq;
	lerr e = {0};
	if (load_visible(r->db, &r->who, r->id[0], &rq, &e))
		return reply_err(r, &e);
	reply_request(r, 200, rq);
}

void h_requests_update(req *r)
{
	int64_t version;
	json_t *in = req_json(r);
	if (!in || !req_if_match(r, &version))
		return;
	RUN_WRITE_AS(r, 200, NULL, request_update(r->db, &r->who, r->id[0], version, in, &out, &e), reply_request);
}

static void step(req *r, const char *name, bool body_required)
{
	json_t *in = NULL;
	if ((body_required || r->body.len > 0) && !(in = req_json(r)))
		return;
	RUN_WRITE_AS(r, 200, NULL, request_step(r->db, &r->who, r->id[0], name, in, &out, &e), reply_request);
}

void h_requests_submit(req *r)
{
	step(r, "submit", false);
}

void h_requests_review(req *r)
{
	step(r, "review", true);
}

void h_requests_decision(req *r)
{
	step(r, "decision", true);
}

void h_requests_cancel(req *r)
{
	step(r, "cancel", true);
}

void h_requests_history(req *r)
{
	json_t *rq;
	lerr e = {0};
	if (load_visible(r->db, &r->who, r->id[0], &rq, &e))
		return reply_err(r, &e);
	json_decref(rq);
	reply_list(r, audit_history(r->db, "request", r->id[0]), 0);
}

void h_assessments_list(req *r)
{
	json_t *rq;
	lerr e = {0};
	if (load_visible(r->db, &r->who, r->id[0], &rq, &e))
		return reply_err(r, &e);
	json_t *items = assessment_list(r->db, r->id[0]);
	double pd = 0, cost = 0;
	int64_t sched = 0;
	size_t i, conditional = 0, infeasible = 0;
	json_t *a;
	json_array_foreach(items, i, a) {
		pd += json_number_value(json_object_get(a, "person_days"));
		cost += json_number_value(json_object_get(a, "cost"));
		if (jv_int(a, "schedule_impact_days", 0) > sched)
			sched = jv_int(a, "schedule_impact_days", 0);
		conditional += strcmp(jv_str(a, "verdict"), "conditional") == 0;
		infeasible += strcmp(jv_str(a, "verdict"), "infeasible") == 0;
	}
	request_decorate(r->db, &r->who, rq, false);
	json_t *o = json_pack("{s:o, s:O, s:{s:f, s:f, s:I, s:I, s:I, s:I}}", "items", items, "pending_department_ids",
			      json_object_get(json_object_get(rq, "assessment_progress"), "pending_department_ids"),
			      "totals", "person_days", pd, "cost", cost, "max_schedule_impact_days", (json_int_t)sched,
			      "conditional", (json_int_t)conditional, "infeasible", (json_int_t)infeasible, "received",
			      (json_int_t)json_array_size(items));
	json_decref(rq);
	reply_json(r, 200, o);
}

void h_assessments_put(req *r)
{
	json_t *in = req_json(r);
	int64_t version = 0;
	if (!in || (req_header(r, "If-Match") && !req_if_match(r, &version)))
		return;
	RUN_WRITE(r, 200, NULL, request_assess(r->db, &r->who, r->id[0], r->id[1], version, in, &out, &e));
}

void h_projects_list(req *r)
{
	int limit;
	int64_t before, next;
	if (!req_page(r, &limit, &before))
		return;
	json_t *items = project_list(r->db, &r->who, before, limit, &next);
	reply_list(r, items, next);
}

void h_projects_get(req *r)
{
	json_t *p = project_visible_to(r->db, r->id[0], &r->who) ? project_get(r->db, r->id[0]) : NULL;
	if (!p)
		return reply_problem(r, 404, "not_found", NULL, "project %lld does not exist", (long long)r->id[0]);
	reply_resource(r, 200, p);
}
