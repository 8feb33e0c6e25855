/* Stage 1: the collaboration request (需求单) — routes, their declared input, and the JSON of a request and
 * its assessments (its project: api/projects.c). */
#include "api/api.h"
#include "domain/org.h"
#include "ops/request.h"
#include "store/audit.h"

/* A draft needs only its title (RQ-7): the rest is checked when it is submitted. */
#define RQ_FIELDS(title_req)                                                                               \
	{"title", JF_STRING, title_req, 0, RQ_TITLE_MAX, AT(request_in, title), .bit = RQ_IN_TITLE},               \
	{"background", JF_STRING, 0, 0, RQ_TEXT_MAX, AT(request_in, background), .bit = RQ_IN_BACKGROUND,  \
	 .doc = "协作背景"},                                                                                  \
	{"goal", JF_STRING, 0, 0, RQ_TEXT_MAX, AT(request_in, goal), .bit = RQ_IN_GOAL, .doc = "目标"},   \
	{"success_criteria", JF_STRINGS, 0, 0, RQ_CRITERIA_MAX, AT(request_in, criteria),                  \
	 .count_off = offsetof(request_in, ncriteria), .bit = RQ_IN_CRITERIA, .doc = "measurable criteria"},  \
	{"resources_needed", JF_STRING, 0, 0, RQ_TEXT_MAX, AT(request_in, resources_needed), .bit = RQ_IN_RESOURCES}, \
	{"expected_outcome", JF_STRING, 0, 0, RQ_TEXT_MAX, AT(request_in, expected_outcome), .bit = RQ_IN_OUTCOME}, \
	{"due_date", JF_STRING, 0, 0, 10, AT(request_in, due_date), .bit = RQ_IN_DUE, .doc = "YYYY-MM-DD"},  \
	{"risks", JF_STRING, 0, 0, RQ_TEXT_MAX, AT(request_in, risks), .bit = RQ_IN_RISKS},                  \
	{"involved_department_ids", JF_IDS, 0, 0, RQ_DEPARTMENTS_MAX, AT(request_in, departments),         \
	 .count_off = offsetof(request_in, ndepartments), .bit = RQ_IN_DEPARTMENTS},                          \
	{"confidentiality", JF_ENUM, 0, 0, 0, AT(request_in, confidentiality), .bit = RQ_IN_CONFIDENTIALITY,  \
	 .values = clearance_names, .doc = "default internal"},                                               \
	{"priority", JF_ENUM, 0, 0, 0, AT(request_in, priority), .bit = RQ_IN_PRIORITY,                      \
	 .values = rq_priority_names, .doc = "default normal"}

static const jfield create_fields[] = {RQ_FIELDS(JF_REQUIRED)};
static const jfield update_fields[] = {RQ_FIELDS(0)};

static const char *const review_values[] = {"approve", "return", "reject", NULL};
static const char *const decision_values[] = {"accept", "decline", NULL};

