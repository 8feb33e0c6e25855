/* Departments and users: the operations. */
#include "ops/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/auth.h"
#include "store/org.h"
#include "store/settings.h"
#include "util/clock.h"
#include "util/crypto.h"

/* A user that may hold a role: exists and is active. */
static int check_active_user(op_ctx *c, int64_t uid, const char *field, lerr *e)
{
	user u;
	if (org_user_load(c->db, c->a, uid, &u) != DB_ROW || !u.active)
		return lerr_set(e, LERR_INVALID, "invalid_value", field, "user %lld does not exist or is inactive",
				(long long)uid);
	return 0;
}

static int check_parent_exists(op_ctx *c, int64_t pid, lerr *e)
{
	if (pid > 0 && !org_dept_exists(c->db, pid))
		return lerr_set(e, LERR_INVALID, "invalid_value", "parent_id", "department %lld does not exist",
				(long long)pid);
	return 0;
}

static int check_sibling_name(op_ctx *c, const char *name, int64_t parent, int64_t self, lerr *e)
{
	int64_t other = org_dept_find_by_name(c->db, name, parent);
	if (other && other != self)
		return lerr_set(e, LERR_CONFLICT, "duplicate", "name",
				"there is already a department named '%s' at this place in the tree", name);
	return 0;
}

static int load_dept(op_ctx *c, int64_t id, department *out, lerr *e)
{
	int rc = org_dept_load(c->db, c->a, id, out);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "department %lld does not exist", (long long)id);
	return op_fail("department", e);
}

int op_dept_create(op_ctx *c, const dept_in *in, department *out, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	department dp = {.name = in->name, .parent_id = in->parent_id, .head_user_id = in->head_user_id};
	int64_t id;
	if ((rc = org_check_name(dp.name, ORG_NAME_MAX, "name", e)) || (rc = check_parent_exists(c, dp.parent_id, e)) ||
	    (dp.head_user_id && (rc = check_active_user(c, dp.head_user_id, "head_user_id", e))) ||
	    (rc = check_sibling_name(c, dp.name, dp.parent_id, 0, e)))
		goto done;
	if (org_dept_insert(c->db, &dp, &id) != DB_DONE) {
		rc = op_fail("department", e);
		goto done;
	}
	if (!(rc = load_dept(c, id, out, e)))
		rc = op_audit(c, "department", id, "create", &department_desc, NULL, out, NULL, e);
done:
	return op_end(c, rc, e);
}

int op_dept_update(op_ctx *c, int64_t id, int64_t version, const dept_in *in, department *out, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	department before, dp;
	if ((rc = load_dept(c, id, &before, e)))
		goto done;
	dp = before;
	dp.version = version;
	if (in->set & DEPT_IN_NAME)
		dp.name = in->name;
	if (in->set & DEPT_IN_PARENT)
		dp.parent_id = in->parent_id;
	if (in->set & DEPT_IN_HEAD)
		dp.head_user_id = in->head_user_id;
	int64_t chain[256];
	if ((in->set & DEPT_IN_PARENT) && org_tree_lock(c->db) != DB_DONE) {
		rc = op_fail("department", e);
		goto done;
	}
	size_t n = dp.parent_id > 0 ? org_dept_chain(c->db, dp.parent_id, chain, 256) : 0;
	if ((rc = org_check_name(dp.name, ORG_NAME_MAX, "name", e)) || (rc = check_parent_exists(c, dp.parent_id, e)) ||
	    (rc = org_check_parent(id, dp.parent_id, chain, n, e)) ||
	    ((in->set & DEPT_IN_HEAD) && dp.head_user_id && (rc = check_active_user(c, dp.head_user_id, "head_user_id", e))) ||
	    (rc = check_sibling_name(c, dp.name, dp.parent_id, id, e)))
		goto done;
	if ((rc = op_write_result(org_dept_update(c->db, &dp), "department", id, e)) || (rc = load_dept(c, id, out, e)))
		goto done;
	rc = op_audit(c, "department", id, "update", &department_desc, &before, out, NULL, e);
done:
	return op_end(c, rc, e);
}

