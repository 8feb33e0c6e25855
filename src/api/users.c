/* Users: the people of the organisation, their department, roles and clearance — operations, then handlers. */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "domain/org.h"
#include "store/audit.h"
#include "store/auth.h"
#include "store/org.h"
#include "util/crypto.h"
#include "util/jsonv.h"

#define USER_FIELDS(req_flag)                                                   \
	{"login", JF_STRING, req_flag, 0, USER_LOGIN_MAX},                      \
	{"name", JF_STRING, req_flag, 0, USER_NAME_MAX},                        \
	{"email", JF_STRING, 0, 0, USER_EMAIL_MAX},                             \
	{"department_id", JF_ID, JF_NULLABLE, 0, 0},                            \
	{"password", JF_STRING, 0, 0, PASSWORD_MAX},                            \
	{"is_admin", JF_BOOL, 0, 0, 0},                                         \
	{"is_coordinator", JF_BOOL, 0, 0, 0},                                   \
	{"clearance", JF_STRING, 0, 0, 20}

static const jfield user_create_fields[] = {USER_FIELDS(JF_REQUIRED)};
static const jfield user_update_fields[] = {
	USER_FIELDS(0),
	{"active", JF_BOOL, 0, 0, 0},
	{"current_password", JF_STRING, 0, 0, PASSWORD_MAX},
};

static int check_department(db *d, int64_t id, lerr *e)
{
	if (id <= 0)
		return 0;
	json_t *o = org_dept_get(d, id);
	json_decref(o);
	return o ? 0 : lerr_set(e, LERR_INVALID, "invalid_value", "department_id", "department %lld does not exist",
				(long long)id);
}

static int check_clearance(const char *c, bool required, lerr *e)
{
	if (!c && required)
		return lerr_set(e, LERR_INVALID, "required", "clearance", "clearance must not be null");
	if (c && clearance_parse(c) < 0)
		return lerr_set(e, LERR_INVALID, "invalid_value", "clearance",
				"clearance must be one of public, internal, confidential, secret");
	return 0;
}

int user_create(db *d, const principal *who, json_t *in, json_t **out, lerr *e)
{
	int rc = JSONV_CHECK(in, user_create_fields, e);
	if (rc)
		return rc;
	const char *login = jv_str(in, "login"), *name = jv_str(in, "name"), *email = jv_str(in, "email");
	const char *password = jv_str(in, "password"), *clearance = jv_str(in, "clearance");
	int64_t dept = jv_int(in, "department_id", 0);
	if ((rc = org_check_login(login, e)) || (rc = org_check_name(name, USER_NAME_MAX, "name", e)) ||
	    (rc = org_check_email(email, e)) || (password && (rc = org_check_password(password, e))) ||
	    (rc = check_clearance(clearance, false, e)) || (rc = check_department(d, dept, e)))
		return rc;
	if (org_user_find_login(d, login))
		return lerr_set(e, LERR_CONFLICT, "duplicate", "login", "there is already a user with login '%s'", login);
	char hash[256] = "";
	if (password && password_hash(password, hash, sizeof hash))
		return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the password could not be hashed");
	int64_t id;
	if (org_user_insert(d, login, name, email, dept, hash, jv_bool(in, "is_admin", false),
			    jv_bool(in, "is_coordinator", false), clearance ? clearance : "internal", &id) != DB_DONE)
		return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the user could not be saved");
	*out = org_user_get(d, id);
	audit_event ev = {who->user_id, "user", id, "create", NULL, *out, NULL};
	if ((rc = audit_write(d, &ev, e))) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* What a non-administrator may change about themselves. */
static int check_self_fields(json_t *in, lerr *e)
{
	static const char *const allowed[] = {"name", "email", "password", "current_password"};
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		bool ok = false;
		for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
			ok |= strcmp(k, allowed[i]) == 0;
		if (!ok)
			return lerr_set(e, LERR_FORBIDDEN, "forbidden", k, "only an administrator may change %s", k);
	}
	return 0;
}