static const jfield submit_fields[] = {
	{"comment", JF_STRING, 0, 0, RQ_COMMENT_MAX, AT(step_in, comment), .bit = 2},
};
static const jfield review_fields[] = {
	{"decision", JF_ENUM, JF_REQUIRED, 0, 0, AT(step_in, decision), .bit = 1, .values = review_values},
	{"comment", JF_STRING, 0, 0, RQ_COMMENT_MAX, AT(step_in, comment), .bit = 2, .doc = "required to return or reject"},
};
static const jfield decision_fields[] = {
	{"decision", JF_ENUM, JF_REQUIRED, 0, 0, AT(step_in, decision), .bit = 1, .values = decision_values},
	{"comment", JF_STRING, 0, 0, RQ_COMMENT_MAX, AT(step_in, comment), .bit = 2,
	 .doc = "required to decline, or to accept with force"},
	{"force", JF_BOOL, 0, 0, 0, AT(step_in, force), .bit = 4,
	 .doc = "accept although assessments are missing or infeasible"},
};
static const jfield cancel_fields[] = {
	{"reason", JF_STRING, 0, 0, RQ_COMMENT_MAX, AT(step_in, reason), .bit = 8, .doc = "required"},
};
static const jfield transfer_fields[] = {
	{"to_user_id", JF_ID, JF_REQUIRED, 0, 0, AT(transfer_in, to_user_id), .bit = 1,
	 .doc = "who takes the step over: someone who may see the request"},
	{"department_id", JF_ID, 0, 0, 0, AT(transfer_in, department_id), .bit = 2,
	 .doc = "the department whose assessment is handed on, when the caller assesses for several"},
	{"comment", JF_STRING, 0, 0, RQ_COMMENT_MAX, AT(transfer_in, comment), .bit = 4},
};
static const jfield countersign_fields[] = {
	{"user_id", JF_ID, JF_REQUIRED, 0, 0, AT(countersign_in, user_id), .bit = 1,
	 .doc = "the approver to add: someone who may see the request"},
	{"comment", JF_STRING, 0, 0, RQ_COMMENT_MAX, AT(countersign_in, comment), .bit = 2},
};
static const jfield answer_fields[] = {
	{"decision", JF_ENUM, JF_REQUIRED, 0, 0, AT(step_in, decision), .bit = 1, .values = rq_sign_names},
	{"comment", JF_STRING, 0, 0, RQ_COMMENT_MAX, AT(step_in, comment), .bit = 2, .doc = "required to reject"},
};
static const jfield cc_fields[] = {
	{"user_ids", JF_IDS, JF_REQUIRED, 0, 50, AT(cc_in, user_ids), .count_off = offsetof(cc_in, n), .bit = 1,
	 .doc = "the people to copy in: each must be able to read the request (clearance)"},
};
static const jfield assess_fields[] = {
	{"impact", JF_STRING, JF_REQUIRED, 0, RQ_TEXT_MAX, AT(assessment_in, impact), .bit = 1, .doc = "影响范围"},
	{"person_days", JF_NUMBER, JF_REQUIRED, 0, 0, AT(assessment_in, person_days), .bit = 2},
	{"cost", JF_NUMBER, JF_REQUIRED, 0, 0, AT(assessment_in, cost), .bit = 4},
	{"materials", JF_STRING, 0, 0, RQ_TEXT_MAX, AT(assessment_in, materials), .bit = 8},
	{"schedule_impact_days", JF_INT, JF_REQUIRED, 0, 0, AT(assessment_in, schedule_impact_days), .bit = 16},
	{"verdict", JF_ENUM, JF_REQUIRED, 0, 0, AT(assessment_in, verdict), .bit = 32, .values = rq_verdict_names},
	{"conditions", JF_STRING, 0, 0, RQ_TEXT_MAX, AT(assessment_in, conditions), .bit = 64,
	 .doc = "required unless feasible"},
};

/* ------------------------------------------------------------------ handlers */

static void reply_view(req *r, int status, const request_view *v)
{
	reply_record(r, status, &request_view_desc, v, RV_FULL);
}

/* 201 with the new request and its Location. */
static void reply_created(req *r, const request_view *v)
{
	reply_view(r, 201, v);
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/requests/%lld", (long long)v->rq.id);
	reply_header(r, "Location", loc);
}

static void requests_create(req *r)
{
	request_view v;
	lerr e = {0};
	if (op_request_create(api_ctx(r), r->in, &v, &e))
		return reply_err(r, &e);
	reply_created(r, &v);
}

static void requests_copy(req *r)
{
	request_view v;
	lerr e = {0};
	if (op_request_copy(api_ctx(r), r->id[0], &v, &e))
		return reply_err(r, &e);
	reply_created(r, &v);
}

static void requests_get(req *r)
{
	request_view v;
	lerr e = {0};
	if (op_request_get(api_ctx(r), r->id[0], &v, &e))
		return reply_err(r, &e);
	reply_view(r, 200, &v);
}

static void requests_update(req *r)
{
	request_view v;
	lerr e = {0};
	if (op_request_update(api_ctx(r), r->id[0], r->version, r->in, &v, &e))
		return reply_err(r, &e);
	reply_view(r, 200, &v);
}