int op_dept_set_liaisons(op_ctx *c, int64_t id, int64_t version, const liaisons_in *in, department *out, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	department before;
	if ((rc = load_dept(c, id, &before, e)))
		goto done;
	if (!c->who.is_admin && before.head_user_id != c->who.user_id) {
		rc = lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL,
			      "only an administrator or the head of the department may name its liaisons");
		goto done;
	}
	for (size_t i = 0; i < in->n; i++) {
		user u;
		int64_t uid = in->user_ids[i];
		if (org_user_load(c->db, c->a, uid, &u) != DB_ROW || !u.active) {
			rc = lerr_set(e, LERR_INVALID, "invalid_value", "user_ids", "user %lld does not exist or is inactive",
				      (long long)uid);
			goto done;
		}
		if (u.department_id != id) {
			rc = lerr_set(e, LERR_INVALID, "not_member", "user_ids", "user %lld is not a member of this department",
				      (long long)uid);
			goto done;
		}
	}
	if ((rc = op_write_result(org_dept_set_liaisons(c->db, id, version, in->user_ids, in->n), "department", id, e)) ||
	    (rc = load_dept(c, id, out, e)))
		goto done;
	rc = op_audit(c, "department", id, "liaisons", &department_desc, &before, out, NULL, e);
done:
	return op_end(c, rc, e);
}

int op_dept_delete(op_ctx *c, int64_t id, int64_t version, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	department before;
	if ((rc = load_dept(c, id, &before, e)))
		goto done;
	int w;
	if (before.version != version)
		rc = lerr_set(e, LERR_STALE, "precondition_failed", NULL,
			      "department %lld was changed by someone else; reload and try again", (long long)id);
	else if (org_dept_child_count(c->db, id) != 0)
		rc = lerr_set(e, LERR_CONFLICT, "conflict", NULL,
			      "the department has sub-departments; move or delete them first");
	else if (org_dept_member_count(c->db, id) != 0)
		rc = lerr_set(e, LERR_CONFLICT, "conflict", NULL, "the department has members; move them first");
	else if ((w = org_dept_delete(c->db, id, version)) == 1)
		rc = op_write_result(w, "department", id, e);
	else if (w != DB_DONE)
		rc = lerr_set(e, LERR_CONFLICT, "conflict", NULL, "the department is still referred to and cannot be deleted");
	else
		rc = op_audit(c, "department", id, "delete", &department_desc, &before, NULL, NULL, e);
done:
	return op_end(c, rc, e);
}

/* ------------------------------------------------------------------ users */

static int check_department(op_ctx *c, int64_t id, lerr *e)
{
	if (id > 0 && !org_dept_exists(c->db, id))
		return lerr_set(e, LERR_INVALID, "invalid_value", "department_id", "department %lld does not exist",
				(long long)id);
	return 0;
}

static int load_user(op_ctx *c, int64_t id, user *out, lerr *e)
{
	int rc = org_user_load(c->db, c->a, id, out);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "user %lld does not exist", (long long)id);
	return op_fail("user", e);
}

int op_user_create(op_ctx *c, const user_in *in, user *out, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	user u = {
		.login = in->login,
		.name = in->name,
		.email = in->email ? in->email : "",
		.department_id = in->department_id,
		.is_admin = in->is_admin,
		.is_coordinator = in->is_coordinator,
		.clearance = (in->set & USER_IN_CLEARANCE) && in->clearance >= 0 ? in->clearance : CLEAR_INTERNAL,
		.active = true,
	};
	const char *password = (in->set & USER_IN_PASSWORD) ? in->password : NULL;
	if ((rc = org_check_login(u.login, e)) || (rc = org_check_name(u.name, USER_NAME_MAX, "name", e)) ||
	    (rc = org_check_email(u.email, e)) || (password && (rc = org_check_password(password, e))) ||
	    (rc = check_department(c, u.department_id, e)))
		goto done;
	if (org_user_find_login(c->db, u.login)) {
		rc = lerr_set(e, LERR_CONFLICT, "duplicate", "login", "there is already a user with login '%s'", u.login);
		goto done;
	}
	char hash[256] = "";
	if (in->set & USER_IN_PASSWORD_HASH)
		snprintf(hash, sizeof hash, "%s", in->password_hash);
	else if (password && password_hash(password, hash, sizeof hash)) {
		rc = lerr_set(e, LERR_INTERNAL, "internal", NULL, "the password could not be hashed");
		goto done;
	}
	int64_t id;
	if (org_user_insert(c->db, &u, hash, &id) != DB_DONE) {
		rc = op_fail("user", e);
		goto done;
	}
	if (!(rc = load_user(c, id, out, e)))
		rc = op_audit(c, "user", id, "create", &user_desc, NULL, out, NULL, e);
done:
	return op_end(c, rc, e);
}

