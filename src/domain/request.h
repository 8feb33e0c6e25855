/* Stage 1 rules: the collaboration request (需求单) as a typed record, its state machine, who may do
 * what, its field checks, the feasibility decision, who reviews and who may see a request.  Pure
 * functions over records; no I/O.
 *
 * The request's life (docs/requests.md; rq_machine in request.c is this diagram as a table):
 *
 *        create            submit              approve                 accept
 *   ──────────▶ draft ───────────▶ submitted ───────────▶ assessing ─────────▶ accepted (a project)
 *                 ▲                 │     │                   │
 *                 │ submit  return  │     │ reject            │ decline
 *                 └──── returned ◀──┘     ▼                   ▼
 *                                       rejected            declined
 *   cancel: draft | submitted | returned | assessing ──▶ cancelled
 *   edit: draft | returned (the state stays) · assess: assessing (the state stays)
 *
 * Invariants (cited by the asserts and tests that check them):
 *   RQ-1  rejected, accepted, declined and cancelled are final: no action starts from them.
 *   RQ-2  only the initiator edits, submits; only the reviewer reviews; only the reviewer or a
 *         coordinator decides; only an assessor (liaison or head of an involved department) assesses;
 *         only the initiator or an administrator cancels.
 *   RQ-3  return, reject, decline and cancel carry a non-empty comment (reason).
 *   RQ-4  a request is accepted only when every involved department has assessed and none found it
 *         infeasible, unless forced with a comment; accepting creates exactly one project.
 *   RQ-5  a request is submitted only with a due date not in the past and a reviewer whose clearance
 *         reaches its confidentiality.
 *   RQ-6  a request is never more confidential than its initiator's clearance.
 *   RQ-7  a draft needs only its title; a request is submitted only with every field of the form
 *         (rq_check_fields), each refusal naming its field.
 */
#ifndef LIAISON_DOMAIN_REQUEST_H
#define LIAISON_DOMAIN_REQUEST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/sm.h"
#include "util/err.h"
#include "util/record.h"

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
	RQA_WITHDRAW, /* 撤回: submitted, before its review → draft again */
	RQA_URGE,     /* 催办: the initiator reminds whoever the step waits on (at most once per RQ_URGE_WORK_MS) */
	RQA_CC,       /* 抄送: the initiator or the decider copies people in; they are told and may read it */
	RQA_TRANSFER, /* 转交: whoever the step waits on hands it to another person who may see the request */
	RQA_COUNTERSIGN, /* 加签: the decider adds an approver; accepting waits for their answer */
	RQA_SIGN,     /* the added approver approves or rejects */
	RQ_ACTION_COUNT
};

/* What the caller is to this request; several may hold at once. */
enum rq_role {
	RQR_INITIATOR = 1 << 0,   /* raised the request */
	RQR_REVIEWER = 1 << 1,    /* head of the initiating department (or the head above, see rq_reviewer) */
	RQR_ASSESSOR = 1 << 2,    /* liaison or head of an involved department */
	RQR_COORDINATOR = 1 << 3, /* a designated coordinator (协调人) */
	RQR_ADMIN = 1 << 4,       /* an administrator */
	RQR_SIGNER = 1 << 5,      /* added by the decider (加签) and has not answered yet */
};

/* What the operation does after a move (the effects column of the machine). */
enum rq_effect {
	RQE_TELL_REVIEWER = 1 << 0,   /* the reviewer hears of it */
	RQE_TELL_INITIATOR = 1 << 1,  /* the initiator hears of it */
	RQE_TELL_ASSESSORS = 1 << 2,  /* each involved department's liaisons (its head when none can be told) */
	RQE_TELL_HEADS = 1 << 3,      /* ... and each involved department's head as well */
	RQE_TELL_WAITING = 1 << 4,    /* whoever the request was waiting on (cancel) */
	RQE_CREATE_PROJECT = 1 << 5,  /* the project is created (RQ-4) */
};

