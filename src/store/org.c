/* Departments, users and department liaisons: the SQL, and rows rendered as the API's JSON. */
#include "store/org.h"

#include <stdlib.h>
#include <string.h>

#include "store/rows.h"
#include "util/clock.h"


/* ------------------------------------------------------------------ departments */

#define DEPT_COLS "id, name, parent_id, head_user_id, version, created_at, updated_at"

static json_t *dept_row(db *d, db_stmt *st)
{
	int64_t id = db_col_int(st, 0);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "name", json_string(db_col_text(st, 1)));
	json_object_set_new(o, "parent_id", col_id(st, 2));
	json_object_set_new(o, "head_user_id", col_id(st, 3));
	json_object_set_new(o, "version", json_integer(db_col_int(st, 4)));
	json_object_set_new(o, "created_at", col_time(st, 5));
	json_object_set_new(o, "updated_at", col_time(st, 6));
	json_t *l = json_array();
	db_stmt *q = db_prepare(d, "SELECT user_id FROM department_liaisons WHERE department_id = ? ORDER BY user_id");
	db_bind_int(q, 1, id);
	while (db_step(q) == DB_ROW)
		json_array_append_new(l, json_integer(db_col_int(q, 0)));
	db_done(q);
	json_object_set_new(o, "liaison_user_ids", l);
	return o;
}

static json_t *dept_row_fn(db *d, db_stmt *st, void *ctx)
{
	(void)ctx;
	return dept_row(d, st);
}

json_t *org_dept_get(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT " DEPT_COLS " FROM departments WHERE id = ?");
	db_bind_int(st, 1, id);
	json_t *o = db_step(st) == DB_ROW ? dept_row(d, st) : NULL;
	db_done(st);
	return o;
}

json_t *org_dept_list(db *d, int64_t after, int limit, int64_t *next)
{
	db_stmt *st = db_prepare(d, "SELECT " DEPT_COLS " FROM departments WHERE id > ? ORDER BY id LIMIT ?");
	db_bind_int(st, 1, after);
	db_bind_int(st, 2, limit + 1);
	return rows_page(d, st, limit, next, dept_row_fn, NULL);
}

int64_t org_dept_find_by_name(db *d, const char *name, int64_t parent_id)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM departments WHERE name = ? AND coalesce(parent_id, 0) = ?");
	db_bind_text(st, 1, name);
	db_bind_int(st, 2, parent_id > 0 ? parent_id : 0);
	return db_one_int(st, 0);
}

size_t org_dept_chain(db *d, int64_t id, int64_t *chain, size_t max)
{
	size_t n = 0;
	db_stmt *st = db_prepare(d, "SELECT parent_id FROM departments WHERE id = ?");
	while (id > 0 && n < max) {
		chain[n++] = id;
		db_bind_int(st, 1, id);
		id = db_step(st) == DB_ROW && !db_col_null(st, 0) ? db_col_int(st, 0) : 0;
		db_reset(st);
	}
	db_done(st);
	return n;
}

int org_dept_insert(db *d, const char *name, int64_t parent_id, int64_t head_user_id, int64_t *id)
{
	int64_t now = clock_now_ms();
	db_stmt *st = db_prepare(d, "INSERT INTO departments(name, parent_id, head_user_id, created_at, updated_at)"
				    " VALUES (?, ?, ?, ?, ?)");
	db_bind_text(st, 1, name);
	db_bind_id(st, 2, parent_id);
	db_bind_id(st, 3, head_user_id);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, now);
	int rc = db_step(st);
	db_done(st);
	*id = rc == DB_DONE ? db_last_id(d) : 0;
	return rc;
}

int org_dept_update(db *d, int64_t id, int64_t version, const char *name, int64_t parent_id, int64_t head_user_id)
{
	db_stmt *st = db_prepare(d, "UPDATE departments SET name = ?, parent_id = ?, head_user_id = ?,"
				    " version = version + 1, updated_at = ? WHERE id = ? AND version = ?");
	db_bind_text(st, 1, name);
	db_bind_id(st, 2, parent_id);
	db_bind_id(st, 3, head_user_id);
	db_bind_int(st, 4, clock_now_ms());
	db_bind_int(st, 5, id);
	db_bind_int(st, 6, version);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	return rc;
}

int org_dept_set_liaisons(db *d, int64_t id, int64_t version, const int64_t *user_ids, size_t n)
{
	db_stmt *st = db_prepare(d, "UPDATE departments SET version = version + 1, updated_at = ?"
				    " WHERE id = ? AND version = ?");
	db_bind_int(st, 1, clock_now_ms());
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, version);
	int rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	if (db_changes(d) == 0)
		return 1;
	st = db_prepare(d, "DELETE FROM department_liaisons WHERE department_id = ?");
	db_bind_int(st, 1, id);
	rc = db_step(st);
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < n; i++) {
		st = db_prepare(d, "INSERT INTO department_liaisons(department_id, user_id) VALUES (?, ?)"
				   " ON CONFLICT DO NOTHING");
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, user_ids[i]);
		rc = db_step(st);
		db_done(st);
	}
	return rc;
}

int org_dept_delete(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "DELETE FROM departments WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int64_t org_dept_child_count(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT count(*) FROM departments WHERE parent_id = ?");
	db_bind_int(st, 1, id);
	return db_one_int(st, 0);
}

int64_t org_dept_member_count(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT count(*) FROM users WHERE department_id = ?");
	db_bind_int(st, 1, id);
	return db_one_int(st, 0);
}

/* ------------------------------------------------------------------ users */

#define USER_COLS                                                                                          \
	"id, login, name, email, department_id, is_admin, is_coordinator, clearance, active, version, created_at," \
	" updated_at"

