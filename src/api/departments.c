/* Departments: the tree of the organisation, its heads and liaisons — operations, then HTTP handlers. */
#include "api/api.h"
#include "api/handlers.h"
#include "domain/org.h"
#include "store/audit.h"
#include "store/org.h"
#include "util/jsonv.h"

static const jfield dept_create_fields[] = {
	{"name", JF_STRING, JF_REQUIRED, 0, ORG_NAME_MAX},
	{"parent_id", JF_ID, JF_NULLABLE, 0, 0},
	{"head_user_id", JF_ID, JF_NULLABLE, 0, 0},
};

static const jfield dept_update_fields[] = {
	{"name", JF_STRING, 0, 0, ORG_NAME_MAX},
	{"parent_id", JF_ID, JF_NULLABLE, 0, 0},
	{"head_user_id", JF_ID, JF_NULLABLE, 0, 0},
};

/* A user that may hold a role: exists and is active. */
static int check_active_user(db *d, int64_t uid, const char *field, lerr *e)
{
	json_t *u = org_user_get(d, uid);
	int ok = u && json_is_true(json_object_get(u, "active"));
	json_decref(u);
	if (!ok)
		return lerr_set(e, LERR_INVALID, "invalid_value", field, "user %lld does not exist or is inactive",
				(long long)uid);
	return 0;
}

static int check_parent_exists(db *d, int64_t pid, lerr *e)
{
	json_t *p = pid > 0 ? org_dept_get(d, pid) : NULL;
	if (pid > 0 && !p)
		return lerr_set(e, LERR_INVALID, "invalid_value", "parent_id", "department %lld does not exist",
				(long long)pid);
	json_decref(p);
	return 0;
}

static int check_sibling_name(db *d, const char *name, int64_t parent, int64_t self, lerr *e)
{
	int64_t other = org_dept_find_by_name(d, name, parent);
	if (other && other != self)
		return lerr_set(e, LERR_CONFLICT, "duplicate", "name",
				"there is already a department named '%s' at this place in the tree", name);
	return 0;
}

int dept_create(db *d, const principal *who, json_t *in, json_t **out, lerr *e)
{
	int rc = JSONV_CHECK(in, dept_create_fields, e);
	if (rc)
		return rc;
	const char *name = jv_str(in, "name");
	int64_t parent = jv_int(in, "parent_id", 0), head = jv_int(in, "head_user_id", 0);
	if ((rc = org_check_name(name, ORG_NAME_MAX, "name", e)) || (rc = check_parent_exists(d, parent, e)) ||
	    (head && (rc = check_active_user(d, head, "head_user_id", e))) ||
	    (rc = check_sibling_name(d, name, parent, 0, e)))
		return rc;
	int64_t id;
	if (org_dept_insert(d, name, parent, head, &id) != DB_DONE)
		return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the department could not be saved");
	*out = org_dept_get(d, id);
	audit_event ev = {who->user_id, "department", id, "create", NULL, *out, NULL};
	if ((rc = audit_write(d, &ev, e))) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int dept_update(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e)
{
	json_t *before = org_dept_get(d, id);
	if (!before)
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "department %lld does not exist", (long long)id);
	int rc = JSONV_CHECK(in, dept_update_fields, e);
	if (rc)
		goto done;
	const char *name = jv_has(in, "name") ? jv_str(in, "name") : json_string_value(json_object_get(before, "name"));
	int64_t parent = jv_has(in, "parent_id") ? jv_int(in, "parent_id", 0)
						 : json_integer_value(json_object_get(before, "parent_id"));
	int64_t head = jv_has(in, "head_user_id") ? jv_int(in, "head_user_id", 0)
						  : json_integer_value(json_object_get(before, "head_user_id"));
	int64_t chain[256];
	size_t n = parent > 0 ? org_dept_chain(d, parent, chain, 256) : 0;
	if ((rc = org_check_name(name, ORG_NAME_MAX, "name", e)) || (rc = check_parent_exists(d, parent, e)) ||
	    (rc = org_check_parent(id, parent, chain, n, e)) ||
	    (jv_has(in, "head_user_id") && head && (rc = check_active_user(d, head, "head_user_id", e))) ||
	    (rc = check_sibling_name(d, name, parent, id, e)))
		goto done;
	if ((rc = write_result(org_dept_update(d, id, version, name, parent, head), "department", id, e)))
		goto done;
	*out = org_dept_get(d, id);
	audit_event ev = {who->user_id, "department", id, "update", before, *out, NULL};
	rc = audit_write(d, &ev, e);
done:
	json_decref(before);
	return rc;
}