/* The request machine (the diagram above as a table). */
extern const sm rq_machine;

enum rq_priority { RQP_LOW, RQP_NORMAL, RQP_HIGH, RQP_URGENT };
enum rq_verdict { RQV_FEASIBLE, RQV_CONDITIONAL, RQV_INFEASIBLE };
extern const char *const rq_status_names[];   /* NULL-terminated, index = enum rq_status */
extern const char *const rq_priority_names[];
extern const char *const rq_verdict_names[];

/* Field limits, in characters. */
enum {
	RQ_TITLE_MAX = 200,
	RQ_TEXT_MAX = 5000,
	RQ_CRITERION_MAX = 500,
	RQ_CRITERIA_MAX = 20,
	RQ_DEPARTMENTS_MAX = 30,
	RQ_COMMENT_MAX = 2000,
};

/* ------------------------------------------------------------------ records */

/* A request as stored.  Strings and arrays belong to whoever loaded it (an arena). */
typedef struct request {
	int64_t id;
	const char *code;                   /* REQ-YYYY-NNNN */
	const char *title, *background, *goal;
	const char **criteria;              /* success criteria */
	size_t ncriteria;
	const char *resources_needed, *expected_outcome, *due_date, *risks;
	int confidentiality;                /* enum clearance */
	int priority;                       /* enum rq_priority */
	int status;                         /* enum rq_status */
	int64_t initiator_id;
	const char *initiator_name;
	int64_t initiating_department_id;
	const char *initiating_department_name;
	int64_t *involved;                  /* involved department ids, ascending */
	size_t ninvolved;
	int64_t *assignees;                 /* per involved department: who assesses for it after a transfer, or 0 */
	int64_t reviewer_override;          /* who reviews and decides after a transfer (转交), or 0: the head */
	int64_t *cc;                        /* people copied in (抄送), ascending: they may read it (full loads only) */
	size_t ncc;
	int64_t *signers;                   /* added approvers (加签) who have not answered (full loads only) */
	size_t nsigners;
	int64_t project_id;                 /* 0 until accepted */
	int64_t submitted_at, status_changed_at, version, created_at, updated_at;
} request;
extern const rdesc request_desc;

/* One department's impact assessment (影响评估与资源预估). */
typedef struct assessment {
	int64_t id, request_id, department_id;
	const char *department_name;
	const char *impact, *materials, *conditions;
	int64_t person_days_x100;           /* person-days in hundredths (exact) */
	int64_t cost_cents;                 /* money in cents of the organisation's currency (exact) */
	int64_t schedule_impact_days;
	int verdict;                        /* enum rq_verdict */
	int64_t assessor_id;
	const char *assessor_name;
	int64_t version, created_at, updated_at;
} assessment;
extern const rdesc assessment_desc;

/* A person or a department the request waits on. */
typedef struct rq_party {
	const char *kind;                   /* "user" or "department" */
	int64_t id;
	const char *name;
} rq_party;

typedef struct rq_waiting {
	const char *step;                   /* draft, revision, review, assessment, decision */
	int64_t since;                      /* UTC ms */
	rq_party *on;
	size_t non;
} rq_waiting;

typedef struct rq_progress {
	int64_t expected, received;
	int64_t *pending;                   /* involved departments still to assess */
	size_t npending;
} rq_progress;

/* Whom one involved department's assessment is asked of (whom the approval tells): its liaisons who may
 * see the request; when none of them may (their clearance is too low, or there are none), its head when
 * they may; nobody when neither can (rq_asked_of). */
typedef struct rq_asked {
	int64_t department_id;
	const char *via; /* "liaison", "head", or "none" */
	rq_party *people;
	size_t npeople;
} rq_asked;

