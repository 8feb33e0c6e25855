/* Requests, assessments, projects, codes and the inbox: the SQL, rows as records. */
#include "store/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/org.h"
#include "store/cache.h"
#include "store/rows.h"
#include "store/visibility.h"
#include "util/clock.h"

int code_next(db *d, const char *prefix, char *out, size_t n)
{
	db_stmt *st = db_prepare(d, "INSERT INTO code_counters(prefix, last) VALUES (?, 1)"
				    " ON CONFLICT(prefix) DO UPDATE SET last = code_counters.last + 1 RETURNING last");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, prefix);
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (!v)
		return DB_ERROR;
	snprintf(out, n, "%s-%04lld", prefix, (long long)v);
	return 0;
}

/* A LIKE pattern for "contains q", lowered (ASCII) and escaped with '\\', in the arena. */
static const char *contains_pattern(arena *a, const char *q)
{
	size_t len = strlen(q);
	char *pattern = arena_alloc(a, 2 * len + 3), *p = pattern;
	*p++ = '%';
	for (const char *s = q; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*p++ = '\\';
		*p++ = (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : *s;
	}
	*p++ = '%';
	*p = 0;
	return pattern;
}

/* The search text as one FTS5 phrase (quotes doubled), which the liaison_ngram tokenizer turns into an
 * exact substring match (see store/db_sqlite.c). */
static const char *search_phrase(arena *a, const char *q)
{
	size_t len = strlen(q);
	char *phrase = arena_alloc(a, 2 * len + 3), *p = phrase;
	*p++ = '"';
	for (const char *s = q; *s; s++) {
		if (*s == '"')
			*p++ = '"';
		*p++ = *s;
	}
	*p++ = '"';
	*p = 0;
	return phrase;
}

enum { SEARCH_PHRASE_MAX = 5 }; /* characters: longer queries are looked up by their last ones, then checked */

/* The FTS5 query for q.  Up to SEARCH_PHRASE_MAX characters: q as one phrase, which the tokenizer turns
 * into an exact substring match.  Longer: the phrase of its last SEARCH_PHRASE_MAX characters, which
 * every match contains; *verify is then set and the caller checks the whole substring on those
 * candidates (a long phrase of common bigrams, such as a request code, would walk every request). */
static const char *search_query(arena *a, const char *q, bool *verify)
{
	size_t len = strlen(q), chars = 0, start = 0;
	for (size_t i = len; i > 0; i--) {
		if (((unsigned char)q[i - 1] & 0xC0) == 0x80)
			continue; /* inside a character */
		if (++chars == SEARCH_PHRASE_MAX)
			start = i - 1;
	}
	*verify = chars > SEARCH_PHRASE_MAX;
	return search_phrase(a, *verify ? q + start : q);
}

/* ------------------------------------------------------------------ requests */

/* What a list shows (rq_fill without `full`), then the long texts of the page of one request. */
/* The names of the initiator and their department come from the organisation in memory (rq_names_fill),
 * not from joins: two index lookups a row fewer. */
#define RQ_LIST_COLS                                                                                    \
	"r.id, r.code, r.title, r.status, r.priority, r.conf_level, r.due_date, r.initiator_id,"            \
	" r.initiating_department_id, r.project_id, r.submitted_at, r.status_changed_at, r.version,"         \
	" r.created_at, r.updated_at, r.reviewer_override_id"
#define RQ_COLS RQ_LIST_COLS ", r.background, r.goal, r.success_criteria, r.resources_needed, r.expected_outcome, r.risks"
#define RQ_FROM " FROM requests r"
/* The first column after RQ_LIST_COLS. */
enum { RQ_LIST_NCOLS = 16 };

static void rq_fill(arena *a, db_stmt *st, request *o, bool full)
{
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->code = col_str(a, st, 1);
	o->title = col_str(a, st, 2);
	o->status = rq_status_parse(db_col_text(st, 3));
	o->priority = rq_priority_parse(db_col_text(st, 4));
	o->confidentiality = (int)db_col_int(st, 5);
	o->due_date = col_str(a, st, 6);
	o->initiator_id = db_col_int(st, 7);
	o->initiating_department_id = db_col_int(st, 8);
	o->project_id = col_opt_id(st, 9);
	o->submitted_at = col_opt_id(st, 10);
	o->status_changed_at = db_col_int(st, 11);
	o->version = db_col_int(st, 12);
	o->created_at = db_col_int(st, 13);
	o->updated_at = db_col_int(st, 14);
	o->reviewer_override = col_opt_id(st, 15);
	if (!full)
		return;
	o->background = col_str(a, st, 16);
	o->goal = col_str(a, st, 17);
	json_t *c = json_loads(db_col_text(st, 18) ? db_col_text(st, 18) : "[]", 0, NULL);
	size_t n = json_array_size(c), i;
	json_t *x;
	o->criteria = arena_alloc(a, (n ? n : 1) * sizeof *o->criteria);
	json_array_foreach(c, i, x) o->criteria[i] = arena_strdup(a, json_string_value(x) ? json_string_value(x) : "");
	o->ncriteria = n;
	json_decref(c);
	o->resources_needed = col_str(a, st, 19);
	o->expected_outcome = col_str(a, st, 20);
	o->risks = col_str(a, st, 21);
}

/* The initiators' and their departments' names of items[0..n), from the organisation in memory. */
static int rq_names_fill(db *d, arena *a, request *items, size_t n)
{
	if (!n)
		return DB_DONE;
	const org_snap *s = org_snapshot(d, a);
	if (!s)
		return DB_ERROR;
	for (size_t i = 0; i < n; i++) {
		const org_person *p = org_snap_person(s, items[i].initiator_id);
		const department *dp = org_snap_dept(s, items[i].initiating_department_id);
		items[i].initiator_name = p ? p->name : NULL;
		items[i].initiating_department_name = dp ? dp->name : NULL;
	}
	return DB_DONE;
}

/* rq_fill of the list columns, in the shape rows_page_fill takes. */
static void rq_fill_list(arena *a, db_stmt *st, void *out)
{
	rq_fill(a, st, out, false);
}

/* Where rq_departments_fill puts each row: the requests of the page, the arena, the capacities. */
typedef struct rq_fill_ctx {
	request *items;
	arena *a;
	size_t *caps;
} rq_fill_ctx;

static void add_department(void *ctx, size_t i, db_stmt *st)
{
	rq_fill_ctx *f = ctx;
	request *r = &f->items[i];
	size_t cap = f->caps[i];
	r->involved = rows_grow(f->a, r->involved, r->ninvolved, &f->caps[i], sizeof(int64_t));
	r->assignees = rows_grow(f->a, r->assignees, r->ninvolved, &cap, sizeof(int64_t));
	r->assignees[r->ninvolved] = col_opt_id(st, 2);
	r->involved[r->ninvolved++] = db_col_int(st, 1);
}

/* The involved departments of items, in one statement per ROWS_IN requests. */
static int rq_departments_fill(db *d, arena *a, request *items, size_t n)
{
	static const char *const sql[ROWS_VARIANTS] = ROWS_IN_OR_RANGE(
		"SELECT request_id, department_id, assignee_id FROM request_departments WHERE request_id",
		" ORDER BY request_id, department_id");
	int64_t *ids = arena_alloc(a, (n ? n : 1) * sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = items[i].id;
	rq_fill_ctx f = {items, a, arena_alloc(a, (n ? n : 1) * sizeof(size_t))};
	return rows_children(d, sql, ids, n, add_department, &f);
}

static int rq_write_departments(db *d, int64_t id, const int64_t *ids, size_t n)
{
	db_stmt *st = db_prepare(d, "DELETE FROM request_departments WHERE request_id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < n; i++) {
		if (!(st = db_prepare(d, "INSERT INTO request_departments(request_id, department_id) VALUES (?, ?)")))
			return DB_ERROR;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, ids[i]);
		rc = db_step(st);
		db_done(st);
	}
	return rc;
}

/* Binds the editable fields at first..first+10; *criteria is the JSON text to free afterwards. */
static void bind_fields(db_stmt *st, int first, const request *rq, char **criteria)
{
	json_t *c = json_array();
	for (size_t i = 0; i < rq->ncriteria; i++)
		json_array_append_new(c, json_string(rq->criteria[i]));
	*criteria = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	db_bind_text(st, first + 0, rq->title);
	db_bind_text(st, first + 1, rq->background);
	db_bind_text(st, first + 2, rq->goal);
	db_bind_text(st, first + 3, *criteria);
	db_bind_text(st, first + 4, rq->resources_needed ? rq->resources_needed : "");
	db_bind_text(st, first + 5, rq->expected_outcome ? rq->expected_outcome : "");
	db_bind_text(st, first + 6, rq->due_date);
	db_bind_text(st, first + 7, rq->risks ? rq->risks : "");
	db_bind_text(st, first + 8, clearance_name(rq->confidentiality));
	db_bind_int(st, first + 9, rq->confidentiality);
	db_bind_text(st, first + 10, enum_name(rq_priority_names, rq->priority));
}

int rq_insert(db *d, const request *rq, int64_t *id)
{
	int64_t now = clock_now_ms();
	char *criteria;
	db_stmt *st = db_prepare(d, "INSERT INTO requests(title, background, goal, success_criteria, resources_needed,"
				    " expected_outcome, due_date, risks, confidentiality, conf_level, priority, code,"
				    " initiator_id, initiating_department_id, status_changed_at, created_at, updated_at)"
				    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
	if (!st)
		return DB_ERROR;
	bind_fields(st, 1, rq, &criteria);
	db_bind_text(st, 12, rq->code);
	db_bind_int(st, 13, rq->initiator_id);
	db_bind_int(st, 14, rq->initiating_department_id);
	db_bind_int(st, 15, now);
	db_bind_int(st, 16, now);
	db_bind_int(st, 17, now);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	free(criteria);
	if (rc != DB_ROW)
		return rc;
	return rq_write_departments(d, *id, rq->involved, rq->ninvolved);
}

int rq_update(db *d, const request *rq)
{
	char *criteria;
	db_stmt *st = db_prepare(d, "UPDATE requests SET title = ?, background = ?, goal = ?, success_criteria = ?,"
				    " resources_needed = ?, expected_outcome = ?, due_date = ?, risks = ?,"
				    " confidentiality = ?, conf_level = ?, priority = ?, version = version + 1, updated_at = ?"
				    " WHERE id = ? AND version = ?");
	if (!st)
		return DB_ERROR;
	bind_fields(st, 1, rq, &criteria);
	db_bind_int(st, 12, clock_now_ms());
	db_bind_int(st, 13, rq->id);
	db_bind_int(st, 14, rq->version);
	int rc = db_step(st);
	db_done(st);
	free(criteria);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	if (rc == DB_DONE)
		rc = rq_write_departments(d, rq->id, rq->involved, rq->ninvolved);
	return rc;
}

int rq_set_status(db *d, int64_t id, int64_t version, int status)
{
	int64_t now = clock_now_ms();
	db_stmt *st = db_prepare(d, "UPDATE requests SET status = ?1, status_changed_at = ?2, updated_at = ?2,"
				    " version = version + 1,"
				    " submitted_at = CASE WHEN ?5 = 1 AND submitted_at IS NULL THEN ?2 ELSE submitted_at END"
				    " WHERE id = ?3 AND (?4 = 0 OR version = ?4)");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, rq_status_name((enum rq_status)status));
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	db_bind_int(st, 4, version);
	db_bind_int(st, 5, status == RQ_SUBMITTED);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	return rc;
}

int rq_set_project(db *d, int64_t id, int64_t project_id)
{
	db_stmt *st = db_prepare(d, "UPDATE requests SET project_id = ? WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, id);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

/* One request's involved departments, the people copied in and the added approvers who have not answered,
 * in one statement. */
/* Appends v to a[0..n) where it belongs in ascending order (the lists are a few ids: no sort in SQL, which
 * would cost a temporary table), moving b (a parallel array, or NULL) alike; returns the new n. */
static size_t insert_sorted(int64_t *a, int64_t *b, size_t n, int64_t v, int64_t bv)
{
	size_t i = n;
	for (; i > 0 && a[i - 1] > v; i--) {
		a[i] = a[i - 1];
		if (b)
			b[i] = b[i - 1];
	}
	a[i] = v;
	if (b)
		b[i] = bv;
	return n + 1;
}

/* A child row (kind, id[, assignee]) of request i: its involved departments, people copied in and
 * approvers still to answer, each list ascending whatever order the rows come in. */
static void add_child(void *ctx, size_t i, db_stmt *st)
{
	rq_fill_ctx *f = ctx;
	request *r = &f->items[i];
	if (db_col_int(st, 1) == 0) {
		size_t cap = f->caps[0];
		r->involved = rows_grow(f->a, r->involved, r->ninvolved, &f->caps[0], sizeof(int64_t));
		r->assignees = rows_grow(f->a, r->assignees, r->ninvolved, &cap, sizeof(int64_t));
		r->ninvolved = insert_sorted(r->involved, r->assignees, r->ninvolved, db_col_int(st, 2), col_opt_id(st, 3));
	} else if (db_col_int(st, 1) == 1) {
		r->cc = rows_grow(f->a, r->cc, r->ncc, &f->caps[1], sizeof(int64_t));
		r->ncc = insert_sorted(r->cc, NULL, r->ncc, db_col_int(st, 2), 0);
	} else {
		r->signers = rows_grow(f->a, r->signers, r->nsigners, &f->caps[2], sizeof(int64_t));
		r->nsigners = insert_sorted(r->signers, NULL, r->nsigners, db_col_int(st, 2), 0);
	}
}

static int rq_children_fill_one(db *d, arena *a, request *rq)
{
	db_stmt *st = db_prepare(d, "SELECT request_id, 0, department_id, assignee_id FROM request_departments"
				    " WHERE request_id = ?1 UNION ALL SELECT request_id, 1, user_id, NULL FROM request_cc"
				    " WHERE request_id = ?1 UNION ALL SELECT request_id, 2, user_id, NULL FROM request_countersigns"
				    " WHERE request_id = ?1 AND decision IS NULL");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, rq->id);
	size_t caps[3] = {0, 0, 0};
	rq_fill_ctx f = {rq, a, caps};
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		add_child(&f, 0, st);
	db_done(st);
	return rc;
}

int rq_load(db *d, arena *a, int64_t id, request *out)
{
	db_stmt *st = db_prepare(d, "SELECT " RQ_COLS RQ_FROM " WHERE r.id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		rq_fill(a, st, out, true);
	db_done(st);
	if (rc == DB_ROW && (rq_children_fill_one(d, a, out) != DB_DONE || rq_names_fill(d, a, out, 1) != DB_DONE))
		return DB_ERROR;
	return rc;
}

int rq_load_visible(db *d, arena *a, const principal *who, int64_t id, request *out)
{
	db_stmt *st = db_prepare(d, "SELECT " RQ_COLS RQ_FROM " WHERE r.id = ?6 AND " VIS_REQUEST("r"));
	if (!st)
		return DB_ERROR;
	vis_bind_viewer(st, who);
	db_bind_int(st, 6, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		rq_fill(a, st, out, true);
	db_done(st);
	if (rc == DB_ROW && (rq_children_fill_one(d, a, out) != DB_DONE || rq_names_fill(d, a, out, 1) != DB_DONE))
		return DB_ERROR;
	return rc;
}

bool rq_visible_to(db *d, int64_t id, const principal *who)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM requests r WHERE r.id = ?6 AND " VIS_REQUEST("r"));
	if (!st)
		return false;
	vis_bind_viewer(st, who);
	db_bind_int(st, 6, id);
	return db_one_int(st, 0) == 1;
}

/* The conditions of My work's lists (rq_work_candidates), each narrowing to the requests a list could
 * hold; the list "waiting on me" (rq_filter.waiting) uses the same ones, so both find the same requests.
 * `me` is the parameter of the person whose work it is, `coord` whether they are a coordinator (the list
 * passes the viewer's ?1 and ?5; My work ?9 and ?10, the viewer or someone they stand in for).  The statuses
 * are the API's names (domain/request.c). */
/* reviews: submitted, initiated in a department the viewer heads or below one, or handed to them (转交) */
#define RQW_IF_REVIEWS(me, coord)                                                                       \
	"r.status = 'submitted' AND (r.reviewer_override_id = " me " OR " VIS_HEADS_OF(me, "r.initiating_department_id") ")"
/* assessments: assessing, involving a department of which the viewer is liaison or head, or whose
 * assessment was handed to them (转交) */
#define RQW_IF_ASSESSMENTS(me, coord)                                                                              \
	"r.status = 'assessing' AND (EXISTS (SELECT 1 FROM request_departments y"                       \
	" JOIN department_liaisons l ON l.department_id = y.department_id WHERE y.request_id = r.id"      \
	" AND l.user_id = " me ") OR EXISTS (SELECT 1 FROM request_departments y JOIN departments hd"         \
	" ON hd.id = y.department_id WHERE y.request_id = r.id AND hd.head_user_id = " me ")"                 \
	" OR EXISTS (SELECT 1 FROM request_departments ya WHERE ya.request_id = r.id AND ya.assignee_id = " me "))"
/* decisions: assessing; for a coordinator all of them, else those under the viewer's headship or handed to
 * them (转交), and those whose decider added them as an approver (加签) */
#define RQW_IF_DECISIONS(me, coord)                                                                                \
	"r.status = 'assessing' AND (" coord " = 1 OR r.reviewer_override_id = " me " OR " VIS_HEADS_OF(me, "r.initiating_department_id") \
	" OR EXISTS (SELECT 1 FROM request_countersigns cs WHERE cs.request_id = r.id AND cs.user_id = " me ""       \
	" AND cs.decision IS NULL))"
/* the viewer's drafts and returned requests, and their requests under way */
#define RQW_IF_DRAFTS(me, coord) "r.initiator_id = " me " AND r.status IN ('draft', 'returned')"
#define RQW_IF_IN_PROGRESS(me, coord) "r.initiator_id = " me " AND r.status IN ('submitted', 'assessing')"

/* The list's sort key (domain/request_list.h) as text, for ?31 = enum rq_sort; `blank` is the key of a
 * request without a due date.  The ranks are the enums' orders (rq_priority_names, rq_status_names). */
#define RQ_SORT_KEY(blank)                                                                              \
	"(CASE CAST(?31 AS INTEGER) WHEN 1 THEN (CASE WHEN r.due_date = '' THEN '" blank "' ELSE r.due_date END)"         \
	" WHEN 2 THEN (CASE r.priority WHEN 'low' THEN '0' WHEN 'normal' THEN '1' WHEN 'high' THEN '2' ELSE '3' END)" \
	" WHEN 3 THEN (CASE r.status WHEN 'draft' THEN '0' WHEN 'submitted' THEN '1' WHEN 'returned' THEN '2'" \
	" WHEN 'rejected' THEN '3' WHEN 'assessing' THEN '4' WHEN 'accepted' THEN '5' WHEN 'declined' THEN '6'" \
	" ELSE '7' END) WHEN 4 THEN r.code ELSE '' END)"

/* The parameters of every list statement (each uses every number up to its highest: PostgreSQL cannot
 * prepare a statement that skips one): ?1..?5 the viewer, ?6 the cursor's id (0: from the top), the
 * statuses wanted in ?7, ?14, ?17..?22 ('' when unused) with ?12 = 1 when any, ?8 a department, ?9 an
 * initiator, ?10 the search's FTS query, ?11 the limit, ?13 = 1 with a search, ?15 and ?16 (= 1) the
 * substring a long search checks, ?23 = 1 with the priorities ?24..?27, ?28 and ?29 the due range ('' when
 * open), ?30 = 1 for My work's candidates; the statements of another order than newest first add ?31 the
 * sort (enum rq_sort) and ?32 the cursor's key. */
#define RQ_STATUS_IN "r.status IN (?7, ?14, ?17, ?18, ?19, ?20, ?21, ?22)"
#define RQ_LIST_FILTERS                                                                                 \
	" AND (?12 = 0 OR " RQ_STATUS_IN ")"                                                            \
	" AND (r.initiating_department_id = ?8 OR ?8 = 0"                                               \
	"      OR EXISTS (SELECT 1 FROM request_departments x WHERE x.request_id = r.id AND x.department_id = ?8))" \
	" AND (r.initiator_id = ?9 OR ?9 = 0)"                                                          \
	" AND (?16 = 0 OR lower(r.code) LIKE ?15 ESCAPE '\\' OR lower(r.title) LIKE ?15 ESCAPE '\\'"     \
	"      OR lower(r.goal) LIKE ?15 ESCAPE '\\' OR lower(r.background) LIKE ?15 ESCAPE '\\')"         \
	" AND (?23 = 0 OR r.priority IN (?24, ?25, ?26, ?27))"                                          \
	" AND (r.due_date >= ?28 OR ?28 = '') AND ((r.due_date <= ?29 AND r.due_date <> '') OR ?29 = '')" \
	" AND (?30 = 0 OR (" RQW_IF_REVIEWS("?1", "?5") ") OR (" RQW_IF_ASSESSMENTS("?1", "?5") ")"     \
	"      OR (" RQW_IF_DECISIONS("?1", "?5") ") OR (" RQW_IF_DRAFTS("?1", "?5") "))"
#define RQ_FTS_FROM                                                                                     \
	" FROM requests_fts f JOIN requests r ON r.id = f.rowid"
/* Another order than newest first: the key, then the id, in direction `dir` ("ASC"/"DESC", `cmp` its
 * comparison), after the cursor's key ?32 and id ?6.  `from` and `where` choose the walk (requests, or
 * the search index with a search). */
#define RQ_SORTED(from, where, dir, cmp, blank)                                                          \
	"SELECT " RQ_LIST_COLS from " WHERE " where " AND " VIS_REQUEST("r")                               \
	" AND ((" RQ_SORT_KEY(blank) " " cmp " ?32 OR (" RQ_SORT_KEY(blank) " = ?32 AND r.id " cmp " ?6))"  \
	" OR ?6 = 0)" RQ_LIST_FILTERS " ORDER BY " RQ_SORT_KEY(blank) " " dir ", r.id " dir " LIMIT ?11"

int rq_list(db *d, arena *a, const principal *who, const rq_filter *f, const rq_cursor *after, int limit,
	    request **items, size_t *n, bool *more)
{
	*items = NULL;
	*n = 0;
	*more = false;
	/* Newest first (the default): without a search the list walks requests newest first; with one it
	 * walks the search index newest first (the index yields rowids in descending order), so both stop
	 * after a page of visible rows. */
	static const char *const plain = "SELECT " RQ_LIST_COLS RQ_FROM " WHERE " VIS_REQUEST("r")
		" AND (r.id < ?6 OR ?6 = 0) AND ?13 = 0 AND ?10 = ''" RQ_LIST_FILTERS " ORDER BY r.id DESC LIMIT ?11";
	/* The same with an equality the planner can take to an index: one person's requests (requests_initiator),
	 * or some statuses (requests_status), instead of walking every request to find a few. */
	static const char *const by_initiator = "SELECT " RQ_LIST_COLS RQ_FROM
		" WHERE r.initiator_id = ?9 AND " VIS_REQUEST("r")
		" AND (r.id < ?6 OR ?6 = 0) AND ?13 = 0 AND ?10 = ''" RQ_LIST_FILTERS " ORDER BY r.id DESC LIMIT ?11";
	/* One person's requests in some statuses (My work's drafts and in-progress lists): the
	 * (initiator_id, status, id) index goes straight to them instead of walking all of that person's
	 * requests.  "+r.id" keeps the planner from preferring requests_initiator for its order: the few rows
	 * found are sorted instead. */
	static const char *const by_initiator_status = "SELECT " RQ_LIST_COLS RQ_FROM
		" WHERE r.initiator_id = ?9 AND " RQ_STATUS_IN " AND " VIS_REQUEST("r")
		" AND (r.id < ?6 OR ?6 = 0) AND ?13 = 0 AND ?10 = ''" RQ_LIST_FILTERS " ORDER BY +r.id DESC LIMIT ?11";
	static const char *const by_status = "SELECT " RQ_LIST_COLS RQ_FROM
		" WHERE " RQ_STATUS_IN " AND " VIS_REQUEST("r")
		" AND (r.id < ?6 OR ?6 = 0) AND ?13 = 0 AND ?10 = ''" RQ_LIST_FILTERS " ORDER BY r.id DESC LIMIT ?11";
	static const char *const search = "SELECT " RQ_LIST_COLS RQ_FTS_FROM
		" WHERE requests_fts MATCH ?10 AND ?13 = 1 AND (f.rowid < ?6 OR ?6 = 0) AND " VIS_REQUEST("r")
		RQ_LIST_FILTERS " ORDER BY f.rowid DESC LIMIT ?11";
	/* Any other order: every row that passes the filters is sorted by its key (no index holds these
	 * keys), the top of the page kept; with a search, the index finds the rows first. */
	static const char *const sorted_asc = RQ_SORTED(RQ_FROM, "?13 = 0 AND ?10 = ''", "ASC", ">", RQ_DUE_BLANK_LAST);
	static const char *const sorted_desc = RQ_SORTED(RQ_FROM, "?13 = 0 AND ?10 = ''", "DESC", "<", "");
	static const char *const search_asc =
		RQ_SORTED(RQ_FTS_FROM, "requests_fts MATCH ?10 AND ?13 = 1", "ASC", ">", RQ_DUE_BLANK_LAST);
	static const char *const search_desc = RQ_SORTED(RQ_FTS_FROM, "requests_fts MATCH ?10 AND ?13 = 1", "DESC", "<", "");
	/* PostgreSQL: no FTS5; a case-insensitive substring match (ILIKE), which its trigram indexes of
	 * migration 5 answer for three characters or more and a scan for fewer — the same results. */
#define RQ_PG_MATCH                                                                                     \
	"?10 <> '' AND (r.code ILIKE ?15 ESCAPE '\\' OR r.title ILIKE ?15 ESCAPE '\\'"                  \
	" OR r.goal ILIKE ?15 ESCAPE '\\' OR r.background ILIKE ?15 ESCAPE '\\')"
	static const char *const search_pg = "SELECT " RQ_LIST_COLS RQ_FROM " WHERE ?13 = 1 AND " RQ_PG_MATCH
		" AND (r.id < ?6 OR ?6 = 0) AND " VIS_REQUEST("r") RQ_LIST_FILTERS " ORDER BY r.id DESC LIMIT ?11";
	static const char *const search_asc_pg =
		RQ_SORTED(RQ_FROM, "?13 = 1 AND " RQ_PG_MATCH, "ASC", ">", RQ_DUE_BLANK_LAST);
	static const char *const search_desc_pg = RQ_SORTED(RQ_FROM, "?13 = 1 AND " RQ_PG_MATCH, "DESC", "<", "");
#undef RQ_PG_MATCH
	bool pg = db_dialect_of(d) == DB_POSTGRES;
	bool newest = f->order.sort == RQS_CREATED && !f->order.asc;
	const char *sql = !newest ? (f->q ? (f->order.asc ? (pg ? search_asc_pg : search_asc) : (pg ? search_desc_pg : search_desc))
				      : (f->order.asc ? sorted_asc : sorted_desc))
			  : f->q                          ? (pg ? search_pg : search)
			  : f->initiator_id && f->statuses ? by_initiator_status
			  : f->initiator_id               ? by_initiator
			  : f->statuses                   ? by_status
							  : plain;
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return DB_ERROR;
	vis_bind_viewer(st, who);
	db_bind_int(st, 6, after ? after->id : 0);
	static const int status_slots[] = {7, 14, 17, 18, 19, 20, 21, 22};
	for (int k = 0, m = 0; m < 8; k++) {
		bool want = k < RQ_STATUS_COUNT && (f->statuses & SM_BIT(k));
		if (k >= RQ_STATUS_COUNT || want)
			db_bind_text(st, status_slots[m++], want ? rq_status_name((enum rq_status)k) : "");
	}
	db_bind_int(st, 8, f->department_id);
	db_bind_int(st, 9, f->initiator_id);
	bool verify = false;
	db_bind_text(st, 10, f->q ? search_query(a, f->q, &verify) : "");
	const char *pattern = f->q && (verify || pg) ? contains_pattern(a, f->q) : "";
	verify = verify && !pg; /* PostgreSQL matches the pattern itself (RQ_PG_MATCH) */
	db_bind_int(st, 11, limit + 1);
	db_bind_int(st, 12, f->statuses != 0);
	db_bind_int(st, 13, f->q != NULL);
	db_bind_text(st, 15, pattern);
	db_bind_int(st, 16, verify);
	db_bind_int(st, 23, f->priorities != 0);
	for (int k = 0, m = 0; m < 4; k++) {
		bool want = k < 4 && (f->priorities & (1u << k));
		if (k >= 4 || want)
			db_bind_text(st, 24 + m++, want ? enum_name(rq_priority_names, k) : "");
	}
	db_bind_text(st, 28, f->due_from ? f->due_from : "");
	db_bind_text(st, 29, f->due_to ? f->due_to : "");
	db_bind_int(st, 30, f->waiting);
	if (!newest) {
		db_bind_int(st, 31, f->order.sort);
		db_bind_text(st, 32, after ? after->key : "");
	}
	void *page;
	int rc = rows_page_fill(st, a, limit, sizeof **items, rq_fill_list, &page, n, more);
	*items = page;
	if (rc != DB_DONE)
		return rc;
	rc = rq_departments_fill(d, a, *items, *n);
	return rc == DB_DONE ? rq_names_fill(d, a, *items, *n) : rc;
}
#undef RQ_SORTED

/* One list of My work in the candidates' statement: list k (bit `bit` of ?7) and its condition; the
 * newest ?8 the viewer may see below ?6, with k as the last column (rq_fill reads the ones before).  Each
 * part walks one index range in id order, so none of them sorts: a list over two statuses (drafts and
 * returned ones, say) is two parts, merged below.  `tag` names the part. */
#define RQ_WORK(k, tag, bit, cond)                                                                      \
	"SELECT * FROM (SELECT " RQ_LIST_COLS ", " #k " AS list" RQ_FROM " WHERE (?7 & " #bit ") <> 0"      \
	" AND " cond " AND " VIS_REQUEST("r") " AND (r.id < ?6 OR ?6 = 0) ORDER BY r.id DESC LIMIT ?8) w" #tag
#define RQW_IF_MINE_IN(me, status) "r.initiator_id = " me " AND r.status = '" status "'"

/* Whether My work of `owner` needs the full conditions: a coordinator, or someone who heads or speaks for
 * (as liaison) a department; else the narrow statement of rq_work_candidates serves. */
static bool rq_work_speaks(db *d, arena *a, const principal *owner)
{
	const org_snap *s = org_snapshot(d, a);
	const org_person *p = s ? org_snap_person(s, owner->user_id) : NULL;
	return !p || owner->is_coordinator || p->ndepts > 0;
}

typedef struct work_row {
	request rq;
	int kind;
} work_row;

static int work_row_cmp(const void *x, const void *y)
{
	const work_row *a = x, *b = y;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return a->rq.id < b->rq.id ? 1 : a->rq.id > b->rq.id ? -1 : 0;
}

int rq_work_candidates(db *d, arena *a, const principal *who, const principal *owner, unsigned lists, int64_t before,
		       int limit, request **items, int **kinds, size_t *n)
{
	return rq_work_candidates_by(d, a, who, owner, lists, before, limit, -1, items, kinds, n);
}

int rq_work_candidates_by(db *d, arena *a, const principal *who, const principal *owner, unsigned lists, int64_t before,
			  int limit, int full, request **items, int **kinds, size_t *n)
{
	/* The conditions are RQW_IF_* above (drafts and in progress by status); each part uses an index that
	 * leads straight to its rows in id order (requests_status, requests_initiator_status). */
	static const char *const sql =
		RQ_WORK(0, 0, 1, RQW_IF_REVIEWS("?9", "?10"))
		" UNION ALL " RQ_WORK(1, 1, 2, RQW_IF_ASSESSMENTS("?9", "?10"))
		" UNION ALL " RQ_WORK(2, 2, 4, RQW_IF_DECISIONS("?9", "?10"))
		" UNION ALL " RQ_WORK(3, 3, 8, RQW_IF_MINE_IN("?9", "draft"))
		" UNION ALL " RQ_WORK(3, 3r, 8, RQW_IF_MINE_IN("?9", "returned"))
		" UNION ALL " RQ_WORK(4, 4, 16, RQW_IF_MINE_IN("?9", "submitted"))
		" UNION ALL " RQ_WORK(4, 4a, 16, RQW_IF_MINE_IN("?9", "assessing"));
	/* The same lists for someone who is no coordinator and heads and speaks for no department (most
	 * people): all that can wait on them was handed to them (转交) or added for them (加签), and is found by
	 * those keys (migration 17) instead of by walking every request under way.  The conditions are
	 * RQW_IF_* narrowed by that: a test runs both statements over the same stores. */
	static const char *const staff_sql =
		RQ_WORK(0, 0, 1, "r.reviewer_override_id = ?9 AND r.status = 'submitted' AND ?10 = 0")
		" UNION ALL " RQ_WORK(1, 1, 2, "r.id IN (SELECT ya.request_id FROM request_departments ya"
					      " WHERE ya.assignee_id = ?9) AND r.status = 'assessing'")
		" UNION ALL " RQ_WORK(2, 2, 4, "r.reviewer_override_id = ?9 AND r.status = 'assessing'")
		" UNION ALL " RQ_WORK(2, 2c, 4, "r.id IN (SELECT cs.request_id FROM request_countersigns cs"
					       " WHERE cs.user_id = ?9 AND cs.decision IS NULL) AND r.status = 'assessing'")
		" UNION ALL " RQ_WORK(3, 3, 8, RQW_IF_MINE_IN("?9", "draft"))
		" UNION ALL " RQ_WORK(3, 3r, 8, RQW_IF_MINE_IN("?9", "returned"))
		" UNION ALL " RQ_WORK(4, 4, 16, RQW_IF_MINE_IN("?9", "submitted"))
		" UNION ALL " RQ_WORK(4, 4a, 16, RQW_IF_MINE_IN("?9", "assessing"));
	*items = NULL;
	*kinds = NULL;
	*n = 0;
	db_stmt *st = db_prepare(d, (full < 0 ? rq_work_speaks(d, a, owner) : full) ? sql : staff_sql);
	if (!st)
		return DB_ERROR;
	vis_bind_viewer(st, who);
	db_bind_int(st, 6, before);
	db_bind_int(st, 7, lists);
	db_bind_int(st, 8, limit);
	db_bind_int(st, 9, owner->user_id); /* whose work: the viewer, or someone they stand in for (代理人) */
	db_bind_int(st, 10, owner->is_coordinator);
	work_row *rows = NULL;
	size_t cap = 0, m = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		rows = rows_grow(a, rows, m, &cap, sizeof *rows);
		rq_fill(a, st, &rows[m].rq, false);
		rows[m++].kind = (int)db_col_int(st, RQ_LIST_NCOLS);
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	/* Each list newest first, at most `limit` (a list of two parts has up to twice that). */
	if (m > 1)
		qsort(rows, m, sizeof *rows, work_row_cmp);
	*items = arena_alloc(a, (m ? m : 1) * sizeof **items);
	*kinds = arena_alloc(a, (m ? m : 1) * sizeof **kinds);
	for (size_t i = 0, run = 0; i < m; i++) {
		if (i && rows[i].kind == rows[i - 1].kind && rows[i].rq.id == rows[i - 1].rq.id)
			continue; /* found by two parts of one list */
		run = i && rows[i].kind == rows[i - 1].kind ? run + 1 : 0;
		if ((int)run >= limit)
			continue;
		(*items)[*n] = rows[i].rq;
		(*kinds)[(*n)++] = rows[i].kind;
	}
	rc = rq_departments_fill(d, a, *items, *n);
	return rc == DB_DONE ? rq_names_fill(d, a, *items, *n) : rc;
}
#undef RQ_WORK

/* ------------------------------------------------------------------ people */

size_t dept_heads_up(db *d, int64_t dept, int64_t *heads, size_t max)
{
	size_t n = 0;
	db_stmt *st = db_prepare(d, "SELECT parent_id, head_user_id FROM departments WHERE id = ?");
	if (!st)
		return 0;
	while (dept > 0 && n < max) {
		db_bind_int(st, 1, dept);
		if (db_step(st) != DB_ROW)
			break;
		heads[n++] = col_opt_id(st, 1);
		dept = col_opt_id(st, 0);
		db_reset(st);
	}
	db_done(st);
	return n;
}

int dept_liaisons(db *d, arena *a, int64_t dept, int64_t **out, size_t *n)
{
	const org_snap *s = org_snapshot(d, a);
	const department *dp = s ? org_snap_dept(s, dept) : NULL;
	*n = 0;
	*out = arena_alloc(a, (dp && dp->nliaisons ? dp->nliaisons : 1) * sizeof **out);
	for (size_t i = 0; dp && i < dp->nliaisons; i++) {
		const org_person *p = org_snap_person(s, dp->liaisons[i]);
		if (p && p->active)
			(*out)[(*n)++] = p->id;
	}
	return s ? DB_DONE : DB_ERROR;
}

bool dept_is_liaison_or_head(db *d, arena *a, int64_t dept, int64_t uid)
{
	const org_snap *s = org_snapshot(d, a);
	return s && org_snap_speaks_for(s, dept, uid);
}

int dept_filter_mine(db *d, arena *a, int64_t uid, const int64_t *depts, size_t n, int64_t **out, size_t *nout)
{
	const org_snap *s = org_snapshot(d, a);
	*out = arena_alloc(a, (n ? n : 1) * sizeof **out);
	*nout = 0;
	if (!s)
		return DB_ERROR;
	for (size_t i = 0; i < n; i++)
		if (org_snap_speaks_for(s, depts[i], uid))
			(*out)[(*nout)++] = depts[i];
	return DB_DONE;
}

/* ------------------------------------------------------------------ assessments */

#define AS_COLS                                                                                      \
	"a.id, a.request_id, a.department_id, dp.name, a.impact, a.person_days_x100, a.cost_cents, a.materials," \
	" a.schedule_impact_days, a.verdict, a.conditions, a.assessor_id, u.name, a.version, a.created_at, a.updated_at"
#define AS_FROM " FROM assessments a JOIN departments dp ON dp.id = a.department_id JOIN users u ON u.id = a.assessor_id"

static void assessment_fill(arena *ar, db_stmt *st, assessment *o)
{
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->request_id = db_col_int(st, 1);
	o->department_id = db_col_int(st, 2);
	o->department_name = col_str(ar, st, 3);
	o->impact = col_str(ar, st, 4);
	o->person_days_x100 = db_col_int(st, 5);
	o->cost_cents = db_col_int(st, 6);
	o->materials = col_str(ar, st, 7);
	o->schedule_impact_days = db_col_int(st, 8);
	o->verdict = rq_verdict_parse(db_col_text(st, 9));
	o->conditions = col_str(ar, st, 10);
	o->assessor_id = db_col_int(st, 11);
	o->assessor_name = col_str(ar, st, 12);
	o->version = db_col_int(st, 13);
	o->created_at = db_col_int(st, 14);
	o->updated_at = db_col_int(st, 15);
}

int assessment_put(db *d, const assessment *a, int64_t version)
{
	int64_t now = clock_now_ms();
	/* A first assessment is inserted only when there is none yet; a revision only at `version`. */
	db_stmt *st = version == 0
			      ? db_prepare(d, "INSERT INTO assessments(request_id, department_id, impact, person_days_x100,"
					      " cost_cents, materials, schedule_impact_days, verdict, conditions, assessor_id,"
					      " created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?11)"
					      " ON CONFLICT(request_id, department_id) DO NOTHING")
			      : db_prepare(d, "UPDATE assessments SET impact = ?3, person_days_x100 = ?4, cost_cents = ?5,"
					      " materials = ?6, schedule_impact_days = ?7, verdict = ?8, conditions = ?9,"
					      " assessor_id = ?10, updated_at = ?11, version = version + 1"
					      " WHERE request_id = ?1 AND department_id = ?2 AND version = ?12");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, a->request_id);
	db_bind_int(st, 2, a->department_id);
	db_bind_text(st, 3, a->impact);
	db_bind_int(st, 4, a->person_days_x100);
	db_bind_int(st, 5, a->cost_cents);
	db_bind_text(st, 6, a->materials ? a->materials : "");
	db_bind_int(st, 7, a->schedule_impact_days);
	db_bind_text(st, 8, enum_name(rq_verdict_names, a->verdict));
	db_bind_text(st, 9, a->conditions ? a->conditions : "");
	db_bind_int(st, 10, a->assessor_id);
	db_bind_int(st, 11, now);
	if (version)
		db_bind_int(st, 12, version);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	return rc;
}

int assessment_load(db *d, arena *ar, int64_t request_id, int64_t dept, assessment *out)
{
	db_stmt *st = db_prepare(d, "SELECT " AS_COLS AS_FROM " WHERE a.request_id = ? AND a.department_id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, request_id);
	db_bind_int(st, 2, dept);
	int rc = db_step(st);
	if (rc == DB_ROW)
		assessment_fill(ar, st, out);
	db_done(st);
	return rc;
}

int assessment_list(db *d, arena *ar, int64_t request_id, assessment **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	db_stmt *st = db_prepare(d, "SELECT " AS_COLS AS_FROM " WHERE a.request_id = ? ORDER BY a.department_id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, request_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*items = rows_grow(ar, *items, *n, &cap, sizeof **items);
		assessment_fill(ar, st, &(*items)[(*n)++]);
	}
	db_done(st);
	return rc;
}

int assessment_list_many(db *d, arena *ar, const int64_t *ids, size_t n, assessment **items, size_t *nitems)
{
	static const char *const sql[ROWS_VARIANTS] =
		ROWS_IN_OR_RANGE("SELECT " AS_COLS AS_FROM " WHERE a.request_id", " ORDER BY a.request_id, a.department_id");
	*items = NULL;
	*nitems = 0;
	size_t cap = 0, k;
	int next;
	for (size_t off = 0; off < n; off += k) {
		db_stmt *st = rows_prepare_in(d, sql, ids + off, n - off, &k, &next);
		if (!st)
			return DB_ERROR;
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			int64_t rid = db_col_int(st, 1);
			bool mine = false; /* a range brings the requests in between too */
			for (size_t i = off; i < off + k && !mine; i++)
				mine = ids[i] == rid;
			if (!mine)
				continue;
			*items = rows_grow(ar, *items, *nitems, &cap, sizeof **items);
			assessment_fill(ar, st, &(*items)[(*nitems)++]);
		}
		db_done(st);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_DONE;
}

/* ------------------------------------------------------------------ projects */

int rq_set_reviewer_override(db *d, int64_t id, int64_t uid)
{
	db_stmt *st = db_prepare(d, "UPDATE requests SET reviewer_override_id = ?, version = version + 1, updated_at = ?"
				    " WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, uid);
	db_bind_int(st, 2, clock_now_ms());
	db_bind_int(st, 3, id);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int rq_set_assignee(db *d, int64_t id, int64_t dept, int64_t uid)
{
	db_stmt *st = db_prepare(d, "UPDATE request_departments SET assignee_id = ? WHERE request_id = ? AND department_id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, uid);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, dept);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

/* Adds a person to one of a request's lists of people (INSERT ... VALUES (request, user, by, at), doing
 * nothing when they are on it); 1 when they were. */
static int person_add(db *d, const char *sql, int64_t request_id, int64_t user_id, int64_t by)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, request_id);
	db_bind_int(st, 2, user_id);
	db_bind_id(st, 3, by);
	db_bind_int(st, 4, clock_now_ms());
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE && db_changes(d) == 0 ? 1 : rc;
}

int rq_countersign_add(db *d, int64_t request_id, int64_t user_id, int64_t by)
{
	return person_add(d, "INSERT INTO request_countersigns(request_id, user_id, added_by, added_at)"
			     " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", request_id, user_id, by);
}

int rq_countersign_answer(db *d, int64_t request_id, int64_t user_id, int decision, const char *comment)
{
	db_stmt *st = db_prepare(d, "UPDATE request_countersigns SET decision = ?, comment = ?, answered_at = ?"
				    " WHERE request_id = ? AND user_id = ? AND decision IS NULL");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, rq_sign_names[decision]);
	db_bind_text(st, 2, comment);
	db_bind_int(st, 3, clock_now_ms());
	db_bind_int(st, 4, request_id);
	db_bind_int(st, 5, user_id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE && db_changes(d) == 0 ? 1 : rc;
}

/* Where rq_countersigns_many collects its rows. */
typedef struct cs_ctx {
	arena *a;
	rq_countersign *items;
	size_t n, cap;
} cs_ctx;

static void add_countersign(void *ctx, size_t i, db_stmt *st)
{
	(void)i;
	cs_ctx *f = ctx;
	f->items = rows_grow(f->a, f->items, f->n, &f->cap, sizeof *f->items);
	rq_countersign *c = &f->items[f->n++];
	c->request_id = db_col_int(st, 0);
	c->user_id = db_col_int(st, 1);
	c->name = col_str(f->a, st, 2);
	c->added_by = col_opt_id(st, 3);
	c->added_at = db_col_int(st, 4);
	c->decision = db_col_null(st, 5) ? -1 : enum_parse(rq_sign_names, db_col_text(st, 5));
	c->comment = col_str(f->a, st, 6);
	c->answered_at = col_opt_id(st, 7);
}

/* By request, then in the order they were added (then by person). */
static int countersign_cmp(const void *x, const void *y)
{
	const rq_countersign *a = x, *b = y;
	if (a->request_id != b->request_id)
		return a->request_id < b->request_id ? -1 : 1;
	if (a->added_at != b->added_at)
		return a->added_at < b->added_at ? -1 : 1;
	return a->user_id < b->user_id ? -1 : a->user_id > b->user_id;
}

int rq_countersigns_many(db *d, arena *a, const int64_t *ids, size_t n, rq_countersign **out, size_t *nout)
{
	static const char *const sql[ROWS_VARIANTS] = ROWS_IN_OR_RANGE(
		"SELECT c.request_id, c.user_id, u.name, c.added_by, c.added_at, c.decision, c.comment, c.answered_at"
		" FROM request_countersigns c JOIN users u ON u.id = c.user_id WHERE c.request_id", "");
	/* rows_children hands each row once per place of its request on the page: ask for each request once. */
	int64_t *uniq = arena_alloc(a, (n ? n : 1) * sizeof *uniq);
	size_t nu = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < nu && !seen; k++)
			seen = uniq[k] == ids[i];
		if (!seen)
			uniq[nu++] = ids[i];
	}
	cs_ctx f = {.a = a};
	int rc = rows_children(d, sql, uniq, nu, add_countersign, &f);
	if (f.n > 1) /* here, not in SQL: no temporary table */
		qsort(f.items, f.n, sizeof *f.items, countersign_cmp);
	*out = f.items;
	*nout = f.n;
	return rc;
}

int rq_cc_add(db *d, int64_t request_id, int64_t user_id, int64_t by)
{
	return person_add(d, "INSERT INTO request_cc(request_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?)"
			     " ON CONFLICT DO NOTHING", request_id, user_id, by);
}

int project_create_from_request(db *d, const request *rq, const char *code, int64_t *id)
{
	int64_t now = clock_now_ms();
	db_stmt *st = db_prepare(d, "INSERT INTO projects(code, name, request_id, lead_department_id, confidentiality,"
				    " conf_level, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, rq->title);
	db_bind_int(st, 3, rq->id);
	db_bind_int(st, 4, rq->initiating_department_id);
	db_bind_text(st, 5, clearance_name(rq->confidentiality));
	db_bind_int(st, 6, rq->confidentiality);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return rc;
	rc = DB_DONE;
	/* The lead first, then every other involved department; each with its first active liaison. */
	for (size_t i = 0; rc == DB_DONE && i <= rq->ninvolved; i++) {
		int64_t dept = i == 0 ? rq->initiating_department_id : rq->involved[i - 1];
		if (i > 0 && dept == rq->initiating_department_id)
			continue;
		if (!(st = db_prepare(d, "INSERT INTO project_departments(project_id, department_id, role, liaison_user_id)"
					 " VALUES (?, ?, ?, (SELECT min(l.user_id) FROM department_liaisons l JOIN users u"
					 " ON u.id = l.user_id WHERE l.department_id = ? AND u.active = 1))")))
			return DB_ERROR;
		db_bind_int(st, 1, *id);
		db_bind_int(st, 2, dept);
		db_bind_text(st, 3, i == 0 ? "lead" : "assisting");
		db_bind_int(st, 4, dept);
		rc = db_step(st);
		db_done(st);
	}
	return rc;
}

#define PRJ_COLS "p.id, p.code, p.name, p.request_id, p.status, p.lead_department_id, p.coordinator_id," \
		 " p.conf_level, p.version, p.created_at, p.updated_at"

static void project_fill(arena *a, db_stmt *st, void *out)
{
	project *o = out;
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->code = col_str(a, st, 1);
	o->name = col_str(a, st, 2);
	o->request_id = col_opt_id(st, 3);
	o->status = enum_parse(project_status_names, db_col_text(st, 4));
	o->lead_department_id = col_opt_id(st, 5);
	o->coordinator_id = col_opt_id(st, 6);
	o->confidentiality = (int)db_col_int(st, 7);
	o->version = db_col_int(st, 8);
	o->created_at = db_col_int(st, 9);
	o->updated_at = db_col_int(st, 10);
}

typedef struct project_fill_ctx {
	project *items;
	arena *a;
	size_t *caps;
} project_fill_ctx;

static void add_project_department(void *ctx, size_t i, db_stmt *st)
{
	project_fill_ctx *f = ctx;
	project *p = &f->items[i];
	p->departments = rows_grow(f->a, p->departments, p->ndepartments, &f->caps[i], sizeof *p->departments);
	p->departments[p->ndepartments++] =
		(project_dept){db_col_int(st, 1), enum_parse(project_role_names, db_col_text(st, 2)), col_opt_id(st, 3)};
}

/* The departments of items, in one statement per ROWS_IN projects. */
static int project_departments_fill(db *d, arena *a, project *items, size_t n)
{
	static const char *const sql[ROWS_VARIANTS] = ROWS_IN_OR_RANGE(
		"SELECT project_id, department_id, role, liaison_user_id FROM project_departments WHERE project_id",
		" ORDER BY project_id, role DESC, department_id");
	int64_t *ids = arena_alloc(a, (n ? n : 1) * sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = items[i].id;
	project_fill_ctx f = {items, a, arena_alloc(a, (n ? n : 1) * sizeof(size_t))};
	return rows_children(d, sql, ids, n, add_project_department, &f);
}

int project_load(db *d, arena *a, int64_t id, project *out)
{
	db_stmt *st = db_prepare(d, "SELECT " PRJ_COLS " FROM projects p WHERE p.id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		project_fill(a, st, out);
	db_done(st);
	if (rc == DB_ROW && project_departments_fill(d, a, out, 1) != DB_DONE)
		return DB_ERROR;
	return rc;
}

bool project_visible_to(db *d, int64_t id, const principal *who)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM projects p JOIN requests r ON r.id = p.request_id"
					       " WHERE p.id = ?6 AND " VIS_REQUEST("r"));
	if (!st)
		return false;
	vis_bind_viewer(st, who);
	db_bind_int(st, 6, id);
	return db_one_int(st, 0) == 1;
}

int project_list(db *d, arena *a, const principal *who, int64_t before, int limit, project **items, size_t *n,
		 int64_t *next)
{
	*items = NULL;
	*n = 0;
	*next = 0;
	db_stmt *st = db_prepare(d, "SELECT " PRJ_COLS " FROM projects p JOIN requests r ON r.id = p.request_id"
					       " WHERE " VIS_REQUEST("r") " AND (p.id < ?6 OR ?6 = 0) ORDER BY p.id DESC LIMIT ?7");
	if (!st)
		return DB_ERROR;
	vis_bind_viewer(st, who);
	db_bind_int(st, 6, before);
	db_bind_int(st, 7, limit + 1);
	bool more;
	void *page;
	int rc = rows_page_fill(st, a, limit, sizeof **items, project_fill, &page, n, &more);
	*items = page;
	*next = more ? (*items)[*n - 1].id : 0;
	if (rc != DB_DONE)
		return rc;
	return project_departments_fill(d, a, *items, *n);
}

