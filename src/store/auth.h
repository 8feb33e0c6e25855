/* Sessions, API tokens and sign-in failure counters in the store.  Secrets are stored only as hashes. */
#ifndef LIAISON_STORE_AUTH_H
#define LIAISON_STORE_AUTH_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/* Who a request is, as the authentication step finds it. */
typedef struct principal {
	int64_t user_id;        /* 0 when anonymous */
	int64_t department_id;
	bool is_admin, is_coordinator;
	int clearance;          /* enum clearance: 0 public .. 3 secret */
	char csrf[48];          /* the session's CSRF token; "" for bearer tokens */
	char session[72];       /* the session's stored hash; "" for bearer tokens */
	bool via_cookie;
} principal;

/* The principal of an active user (to check what someone other than the caller may see); `a` may be NULL
 * (the principal keeps nothing of the arena's). */
bool principal_of(db *d, arena *a, int64_t uid, principal *p);
/* The principals and names of the active users among ids[0..n), from the organisation in memory: (*out)[i] and
 * (*names)[i] belong to ids[i] (user_id 0 and NULL when the user is inactive or absent); arena arrays. */
int principals_of(db *d, arena *a, const int64_t *ids, size_t n, principal **out, const char ***names);

int auth_session_insert(db *d, const char *token_hash, int64_t user_id, const char *csrf, int64_t expires_at);
/* Fills p for a live session of an active user; false when none. */
bool auth_session_lookup(db *d, arena *a, const char *token_hash, int64_t now, principal *p);
int auth_session_delete(db *d, const char *token_hash);
/* Removes the sessions of a user (password change, deactivation), but the one whose hash is `keep`
 * (NULL: all). */
int auth_session_delete_user(db *d, int64_t user_id, const char *keep);

int auth_token_insert(db *d, int64_t user_id, const char *name, const char *token_hash, int64_t *id);
/* Removes every API token of a user (an administrator's password reset, deactivation). */
int auth_token_delete_user(db *d, int64_t user_id);
/* Fills p for a token of an active user; false when none.  Reads only: *touch is the token's id when its
 * last use should be stamped (at most once a minute: auth_token_touch, by ops/session.h), else 0. */
bool auth_token_lookup(db *d, arena *a, const char *token_hash, int64_t now, principal *p, int64_t *touch);
int auth_token_touch(db *d, int64_t token_id, int64_t now);
json_t *auth_token_list(db *d, int64_t user_id);          /* caller owns; no secrets */
json_t *auth_token_get(db *d, int64_t user_id, int64_t id); /* NULL when not the user's */
int auth_token_delete(db *d, int64_t user_id, int64_t id);

/* Failure counters by key: "addr:IP" counts failures in a window that started at first_at;
 * "pair:IP LOGIN" counts failures in a row of one login from one address, and first_at holds the
 * time of the last one. */
void auth_failures_get(db *d, const char *key, int64_t *count, int64_t *first_at);
/* Adds one failure; a window older than window_ms starts again at now. */
int auth_failures_add(db *d, const char *key, int64_t now, int64_t window_ms);
/* Sets a counter to count, with first_at at (for "pair:" keys, the last failure). */
int auth_failures_put(db *d, const char *key, int64_t count, int64_t at);
/* Takes one failure back (an attempt counted in advance that succeeded). */
int auth_failures_sub(db *d, const char *key);
int auth_failures_clear(db *d, const char *key);

/* Deletes what has expired at now, at most `limit` rows of each kind: sessions past their end, address
 * counters whose window (window_ms) has passed, (login, address) counters whose last failure is
 * forget_ms old (and counters of other kinds older than the window).  Counts what went in *sessions
 * and *failures.  0, or the driver's failure. */
int auth_purge(db *d, int64_t now, int64_t window_ms, int64_t forget_ms, int limit, int64_t *sessions, int64_t *failures);

/* Whether the store takes writes now: a write to the sign-in counters, rolled back.  0, or the driver's
 * failure (DB_ERROR, DB_BUSY...); db_errmsg tells why.  Not inside a transaction. */
int auth_write_probe(db *d);

#endif
