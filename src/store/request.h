/* Requests (需求单), their involved departments, impact assessments, the projects they become, codes
 * and the in-app inbox.  Reads answer JSON in the API's shape (caller owns); writes expect the caller's
 * transaction.  Visibility filters here mirror rq_visible() in src/domain/request.c. */
#ifndef LIAISON_STORE_REQUEST_H
#define LIAISON_STORE_REQUEST_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/auth.h"
#include "store/db.h"

/* The next code for a prefix ("REQ-2026" → "REQ-2026-0001"), into out.  Codes are never reused. */
int code_next(db *d, const char *prefix, char *out, size_t n);

/* --- requests --- */
typedef struct rq_row {
	const char *title, *background, *goal, *resources_needed, *expected_outcome, *due_date, *risks;
	const char *confidentiality, *priority;
	int conf_level;
	json_t *success_criteria;       /* array of strings (borrowed) */
	const int64_t *departments;     /* involved department ids */
	size_t ndepartments;
} rq_row;

int rq_insert(db *d, const char *code, const rq_row *row, int64_t initiator, int64_t department, int64_t *id);
/* Rewrites the editable fields when the version matches; DB_DONE, or 1 when stale. */
int rq_update(db *d, int64_t id, int64_t version, const rq_row *row);
/* Moves to a status when the version matches (0: any); DB_DONE, or 1 when stale. */
int rq_set_status(db *d, int64_t id, int64_t version, const char *status);
int rq_set_project(db *d, int64_t id, int64_t project_id);

/* The request as stored (no visibility check), or NULL. */
json_t *rq_get(db *d, int64_t id);
/* Whether the viewer may see it (see rq_visible). */
bool rq_visible_to(db *d, int64_t id, const principal *who);

typedef struct rq_filter {
	const char *status;      /* NULL: any */
	int64_t department_id;   /* initiating or involved; 0: any */
	int64_t initiator_id;    /* 0: any */
	const char *q;           /* in code, title, goal, background; NULL: any */
	bool under_my_headship;  /* initiated in a department the viewer heads, or below one */
	bool my_departments;     /* involving a department of which the viewer is liaison or head */
} rq_filter;
/* Requests the viewer may see, newest first (id below `before`, 0 = from the top). */
json_t *rq_list(db *d, const principal *who, const rq_filter *f, int64_t before, int limit, int64_t *next);

/* --- people around a request --- */
/* Heads of the department and its ancestors, department first: fills heads (and chain), returns n. */
size_t dept_heads_up(db *d, int64_t dept, int64_t *heads, size_t max);
/* Liaison ids of a department (in id order) into out; returns n. */
size_t dept_liaisons(db *d, int64_t dept, int64_t *out, size_t max);
/* Whether the user is a liaison or the head of the department. */
bool dept_is_liaison_or_head(db *d, int64_t dept, int64_t user);

/* --- assessments --- */
typedef struct assessment_row {
	const char *impact, *materials, *verdict, *conditions;
	double person_days, cost;
	int64_t schedule_impact_days;
} assessment_row;

/* Inserts or replaces a department's assessment; *created tells which. */
int assessment_put(db *d, int64_t request, int64_t dept, int64_t assessor, const assessment_row *a, bool *created);
json_t *assessment_get(db *d, int64_t request, int64_t dept);  /* NULL when absent */
json_t *assessment_list(db *d, int64_t request);               /* in department id order */

/* --- projects --- */
int project_create_from_request(db *d, int64_t request, const char *code, const char *name, int64_t lead,
				const int64_t *assisting, size_t n, const char *confidentiality, int conf_level,
				int64_t *id);
json_t *project_get(db *d, int64_t id);
bool project_visible_to(db *d, int64_t id, const principal *who);
json_t *project_list(db *d, const principal *who, int64_t before, int limit, int64_t *next);

/* --- inbox --- */
int inbox_add(db *d, int64_t user, const char *kind, const char *entity, int64_t entity_id, int64_t actor);
/* The user's notifications about things they may still see, newest first. */
json_t *inbox_list(db *d, const principal *who, bool unread_only, int64_t before, int limit, int64_t *next);
int64_t inbox_unread(db *d, const principal *who);
/* Marks one (id > 0) or all (id == 0) as read; false when id is not the user's. */
bool inbox_mark_read(db *d, int64_t user, int64_t id);

#endif
