/* Signing in and out, and API tokens: the operations. */
#include "ops/session.h"

#include <stdio.h>
#include <stdlib.h>

#include "domain/org.h"
#include "store/auth.h"
#include "store/org.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"

int op_sign_in(op_ctx *c, const char *addr, const char *login, const char *password, signed_in *out, lerr *e)
{
	char kp[400], ka[96];
	snprintf(kp, sizeof kp, "pair:%s %s", addr, login);
	snprintf(ka, sizeof ka, "addr:%s", addr);
	int64_t now = clock_now_ms(), pairs, last, addrs, first;
	int retry = 0;
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	auth_failures_get(c->db, kp, &pairs, &last);
	auth_failures_get(c->db, ka, &addrs, &first);
	pairs = throttle_pair_failures(pairs, last, now);
	bool ok = throttle_pair_allows(pairs, last, now, &retry) &&
		  throttle_allows(addrs, first, now, THROTTLE_ADDR_LIMIT, THROTTLE_WINDOW_MS, &retry);
	int w = ok ? auth_failures_put(c->db, kp, pairs + 1, now) : DB_DONE;
	if (ok && w == DB_DONE)
		w = auth_failures_add(c->db, ka, now, THROTTLE_WINDOW_MS);
	if (w != DB_DONE)
		rc = lerr_set(e, LERR_INTERNAL, "internal", NULL, "the sign-in could not be recorded");
	if ((rc = op_end(c, rc, e)))
		return rc;
	if (!ok) {
		log_warn("sign-in throttled for login '%s' from %s", login, addr);
		rc = lerr_set(e, LERR_THROTTLED, "throttled", NULL, "too many failed sign-ins; try again in %d seconds", retry);
		e->retry_after = retry;
		return rc;
	}
	int64_t uid = 0;
	char *hash = org_user_password_hash(c->db, login, &uid);
	bool good = hash ? password_verify(hash, password) : (password_verify_dummy(password), false);
	free(hash);
	if (!good) {
		log_warn("failed sign-in for login '%s' from %s", login, addr);
		return lerr_set(e, LERR_UNAUTH, "invalid_credentials", NULL, "the login or the password is wrong");
	}
	char th[80];
	token_random(out->token, sizeof out->token);
	token_random(out->csrf, sizeof out->csrf);
	token_hash(out->token, th, sizeof th);
	out->user_id = uid;
	if ((rc = op_begin(c, e)))
		return rc;
	if (auth_failures_clear(c->db, kp) != DB_DONE || auth_failures_sub(c->db, ka) != DB_DONE ||
	    auth_session_insert(c->db, th, uid, out->csrf, now + SESSION_TTL_MS) != DB_DONE)
		rc = lerr_set(e, LERR_INTERNAL, "internal", NULL, "the session could not be saved");
	return op_end(c, rc, e);
}

int op_sign_out(op_ctx *c, const char *session_hash, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	if (auth_session_delete(c->db, session_hash) != DB_DONE) /* the session goes on: say so */
		rc = lerr_set(e, LERR_INTERNAL, "internal", NULL, "the session could not be ended; try again");
	return op_end(c, rc, e);
}

int op_token_create(op_ctx *c, const char *name, int64_t *id, char token[64], lerr *e)
{
	int rc = org_check_name(name, 100, "name", e);
	if (rc || (rc = op_begin(c, e)))
		return rc;
	char th[80];
	token_random(token, 64);
	token_hash(token, th, sizeof th);
	if (auth_token_insert(c->db, c->who.user_id, name, th, id) != DB_DONE)
		rc = op_fail("token", e);
	return op_end(c, rc, e);
}

int op_token_delete(op_ctx *c, int64_t id, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	json_t *t = auth_token_get(c->db, c->who.user_id, id);
	if (!t)
		rc = lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "token %lld does not exist", (long long)id);
	else if (auth_token_delete(c->db, c->who.user_id, id) != DB_DONE)
		rc = op_fail("token", e);
	json_decref(t);
	return op_end(c, rc, e);
}

int op_token_used(op_ctx *c, int64_t token_id, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	if (auth_token_touch(c->db, token_id, clock_now_ms()) != DB_DONE)
		rc = op_fail("token", e);
	return op_end(c, rc, e);
}
