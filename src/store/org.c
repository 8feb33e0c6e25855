/* Departments, users and department liaisons: the SQL, rows as records. */
#include "store/org.h"

#include <stdlib.h>
#include <string.h>

#include "store/cache.h"
#include "store/rows.h"
#include "util/clock.h"

/* ------------------------------------------------------------------ departments */

#define DEPT_COLS "id, name, parent_id, head_user_id, version, created_at, updated_at"

static void dept_fill(arena *a, db_stmt *st, void *out)
{
	department *o = out;
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->name = col_str(a, st, 1);
	o->parent_id = col_opt_id(st, 2);
	o->head_user_id = col_opt_id(st, 3);
	o->version = db_col_int(st, 4);
	o->created_at = db_col_int(st, 5);
	o->updated_at = db_col_int(st, 6);
}

/* Liaisons of departments [lo, hi] in one statement, given to those in items. */
static int dept_liaisons_fill(db *d, arena *a, department *items, size_t n)
{
	if (!n)
		return DB_DONE;
	int64_t lo = items[0].id, hi = items[0].id;
	for (size_t i = 1; i < n; i++) {
		if (items[i].id < lo)
			lo = items[i].id;
		if (items[i].id > hi)
			hi = items[i].id;
	}
	db_stmt *st = db_prepare(d, "SELECT department_id, user_id FROM department_liaisons"
				    " WHERE department_id BETWEEN ? AND ? ORDER BY department_id, user_id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, lo);
	db_bind_int(st, 2, hi);
	size_t *caps = arena_alloc(a, n * sizeof *caps);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t dept = db_col_int(st, 0);
		for (size_t i = 0; i < n; i++)
			if (items[i].id == dept) {
				items[i].liaisons = rows_grow(a, items[i].liaisons, items[i].nliaisons, &caps[i], sizeof(int64_t));
				items[i].liaisons[items[i].nliaisons++] = db_col_int(st, 1);
				break;
			}
	}
	db_done(st);
	return rc == DB_DONE ? DB_DONE : rc;
}

int org_dept_liaisons(db *d, arena *a, department *items, size_t n)
{
	const org_snap *s = org_snapshot(d, a);
	if (!s)
		return DB_ERROR;
	for (size_t i = 0; i < n; i++) {
		const department *dp = org_snap_dept(s, items[i].id);
		items[i].liaisons = dp ? dp->liaisons : NULL;
		items[i].nliaisons = dp ? dp->nliaisons : 0;
	}
	return DB_DONE;
}

int org_dept_load(db *d, arena *a, int64_t id, department *out)
{
	db_stmt *st = db_prepare(d, "SELECT " DEPT_COLS " FROM departments WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		dept_fill(a, st, out);
	db_done(st);
	if (rc == DB_ROW && dept_liaisons_fill(d, a, out, 1) != DB_DONE)
		return DB_ERROR;
	return rc;
}

int org_dept_list(db *d, arena *a, int64_t after, int limit, department **items, size_t *n, int64_t *next)
{
	*items = NULL;
	*n = 0;
	*next = 0;
	db_stmt *st = db_prepare(d, "SELECT " DEPT_COLS " FROM departments WHERE id > ? ORDER BY id LIMIT ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, after);
	db_bind_int(st, 2, limit + 1);
	bool more;
	void *page;
	int rc = rows_page_fill(st, a, limit, sizeof **items, dept_fill, &page, n, &more);
	*items = page;
	*next = more ? (*items)[*n - 1].id : 0;
	if (rc != DB_DONE)
		return rc;
	return dept_liaisons_fill(d, a, *items, *n);
}

bool org_dept_exists(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM departments WHERE id = ?");
	if (!st)
		return false;
	db_bind_int(st, 1, id);
	return db_one_int(st, 0) == 1;
}

int64_t org_dept_find_by_name(db *d, const char *name, int64_t parent_id)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM departments WHERE name = ? AND coalesce(parent_id, 0) = ?");
	if (!st)
		return 0;
	db_bind_text(st, 1, name);
	db_bind_int(st, 2, parent_id > 0 ? parent_id : 0);
	return db_one_int(st, 0);
}

int org_dept_count_by_name(db *d, const char *name, int64_t *id)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM departments WHERE name = ? ORDER BY id LIMIT 2");
	*id = 0;
	if (!st)
		return 0;
	db_bind_text(st, 1, name);
	int n = 0;
	while (db_step(st) == DB_ROW)
		if (n++ == 0)
			*id = db_col_int(st, 0);
	db_done(st);
	return n;
}

size_t org_dept_chain(db *d, int64_t id, int64_t *chain, size_t max)
{
	size_t n = 0;
	db_stmt *st = db_prepare(d, "SELECT parent_id FROM departments WHERE id = ?");
	if (!st)
		return 0;
	while (id > 0 && n < max) {
		chain[n++] = id;
		db_bind_int(st, 1, id);
		id = db_step(st) == DB_ROW && !db_col_null(st, 0) ? db_col_int(st, 0) : 0;
		db_reset(st);
	}
	db_done(st);
	return n;
}

