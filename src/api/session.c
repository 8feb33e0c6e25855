/* Signing in and out, the current user, and API tokens. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/org.h"
#include "http/internal.h"
#include "ops/org.h"
#include "ops/session.h"
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
	signed_in s;
	if (JSONV_CHECK(in, spec, &e) || op_sign_in(api_ctx(r), r->addr, jv_str(in, "login"), jv_str(in, "password"), &s, &e))
		return reply_err(r, &e);
	reply_json(r, 200, me_json(r, s.user_id, s.csrf));
	set_cookie(r, s.token, false);
}

static void session_delete(req *r)
{
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (cookie && *cookie) {
		char th[80];
		lerr e = {0};
		token_hash(cookie, th, sizeof th);
		if (op_sign_out(api_ctx(r), th, &e))
			return reply_err(r, &e);
	}
	reply_empty(r, 204);
	set_cookie(r, "", true);
}

static void me(req *r)
{
	reply_json(r, 200, me_json(r, r->who.user_id, r->who.csrf));
}

/* 代理人: the caller's deputy while away. */
static const jfield delegation_fields[] = {
	{"deputy_id", JF_ID, JF_REQUIRED, 0, 0, AT(delegation_in, deputy_id), .bit = 1, .doc = "who acts for the caller meanwhile"},
	{"from", JF_STRING, JF_REQUIRED, 0, 10, AT(delegation_in, from), .bit = 2, .doc = "first day, YYYY-MM-DD"},
	{"to", JF_STRING, JF_REQUIRED, 0, 10, AT(delegation_in, to), .bit = 4, .doc = "last day, YYYY-MM-DD, inclusive"},
};

static void delegation_put(req *r)
{
	delegation g;
	lerr e = {0};
	if (op_delegation_set(api_ctx(r), r->in, &g, &e))
		return reply_err(r, &e);
	reply_record(r, 200, &delegation_desc, &g, RV_FULL);
}

static void delegation_get(req *r)
{
	delegation g;
	lerr e = {0};
	int rc = op_delegation_get(api_ctx(r), &g, &e);
	if (rc == LERR_NOT_FOUND) /* none: nothing to show, which is not an error of the caller's page */
		return reply_empty(r, 204);
	if (rc)
		return reply_err(r, &e);
	reply_record(r, 200, &delegation_desc, &g, RV_FULL);
}

static void delegation_delete(req *r)
{
	lerr e = {0};
	if (op_delegation_delete(api_ctx(r), &e))
		return reply_err(r, &e);
	reply_empty(r, 204);
}

static void tokens_create(req *r)
{
	static const jfield spec[] = {{"name", JF_STRING, JF_REQUIRED, 0, 100, .doc = NULL}};
	json_t *in = req_json(r);
	lerr e = {0};
	if (!in)
		return;
	char token[64];
	int64_t id;
	if (JSONV_CHECK(in, spec, &e) || op_token_create(api_ctx(r), jv_str(in, "name"), &id, token, &e))
		return reply_err(r, &e);
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
	lerr e = {0};
	if (op_token_delete(api_ctx(r), r->id[0], &e))
		return reply_err(r, &e);
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
	{"PUT", "/api/v1/me/delegation", delegation_put, "delegation_put", AUTH_USER,
	 "代理人: name a deputy for a date range; steps that wait on the caller then wait on the deputy (for what they may see)",
	 BODY(delegation_fields, delegation_in), .response = &delegation_desc},
	{"GET", "/api/v1/me/delegation", delegation_get, "delegation_get", AUTH_USER, "The caller's deputy while away (204 when none)",
	 .response = &delegation_desc},
	{"DELETE", "/api/v1/me/delegation", delegation_delete, "delegation_delete", AUTH_USER, "End the caller's delegation",
	 .status = 204},
	{"POST", "/api/v1/tokens", tokens_create, "tokens_create", AUTH_USER,
	 "Create an API token for the caller; the token is shown once", .body = BODY_REQUIRED, .fields = token_fields,
	 .nfields = API_ROUTES_N(token_fields), .status = 201, .response_schema = TOKEN_SCHEMA},
	{"GET", "/api/v1/tokens", tokens_list, "tokens_list", AUTH_USER, "List the caller's API tokens (without their secrets)",
	 .response_schema = "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":" TOKEN_SCHEMA "}}}"},
	{"DELETE", "/api/v1/tokens/{id}", tokens_delete, "tokens_delete", AUTH_USER, "Revoke one of the caller's API tokens",
	 .status = 204},
};
const size_t session_routes_n = API_ROUTES_N(session_routes);
