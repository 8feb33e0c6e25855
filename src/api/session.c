/* Signing in and out, the current user, and API tokens. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/org.h"
#include "http/internal.h"
#include "store/auth.h"
#include "store/org.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/jsonv.h"
#include "util/log.h"

/* The user as /me and the sign-in answer show them: the user object plus the department's name. */
static json_t *me_json(req *r, int64_t uid, const char *csrf)
{
	user u;
	json_t *o = org_user_load(r->db, r->a, uid, &u) == DB_ROW ? rec_json(&user_desc, &u, RV_FULL) : json_object();
	const char *dept = u.department_id ? org_dept_name(r->db, r->a, u.department_id) : NULL;
	json_object_set_new(o, "department_name", dept ? json_string(dept) : json_null());
	return json_pack("{s:o, s:s}", "user", o, "csrf_token", csrf ? csrf : "");
}

static void set_cookie(req *r, const char *value, bool clear)
{
	char c[256];
	snprintf(c, sizeof c, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", SESSION_COOKIE, value,
		 clear ? "; Max-Age=0" : "", r->secure ? "; Secure" : "");
	reply_header(r, "Set-Cookie", c);
}

static void session_create(req *r)
{
	static const jfield spec[] = {
		{"login", JF_STRING, JF_REQUIRED, 0, USER_LOGIN_MAX, .doc = NULL},
		{"password", JF_STRING, JF_REQUIRED, 0, PASSWORD_MAX, .doc = NULL},
	};
	json_t *in = req_json(r);
	lerr e = {0};
	if (!in)
		return;
	if (JSONV_CHECK(in, spec, &e))
		return reply_err(r, &e);
	const char *login = jv_str(in, "login"), *password = jv_str(in, "password");
	/* Throttling (src/domain/org.h): a growing wait per (login, address), a window per address.  The
	 * check and the count are one write transaction, before the slow password check, so that parallel
	 * attempts cannot all pass a check none of them has counted yet: every attempt counts as a
	 * failure, and a success takes its count back. */
	char kp[400], ka[96];
	snprintf(kp, sizeof kp, "pair:%s %s", r->addr, login);
	snprintf(ka, sizeof ka, "addr:%s", r->addr);
	int64_t now = clock_now_ms(), pairs, last, addrs, first;
	int retry = 0;
	if (db_begin(r->db))
		return reply_problem(r, 503, "busy", NULL, "the store is busy; try again in a moment");
	auth_failures_get(r->db, kp, &pairs, &last);
	auth_failures_get(r->db, ka, &addrs, &first);
	pairs = throttle_pair_failures(pairs, last, now);
	bool ok = throttle_pair_allows(pairs, last, now, &retry) &&
		  throttle_allows(addrs, first, now, THROTTLE_ADDR_LIMIT, THROTTLE_WINDOW_MS, &retry);
	int w = ok ? auth_failures_put(r->db, kp, pairs + 1, now) : DB_DONE;
	if (ok && w == DB_DONE)
		w = auth_failures_add(r->db, ka, now, THROTTLE_WINDOW_MS);
	if (w != DB_DONE || db_commit(r->db)) {
		db_rollback(r->db);
		return reply_problem(r, 500, "internal", NULL, "the sign-in could not be recorded");
	}
	if (!ok) {
		lerr_set(&e, LERR_THROTTLED, "throttled", NULL, "too many failed sign-ins; try again in %d seconds", retry);
		e.retry_after = retry;
		log_warn("sign-in throttled for login '%s' from %s", login, r->addr);
		return reply_err(r, &e);
	}
	int64_t uid = 0;
	char *hash = org_user_password_hash(r->db, login, &uid);
	bool good = hash ? password_verify(hash, password) : (password_verify_dummy(password), false);
	free(hash);
	if (!good) {
		log_warn("failed sign-in for login '%s' from %s", login, r->addr);
		return reply_problem(r, 401, "invalid_credentials", NULL, "the login or the password is wrong");
	}
	auth_failures_clear(r->db, kp);
	auth_failures_sub(r->db, ka);
	char token[64], th[80], csrf[48];
	token_random(token, sizeof token);
	token_random(csrf, sizeof csrf);
	token_hash(token, th, sizeof th);
	if (auth_session_insert(r->db, th, uid, csrf, now + SESSION_TTL_MS) != DB_DONE)
		return reply_problem(r, 500, "internal", NULL, "the session could not be saved");
	reply_json(r, 200, me_json(r, uid, csrf));
	set_cookie(r, token, false);
}

