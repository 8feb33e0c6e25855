/* Departments: the tree of the organisation, its heads and liaisons — routes and handlers. */
#include "api/api.h"
#include "ops/org.h"
#include "store/audit.h"
#include "store/org.h"

static const jfield create_fields[] = {
	{"name", JF_STRING, JF_REQUIRED, 0, ORG_NAME_MAX, AT(dept_in, name), .bit = DEPT_IN_NAME},
	{"parent_id", JF_ID, JF_NULLABLE, 0, 0, AT(dept_in, parent_id), .bit = DEPT_IN_PARENT, .doc = "null: the top"},
	{"head_user_id", JF_ID, JF_NULLABLE, 0, 0, AT(dept_in, head_user_id), .bit = DEPT_IN_HEAD},
};

static const jfield update_fields[] = {
	{"name", JF_STRING, 0, 0, ORG_NAME_MAX, AT(dept_in, name), .bit = DEPT_IN_NAME},
	{"parent_id", JF_ID, JF_NULLABLE, 0, 0, AT(dept_in, parent_id), .bit = DEPT_IN_PARENT},
	{"head_user_id", JF_ID, JF_NULLABLE, 0, 0, AT(dept_in, head_user_id), .bit = DEPT_IN_HEAD},
};

static const jfield liaison_fields[] = {
	{"user_ids", JF_IDS, 0, 0, 50, AT(liaisons_in, user_ids), .count_off = offsetof(liaisons_in, n),
	 .bit = 1, .doc = "members of the department; [] removes every liaison"},
};

static void created(req *r, const department *d)
{
	reply_record(r, 201, &department_desc, d, RV_FULL);
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/departments/%lld", (long long)d->id);
	reply_header(r, "Location", loc);
}

static void departments_list(req *r)
{
	department *items;
	size_t n;
	int64_t next;
	if (org_dept_list(r->db, r->a, r->cursor, r->limit, &items, &n, &next) != DB_DONE)
		return reply_problem(r, 500, "internal", NULL, "the departments could not be read");
	reply_records(r, &department_desc, items, n, sizeof *items, RV_FULL, next);
}

static void departments_get(req *r)
{
	department d;
	if (org_dept_load(r->db, r->a, r->id[0], &d) != DB_ROW)
		return reply_problem(r, 404, "not_found", NULL, "department %lld does not exist", (long long)r->id[0]);
	reply_record(r, 200, &department_desc, &d, RV_FULL);
}

static void departments_create(req *r)
{
	department d;
	lerr e = {0};
	if (op_dept_create(api_ctx(r), r->in, &d, &e))
		return reply_err(r, &e);
	created(r, &d);
}

static void departments_update(req *r)
{
	department d;
	lerr e = {0};
	if (op_dept_update(api_ctx(r), r->id[0], r->version, r->in, &d, &e))
		return reply_err(r, &e);
	reply_record(r, 200, &department_desc, &d, RV_FULL);
}

static void departments_liaisons(req *r)
{
	department d;
	lerr e = {0};
	const liaisons_in *in = r->in;
	if (!(in->set & 1)) {
		lerr_set(&e, LERR_INVALID, "required", "user_ids", "user_ids is required");
		return reply_err(r, &e);
	}
	if (op_dept_set_liaisons(api_ctx(r), r->id[0], r->version, in, &d, &e))
		return reply_err(r, &e);
	reply_record(r, 200, &department_desc, &d, RV_FULL);
}

static void departments_delete(req *r)
{
	lerr e = {0};
	if (op_dept_delete(api_ctx(r), r->id[0], r->version, &e))
		return reply_err(r, &e);
	reply_empty(r, 204);
}

static void departments_history(req *r)
{
	if (!org_dept_exists(r->db, r->id[0]))
		return reply_problem(r, 404, "not_found", NULL, "department %lld does not exist", (long long)r->id[0]);
	reply_list(r, audit_history(r->db, "department", r->id[0]), 0);
}

#define HISTORY_SCHEMA "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/AuditEvent\"}},\"next_cursor\":{\"type\":[\"string\",\"null\"]}},\"required\":[\"items\",\"next_cursor\"]}"

const route departments_routes[] = {
	{"GET", "/api/v1/departments", departments_list, "departments_list", AUTH_USER,
	 "List departments (the organisation tree, flat, in id order)", .paged = true, .response = &department_desc},
	{"POST", "/api/v1/departments", departments_create, "departments_create", AUTH_ADMIN,
	 "Create a department under a parent, with an optional head", BODY(create_fields, dept_in), .status = 201,
	 .response = &department_desc},
	{"GET", "/api/v1/departments/{id}", departments_get, "departments_get", AUTH_USER,
	 "One department with its head and liaisons", .response = &department_desc},
	{"PATCH", "/api/v1/departments/{id}", departments_update, "departments_update", AUTH_ADMIN,
	 "Rename, move or change the head of a department (If-Match)", BODY(update_fields, dept_in),
	 .if_match = IFM_REQUIRED, .response = &department_desc},
	{"DELETE", "/api/v1/departments/{id}", departments_delete, "departments_delete", AUTH_ADMIN,
	 "Delete a department that has no sub-departments and no members (If-Match)", .if_match = IFM_REQUIRED,
	 .status = 204},
	{"PUT", "/api/v1/departments/{id}/liaisons", departments_liaisons, "departments_liaisons", AUTH_USER,
	 "Replace a department's liaisons (administrators and the department's head; If-Match)",
	 BODY(liaison_fields, liaisons_in), .if_match = IFM_REQUIRED, .response = &department_desc},
	{"GET", "/api/v1/departments/{id}/history", departments_history, "departments_history", AUTH_USER,
	 "The audit history of a department", .response_schema = HISTORY_SCHEMA},
};
const size_t departments_routes_n = API_ROUTES_N(departments_routes);