static json_t *user_row(db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:s, s:b, s:I, s:o, s:o}", "id",
			 (json_int_t)db_col_int(st, 0), "login", db_col_text(st, 1), "name", db_col_text(st, 2),
			 "email", db_col_text(st, 3), "department_id", col_id(st, 4), "is_admin",
			 (int)db_col_int(st, 5), "is_coordinator", (int)db_col_int(st, 6), "clearance",
			 db_col_text(st, 7), "active", (int)db_col_int(st, 8), "version",
			 (json_int_t)db_col_int(st, 9), "created_at", col_time(st, 10), "updated_at",
			 col_time(st, 11));
}

json_t *org_user_get(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT " USER_COLS " FROM users WHERE id = ?");
	db_bind_int(st, 1, id);
	json_t *o = db_step(st) == DB_ROW ? user_row(st) : NULL;
	db_done(st);
	return o;
}

int64_t org_user_find_login(db *d, const char *login)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM users WHERE login = ?");
	db_bind_text(st, 1, login);
	return db_one_int(st, 0);
}

static json_t *user_row_fn(db *d, db_stmt *st, void *ctx)
{
	(void)d, (void)ctx;
	return user_row(st);
}

json_t *org_user_list(db *d, int64_t department_id, const char *q, int64_t after, int limit, int64_t *next)
{
	db_stmt *st = db_prepare(d, "SELECT " USER_COLS " FROM users WHERE id > ?"
				    " AND (? = 0 OR department_id = ?)"
				    " AND (? IS NULL OR instr(lower(login), lower(?)) > 0 OR instr(lower(name), lower(?)) > 0"
				    "      OR instr(lower(email), lower(?)) > 0)"
				    " ORDER BY id LIMIT ?");
	db_bind_int(st, 1, after);
	db_bind_int(st, 2, department_id);
	db_bind_int(st, 3, department_id);
	for (int i = 4; i <= 7; i++)
		db_bind_text(st, i, q);
	db_bind_int(st, 8, limit + 1);
	return rows_page(d, st, limit, next, user_row_fn, NULL);
}

int org_user_insert(db *d, const char *login, const char *name, const char *email, int64_t department_id,
		    const char *password_hash, bool is_admin, bool is_coordinator, const char *clearance, int64_t *id)
{
	int64_t now = clock_now_ms();
	db_stmt *st = db_prepare(d, "INSERT INTO users(login, name, email, department_id, password_hash, is_admin,"
				    " is_coordinator, clearance, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
	db_bind_text(st, 1, login);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, email ? email : "");
	db_bind_id(st, 4, department_id);
	db_bind_text(st, 5, password_hash ? password_hash : "");
	db_bind_int(st, 6, is_admin);
	db_bind_int(st, 7, is_coordinator);
	db_bind_text(st, 8, clearance ? clearance : "internal");
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, now);
	int rc = db_step(st);
	db_done(st);
	*id = rc == DB_DONE ? db_last_id(d) : 0;
	return rc;
}

int org_user_update(db *d, int64_t id, int64_t version, json_t *u, const char *password_hash)
{
	db_stmt *st = db_prepare(d, "UPDATE users SET login = ?, name = ?, email = ?, department_id = ?,"
				    " is_admin = ?, is_coordinator = ?, clearance = ?, active = ?,"
				    " password_hash = coalesce(?, password_hash), version = version + 1, updated_at = ?"
				    " WHERE id = ? AND version = ?");
	db_bind_text(st, 1, json_string_value(json_object_get(u, "login")));
	db_bind_text(st, 2, json_string_value(json_object_get(u, "name")));
	db_bind_text(st, 3, json_string_value(json_object_get(u, "email")));
	db_bind_id(st, 4, json_integer_value(json_object_get(u, "department_id")));
	db_bind_int(st, 5, json_is_true(json_object_get(u, "is_admin")));
	db_bind_int(st, 6, json_is_true(json_object_get(u, "is_coordinator")));
	db_bind_text(st, 7, json_string_value(json_object_get(u, "clearance")));
	db_bind_int(st, 8, json_is_true(json_object_get(u, "active")));
	db_bind_text(st, 9, password_hash);
	db_bind_int(st, 10, clock_now_ms());
	db_bind_int(st, 11, id);
	db_bind_int(st, 12, version);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	return rc;
}

char *org_user_password_hash(db *d, const char *login, int64_t *id)
{
	db_stmt *st = db_prepare(d, "SELECT id, password_hash FROM users WHERE login = ? AND active = 1");
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
	db_bind_int(st, 1, id);
	char *h = db_step(st) == DB_ROW ? strdup(db_col_text(st, 0)) : NULL;
	db_done(st);
	return h;
}

int64_t org_user_count(db *d)
{
	return db_one_int(db_prepare(d, "SELECT count(*) FROM users"), 0);
}

int org_user_drop_liaisons(db *d, int64_t user, int64_t keep_department)
{
	db_stmt *st = db_prepare(d, "DELETE FROM department_liaisons WHERE user_id = ? AND department_id <> ?");
	db_bind_int(st, 1, user);
	db_bind_int(st, 2, keep_department);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

static json_t *name_of(db_stmt *st, int64_t id)
{
	db_bind_int(st, 1, id);
	json_t *v = db_step(st) == DB_ROW ? json_string(db_col_text(st, 0)) : json_null();
	db_done(st);
	return v;
}

json_t *org_dept_name(db *d, int64_t id)
{
	return name_of(db_prepare(d, "SELECT name FROM departments WHERE id = ?"), id);
}

json_t *org_user_name(db *d, int64_t id)
{
	return name_of(db_prepare(d, "SELECT name FROM users WHERE id = ?"), id);
}