static void session_delete(req *r)
{
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (cookie && *cookie) {
		char th[80];
		token_hash(cookie, th, sizeof th);
		if (auth_session_delete(r->db, th) != DB_DONE) /* the session goes on: say so */
			return reply_problem(r, 500, "internal", NULL, "the session could not be ended; try again");
	}
	reply_empty(r, 204);
	set_cookie(r, "", true);
}

static void me(req *r)
{
	reply_json(r, 200, me_json(r, r->who.user_id, r->who.csrf));
}

static void tokens_create(req *r)
{
	static const jfield spec[] = {{"name", JF_STRING, JF_REQUIRED, 0, 100, .doc = NULL}};
	json_t *in = req_json(r);
	lerr e = {0};
	if (!in)
		return;
	if (JSONV_CHECK(in, spec, &e) || org_check_name(jv_str(in, "name"), 100, "name", &e))
		return reply_err(r, &e);
	char token[64], th[80];
	token_random(token, sizeof token);
	token_hash(token, th, sizeof th);
	int64_t id;
	if (auth_token_insert(r->db, r->who.user_id, jv_str(in, "name"), th, &id) != DB_DONE)
		return reply_problem(r, 500, "internal", NULL, "the token could not be saved");
	json_t *o = auth_token_get(r->db, r->who.user_id, id);
	json_object_set_new(o, "token", json_string(token));
	reply_json(r, 201, o);
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/tokens/%lld", (long long)id);
	reply_header(r, "Location", loc);
}

static void tokens_list(req *r)
{
	reply_list(r, auth_token_list(r->db, r->who.user_id), 0);
}

static void tokens_delete(req *r)
{
	json_t *t = auth_token_get(r->db, r->who.user_id, r->id[0]);
	if (!t)
		return reply_problem(r, 404, "not_found", NULL, "token %lld does not exist", (long long)r->id[0]);
	json_decref(t);
	auth_token_delete(r->db, r->who.user_id, r->id[0]);
	reply_empty(r, 204);
}

static const jfield sign_in_fields[] = {
	{"login", JF_STRING, JF_REQUIRED, 0, USER_LOGIN_MAX, .doc = NULL},
	{"password", JF_STRING, JF_REQUIRED, 0, PASSWORD_MAX, .doc = NULL},
};
static const jfield token_fields[] = {{"name", JF_STRING, JF_REQUIRED, 0, 100, .doc = NULL}};

#define ME_SCHEMA "{\"type\":\"object\",\"properties\":{\"user\":{\"$ref\":\"#/components/schemas/Me\"},\"csrf_token\":{\"type\":\"string\"}},\"required\":[\"user\",\"csrf_token\"]}"
#define TOKEN_SCHEMA "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"last_used_at\":{\"type\":[\"string\",\"null\"]},\"token\":{\"type\":\"string\",\"description\":\"shown once, at creation\"}},\"required\":[\"id\",\"name\",\"created_at\"]}"

const route session_routes[] = {
	{"POST", "/api/v1/session", session_create, "session_create", AUTH_PUBLIC,
	 "Sign in with login and password; sets the session cookie and answers the CSRF token",
	 .body = BODY_REQUIRED, .fields = sign_in_fields, .nfields = API_ROUTES_N(sign_in_fields),
	 .response_schema = ME_SCHEMA},
	{"DELETE", "/api/v1/session", session_delete, "session_delete", AUTH_USER, "Sign out: ends the current session",
	 .status = 204},
	{"GET", "/api/v1/me", me, "me", AUTH_USER, "The signed-in user, their department and the session's CSRF token",
	 .response_schema = ME_SCHEMA},
	{"POST", "/api/v1/tokens", tokens_create, "tokens_create", AUTH_USER,
	 "Create an API token for the caller; the token is shown once", .body = BODY_REQUIRED, .fields = token_fields,
	 .nfields = API_ROUTES_N(token_fields), .status = 201, .response_schema = TOKEN_SCHEMA},
	{"GET", "/api/v1/tokens", tokens_list, "tokens_list", AUTH_USER, "List the caller's API tokens (without their secrets)",
	 .response_schema = "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":" TOKEN_SCHEMA "}}}"},
	{"DELETE", "/api/v1/tokens/{id}", tokens_delete, "tokens_delete", AUTH_USER, "Revoke one of the caller's API tokens",
	 .status = 204},
};
const size_t session_routes_n = API_ROUTES_N(session_routes);