/* The steps: one shape, the operation varies. */
typedef int (*step_op)(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e);

static void run_step(req *r, step_op op)
{
	request_view v;
	lerr e = {0};
	if (op(api_ctx(r), r->id[0], r->in, &v, &e))
		return reply_err(r, &e);
	reply_view(r, 200, &v);
}

static void requests_submit(req *r)
{
	run_step(r, op_request_submit);
}

static void requests_review(req *r)
{
	run_step(r, op_request_review);
}

static void requests_decision(req *r)
{
	run_step(r, op_request_decide);
}

static void requests_transfer(req *r)
{
	request_view v;
	lerr e = {0};
	if (op_request_transfer(api_ctx(r), r->id[0], r->in, &v, &e))
		return reply_err(r, &e);
	reply_view(r, 200, &v);
}

static void requests_countersign(req *r)
{
	request_view v;
	lerr e = {0};
	if (op_request_countersign(api_ctx(r), r->id[0], r->in, &v, &e))
		return reply_err(r, &e);
	reply_view(r, 200, &v);
}

static void requests_countersign_answer(req *r)
{
	run_step(r, op_request_countersign_answer);
}

static void requests_cc(req *r)
{
	request_view v;
	lerr e = {0};
	if (op_request_cc(api_ctx(r), r->id[0], r->in, &v, &e))
		return reply_err(r, &e);
	reply_view(r, 200, &v);
}

static void requests_urge(req *r)
{
	run_step(r, op_request_urge);
}

static void requests_withdraw(req *r)
{
	run_step(r, op_request_withdraw);
}

static void requests_cancel(req *r)
{
	run_step(r, op_request_cancel);
}

static void requests_history(req *r)
{
	request_view v;
	lerr e = {0};
	if (op_request_get(api_ctx(r), r->id[0], &v, &e))
		return reply_err(r, &e);
	reply_list(r, audit_history(r->db, "request", r->id[0]), 0);
}

static json_t *amount(int64_t hundredths)
{
	return hundredths % 100 == 0 ? json_integer(hundredths / 100) : json_real((double)hundredths / 100.0);
}

static void assessments_list(req *r)
{
	assessment_sheet s;
	lerr e = {0};
	if (op_request_assessments(api_ctx(r), r->id[0], &s, &e))
		return reply_err(r, &e);
	json_t *items = json_array(), *pending = json_array();
	for (size_t i = 0; i < s.n; i++)
		json_array_append_new(items, rec_json(&assessment_desc, &s.items[i], RV_FULL));
	for (size_t i = 0; i < s.npending; i++)
		json_array_append_new(pending, json_integer(s.pending[i]));
	reply_json(r, 200,
		   json_pack("{s:o, s:o, s:{s:o, s:o, s:I, s:I, s:I, s:I}}", "items", items, "pending_department_ids",
			     pending, "totals", "person_days", amount(s.person_days_x100), "cost", amount(s.cost_cents),
			     "max_schedule_impact_days", (json_int_t)s.max_schedule_impact_days, "conditional",
			     (json_int_t)s.conditional, "infeasible", (json_int_t)s.infeasible, "received", (json_int_t)s.n));
}

static void assessments_put(req *r)
{
	assessment a;
	lerr e = {0};
	if (op_request_assess(api_ctx(r), r->id[0], r->id[1], r->version, r->in, &a, &e))
		return reply_err(r, &e);
	reply_record(r, 200, &assessment_desc, &a, RV_FULL);
}

#define HISTORY_SCHEMA "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/AuditEvent\"}},\"next_cursor\":{\"type\":[\"string\",\"null\"]}},\"required\":[\"items\",\"next_cursor\"]}"
#define SHEET_SCHEMA                                                                                            \
	"{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Assessment\"}}," \
	"\"pending_department_ids\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},\"totals\":{\"type\":\"object\"," \
	"\"properties\":{\"person_days\":{\"type\":\"number\"},\"cost\":{\"type\":\"number\"},\"max_schedule_impact_days\":{\"type\":\"integer\"}," \
	"\"conditional\":{\"type\":\"integer\"},\"infeasible\":{\"type\":\"integer\"},\"received\":{\"type\":\"integer\"}}}}," \
	"\"required\":[\"items\",\"pending_department_ids\",\"totals\"]}"