int user_update(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e)
{
	bool self = who->user_id == id;
	if (!who->is_admin && !self)
		return lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL, "only an administrator may change other users");
	json_t *before = org_user_get(d, id);
	if (!before)
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "user %lld does not exist", (long long)id);
	json_t *after = json_deep_copy(before);
	int rc = JSONV_CHECK(in, user_update_fields, e);
	if (rc || (!who->is_admin && (rc = check_self_fields(in, e))))
		goto done;
	const char *password = jv_str(in, "password");
	if (jv_has(in, "current_password") && !password) {
		rc = lerr_set(e, LERR_INVALID, "required", "password", "password is required with current_password");
		goto done;
	}
	if (password && (rc = org_check_password(password, e)))
		goto done;
	if (password && self) {
		/* People changing their own password prove they know the current one. */
		const char *cur = jv_str(in, "current_password");
		char *h = org_user_password_hash_by_id(d, id);
		bool ok = cur && password_verify(h, cur);
		free(h);
		if (!ok) {
			rc = lerr_set(e, LERR_INVALID, cur ? "wrong_password" : "required", "current_password",
				      cur ? "current_password is not the current password" : "current_password is required");
			goto done;
		}
	}
	static const char *const keys[] = {"login", "name", "email", "department_id", "is_admin", "is_coordinator",
					   "clearance", "active"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		json_t *v = json_object_get(in, keys[i]);
		if (v)
			json_object_set_new(after, keys[i],
					    json_is_null(v) && strcmp(keys[i], "email") == 0 ? json_string("") : json_incref(v));
	}
	const char *login = jv_str(after, "login");
	int64_t dept = jv_int(after, "department_id", 0);
	if ((rc = org_check_login(login, e)) || (rc = org_check_name(jv_str(after, "name"), USER_NAME_MAX, "name", e)) ||
	    (rc = org_check_email(jv_str(after, "email"), e)) || (rc = check_clearance(jv_str(after, "clearance"), true, e)) ||
	    (rc = check_department(d, dept, e)))
		goto done;
	int64_t other = org_user_find_login(d, login);
	if (other && other != id) {
		rc = lerr_set(e, LERR_CONFLICT, "duplicate", "login", "there is already a user with login '%s'", login);
		goto done;
	}
	if (self && who->is_admin && (!jv_bool(after, "is_admin", true) || !jv_bool(after, "active", true))) {
		rc = lerr_set(e, LERR_CONFLICT, "conflict", jv_bool(after, "active", true) ? "is_admin" : "active",
			      "you cannot remove your own administrator rights or deactivate yourself; ask another administrator");
		goto done;
	}
	char hash[256] = "";
	if (password && password_hash(password, hash, sizeof hash)) {
		rc = lerr_set(e, LERR_INTERNAL, "internal", NULL, "the password could not be hashed");
		goto done;
	}
	if ((rc = write_result(org_user_update(d, id, version, after, password ? hash : NULL), "user", id, e)))
		goto done;
	/* A liaison speaks for their own department: moving or deactivating someone ends the role. */
	if (!jv_bool(after, "active", true))
		org_user_drop_liaisons(d, id, 0);
	else if (dept != jv_int(before, "department_id", 0))
		org_user_drop_liaisons(d, id, dept);
	/* A deactivated user, or one whose password an administrator reset, is signed out everywhere;
	 * someone who changes their own password stays signed in only where they did it. */
	if (!jv_bool(after, "active", true) || (password && !self)) {
		auth_session_delete_user(d, id, NULL);
		auth_token_delete_user(d, id); /* and their API tokens: reactivation revives none */
	} else if (password)
		auth_session_delete_user(d, id, who->session[0] ? who->session : NULL);
	*out = org_user_get(d, id);
	json_t *b = json_deep_copy(before), *a = json_deep_copy(*out);
	if (password)
		json_object_set_new(a, "password_changed", json_true());
	audit_event ev = {who->user_id, "user", id, "update", b, a, NULL};
	rc = audit_write(d, &ev, e);
	json_decref(b);
	json_decref(a);
done:
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ------------------------------------------------------------------ HTTP */

void h_users_list(req *r)
{
	int limit;
	int64_t after, next, dept;
	if (!req_page(r, &limit, &after) || !req_query_int(r, "department_id", 0, &dept))
		return;
	json_t *items = org_user_list(r->db, dept, req_query(r, "q"), after, limit, &next);
	reply_list(r, items, next);
}

void h_users_get(req *r)
{
	json_t *o = org_user_get(r->db, r->id[0]);
	if (!o)
		return reply_problem(r, 404, "not_found", NULL, "user %lld does not exist", (long long)r->id[0]);
	reply_resource(r, 200, o);
}

void h_users_create(req *r)
{
	json_t *in = req_json(r);
	if (!in)
		return;
	RUN_WRITE(r, 201, "/api/v1/users/%lld", user_create(r->db, &r->who, in, &out, &e));
}

void h_users_update(req *r)
{
	int64_t version;
	json_t *in = req_json(r);
	if (!in || !req_if_match(r, &version))
		return;
	RUN_WRITE(r, 200, NULL, user_update(r->db, &r->who, r->id[0], version, in, &out, &e));
}

void h_users_history(req *r)
{
	json_t *o = org_user_get(r->db, r->id[0]);
	if (!o)
		return reply_problem(r, 404, "not_found", NULL, "user %lld does not exist", (long long)r->id[0]);
	json_decref(o);
	if (!r->who.is_admin && r->who.user_id != r->id[0])
		return reply_problem(r, 403, "forbidden", NULL, "only administrators and the user may read this history");
	reply_list(r, audit_history(r->db, "user", r->id[0]), 0);
}