/* Rebuilds department_heads from the tree (store/org.h): after every change of a department, in its
 * transaction.  Departments are few, and change rarely: a rebuild is simpler than patching, and cannot drift. */
static int dept_heads_rebuild(db *d)
{
	int rc = db_exec(d, "DELETE FROM department_heads");
	return rc ? DB_ERROR : db_exec(d, DEPT_HEADS_FILL) ? DB_ERROR : DB_DONE;
}

int org_dept_insert(db *d, const department *dp, int64_t *id)
{
	int64_t now = clock_now_ms();
	db_stmt *st = db_prepare(d, "INSERT INTO departments(name, parent_id, head_user_id, created_at, updated_at)"
				    " VALUES (?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, dp->name);
	db_bind_id(st, 2, dp->parent_id);
	db_bind_id(st, 3, dp->head_user_id);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, now);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? dept_heads_rebuild(d) : rc;
}

int org_dept_update(db *d, const department *dp)
{
	db_stmt *st = db_prepare(d, "UPDATE departments SET name = ?, parent_id = ?, head_user_id = ?,"
				    " version = version + 1, updated_at = ? WHERE id = ? AND version = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, dp->name);
	db_bind_id(st, 2, dp->parent_id);
	db_bind_id(st, 3, dp->head_user_id);
	db_bind_int(st, 4, clock_now_ms());
	db_bind_int(st, 5, dp->id);
	db_bind_int(st, 6, dp->version);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	return rc == DB_DONE ? dept_heads_rebuild(d) : rc;
}

int org_dept_set_liaisons(db *d, int64_t id, int64_t version, const int64_t *user_ids, size_t n)
{
	db_stmt *st = db_prepare(d, "UPDATE departments SET version = version + 1, updated_at = ?"
				    " WHERE id = ? AND version = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, clock_now_ms());
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, version);
	int rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	if (db_changes(d) == 0)
		return 1;
	if (!(st = db_prepare(d, "DELETE FROM department_liaisons WHERE department_id = ?")))
		return DB_ERROR;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < n; i++) {
		if (!(st = db_prepare(d, "INSERT INTO department_liaisons(department_id, user_id) VALUES (?, ?)"
					 " ON CONFLICT DO NOTHING")))
			return DB_ERROR;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, user_ids[i]);
		rc = db_step(st);
		db_done(st);
	}
	return rc;
}