const route requests_routes[] = {
	{"POST", "/api/v1/requests", requests_create, "requests_create", AUTH_USER,
	 "Raise a collaboration request (需求单) as a draft of the caller's department", BODY(create_fields, request_in),
	 .status = 201, .response = &request_view_desc},
	{"GET", "/api/v1/requests/{id}", requests_get, "requests_get", AUTH_USER,
	 "One request, with whom it waits on and what the caller may do", .response = &request_view_desc},
	{"PATCH", "/api/v1/requests/{id}", requests_update, "requests_update", AUTH_USER,
	 "Edit a draft or returned request (the initiator; If-Match)", BODY(update_fields, request_in),
	 .if_match = IFM_REQUIRED, .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/submit", requests_submit, "requests_submit", AUTH_USER,
	 "Submit a draft or returned request for the initial review", BODY_OPT(submit_fields, step_in),
	 .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/review", requests_review, "requests_review", AUTH_USER,
	 "Initial review by the initiating department's head: approve, return (comment) or reject (comment)",
	 BODY(review_fields, step_in), .response = &request_view_desc},
	{"GET", "/api/v1/requests/{id}/assessments", assessments_list, "assessments_list", AUTH_USER,
	 "The impact assessments side by side, with totals and the departments still to assess",
	 .response_schema = SHEET_SCHEMA},
	{"PUT", "/api/v1/requests/{id}/assessments/{department_id}", assessments_put, "assessments_put", AUTH_USER,
	 "Submit or revise a department's impact assessment (its liaison or head; If-Match to revise)",
	 BODY(assess_fields, assessment_in), .if_match = IFM_OPTIONAL, .response = &assessment_desc},
	{"POST", "/api/v1/requests/{id}/decision", requests_decision, "requests_decision", AUTH_USER,
	 "Feasibility decision: accept (creates the project) or decline (comment)", BODY(decision_fields, step_in),
	 .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/cancel", requests_cancel, "requests_cancel", AUTH_USER,
	 "Cancel an open request with a reason (the initiator or an administrator)", BODY(cancel_fields, step_in),
	 .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/copy", requests_copy, "requests_copy", AUTH_USER,
	 "A new draft of the caller's with the content of a request they may see", .status = 201,
	 .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/transfer", requests_transfer, "requests_transfer", AUTH_USER,
	 "转交: whoever the step waits on hands it to another person who may see the request",
	 BODY(transfer_fields, transfer_in), .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/countersign", requests_countersign, "requests_countersign", AUTH_USER,
	 "加签: the decider adds an approver before deciding; accepting waits for their answer",
	 BODY(countersign_fields, countersign_in), .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/countersign/answer", requests_countersign_answer, "requests_countersign_answer",
	 AUTH_USER, "The added approver approves or rejects (a comment to reject)", BODY(answer_fields, step_in),
	 .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/cc", requests_cc, "requests_cc", AUTH_USER,
	 "抄送: the initiator or whoever decides copies people in; they are told and may read it",
	 BODY(cc_fields, cc_in), .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/urge", requests_urge, "requests_urge", AUTH_USER,
	 "催办: the initiator reminds whoever the step waits on (at most once per 4 working hours, else 429)",
	 BODY_OPT(submit_fields, step_in), .response = &request_view_desc},
	{"POST", "/api/v1/requests/{id}/withdraw", requests_withdraw, "requests_withdraw", AUTH_USER,
	 "撤回: the initiator takes a submitted request back to draft before its review", BODY_OPT(submit_fields, step_in),
	 .response = &request_view_desc},
	{"GET", "/api/v1/requests/{id}/history", requests_history, "requests_history", AUTH_USER,
	 "The request's timeline: every step with who, when and the comment", .response_schema = HISTORY_SCHEMA},
};
const size_t requests_routes_n = API_ROUTES_N(requests_routes);
