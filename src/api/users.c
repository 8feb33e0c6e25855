/* Users: the people of the organisation, their department, roles and clearance — routes and handlers. */
#include "api/api.h"
#include "ops/org.h"
#include "store/audit.h"
#include "store/org.h"

#define USER_FIELDS(req_flag)                                                                             \
	{"login", JF_STRING, req_flag, 0, USER_LOGIN_MAX, AT(user_in, login), .bit = USER_IN_LOGIN},        \
	{"name", JF_STRING, req_flag, 0, USER_NAME_MAX, AT(user_in, name), .bit = USER_IN_NAME},            \
	{"email", JF_STRING, 0, 0, USER_EMAIL_MAX, AT(user_in, email), .bit = USER_IN_EMAIL},               \
	{"department_id", JF_ID, JF_NULLABLE, 0, 0, AT(user_in, department_id), .bit = USER_IN_DEPARTMENT}, \
	{"password", JF_STRING, 0, 0, PASSWORD_MAX, AT(user_in, password), .bit = USER_IN_PASSWORD},        \
	{"is_admin", JF_BOOL, 0, 0, 0, AT(user_in, is_admin), .bit = USER_IN_ADMIN},                        \
	{"is_coordinator", JF_BOOL, 0, 0, 0, AT(user_in, is_coordinator), .bit = USER_IN_COORDINATOR},      \
	{"clearance", JF_ENUM, 0, 0, 0, AT(user_in, clearance), .bit = USER_IN_CLEARANCE,                   \
	 .values = clearance_names, .doc = "default internal"}

static const jfield create_fields[] = {USER_FIELDS(JF_REQUIRED)};
static const jfield update_fields[] = {
	USER_FIELDS(0),
	{"active", JF_BOOL, 0, 0, 0, AT(user_in, active), .bit = USER_IN_ACTIVE},
	{"current_password", JF_STRING, 0, 0, PASSWORD_MAX, AT(user_in, current_password), .bit = USER_IN_CURRENT_PASSWORD,
	 .doc = "required to change one's own password"},
};

typedef struct users_query {
	unsigned set;
	int64_t department_id;
	const char *q;
} users_query;

static const jfield list_query[] = {
	{"department_id", JF_INT, 0, 0, 0, AT(users_query, department_id), .bit = 1},
	{"q", JF_STRING, 0, 0, 0, AT(users_query, q), .bit = 2, .doc = "in login, name or e-mail"},
};

static void users_list(req *r)
{
	const users_query *q = r->q;
	user *items;
	size_t n;
	int64_t next;
	if (org_user_list(r->db, r->a, q->department_id, q->q, r->cursor, r->limit, &items, &n, &next) != DB_DONE)
		return reply_problem(r, 500, "internal", NULL, "the users could not be read");
	reply_records(r, &user_desc, items, n, sizeof *items, RV_FULL, next);
}

static void users_get(req *r)
{
	user u;
	if (org_user_load(r->db, r->a, r->id[0], &u) != DB_ROW)
		return reply_problem(r, 404, "not_found", NULL, "user %lld does not exist", (long long)r->id[0]);
	reply_record(r, 200, &user_desc, &u, RV_FULL);
}

static void users_create(req *r)
{
	user u;
	lerr e = {0};
	if (op_user_create(api_ctx(r), r->in, &u, &e))
		return reply_err(r, &e);
	reply_record(r, 201, &user_desc, &u, RV_FULL);
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/users/%lld", (long long)u.id);
	reply_header(r, "Location", loc);
}

static void users_update(req *r)
{
	user u;
	lerr e = {0};
	if (op_user_update(api_ctx(r), r->id[0], r->version, r->in, &u, &e))
		return reply_err(r, &e);
	reply_record(r, 200, &user_desc, &u, RV_FULL);
}

static void users_history(req *r)
{
	user u;
	if (org_user_load(r->db, r->a, r->id[0], &u) != DB_ROW)
		return reply_problem(r, 404, "not_found", NULL, "user %lld does not exist", (long long)r->id[0]);
	if (!r->who.is_admin && r->who.user_id != r->id[0])
		return reply_problem(r, 403, "forbidden", NULL, "only administrators and the user may read this history");
	reply_list(r, audit_history(r->db, "user", r->id[0]), 0);
}

#define HISTORY_SCHEMA "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/AuditEvent\"}},\"next_cursor\":{\"type\":[\"string\",\"null\"]}},\"required\":[\"items\",\"next_cursor\"]}"

const route users_routes[] = {
	{"GET", "/api/v1/users", users_list, "users_list", AUTH_USER,
	 "List users; filters department_id and q (login, name or e-mail)", QUERY(list_query, users_query),
	 .paged = true, .response = &user_desc},
	{"POST", "/api/v1/users", users_create, "users_create", AUTH_ADMIN, "Create a user", BODY(create_fields, user_in),
	 .status = 201, .response = &user_desc},
	{"GET", "/api/v1/users/{id}", users_get, "users_get", AUTH_USER, "One user, by id", .response = &user_desc},
	{"PATCH", "/api/v1/users/{id}", users_update, "users_update", AUTH_USER,
	 "Change a user (administrators: every field; users: their own name, e-mail and password; If-Match)",
	 BODY(update_fields, user_in), .if_match = IFM_REQUIRED, .response = &user_desc},
	{"GET", "/api/v1/users/{id}/history", users_history, "users_history", AUTH_USER,
	 "The audit history of a user (administrators and the user)", .response_schema = HISTORY_SCHEMA},
};
const size_t users_routes_n = API_ROUTES_N(users_routes);