int org_dept_delete(db *d, int64_t id, int64_t version)
{
	db_stmt *st = db_prepare(d, "DELETE FROM departments WHERE id = ? AND version = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, version);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	return rc == DB_DONE ? dept_heads_rebuild(d) : rc;
}

int org_tree_lock(db *d)
{
	/* With one writer at a time (SQLite's BEGIN IMMEDIATE) the tree cannot change under the caller;
	 * a store with concurrent writers locks the departments' rows until the transaction ends. */
	if (db_writes_serialized(d))
		return DB_DONE;
	db_stmt *st = db_prepare(d, "SELECT id FROM departments ORDER BY id FOR UPDATE");
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		;
	db_done(st);
	return rc;
}

int64_t org_dept_child_count(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT count(*) FROM departments WHERE parent_id = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_one_int(st, -1);
}

int64_t org_dept_member_count(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT count(*) FROM users WHERE department_id = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_one_int(st, -1);
}

/* ------------------------------------------------------------------ users */

#define USER_COLS                                                                                          \
	"id, login, name, email, department_id, is_admin, is_coordinator,"                                    \
	" CASE clearance WHEN 'public' THEN 0 WHEN 'internal' THEN 1 WHEN 'confidential' THEN 2 ELSE 3 END,"  \
	" active, version, created_at, updated_at"

static void user_fill(arena *a, db_stmt *st, void *out)
{
	user *u = out;
	memset(u, 0, sizeof *u);
	u->id = db_col_int(st, 0);
	u->login = col_str(a, st, 1);
	u->name = col_str(a, st, 2);
	u->email = col_str(a, st, 3);
	u->department_id = col_opt_id(st, 4);
	u->is_admin = db_col_int(st, 5) != 0;
	u->is_coordinator = db_col_int(st, 6) != 0;
	u->clearance = (int)db_col_int(st, 7);
	u->active = db_col_int(st, 8) != 0;
	u->version = db_col_int(st, 9);
	u->created_at = db_col_int(st, 10);
	u->updated_at = db_col_int(st, 11);
}

int org_user_load(db *d, arena *a, int64_t id, user *out)
{
	db_stmt *st = db_prepare(d, "SELECT " USER_COLS " FROM users WHERE id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		user_fill(a, st, out);
	db_done(st);
	return rc;
}

int64_t org_user_find_login(db *d, const char *login)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM users WHERE login = ?");
	if (!st)
		return 0;
	db_bind_text(st, 1, login);
	return db_one_int(st, 0);
}

int org_user_list(db *d, arena *a, int64_t department_id, const char *q, int64_t after, int limit, user **items,
		  size_t *n, int64_t *next)
{
	*items = NULL;
	*n = 0;
	*next = 0;
	/* ?3 is the search text, lowered and wrapped in % here, so the SQL is plain LIKE on both stores. */
	char *pattern = NULL;
	if (q) {
		size_t len = strlen(q);
		pattern = arena_alloc(a, 2 * len + 3);
		char *p = pattern;
		*p++ = '%';
		for (const char *s = q; *s; s++) {
			if (*s == '%' || *s == '_' || *s == '\\')
				*p++ = '\\';
			*p++ = (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : *s;
		}
		*p++ = '%';
		*p = 0;
	}
	db_stmt *st = db_prepare(d, "SELECT " USER_COLS " FROM users WHERE id > ?1"
				    " AND (department_id = ?2 OR ?2 = 0)"
				    " AND (?4 = 0 OR lower(login) LIKE ?3 ESCAPE '\\' OR lower(name) LIKE ?3 ESCAPE '\\'"
				    "      OR lower(email) LIKE ?3 ESCAPE '\\')"
				    " ORDER BY id LIMIT ?5");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, after);
	db_bind_int(st, 2, department_id);
	db_bind_text(st, 3, pattern ? pattern : "");
	db_bind_int(st, 4, pattern != NULL);
	db_bind_int(st, 5, limit + 1);
	bool more;
	void *page;
	int rc = rows_page_fill(st, a, limit, sizeof **items, user_fill, &page, n, &more);
	*items = page;
	*next = more ? (*items)[*n - 1].id : 0;
	return rc;
}

int org_user_insert(db *d, const user *u, const char *password_hash, int64_t *id)
{
	int64_t now = clock_now_ms();
	db_stmt *st = db_prepare(d, "INSERT INTO users(login, name, email, department_id, password_hash, is_admin,"
				    " is_coordinator, clearance, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, u->login);
	db_bind_text(st, 2, u->name);
	db_bind_text(st, 3, u->email ? u->email : "");
	db_bind_id(st, 4, u->department_id);
	db_bind_text(st, 5, password_hash ? password_hash : "");
	db_bind_int(st, 6, u->is_admin);
	db_bind_int(st, 7, u->is_coordinator);
	db_bind_text(st, 8, clearance_name(u->clearance));
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, now);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

int org_user_update(db *d, const user *u, const char *password_hash)
{
	db_stmt *st = db_prepare(d, "UPDATE users SET login = ?, name = ?, email = ?, department_id = ?,"
				    " is_admin = ?, is_coordinator = ?, clearance = ?, active = ?,"
				    " password_hash = CASE WHEN ? = 1 THEN ? ELSE password_hash END, version = version + 1,"
				    " updated_at = ? WHERE id = ? AND version = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, u->login);
	db_bind_text(st, 2, u->name);
	db_bind_text(st, 3, u->email ? u->email : "");
	db_bind_id(st, 4, u->department_id);
	db_bind_int(st, 5, u->is_admin);
	db_bind_int(st, 6, u->is_coordinator);
	db_bind_text(st, 7, clearance_name(u->clearance));
	db_bind_int(st, 8, u->active);
	db_bind_int(st, 9, password_hash != NULL);
	db_bind_text(st, 10, password_hash ? password_hash : "");
	db_bind_int(st, 11, clock_now_ms());
	db_bind_int(st, 12, u->id);
	db_bind_int(st, 13, u->version);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	return rc;
}

char *org_user_password_hash(db *d, const char *login, int64_t *id)
{
	db_stmt *st = db_prepare(d, "SELECT id, password_hash FROM users WHERE login = ? AND active = 1");
	if (!st)
		return NULL;
	db_bind_text(st, 1, login);
	char *h = NULL;
	if (db_step(st) == DB_ROW) {
		*id = db_col_int(st, 0);
		h = strdup(db_col_text(st, 1));
	}
	db_done(st);
	return h;
}

char *org_user_password_hash_by_id(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT password_hash FROM users WHERE id = ?");
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	char *h = db_step(st) == DB_ROW ? strdup(db_col_text(st, 0)) : NULL;
	db_done(st);
	return h;
}

int64_t org_user_count(db *d)
{
	return db_one_int(db_prepare(d, "SELECT count(*) FROM users"), 0);
}

int org_user_drop_liaisons(db *d, int64_t user_id, int64_t keep_department)
{
	db_stmt *st = db_prepare(d, "DELETE FROM department_liaisons WHERE user_id = ? AND department_id <> ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, keep_department);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

const char *org_dept_name(db *d, arena *a, int64_t id)
{
	const org_snap *s = org_snapshot(d, a);
	const department *dp = s ? org_snap_dept(s, id) : NULL;
	return dp ? dp->name : NULL;
}

const char *org_user_name(db *d, arena *a, int64_t id)
{
	const org_snap *s = org_snapshot(d, a);
	const org_person *p = s ? org_snap_person(s, id) : NULL;
	return p ? p->name : NULL;
}

int org_dept_all(db *d, arena *a, const department **items, size_t *n)
{
	const org_snap *s = org_snapshot(d, a);
	*items = s ? s->depts : NULL;
	*n = s ? s->ndepts : 0;
	return s ? DB_DONE : DB_ERROR;
}

const department *org_dept_find(const department *items, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (items[mid].id == id)
			return &items[mid];
		if (items[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int org_user_departments(db *d, arena *a, int64_t uid, const int64_t **out, size_t *n)
{
	const org_snap *s = org_snapshot(d, a);
	const org_person *p = s ? org_snap_person(s, uid) : NULL;
	*out = p ? p->depts : NULL;
	*n = p ? p->ndepts : 0;
	return s ? DB_DONE : DB_ERROR;
}

int org_user_names(db *d, arena *a, const int64_t *ids, size_t n, const char ***names)
{
	const org_snap *s = org_snapshot(d, a);
	*names = arena_alloc(a, (n ? n : 1) * sizeof **names);
	if (!s)
		return DB_ERROR;
	for (size_t i = 0; i < n; i++) {
		const org_person *p = org_snap_person(s, ids[i]);
		(*names)[i] = p ? p->name : NULL;
	}
	return DB_DONE;
}

/* ------------------------------------------------------------------ delegations (代理人) */

int org_delegation_get(db *d, arena *a, int64_t uid, const char *today, delegation *out)
{
	db_stmt *st = db_prepare(d, "SELECT g.user_id, g.deputy_id, u.name, g.from_date, g.to_date, g.created_at"
				    " FROM user_delegations g JOIN users u ON u.id = g.deputy_id WHERE g.user_id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, uid);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*out = (delegation){.user_id = db_col_int(st, 0), .deputy_id = db_col_int(st, 1),
				    .deputy_name = col_str(a, st, 2), .from = col_str(a, st, 3), .to = col_str(a, st, 4),
				    .created_at = db_col_int(st, 5)};
		out->active = strcmp(out->from, today) <= 0 && strcmp(today, out->to) <= 0;
	}
	db_done(st);
	return rc;
}

int org_delegation_put(db *d, const delegation *g)
{
	db_stmt *st = db_prepare(d, "INSERT INTO user_delegations(user_id, deputy_id, from_date, to_date, created_at)"
				    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET deputy_id = excluded.deputy_id,"
				    " from_date = excluded.from_date, to_date = excluded.to_date, created_at = excluded.created_at");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, g->user_id);
	db_bind_int(st, 2, g->deputy_id);
	db_bind_text(st, 3, g->from);
	db_bind_text(st, 4, g->to);
	db_bind_int(st, 5, clock_now_ms());
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int org_delegation_delete(db *d, int64_t uid)
{
	db_stmt *st = db_prepare(d, "DELETE FROM user_delegations WHERE user_id = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, uid);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE && db_changes(d) == 0 ? 1 : rc;
}

/* Whether g is in force on today (YYYY-MM-DD). */
static bool in_force(const org_deputy *g, const char *today)
{
	return strcmp(g->from, today) <= 0 && strcmp(today, g->to) <= 0;
}

int org_delegators(db *d, arena *a, int64_t deputy, const char *today, int64_t **out, size_t *n)
{
	const org_snap *s = org_snapshot(d, a);
	*n = 0;
	*out = NULL;
	if (!s)
		return DB_ERROR;
	size_t lo = 0, hi = s->ndeputies; /* the first of this deputy's */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->deputies[mid].deputy_id < deputy)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < s->ndeputies && s->deputies[end].deputy_id == deputy)
		end++;
	*out = arena_alloc(a, (end > lo ? end - lo : 1) * sizeof **out);
	for (size_t i = lo; i < end; i++)
		if (in_force(&s->deputies[i], today))
			(*out)[(*n)++] = s->deputies[i].user_id;
	return DB_DONE;
}

int64_t org_deputy_of(db *d, arena *a, int64_t uid, const char *today)
{
	const org_snap *s = org_snapshot(d, a);
	for (size_t i = 0; s && i < s->ndeputies; i++)
		if (s->deputies[i].user_id == uid && in_force(&s->deputies[i], today))
			return s->deputies[i].deputy_id;
	return 0;
}
