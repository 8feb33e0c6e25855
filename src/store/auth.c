/* Sessions, API tokens and sign-in failure counters. */
#include "store/auth.h"

#include <stdio.h>
#include <string.h>

#include "store/rows.h"
#include "util/clock.h"

/* The clearance as its level, 0 public .. 3 secret (the order of enum clearance in src/domain/org.h). */
#define PRINCIPAL_COLS                                                                                  \
	"u.id, u.department_id, u.is_admin, u.is_coordinator,"                                          \
	" CASE u.clearance WHEN 'public' THEN 0 WHEN 'internal' THEN 1 WHEN 'confidential' THEN 2 ELSE 3 END"

static void principal_fill(db_stmt *st, principal *p)
{
	memset(p, 0, sizeof *p);
	p->user_id = db_col_int(st, 0);
	p->department_id = db_col_null(st, 1) ? 0 : db_col_int(st, 1);
	p->is_admin = db_col_int(st, 2) != 0;
	p->is_coordinator = db_col_int(st, 3) != 0;
	p->clearance = (int)db_col_int(st, 4);
}

bool principal_of(db *d, int64_t user, principal *p)
{
	db_stmt *st = db_prepare(d, "SELECT " PRINCIPAL_COLS " FROM users u WHERE u.id = ? AND u.active = 1");
	db_bind_int(st, 1, user);
	bool ok = db_step(st) == DB_ROW;
	if (ok)
		principal_fill(st, p);
	db_done(st);
	return ok;
}

int principals_of(db *d, arena *a, const int64_t *ids, size_t n, principal **out, const char ***names)
{
	static const char *const sql[ROWS_VARIANTS] =
		ROWS_IN("SELECT " PRINCIPAL_COLS ", u.name FROM users u WHERE u.active = 1 AND u.id", "");
	*out = arena_alloc(a, (n ? n : 1) * sizeof **out);
	*names = arena_alloc(a, (n ? n : 1) * sizeof **names);
	memset(*out, 0, (n ? n : 1) * sizeof **out);
	memset(*names, 0, (n ? n : 1) * sizeof **names);
	size_t k;
	int next;
	for (size_t off = 0; off < n; off += k) {
		db_stmt *st = rows_prepare_in(d, sql, ids + off, n - off, &k, &next);
		if (!st)
			return DB_ERROR;
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			principal p;
			principal_fill(st, &p);
			const char *name = col_str(a, st, 5);
			for (size_t i = off; i < off + k; i++)
				if (ids[i] == p.user_id) {
					(*out)[i] = p;
					(*names)[i] = name;
				}
		}
		db_done(st);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_DONE;
}

int auth_session_insert(db *d, const char *token_hash, int64_t user_id, const char *csrf, int64_t expires_at)
{
	db_stmt *st = db_prepare(d, "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at)"
				    " VALUES (?, ?, ?, ?, ?)");
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, csrf);
	db_bind_int(st, 4, clock_now_ms());
	db_bind_int(st, 5, expires_at);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

bool auth_session_lookup(db *d, const char *token_hash, int64_t now, principal *p)
{
	db_stmt *st = db_prepare(d, "SELECT " PRINCIPAL_COLS ", s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id"
				    " WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1");
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, now);
	bool ok = db_step(st) == DB_ROW;
	if (ok) {
		principal_fill(st, p);
		snprintf(p->csrf, sizeof p->csrf, "%s", db_col_text(st, 5));
		snprintf(p->session, sizeof p->session, "%s", token_hash);
		p->via_cookie = true;
	}
	db_done(st);
	return ok;
}