/* What a non-administrator may change about themselves; the name of the first other field given. */
static const char *not_self_field(unsigned set)
{
	static const struct { unsigned bit; const char *name; } others[] = {
		{USER_IN_LOGIN, "login"},   {USER_IN_DEPARTMENT, "department_id"}, {USER_IN_ADMIN, "is_admin"},
		{USER_IN_COORDINATOR, "is_coordinator"}, {USER_IN_CLEARANCE, "clearance"}, {USER_IN_ACTIVE, "active"},
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		if (set & others[i].bit)
			return others[i].name;
	return NULL;
}

int op_user_update(op_ctx *c, int64_t id, int64_t version, const user_in *in, user *out, lerr *e)
{
	bool self = c->who.user_id == id;
	if (!c->who.is_admin && !self)
		return lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL, "only an administrator may change other users");
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	user before, u;
	if ((rc = load_user(c, id, &before, e)))
		goto done;
	const char *other = not_self_field(in->set);
	if (!c->who.is_admin && other) {
		rc = lerr_set(e, LERR_FORBIDDEN, "forbidden", other, "only an administrator may change %s", other);
		goto done;
	}
	const char *password = (in->set & USER_IN_PASSWORD) ? in->password : NULL;
	if ((in->set & USER_IN_CURRENT_PASSWORD) && !password) {
		rc = lerr_set(e, LERR_INVALID, "required", "password", "password is required with current_password");
		goto done;
	}
	if (password && (rc = org_check_password(password, e)))
		goto done;
	if (password && self) {
		/* People changing their own password prove they know the current one. */
		const char *cur = (in->set & USER_IN_CURRENT_PASSWORD) ? in->current_password : NULL;
		char *h = org_user_password_hash_by_id(c->db, id);
		bool ok = cur && h && password_verify(h, cur);
		free(h);
		if (!ok) {
			rc = lerr_set(e, LERR_INVALID, cur ? "wrong_password" : "required", "current_password",
				      cur ? "current_password is not the current password" : "current_password is required");
			goto done;
		}
	}
	u = before;
	u.version = version;
	if (in->set & USER_IN_LOGIN)
		u.login = in->login;
	if (in->set & USER_IN_NAME)
		u.name = in->name;
	if (in->set & USER_IN_EMAIL)
		u.email = in->email ? in->email : "";
	if (in->set & USER_IN_DEPARTMENT)
		u.department_id = in->department_id;
	if (in->set & USER_IN_ADMIN)
		u.is_admin = in->is_admin;
	if (in->set & USER_IN_COORDINATOR)
		u.is_coordinator = in->is_coordinator;
	if (in->set & USER_IN_ACTIVE)
		u.active = in->active;
	if (in->set & USER_IN_CLEARANCE) {
		if (in->clearance < 0) {
			rc = lerr_set(e, LERR_INVALID, "required", "clearance", "clearance must not be null");
			goto done;
		}
		u.clearance = in->clearance;
	}
	if ((rc = org_check_login(u.login, e)) || (rc = org_check_name(u.name, USER_NAME_MAX, "name", e)) ||
	    (rc = org_check_email(u.email, e)) || (rc = check_department(c, u.department_id, e)))
		goto done;
	int64_t holder = org_user_find_login(c->db, u.login);
	if (holder && holder != id) {
		rc = lerr_set(e, LERR_CONFLICT, "duplicate", "login", "there is already a user with login '%s'", u.login);
		goto done;
	}
	if (self && c->who.is_admin && (!u.is_admin || !u.active)) {
		rc = lerr_set(e, LERR_CONFLICT, "conflict", u.active ? "is_admin" : "active",
			      "you cannot remove your own administrator rights or deactivate yourself; ask another administrator");
		goto done;
	}
	char hash[256] = "";
	if (password && password_hash(password, hash, sizeof hash)) {
		rc = lerr_set(e, LERR_INTERNAL, "internal", NULL, "the password could not be hashed");
		goto done;
	}
	if ((rc = op_write_result(org_user_update(c->db, &u, password ? hash : NULL), "user", id, e)))
		goto done;
	/* A liaison speaks for their own department: moving or deactivating someone ends the role. */
	int w = DB_DONE;
	if (!u.active)
		w = org_user_drop_liaisons(c->db, id, 0);
	else if (u.department_id != before.department_id)
		w = org_user_drop_liaisons(c->db, id, u.department_id);
	/* A deactivated user, or one whose password someone else reset, is signed out everywhere;
	 * someone who changes their own password stays signed in only where they did it. */
	if (w == DB_DONE && (!u.active || (password && !self))) {
		w = auth_session_delete_user(c->db, id, NULL);
		if (w == DB_DONE) /* and their API tokens: reactivation revives none */
			w = auth_token_delete_user(c->db, id);
	} else if (w == DB_DONE && password)
		w = auth_session_delete_user(c->db, id, c->who.session[0] ? c->who.session : NULL);
	if (w != DB_DONE) {
		rc = op_fail("user", e);
		goto done;
	}
	if ((rc = load_user(c, id, out, e)))
		goto done;
	user after = *out;
	after.password_changed = password != NULL;
	rc = op_audit(c, "user", id, "update", &user_desc, &before, &after, NULL, e);
done:
	return op_end(c, rc, e);
}

