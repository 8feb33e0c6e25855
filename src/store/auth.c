/* Sessions, API tokens and sign-in failure counters. */
#include "store/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "store/cache.h"
#include "store/rows.h"
#include "util/clock.h"

/* The principal of an active person of the organisation. */
static bool principal_from(const org_snap *s, int64_t uid, principal *p)
{
	const org_person *o = s ? org_snap_person(s, uid) : NULL;
	memset(p, 0, sizeof *p);
	if (!o || !o->active)
		return false;
	p->user_id = o->id;
	p->department_id = o->department_id;
	p->is_admin = o->is_admin;
	p->is_coordinator = o->is_coordinator;
	p->clearance = o->clearance;
	return true;
}

bool principal_of(db *d, arena *a, int64_t uid, principal *p)
{
	if (a)
		return principal_from(org_snapshot(d, a), uid, p);
	arena *own = arena_new(); /* p keeps nothing of the snapshot: it may go at once */
	bool ok = principal_from(org_snapshot(d, own), uid, p);
	arena_free(own);
	return ok;
}

int principals_of(db *d, arena *a, const int64_t *ids, size_t n, principal **out, const char ***names)
{
	const org_snap *s = org_snapshot(d, a);
	*out = arena_alloc(a, (n ? n : 1) * sizeof **out);
	*names = arena_alloc(a, (n ? n : 1) * sizeof **names);
	if (!s)
		return DB_ERROR;
	for (size_t i = 0; i < n; i++)
		if (principal_from(s, ids[i], &(*out)[i]))
			(*names)[i] = org_snap_person(s, ids[i])->name;
	return DB_DONE;
}

/* ------------------------------------------------------------------ sessions and tokens in memory */

/* Which session or API token is whose, by its stored hash: filled from the store on first use and kept
 * while cache_versions.auth stays (a session or token ended or moved bumps it: store/cache.h).  Only
 * hashes that exist are kept, so made-up tokens cannot fill it; when it is full it starts again. */
enum { CRED_SLOTS = 4096 };
typedef struct cred {
	char hash[72];     /* "" for a free slot */
	bool session;
	int64_t user_id;
	int64_t token_id;  /* API tokens */
	int64_t last_used; /* API tokens: as last stamped */
	int64_t expires_at; /* sessions */
	char csrf[48];     /* sessions */
} cred;

static struct {
	pthread_mutex_t mu;
	int64_t version; /* of the entries; 0 before the first */
	size_t n;
	cred slot[CRED_SLOTS];
} creds = {.mu = PTHREAD_MUTEX_INITIALIZER};

static size_t cred_home(const char *hash)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (const char *p = hash; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	return (size_t)(h % CRED_SLOTS);
}

/* Copies the entry of hash at `version` into out; false when there is none. */
static bool cred_get(int64_t version, const char *hash, cred *out)
{
	bool found = false;
	pthread_mutex_lock(&creds.mu);
	if (creds.version == version)
		for (size_t i = cred_home(hash), k = 0; k < CRED_SLOTS && creds.slot[i].hash[0]; k++, i = (i + 1) % CRED_SLOTS)
			if (strcmp(creds.slot[i].hash, hash) == 0) {
				*out = creds.slot[i];
				found = true;
				break;
			}
	pthread_mutex_unlock(&creds.mu);
	return found;
}

/* Keeps c as of `version`: a newer version empties the table first, an older one keeps nothing. */
static void cred_put(int64_t version, const cred *c)
{
	pthread_mutex_lock(&creds.mu);
	if (version > creds.version || creds.n >= CRED_SLOTS / 2) {
		if (version < creds.version)
			goto out;
		memset(creds.slot, 0, sizeof creds.slot);
		creds.n = 0;
		creds.version = version;
	}
	if (version == creds.version) {
		size_t i = cred_home(c->hash);
		while (creds.slot[i].hash[0] && strcmp(creds.slot[i].hash, c->hash) != 0)
			i = (i + 1) % CRED_SLOTS;
		creds.n += !creds.slot[i].hash[0];
		creds.slot[i] = *c;
	}
out:
	pthread_mutex_unlock(&creds.mu);
}

/* The session or token with this hash, from memory or the store; false when there is none. */
static bool cred_find(db *d, const char *hash, bool session, cred *out)
{
	int64_t version = cache_auth_version(d);
	if (version < 0)
		return false;
	if (cred_get(version, hash, out))
		return out->session == session;
	memset(out, 0, sizeof *out);
	db_stmt *st = session ? db_prepare(d, "SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = ?")
			      : db_prepare(d, "SELECT user_id, id, coalesce(last_used_at, 0) FROM api_tokens WHERE token_hash = ?");
	if (!st)
		return false;
	db_bind_text(st, 1, hash);
	bool ok = db_step(st) == DB_ROW;
	if (ok) {
		snprintf(out->hash, sizeof out->hash, "%s", hash);
		out->session = session;
		out->user_id = db_col_int(st, 0);
		if (session) {
			snprintf(out->csrf, sizeof out->csrf, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
			out->expires_at = db_col_int(st, 2);
		} else {
			out->token_id = db_col_int(st, 1);
			out->last_used = db_col_int(st, 2);
		}
	}
	db_done(st);
	if (ok && strlen(hash) < sizeof out->hash)
		cred_put(version, out);
	return ok;
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

bool auth_session_lookup(db *d, arena *a, const char *token_hash, int64_t now, principal *p)
{
	cred c;
	if (!cred_find(d, token_hash, true, &c) || c.expires_at <= now || !principal_of(d, a, c.user_id, p)) {
		memset(p, 0, sizeof *p);
		return false;
	}
	snprintf(p->csrf, sizeof p->csrf, "%s", c.csrf);
	snprintf(p->session, sizeof p->session, "%s", token_hash);
	p->via_cookie = true;
	return true;
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

bool auth_token_lookup(db *d, arena *a, const char *token_hash, int64_t now, principal *p, int64_t *touch)
{
	cred c;
	*touch = 0;
	if (!cred_find(d, token_hash, false, &c) || !principal_of(d, a, c.user_id, p)) {
		memset(p, 0, sizeof *p);
		return false;
	}
	/* At most one write a minute per token: a write on every request would serialize the readers. */
	if (c.last_used < now - 60000) {
		*touch = c.token_id;
		c.last_used = now; /* the caller stamps it now (auth_token_touch); the next minute asks again */
		cred_put(cache_auth_version(d), &c);
	}
	return true;
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
