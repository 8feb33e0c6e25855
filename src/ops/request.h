/* Operations on requests (需求单): create, edit, submit, review, assess, decide, cancel; and the views
 * of requests, assessments, projects and "My work" as the caller may see them. */
#ifndef LIAISON_OPS_REQUEST_H
#define LIAISON_OPS_REQUEST_H
#include "domain/request.h"
#include "ops/ops.h"
#include "store/request.h"

/* A request's fields; `set` says which were given (RQ_IN_*).  Enums are -1 when given as null. */
typedef struct request_in {
	unsigned set;
	const char *title, *background, *goal;
	const char **criteria;
	size_t ncriteria;
	const char *resources_needed, *expected_outcome, *due_date, *risks;
	int64_t *departments;
	size_t ndepartments;
	int confidentiality, priority;
} request_in;
enum {
	RQ_IN_TITLE = 1 << 0,
	RQ_IN_BACKGROUND = 1 << 1,
	RQ_IN_GOAL = 1 << 2,
	RQ_IN_CRITERIA = 1 << 3,
	RQ_IN_RESOURCES = 1 << 4,
	RQ_IN_OUTCOME = 1 << 5,
	RQ_IN_DUE = 1 << 6,
	RQ_IN_RISKS = 1 << 7,
	RQ_IN_DEPARTMENTS = 1 << 8,
	RQ_IN_CONFIDENTIALITY = 1 << 9,
	RQ_IN_PRIORITY = 1 << 10,
};

/* What a step carries: a decision (index into the route's values), a comment or reason, force. */
typedef struct step_in {
	unsigned set;
	int decision;
	const char *comment;
	const char *reason;
	bool force;
} step_in;

typedef struct assessment_in {
	unsigned set;
	const char *impact, *materials, *conditions;
	double person_days, cost;
	int64_t schedule_impact_days;
	int verdict;
} assessment_in;

/* A draft of the caller's department (RQ-6).  *out is the request as the caller sees it. */
int op_request_create(op_ctx *c, const request_in *in, request_view *out, lerr *e);
/* The initiator edits a draft or returned request at `version`. */
int op_request_update(op_ctx *c, int64_t id, int64_t version, const request_in *in, request_view *out, lerr *e);
/* The steps of rq_machine (in->decision: review 0 approve, 1 return, 2 reject; decide 0 accept,
 * 1 decline).  Each answers the request as it now stands. */
int op_request_submit(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e);
int op_request_review(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e);
int op_request_decide(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e);
int op_request_cancel(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e);
/* A new draft of the caller's with the content of a request they may see (its due date when still ahead);
 * the new request's timeline notes the one it was copied from. */
int op_request_copy(op_ctx *c, int64_t id, request_view *out, lerr *e);
/* 催办: the initiator reminds whoever the step waits on (429 within 4 working hours of the last urge). */
int op_request_urge(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e);
/* To whom a step is handed on (转交), and for which department when the caller assesses for several. */
typedef struct transfer_in {
	unsigned set; /* jsonv_decode's presence bits (every input struct begins with them) */
	int64_t to_user_id, department_id;
	const char *comment;
} transfer_in;
/* 转交: whoever the current step waits on hands it to another person who may see the request — the
 * reviewer their review or decision, an assessor their department's assessment.  Their inbox item is done,
 * the new person is told; recorded with the name.  403 when the step is not the caller's; 422 for someone
 * who may not see the request (cannot_see), an unknown person, or the caller. */
int op_request_transfer(op_ctx *c, int64_t id, const transfer_in *in, request_view *out, lerr *e);

/* 加签: whom the decider adds as an approver. */
typedef struct countersign_in {
	unsigned set; /* jsonv_decode's presence bits */
	int64_t user_id;
	const char *comment;
} countersign_in;
/* 加签: the decider (the reviewer or a coordinator) adds an approver who may see the request; accepting then
 * waits for their answer.  422 for oneself, the initiator, an unknown person or one who may not see it;
 * 409 when already added. */
int op_request_countersign(op_ctx *c, int64_t id, const countersign_in *in, request_view *out, lerr *e);
/* The added approver answers: in->decision 0 approve, 1 reject (a comment required); the decider is told. */
int op_request_countersign_answer(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e);