/* A request as one viewer sees it: the record, whom it waits on, and what the viewer may do. */
/* An approver the decider added (加签), and their answer. */
typedef struct rq_countersign {
	int64_t request_id, user_id;
	const char *name;
	int64_t added_by;
	int decision;                       /* -1 not yet, 0 approve, 1 reject */
	const char *comment;
	int64_t added_at, answered_at;
} rq_countersign;
extern const char *const rq_sign_names[]; /* "approve", "reject" */

typedef struct request_view {
	request rq;
	int64_t reviewer_id;
	rq_progress progress;
	const rq_waiting *waiting;          /* NULL when nobody is to act */
	const char **allowed;               /* allowed_actions (full view) */
	size_t nallowed;
	int64_t *mine;                      /* involved departments the viewer assesses for (full view) */
	size_t nmine;
	rq_asked *asked; /* per involved department, who assesses for it (full view) */
	size_t nasked;
	rq_countersign *countersigns;       /* approvers added by the decider, with their answers (full view) */
	size_t ncountersigns;
	int64_t on_behalf_of;               /* My work's delegated list: whom the step waits on (代理人), else 0 */
} request_view;
extern const rdesc request_view_desc;

/* The project an accepted request became. */
typedef struct project_dept {
	int64_t department_id;
	int role;                           /* 0 lead (主办), 1 assisting (配合) */
	int64_t liaison_user_id;            /* 0 when none */
} project_dept;

typedef struct project {
	int64_t id;
	const char *code, *name;
	int64_t request_id;
	int status;                         /* index into project_status_names */
	int64_t lead_department_id, coordinator_id;
	int confidentiality;                /* enum clearance */
	project_dept *departments;
	size_t ndepartments;
	int64_t version, created_at, updated_at;
} project;
extern const rdesc project_desc;
extern const char *const project_status_names[];
extern const char *const project_role_names[];

/* ------------------------------------------------------------------ rules */

const char *rq_status_name(enum rq_status s);
int rq_status_parse(const char *s); /* -1 when unknown */
const char *rq_action_name(enum rq_action a);
bool rq_status_open(enum rq_status s);

/* May someone holding `roles` do `act` to a request in `st`?  (sm_can over rq_machine.) */
int rq_can(enum rq_status st, enum rq_action act, unsigned roles, lerr *e);
/* The status after `act` (only meaningful when rq_can allowed it). */
enum rq_status rq_next(enum rq_status st, enum rq_action act);

/* What the guards of rq_machine look at, gathered by the operation. */
typedef struct rq_facts {
	const request *rq;
	int64_t today;                      /* days since 1970-01-01 in the organisation's time zone */
	const char *comment;                /* the comment, or the reason for a cancel */
	bool force;
	int64_t reviewer_id;                /* 0 when nobody can review */
	int reviewer_clearance;
	int initiator_clearance;               /* for the fields checked at submission (RQ-6, RQ-7) */
	size_t expected, received, infeasible; /* assessments */
	int64_t now, last_urged_at;         /* UTC ms; last_urged_at 0 when never */
	size_t signers_pending;             /* added approvers (加签) who have not answered: accepting waits */
	int tz_offset_s;                    /* the organisation's UTC offset, for working time */
} rq_facts;

/* An urge at most once per 4 working hours (domain/calendar.h). */
#define RQ_URGE_WORK_MS (4 * 3600LL * 1000)

/* What a viewer is to a request (RQR_* bits): its initiator, its reviewer (`reviewer`, as rq_reviewer
 * answers), an assessor when `assesses` (liaison or head of an involved department, or of the one
 * department in question), a coordinator, an administrator. */
unsigned rq_roles(const request *rq, int64_t viewer, int64_t reviewer, bool assesses, bool is_coordinator,
		  bool is_admin);

/* The notification kind an action sends its parties ("request.approved"); the departments asked to
 * assess hear "request.assess" instead. */