int auth_session_delete(db *d, const char *token_hash)
{
	db_stmt *st = db_prepare(d, "DELETE FROM sessions WHERE token_hash = ?");
	db_bind_text(st, 1, token_hash);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int auth_session_delete_user(db *d, int64_t user_id, const char *keep)
{
	db_stmt *st = db_prepare(d, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> coalesce(?, '')");
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, keep);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int auth_token_insert(db *d, int64_t user_id, const char *name, const char *token_hash, int64_t *id)
{
	db_stmt *st = db_prepare(d, "INSERT INTO api_tokens(user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)"
				    " RETURNING id");
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, token_hash);
	db_bind_int(st, 4, clock_now_ms());
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

int auth_token_delete_user(db *d, int64_t user_id)
{
	db_stmt *st = db_prepare(d, "DELETE FROM api_tokens WHERE user_id = ?");
	db_bind_int(st, 1, user_id);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

bool auth_token_lookup(db *d, const char *token_hash, int64_t now, principal *p, int64_t *touch)
{
	db_stmt *st = db_prepare(d, "SELECT " PRINCIPAL_COLS ", t.id, coalesce(t.last_used_at, 0) FROM api_tokens t"
				    " JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND u.active = 1");
	db_bind_text(st, 1, token_hash);
	bool ok = db_step(st) == DB_ROW;
	*touch = 0;
	if (ok) {
		principal_fill(st, p);
		/* At most one write a minute per token: a write on every request would serialize the readers. */
		if (db_col_int(st, 6) < now - 60000)
			*touch = db_col_int(st, 5);
	}
	db_done(st);
	return ok;
}

int auth_token_touch(db *d, int64_t token_id, int64_t now)
{
	db_stmt *st = db_prepare(d, "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND coalesce(last_used_at, 0) < ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, token_id);
	db_bind_int(st, 3, now - 60000); /* another request may have stamped it meanwhile */
	int rc = db_step(st);
	db_done(st);
	return rc;
}

static json_t *token_row(db_stmt *st)
{
	return json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1),
			 "created_at", col_time(st, 2), "last_used_at", col_time(st, 3));
}

json_t *auth_token_list(db *d, int64_t user_id)
{
	json_t *items = json_array();
	db_stmt *st = db_prepare(d, "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id");
	db_bind_int(st, 1, user_id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, token_row(st));
	db_done(st);
	return items;
}

json_t *auth_token_get(db *d, int64_t user_id, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? AND id = ?");
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, id);
	json_t *o = db_step(st) == DB_ROW ? token_row(st) : NULL;
	db_done(st);
	return o;
}

int auth_token_delete(db *d, int64_t user_id, int64_t id)
{
	db_stmt *st = db_prepare(d, "DELETE FROM api_tokens WHERE user_id = ? AND id = ?");
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, id);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

void auth_failures_get(db *d, const char *key, int64_t *count, int64_t *first_at)
{
	db_stmt *st = db_prepare(d, "SELECT count, first_at FROM login_failures WHERE key = ?");
	db_bind_text(st, 1, key);
	*count = 0;
	*first_at = 0;
	if (db_step(st) == DB_ROW) {
		*count = db_col_int(st, 0);
		*first_at = db_col_int(st, 1);
	}
	db_done(st);
}

int auth_failures_add(db *d, const char *key, int64_t now, int64_t window_ms)
{
	/* The existing row's columns are named with the table: PostgreSQL finds a bare first_at ambiguous in
	 * DO UPDATE (the row, or the one proposed as `excluded`). */
	db_stmt *st = db_prepare(d, "INSERT INTO login_failures(key, count, first_at) VALUES (?, 1, ?)"
				    " ON CONFLICT(key) DO UPDATE SET"
				    " count = CASE WHEN ? - login_failures.first_at >= ? THEN 1 ELSE login_failures.count + 1 END,"
				    " first_at = CASE WHEN ? - login_failures.first_at >= ? THEN ? ELSE login_failures.first_at END");
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, window_ms);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, window_ms);
	db_bind_int(st, 7, now);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int auth_failures_put(db *d, const char *key, int64_t count, int64_t at)
{
	db_stmt *st = db_prepare(d, "INSERT INTO login_failures(key, count, first_at) VALUES (?, ?, ?)"
				    " ON CONFLICT(key) DO UPDATE SET count = excluded.count, first_at = excluded.first_at");
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, count);
	db_bind_int(st, 3, at);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int auth_failures_sub(db *d, const char *key)
{
	db_stmt *st = db_prepare(d, "UPDATE login_failures SET count = count - 1 WHERE key = ? AND count > 0");
	db_bind_text(st, 1, key);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int auth_failures_clear(db *d, const char *key)
{
	db_stmt *st = db_prepare(d, "DELETE FROM login_failures WHERE key = ?");
	db_bind_text(st, 1, key);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int auth_write_probe(db *d)
{
	int rc = db_begin(d);
	if (rc)
		return rc < 0 ? rc : DB_ERROR;
	db_stmt *st = db_prepare(d, "INSERT INTO login_failures(key, count, first_at) VALUES ('probe:write', 0, 0)"
				    " ON CONFLICT(key) DO UPDATE SET count = 0");
	rc = db_step(st);
	db_done(st);
	db_rollback(d);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : DB_ERROR;
}

int auth_purge(db *d, int64_t now, int64_t window_ms, int64_t forget_ms, int limit, int64_t *sessions, int64_t *failures)
{
	*sessions = *failures = 0;
	db_stmt *st = db_prepare(d, "DELETE FROM sessions WHERE token_hash IN"
				    " (SELECT token_hash FROM sessions WHERE expires_at <= ? LIMIT ?)");
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, limit);
	int rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	*sessions = db_changes(d);
	st = db_prepare(d, "DELETE FROM login_failures WHERE key IN (SELECT key FROM login_failures WHERE"
			   " CASE WHEN key LIKE 'pair:%' THEN first_at <= ? ELSE first_at <= ? END LIMIT ?)");
	db_bind_int(st, 1, now - forget_ms);
	db_bind_int(st, 2, now - window_ms);
	db_bind_int(st, 3, limit);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	*failures = db_changes(d);
	return 0;
}