int dept_set_liaisons(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e)
{
	static const jfield spec[] = {{"user_ids", JF_IDS, JF_REQUIRED | JF_NULLABLE, 0, 50}};
	json_t *before = org_dept_get(d, id);
	if (!before)
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "department %lld does not exist", (long long)id);
	int rc = 0;
	if (!who->is_admin && json_integer_value(json_object_get(before, "head_user_id")) != who->user_id) {
		rc = lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL,
			      "only an administrator or the head of the department may name its liaisons");
		goto done;
	}
	/* An empty list is allowed: it removes every liaison. */
	json_t *ids = json_object_get(in, "user_ids");
	if (json_is_object(in) && json_is_array(ids) && json_array_size(ids) == 0 && json_object_size(in) == 1) {
		rc = 0;
	} else if ((rc = JSONV_CHECK(in, spec, e))) {
		goto done;
	}
	int64_t uids[50];
	size_t n = 0, i;
	json_t *x;
	json_array_foreach(ids, i, x) {
		int64_t uid = json_integer_value(x);
		json_t *u = org_user_get(d, uid);
		int ok = u && json_is_true(json_object_get(u, "active"));
		int member = u && json_integer_value(json_object_get(u, "department_id")) == id;
		json_decref(u);
		if (!ok) {
			rc = lerr_set(e, LERR_INVALID, "invalid_value", "user_ids", "user %lld does not exist or is inactive",
				      (long long)uid);
			goto done;
		}
		if (!member) {
			rc = lerr_set(e, LERR_INVALID, "not_member", "user_ids",
				      "user %lld is not a member of this department", (long long)uid);
			goto done;
		}
		uids[n++] = uid;
	}
	if ((rc = write_result(org_dept_set_liaisons(d, id, version, uids, n), "department", id, e)))
		goto done;
	*out = org_dept_get(d, id);
	audit_event ev = {who->user_id, "department", id, "liaisons", before, *out, NULL};
	rc = audit_write(d, &ev, e);
done:
	json_decref(before);
	return rc;
}

int dept_delete(db *d, const principal *who, int64_t id, int64_t version, lerr *e)
{
	json_t *before = org_dept_get(d, id);
	if (!before)
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "department %lld does not exist", (long long)id);
	int rc;
	if (json_integer_value(json_object_get(before, "version")) != version)
		rc = lerr_set(e, LERR_STALE, "precondition_failed", NULL,
			      "department %lld was changed by someone else; reload and try again", (long long)id);
	else if (org_dept_child_count(d, id) > 0)
		rc = lerr_set(e, LERR_CONFLICT, "conflict", NULL,
			      "the department has sub-departments; move or delete them first");
	else if (org_dept_member_count(d, id) > 0)
		rc = lerr_set(e, LERR_CONFLICT, "conflict", NULL, "the department has members; move them first");
	else if (org_dept_delete(d, id) != DB_DONE)
		rc = lerr_set(e, LERR_CONFLICT, "conflict", NULL, "the department is still referred to and cannot be deleted");
	else {
		audit_event ev = {who->user_id, "department", id, "delete", before, NULL, NULL};
		rc = audit_write(d, &ev, e);
	}
	json_decref(before);
	return rc;
}

/* ------------------------------------------------------------------ HTTP */

void h_departments_list(req *r)
{
	int limit;
	int64_t after, next;
	if (!req_page(r, &limit, &after))
		return;
	json_t *items = org_dept_list(r->db, after, limit, &next);
	reply_list(r, items, next);
}

void h_departments_get(req *r)
{
	json_t *o = org_dept_get(r->db, r->id[0]);
	if (!o)
		return reply_problem(r, 404, "not_found", NULL, "department %lld does not exist", (long long)r->id[0]);
	reply_resource(r, 200, o);
}

void h_departments_create(req *r)
{
	json_t *in = req_json(r);
	if (!in)
		return;
	RUN_WRITE(r, 201, "/api/v1/departments/%lld", dept_create(r->db, &r->who, in, &out, &e));
}

void h_departments_update(req *r)
{
	int64_t version;
	json_t *in = req_json(r);
	if (!in || !req_if_match(r, &version))
		return;
	RUN_WRITE(r, 200, NULL, dept_update(r->db, &r->who, r->id[0], version, in, &out, &e));
}

void h_departments_liaisons(req *r)
{
	int64_t version;
	json_t *in = req_json(r);
	if (!in || !req_if_match(r, &version))
		return;
	RUN_WRITE(r, 200, NULL, dept_set_liaisons(r->db, &r->who, r->id[0], version, in, &out, &e));
}

void h_departments_delete(req *r)
{
	int64_t version;
	if (!req_if_match(r, &version))
		return;
	lerr e = {0};
	int rc = tx_begin(r->db, &e);
	if (!rc)
		rc = tx_end(r->db, dept_delete(r->db, &r->who, r->id[0], version, &e), &e);
	if (rc)
		return reply_err(r, &e);
	reply_empty(r, 204);
}

void h_departments_history(req *r)
{
	json_t *o = org_dept_get(r->db, r->id[0]);
	if (!o)
		return reply_problem(r, 404, "not_found", NULL, "department %lld does not exist", (long long)r->id[0]);
	json_decref(o);
	reply_list(r, audit_history(r->db, "department", r->id[0]), 0);
}
