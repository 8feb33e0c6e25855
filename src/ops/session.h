/* Operations on sign-in: signing in (with throttling) and out, API tokens. */
#ifndef LIAISON_OPS_SESSION_H
#define LIAISON_OPS_SESSION_H
#include "ops/ops.h"

#define SESSION_TTL_MS (14LL * 24 * 3600 * 1000) /* a session lasts two weeks */

/* A session made by op_sign_in: whose, its cookie value (shown once) and its CSRF token. */
typedef struct signed_in {
	int64_t user_id;
	char token[64];
	char csrf[48];
} signed_in;

/* Signs `login` in from address `addr`.  Throttling (src/domain/org.h) is checked and counted in one
 * write transaction before the slow password check, so parallel attempts cannot all pass a check none
 * of them has counted: every attempt counts as a failure, and a success takes its count back.
 * 429 throttled (e->retry_after set), 401 invalid_credentials, or 0 with *out. */
int op_sign_in(op_ctx *c, const char *addr, const char *login, const char *password, signed_in *out, lerr *e);
/* Ends the session whose stored hash is session_hash (500 when it could not be deleted). */
int op_sign_out(op_ctx *c, const char *session_hash, lerr *e);
/* A new API token for the caller: *id, and the token itself (shown once; only its hash is stored). */
int op_token_create(op_ctx *c, const char *name, int64_t *id, char token[64], lerr *e);
/* Revokes one of the caller's tokens (404 when it is not theirs). */
int op_token_delete(op_ctx *c, int64_t id, lerr *e);
/* Stamps the last use of API token `token_id` (auth_token_lookup said it was due), in its own transaction. */
int op_token_used(op_ctx *c, int64_t token_id, lerr *e);

#endif
