/* Requests (需求单), their involved departments, impact assessments, the projects they become, codes
 * and the in-app inbox, as the records of src/domain/request.h.  Loads fill records whose strings and
 * arrays live in the caller's arena; writes expect the caller's transaction.  Int answers as in
 * store/org.h (DB_ROW found, DB_DONE absent or written, 1 stale, negative error).  The visibility
 * filters here mirror rq_visible() in src/domain/request.c. */
#ifndef LIAISON_STORE_REQUEST_H
#define LIAISON_STORE_REQUEST_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/request.h"
#include "domain/request_list.h"
#include "store/auth.h"
#include "store/db.h"
#include "util/arena.h"

/* The next code for a prefix ("REQ-2026" → "REQ-2026-0001"), into out.  Codes are never reused. */
int code_next(db *d, const char *prefix, char *out, size_t n);

/* --- requests --- */
/* Inserts rq (code, fields, initiator, initiating department, involved departments). */
int rq_insert(db *d, const request *rq, int64_t *id);
/* Rewrites the editable fields and the involved departments when rq->version is current. */
int rq_update(db *d, const request *rq);
/* Moves to a status when the version matches (0: any). */
int rq_set_status(db *d, int64_t id, int64_t version, int status);
int rq_set_project(db *d, int64_t id, int64_t project_id);

/* The request as stored (no visibility check). */
int rq_load(db *d, arena *a, int64_t id, request *out);
/* Whether the viewer may see it (see rq_visible). */
bool rq_visible_to(db *d, int64_t id, const principal *who);
/* The request when the viewer may see it, in one statement (DB_DONE: absent or not visible). */
int rq_load_visible(db *d, arena *a, const principal *who, int64_t id, request *out);

typedef struct rq_filter {
	unsigned statuses;       /* SM_BIT of each status wanted; 0: any */
	unsigned priorities;     /* 1 << enum rq_priority of each priority wanted; 0: any */
	int64_t department_id;   /* initiating or involved; 0: any */
	int64_t initiator_id;    /* 0: any */
	const char *q;           /* in code, title, goal, background; NULL: any */
	const char *due_from, *due_to; /* YYYY-MM-DD, inclusive (a request without a due date is outside any
					* range); NULL: open */
	bool waiting;            /* only candidates of My work's reviews, assessments, decisions and drafts
				  * (the conditions of rq_work_candidates): the caller keeps those that wait on
				  * the viewer */
	rq_order order;          /* domain/request_list.h; {0}: newest first */
} rq_filter;
/* Requests the viewer may see in f's order, starting after `after` (its id 0: from the top), at most
 * `limit`, with their involved departments (the list fields only: no background, goal, criteria...);
 * *more when rows remain after the last.  A page costs the same few statements whatever its length. */
int rq_list(db *d, arena *a, const principal *who, const rq_filter *f, const rq_cursor *after, int limit,
	    request **items, size_t *n, bool *more);

/* 转交: who reviews and decides instead of the head (a new version of the request); who assesses for one
 * involved department instead of its liaisons and head. */
int rq_set_reviewer_override(db *d, int64_t id, int64_t uid);
int rq_set_assignee(db *d, int64_t id, int64_t dept, int64_t uid);
/* 加签: adds an approver (1 when they were already); records their answer (1 when they have none pending). */
int rq_countersign_add(db *d, int64_t request_id, int64_t user_id, int64_t by);
int rq_countersign_answer(db *d, int64_t request_id, int64_t user_id, int decision, const char *comment);
/* Every countersign of the requests ids[0..n), oldest first per request, in one statement per 50. */
int rq_countersigns_many(db *d, arena *a, const int64_t *ids, size_t n, rq_countersign **out, size_t *nout);
/* Copies user_id in on a request (抄送); 1 when they were already. */
int rq_cc_add(db *d, int64_t request_id, int64_t user_id, int64_t by);

/* My work's lists (ops/request.h WORK_*) as candidates — `owner`'s work (the viewer's own, or that of someone
 * they stand in for), as far as the viewer `who` may see it: for each list k whose bit 1 << k is in `lists`,
 * the newest `limit` requests below `before` (0: from the top) that the viewer may see and that the list
 * could hold, newest first, in ONE statement; (*kinds)[i] is the list of (*items)[i] (a request may come
 * once per list).  List fields and involved departments, as rq_list.  The caller decides what each
 * list keeps (what the viewer may do there); a list that got `limit` rows may have more below the last. */
enum { RQW_REVIEWS, RQW_ASSESSMENTS, RQW_DECISIONS, RQW_DRAFTS, RQW_IN_PROGRESS, RQW_LISTS };
int rq_work_candidates(db *d, arena *a, const principal *who, const principal *owner, unsigned lists, int64_t before,
		       int limit, request **items, int **kinds, size_t *n);
/* The same with the statement chosen: full 1 the conditions for everyone, 0 those for someone who is no
 * coordinator and heads and speaks for no department, -1 as owner is (tests prove the two agree). */
int rq_work_candidates_by(db *d, arena *a, const principal *who, const principal *owner, unsigned lists, int64_t before,
			  int limit, int full, request **items, int **kinds, size_t *n);


/* --- people around a request --- */
/* Heads of the department and its ancestors, department first: fills heads, returns n. */
size_t dept_heads_up(db *d, int64_t dept, int64_t *heads, size_t max);
/* Active liaisons of a department, in id order, into an arena array. */
int dept_liaisons(db *d, arena *a, int64_t dept, int64_t **out, size_t *n);
/* Whether the user is a liaison or the head of the department. */
bool dept_is_liaison_or_head(db *d, arena *a, int64_t dept, int64_t uid);
/* Of `depts`, those the user is liaison or head of, in their order, into an arena array. */
int dept_filter_mine(db *d, arena *a, int64_t uid, const int64_t *depts, size_t n, int64_t **out, size_t *nout);

/* --- assessments --- */
/* A department's assessment (a->request_id, a->department_id): the first one (version 0) or a revision
 * of `version`; 1 when another one exists already, or the version is stale (the check is in the write). */
int assessment_put(db *d, const assessment *a, int64_t version);
int assessment_load(db *d, arena *a, int64_t request_id, int64_t dept, assessment *out);
int assessment_list(db *d, arena *a, int64_t request_id, assessment **items, size_t *n); /* department order */
/* The assessments of requests ids[0..n), by request then department, in one statement per ROWS_IN. */
int assessment_list_many(db *d, arena *a, const int64_t *ids, size_t n, assessment **items, size_t *nitems);

/* --- projects --- */
/* Creates the project of an accepted request with its lead and assisting departments, each with its
 * first liaison as the project's liaison. */
int project_create_from_request(db *d, const request *rq, const char *code, int64_t *id);
int project_load(db *d, arena *a, int64_t id, project *out);
bool project_visible_to(db *d, int64_t id, const principal *who);
int project_list(db *d, arena *a, const principal *who, int64_t before, int limit, project **items, size_t *n,
		 int64_t *next);

#endif
