/* Stage 1 rules: the collaboration request (需求单), its state machine, who may do what, its fields,
 * the feasibility decision and who may see a request.  Pure functions; no I/O. */
#ifndef LIAISON_DOMAIN_REQUEST_H
#define LIAISON_DOMAIN_REQUEST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum rq_status {
	RQ_DRAFT,      /* being written by the initiator */
	RQ_SUBMITTED,  /* waiting for the initial review (需求初审) */
	RQ_RETURNED,   /* sent back for revision, with a comment */
	RQ_REJECTED,   /* refused at the initial review (final) */
	RQ_ASSESSING,  /* impact assessment by every involved department (影响评估) */
	RQ_ACCEPTED,   /* feasible: a project exists (final) */
	RQ_DECLINED,   /* not pursued (final) */
	RQ_CANCELLED,  /* withdrawn by the initiator or an administrator (final) */
	RQ_STATUS_COUNT
};

enum rq_action {
	RQA_EDIT,     /* change the fields */
	RQA_SUBMIT,   /* draft or returned → submitted */
	RQA_APPROVE,  /* initial review: → assessing */
	RQA_RETURN,   /* initial review: → returned (comment required) */
	RQA_REJECT,   /* initial review: → rejected (comment required) */
	RQA_ASSESS,   /* submit or revise one department's impact assessment */
	RQA_ACCEPT,   /* feasibility decision: → accepted, creates the project */
	RQA_DECLINE,  /* feasibility decision: → declined (comment required) */
	RQA_CANCEL,   /* any open status → cancelled (reason required) */
	RQ_ACTION_COUNT
};

/* What the caller is to this request; several may hold at once. */
enum rq_role {
	RQR_INITIATOR = 1 << 0,   /* raised the request */
	RQR_REVIEWER = 1 << 1,    /* head of the initiating department (or the head above, see request_reviewer) */
	RQR_ASSESSOR = 1 << 2,    /* liaison or head of an involved department */
	RQR_COORDINATOR = 1 << 3, /* a designated coordinator (协调人) */
	RQR_ADMIN = 1 << 4,       /* an administrator */
};

const char *rq_status_name(enum rq_status s);
int rq_status_parse(const char *s); /* -1 when unknown */
const char *rq_action_name(enum rq_action a);
bool rq_status_open(enum rq_status s);

/* May someone holding `roles` do `act` to a request in `st`?  0 when yes; otherwise LERR_CONFLICT
 * ("invalid_transition": the status does not allow it, whoever asks) or LERR_FORBIDDEN (the status
 * allows it, but not for these roles), each with a sentence that says why. */
int rq_can(enum rq_status st, enum rq_action act, unsigned roles, lerr *e);
/* The status after `act` (only meaningful when rq_can allowed it). */
enum rq_status rq_next(enum rq_status st, enum rq_action act);

/* Field limits, in characters. */
enum {
	RQ_TITLE_MAX = 200,
	RQ_TEXT_MAX = 5000,
	RQ_CRITERION_MAX = 500,
	RQ_CRITERIA_MAX = 20,
	RQ_DEPARTMENTS_MAX = 30,
	RQ_COMMENT_MAX = 2000,
};

enum rq_priority { RQP_LOW, RQP_NORMAL, RQP_HIGH, RQP_URGENT };
int rq_priority_parse(const char *s); /* -1 when unknown */

/* The due date must be a real date, today or later (`today` in days since 1970-01-01). */
int rq_check_due_date(const char *due, int64_t today, lerr *e);
/* The success criteria: 1..RQ_CRITERIA_MAX non-empty strings of at most RQ_CRITERION_MAX characters. */
int rq_check_criteria(const char *const *criteria, size_t n, lerr *e);
/* The involved departments: 1..RQ_DEPARTMENTS_MAX, no duplicates, at least one other than the initiator's. */
int rq_check_departments(const int64_t *ids, size_t n, int64_t initiating, lerr *e);
/* A request may not be more confidential than its initiator's clearance (they would lose sight of it). */
int rq_check_confidentiality(int level, int initiator_clearance, lerr *e);
/* A comment or reason that the action requires (return, reject, decline, cancel, forced accept). */
int rq_check_comment(const char *comment, bool required, const char *field, lerr *e);

/* The feasibility decision.  Accepting needs an assessment from every involved department and no
 * infeasible verdict, unless `force` with a comment overrides it. */
enum rq_verdict { RQV_FEASIBLE, RQV_CONDITIONAL, RQV_INFEASIBLE };
int rq_verdict_parse(const char *s);
int rq_check_accept(size_t expected, size_t received, size_t infeasible, bool force, const char *comment, lerr *e);

/* Who reviews a request: walks up from the initiating department (chain[0]) through its ancestors and
 * answers the first head that is not the initiator; heads[i] is the head of chain[i] (0 when none).
 * 0 when nobody qualifies. */
int64_t rq_reviewer(int64_t initiator, const int64_t *heads, size_t n);

/* Who may see a request: public and internal ones everyone signed in; confidential and secret ones
 * only participants whose clearance reaches the level (DESIGN.md; drafts included, like any request). */
bool rq_visible(int confidentiality, int viewer_clearance, bool participant);

#endif
