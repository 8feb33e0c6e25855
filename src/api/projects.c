/* Projects (项目): the routes, and the JSON of a project as the caller sees it — with what the accepted request
 * carried into it — and of its follow-ups (跟进事项). */
#include "api/api.h"
#include "ops/project.h"
#include "ops/request.h"

typedef struct follow_ups_query {
	unsigned set;
	int status;
} follow_ups_query;

static const jfield follow_ups_query_fields[] = {
	{"status", JF_ENUM, 0, 0, 0, AT(follow_ups_query, status), .bit = 1, .values = fu_status_names,
	 .doc = "open or covered; all when absent"},
};

/* A project, with its liaisons as {"<department id>": user id} (the Project schema says so: api/system.c). */
static json_t *project_json(const project_view *v, unsigned view)
{
	json_t *o = rec_json(&project_view_desc, v, view), *liaisons = json_object();
	for (size_t i = 0; i < v->p.ndepartments; i++)
		if (v->p.departments[i].liaison_user_id) {
			char k[24];
			snprintf(k, sizeof k, "%lld", (long long)v->p.departments[i].department_id);
			json_object_set_new(liaisons, k, json_integer(v->p.departments[i].liaison_user_id));
		}
	json_object_set_new(o, "liaisons", liaisons);
	return o;
}

static void projects_list(req *r)
{
	project_view *items;
	size_t n;
	int64_t next;
	lerr e = {0};
	if (op_project_page(api_ctx(r), r->cursor, r->limit, &items, &n, &next, &e))
		return reply_err(r, &e);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, project_json(&items[i], RV_LIST));
	reply_list(r, a, next);
}

static void projects_get(req *r)
{
	project_view v;
	lerr e = {0};
	if (op_project_view(api_ctx(r), r->id[0], &v, &e))
		return reply_err(r, &e);
	reply_resource(r, 200, project_json(&v, RV_FULL));
}

static void follow_ups_list(req *r)
{
	const follow_ups_query *q = r->q;
	follow_up *items;
	size_t n;
	int64_t next;
	lerr e = {0};
	if (op_follow_ups_list(api_ctx(r), r->id[0], (q->set & 1) ? q->status : -1, r->cursor, r->limit, &items, &n,
			       &next, &e))
		return reply_err(r, &e);
	reply_records(r, &follow_up_desc, items, n, sizeof *items, RV_FULL, next);
}

const route projects_routes[] = {
	{"GET", "/api/v1/projects", projects_list, "projects_list", AUTH_USER,
	 "Projects the caller may see, newest first, each with its open follow-ups", .paged = true,
	 .response = &project_view_desc},
	{"GET", "/api/v1/projects/{id}", projects_get, "projects_get", AUTH_USER,
	 "One project with what its request carried: goal, success criteria, assessments and totals, follow-ups",
	 .response = &project_view_desc},
	{"GET", "/api/v1/projects/{id}/follow-ups", follow_ups_list, "follow_ups_list", AUTH_USER,
	 "The project's follow-ups (跟进事项): the conditions of its acceptance, oldest first; filter status",
	 QUERY(follow_ups_query_fields, follow_ups_query), .paged = true, .response = &follow_up_desc},
};
const size_t projects_routes_n = API_ROUTES_N(projects_routes);