/* Whom to copy in (抄送). */
typedef struct cc_in {
	unsigned set; /* jsonv_decode's presence bits */
	int64_t *user_ids;
	size_t n;
} cc_in;
/* 抄送: the initiator or whoever decides copies people in; they are told and may read the request from now
 * on.  422 naming the unknown and those whose clearance does not reach the request's level (nobody is
 * added then); 403/409 as the machine says (not on a draft). */
int op_request_cc(op_ctx *c, int64_t id, const cc_in *in, request_view *out, lerr *e);
/* 撤回: the initiator takes a submitted request back to draft before its review (the reviewer's item is done). */
int op_request_withdraw(op_ctx *c, int64_t id, const step_in *in, request_view *out, lerr *e);
/* A liaison or head of an involved department submits (version 0) or revises (its version) the
 * department's impact assessment. */
int op_request_assess(op_ctx *c, int64_t id, int64_t dept, int64_t version, const assessment_in *in, assessment *out,
		      lerr *e);

/* Reads, as the caller may see them (404 for what they may not). */
int op_request_get(op_ctx *c, int64_t id, request_view *out, lerr *e);
/* Views of requests the caller may see (items from the store): with `full`, what the caller may do. */
int op_request_views(op_ctx *c, const request *items, size_t n, bool full, request_view **out, lerr *e);
/* Whether a full view waits on the caller: it is in My work's reviews, assessments, decisions or drafts
 * (the rules of op_my_work). */
bool op_request_waits_on_me(const request_view *v);

/* The request list (ops/request_list.c): the filters of rq_filter (without its order), the order and
 * the cursor as given (domain/request_list.h), the page's length. */
typedef struct request_query {
	rq_filter f;
	const char *sort, *order;
	const char *cursor;
	int limit;
} request_query;
/* One page of the list in the query's order; *next the cursor of the next page (NULL on the last).  400
 * naming sort, order, cursor, due_from or due_to. */
int op_request_list(op_ctx *c, const request_query *q, request_view **items, size_t *n, const char **next, lerr *e);
/* Every request the query selects (its cursor and limit ignored), in its order, handed to each() a page
 * at a time (the views live until each returns; a non-zero answer stops and is returned).  More than
 * `max` → 413 too_many_rows, and the caller throws away what it was handed: an export is never cut
 * short silently. */
typedef int (*request_each)(void *ctx, const request_view *items, size_t n);
int op_request_export(op_ctx *c, const request_query *q, size_t max, request_each each, void *ctx, lerr *e);

typedef struct assessment_sheet {
	assessment *items;
	size_t n;
	int64_t *pending;                 /* involved departments still to assess */
	size_t npending;
	int64_t person_days_x100, cost_cents, max_schedule_impact_days;
	int64_t conditional, infeasible;
} assessment_sheet;
/* The assessments of a request side by side, with totals. */
int op_request_assessments(op_ctx *c, int64_t id, assessment_sheet *out, lerr *e);

int op_project_get(op_ctx *c, int64_t id, project *out, lerr *e);
int op_project_list(op_ctx *c, int64_t before, int limit, project **items, size_t *n, int64_t *next, lerr *e);

/* What waits for the caller, in five lists: requests to review, to assess for one of the caller's
 * departments, to decide; the caller's drafts and returned requests; the caller's requests in progress. */
/* The lists, in the store's order (store/request.h rq_work_candidates). */
enum {
	WORK_REVIEWS = RQW_REVIEWS,
	WORK_ASSESSMENTS = RQW_ASSESSMENTS,
	WORK_DECISIONS = RQW_DECISIONS,
	WORK_DRAFTS = RQW_DRAFTS,
	WORK_IN_PROGRESS = RQW_IN_PROGRESS,
	WORK_LISTS = RQW_LISTS,
	WORK_DELEGATED = WORK_LISTS, /* what waits on those the caller stands in for (代理人) */
	WORK_ALL_LISTS
};
extern const char *const work_list_names[]; /* NULL-terminated, index = WORK_* */
typedef struct work_list {
	request_view *items;
	size_t n;
	int64_t next;   /* cursor of the next page; 0 when this is the last */
} work_list;
typedef struct my_work {
	work_list lists[WORK_ALL_LISTS];
} my_work;
/* One page (newest first, below `before`) of one list. */
int op_my_work_list(op_ctx *c, int list, int64_t before, int limit, work_list *out, lerr *e);
/* The first page of every list, at most limit items each. */
int op_my_work(op_ctx *c, int limit, my_work *out, lerr *e);

#endif