const char *rq_notice_kind(enum rq_action a);
/* The inbox items that ask for the step of `status` (review: "request.submitted" to the reviewer;
 * assessment: "request.assess" to the departments, "request.assessed" to the decider; revision:
 * "request.returned" to the initiator; "request.transferred" to whoever a step was handed to): done once
 * the request leaves that status.  NULL-terminated. */
const char *const *rq_step_items(int status);

int rq_priority_parse(const char *s); /* -1 when unknown */
int rq_verdict_parse(const char *s);

/* The due date must be a real date, today or later (`today` in days since 1970-01-01). */
int rq_check_due_date(const char *due, int64_t today, lerr *e);
/* The success criteria: 1..RQ_CRITERIA_MAX non-empty strings of at most RQ_CRITERION_MAX characters. */
int rq_check_criteria(const char *const *criteria, size_t n, lerr *e);
/* The involved departments: 1..RQ_DEPARTMENTS_MAX, no duplicates, at least one other than the initiator's. */
int rq_check_departments(const int64_t *ids, size_t n, int64_t initiating, lerr *e);
/* A request may not be more confidential than its initiator's clearance (RQ-6). */
int rq_check_confidentiality(int level, int initiator_clearance, lerr *e);
/* A comment or reason that the action requires (RQ-3). */
int rq_check_comment(const char *comment, bool required, const char *field, lerr *e);
/* A text field of the form (background, goal, ...): required ones non-blank, at most RQ_TEXT_MAX. */
int rq_check_text(const char *s, bool required, const char *field, lerr *e);
/* Every field of a request about to be saved (title, texts, criteria, due date, confidentiality,
 * departments); `today` as for rq_check_due_date. */
int rq_check_fields(const request *rq, int initiator_clearance, int64_t today, lerr *e);
/* A draft about to be saved (RQ-7): a title; whatever else is given within its limits (a due date not
 * in the past, no duplicate departments), but nothing else required. */
int rq_check_draft(const request *rq, int initiator_clearance, int64_t today, lerr *e);
/* An assessment about to be saved: impact required, amounts in range, conditions when not feasible. */
int rq_check_assessment(const assessment *a, lerr *e);

/* The feasibility decision (RQ-4). */
int rq_check_accept(size_t expected, size_t received, size_t infeasible, bool force, const char *comment, lerr *e);

/* Who reviews a request: walks up from the initiating department (chain[0]) through its ancestors and
 * answers the first head that is not the initiator; heads[i] is the head of chain[i] (0 when none).
 * 0 when nobody qualifies. */
int64_t rq_reviewer(int64_t initiator, const int64_t *heads, size_t n);

/* Who may see a request: public and internal ones everyone signed in; confidential and secret ones
 * only participants whose clearance reaches the level. */
bool rq_visible(int confidentiality, int viewer_clearance, bool participant);

/* A viewer, as the visibility rule sees them. */
typedef struct rq_viewer {
	int64_t user_id, department_id;
	int clearance;
	bool is_admin, is_coordinator;
	const int64_t *headed;   /* departments the viewer heads, and every department below them */
	size_t nheaded;
} rq_viewer;
/* The whole rule V-1..V-3 of store/visibility.h for one request: a draft is its initiator's alone;
 * then rq_visible with the participants (the initiator, members of the initiating or an involved
 * department, heads of those or of a department above them, coordinators, administrators).  The SQL
 * of store/visibility.h is this function; tests/unit/test_visibility.c proves them equal. */
bool rq_may_see(const request *rq, const rq_viewer *v);

/* Who assesses for one involved department (see rq_asked): of its liaisons liaisons[0..n), those for
 * whom may_see[i] holds; when none does, its head (head > 0) when head_may_see; else nobody.  Writes the
 * chosen indexes (into liaisons; n for the head) to pick and answers their count; *via says which. */
size_t rq_asked_of(const int64_t *liaisons, const bool *may_see, size_t n, int64_t head, bool head_may_see,
		   size_t *pick, const char **via);

#endif