int op_setting_set(op_ctx *c, const char *key, const char *value, lerr *e)
{
	if (!c->who.is_admin)
		return lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL, "only an administrator may change settings");
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	char old[256];
	bool had = settings_get(c->db, key, old, sizeof old);
	setting before = {key, old}, after = {key, value};
	if (settings_set(c->db, key, value) != DB_DONE)
		rc = op_fail("setting", e);
	else
		rc = op_audit(c, "setting", 0, "update", &setting_desc, had ? &before : NULL, &after, key, e);
	return op_end(c, rc, e);
}

/* ------------------------------------------------------------------ delegations (代理人) */

void op_today(char out[11])
{
	date_format(clock_local_today(), out, 11);
}

int op_delegation_get(op_ctx *c, delegation *out, lerr *e)
{
	char today[11];
	op_today(today);
	int rc = org_delegation_get(c->db, c->a, c->who.user_id, today, out);
	if (rc == DB_DONE)
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "you have named no deputy");
	return rc == DB_ROW ? 0 : op_fail("delegation", e);
}

int op_delegation_set(op_ctx *c, const delegation_in *in, delegation *out, lerr *e)
{
	principal p;
	if (in->deputy_id == c->who.user_id)
		return lerr_set(e, LERR_INVALID, "invalid_value", "deputy_id", "your deputy is someone other than yourself");
	if (!principal_of(c->db, c->a, in->deputy_id, &p))
		return lerr_set(e, LERR_INVALID, "not_found", "deputy_id", "no active user with id %lld", (long long)in->deputy_id);
	int rc = dlg_check_dates(in->from, in->to, clock_local_today(), e);
	if (rc || (rc = op_begin(c, e)))
		return rc;
	char today[11];
	op_today(today);
	delegation before;
	int had = org_delegation_get(c->db, c->a, c->who.user_id, today, &before);
	delegation g = {.user_id = c->who.user_id, .deputy_id = in->deputy_id, .from = in->from, .to = in->to};
	if ((had != DB_ROW && had != DB_DONE) || org_delegation_put(c->db, &g) != DB_DONE ||
	    org_delegation_get(c->db, c->a, c->who.user_id, today, out) != DB_ROW)
		rc = op_fail("delegation", e);
	else
		rc = op_audit(c, "user", c->who.user_id, "delegation", &delegation_desc, had == DB_ROW ? &before : NULL, out,
			      NULL, e);
	return op_end(c, rc, e);
}

int op_delegation_delete(op_ctx *c, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	char today[11];
	op_today(today);
	delegation before;
	int had = org_delegation_get(c->db, c->a, c->who.user_id, today, &before);
	if (had == DB_DONE)
		rc = lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "you have named no deputy");
	else if (had != DB_ROW || org_delegation_delete(c->db, c->who.user_id) != DB_DONE)
		rc = op_fail("delegation", e);
	else
		rc = op_audit(c, "user", c->who.user_id, "delegation_end", &delegation_desc, &before, NULL, NULL, e);
	return op_end(c, rc, e);
}
