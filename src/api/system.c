/* Health, metrics, the OpenAPI document made from the route declarations, and the test-only clock
 * routes. */
#include <string.h>

#include "api/api.h"
#include "domain/org.h"
#include "domain/request.h"
#include "jobs/jobs.h"
#include "store/auth.h"
#include "util/clock.h"
#include "util/jsonv.h"
#include "version.h"

static void healthz(req *r)
{
	if (db_one_int(db_prepare(r->db, "SELECT 1"), 0) != 1)
		return reply_problem(r, 503, "unavailable", NULL, "the store does not answer");
	if (auth_write_probe(r->db))
		return reply_problem(r, 503, "unavailable", NULL, "the store answers but cannot be written");
	reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

static void metrics(req *r)
{
	if (!req_metrics_allowed(r))
		return;
	sbuf b;
	sbuf_init(&b);
	metrics_render(&b);
	reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.p, b.len, true);
	sbuf_release(&b);
}

static void openapi(req *r)
{
	reply_json(r, 200, openapi_document());
}

typedef struct clock_in {
	unsigned set;
	const char *now;
} clock_in;

static const jfield clock_fields[] = {
	{"now", JF_STRING, JF_REQUIRED, 0, 64, AT(clock_in, now), .bit = 1, .doc = "RFC 3339 with an offset"},
};

static void dev_clock(req *r)
{
	const clock_in *in = r->in;
	int64_t ms;
	if (time_parse_rfc3339(in->now, &ms))
		return reply_problem(r, 422, "invalid_value", "now", "now must be an RFC 3339 instant with an offset");
	clock_set_ms(ms);
	char buf[40];
	time_format_rfc3339(clock_now_ms(), buf, sizeof buf);
	reply_json(r, 200, json_pack("{s:s}", "now", buf));
}

static void dev_tick(req *r)
{
	job_run runs[JOBS_COUNT];
	if (jobs_run_all(r->db, api_delivered, runs))
		return reply_problem(r, 500, "internal", NULL, "a job failed; see the server log");
	reply_json(r, 200,
		   json_pack("{s:[{s:s, s:I}, {s:s, s:I, s:I}]}", "ran", "job", runs[0].job, "delivered",
			     (json_int_t)runs[0].done[0], "job", runs[1].job, "sessions", (json_int_t)runs[1].done[0],
			     "sign_in_failures", (json_int_t)runs[1].done[1]));
}

const route system_routes[] = {
	{"GET", "/healthz", healthz, "healthz", AUTH_PUBLIC, "Liveness: answers {\"status\":\"ok\"} when the store answers",
	 .writes = true,
	 .response_schema = "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\"}},\"required\":[\"status\"]}"},
	{"GET", "/metrics", metrics, "metrics", AUTH_PUBLIC,
	 "Prometheus metrics: requests by route and status, latency, connections (administrators or the metrics token; docs/admin.md)",
	 .response_schema = "{\"type\":\"string\",\"description\":\"Prometheus text format\"}"},
	{"GET", "/api/v1/openapi.json", openapi, "openapi", AUTH_PUBLIC, "This API described as OpenAPI 3.1",
	 .response_schema = "{\"type\":\"object\"}"},
	{"PUT", "/api/v1/admin/clock", dev_clock, "dev_clock", AUTH_DEV,
	 "Test only: set the server's clock {\"now\": RFC 3339}", BODY(clock_fields, clock_in),
	 .response_schema = "{\"type\":\"object\",\"properties\":{\"now\":{\"type\":\"string\",\"format\":\"date-time\"}}}"},
	{"POST", "/api/v1/admin/tick", dev_tick, "dev_tick", AUTH_DEV, "Test only: run every due background job once and list what ran",
	 .response_schema = "{\"type\":\"object\",\"properties\":{\"ran\":{\"type\":\"array\"}}}"},
};
const size_t system_routes_n = API_ROUTES_N(system_routes);

/* ------------------------------------------------------------------ the OpenAPI document */

const char *route_auth_text(enum route_auth a)
{
	switch (a) {
	case AUTH_PUBLIC: return "anyone";
	case AUTH_USER: return "signed-in users";
	case AUTH_ADMIN: return "administrators";
	case AUTH_DEV: return "administrators, with serve --dev-clock (tests)";
	}
	return "?";
}

/* Adds d and every named record it refers to, to schemas. */
static void collect(json_t *schemas, const rdesc *d)
{
	if (d->name) {
		if (json_object_get(schemas, d->name))
			return;
		json_object_set_new(schemas, d->name, rec_schema(d));
	}
	for (size_t i = 0; i < d->n; i++)
		if (d->fields[i].sub)
			collect(schemas, d->fields[i].sub);
}

static json_t *problem_ref(const char *why)
{
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", why, "content", "application/problem+json", "schema",
			 "$ref", "#/components/schemas/Problem");
}

static json_t *success_schema(const route *rt, json_t *schemas)
{
	if (rt->response) {
		collect(schemas, rt->response);
		json_t *ref = json_pack("{s:s+}", "$ref", "#/components/schemas/", rt->response->name);
		if (rt->paged || rt->list)
			return json_pack("{s:s, s:{s:{s:s, s:o}, s:{s:[s, s]}}, s:[s, s]}", "type", "object", "properties",
					 "items", "type", "array", "items", ref, "next_cursor", "type", "string", "null",
					 "required", "items", "next_cursor");
		return ref;
	}
	if (rt->response_schema) {
		json_t *s = json_loads(rt->response_schema, 0, NULL);
		if (s)
			return s;
	}
	return json_object();
}

static json_t *operation(const route *rt, json_t *schemas)
{
	json_t *op = json_pack("{s:s, s:s, s:s}", "operationId", rt->name, "summary", rt->help, "x-liaison-auth",
			       route_auth_text(rt->auth));
	json_t *params = json_array();
	for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		bool is_id = end - p >= 3 && strncmp(end - 2, "id", 2) == 0;
		json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:o}", "name", p + 1, (size_t)(end - p - 1), "in",
							"path", "required", 1, "schema",
							is_id ? json_pack("{s:s, s:i}", "type", "integer", "minimum", 1)
							      : json_pack("{s:s}", "type", "string")));
	}
	if (rt->paged) {
		json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s, s:i, s:i, s:i}, s:s}", "name", "limit", "in",
							"query", "schema", "type", "integer", "minimum", 1, "maximum", 1000,
							"default", 100, "description", "items per page"));
		json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s}, s:s}", "name", "cursor", "in", "query", "schema",
							"type", "string", "description", "next_cursor of the previous page"));
	}
	for (size_t i = 0; i < rt->nquery; i++) {
		json_t *one = jsonv_schema(&rt->query[i], 1);
		json_t *s = json_incref(json_object_get(json_object_get(one, "properties"), rt->query[i].name));
		json_decref(one);
		json_array_append_new(params, json_pack("{s:s, s:s, s:o}", "name", rt->query[i].name, "in", "query", "schema", s));
	}
	if (rt->if_match != IFM_NONE)
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}, s:s}", "name", "If-Match", "in", "header",
							"required", rt->if_match == IFM_REQUIRED, "schema", "type", "string",
							"description", "the ETag (version) last read"));
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (rt->body != BODY_NONE)
		json_object_set_new(op, "requestBody",
				    json_pack("{s:b, s:{s:{s:o}}}", "required", rt->body == BODY_REQUIRED, "content",
					      "application/json", "schema", jsonv_schema(rt->fields, rt->nfields)));
	int status = rt->status ? rt->status : 200;
	char code[8];
	snprintf(code, sizeof code, "%d", status);
	json_t *responses = json_object();
	if (status == 204)
		json_object_set_new(responses, code, json_pack("{s:s}", "description", "done"));
	else
		json_object_set_new(responses, code,
				    json_pack("{s:s, s:{s:{s:o}}}", "description", "success", "content", "application/json",
					      "schema", success_schema(rt, schemas)));
	json_object_set_new(responses, "400", problem_ref("the request cannot be read"));
	if (rt->auth != AUTH_PUBLIC) {
		json_object_set_new(responses, "401", problem_ref("not signed in"));
		json_object_set_new(responses, "403", problem_ref("not allowed"));
	}
	if (strchr(rt->pattern, '{'))
		json_object_set_new(responses, "404", problem_ref("does not exist, or the caller may not see it"));
	if (strcmp(rt->method, "GET"))
		json_object_set_new(responses, "409", problem_ref("the state does not allow it"));
	if (rt->if_match != IFM_NONE) {
		json_object_set_new(responses, "412", problem_ref("If-Match is stale: someone else changed it"));
		json_object_set_new(responses, "428", problem_ref("If-Match is required"));
	}
	if (rt->body != BODY_NONE)
		json_object_set_new(responses, "422", problem_ref("a field is invalid; `field` names it"));
	json_object_set_new(op, "responses", responses);
	if (rt->auth != AUTH_PUBLIC)
		json_object_set_new(op, "security", json_pack("[{s:[]},{s:[]}]", "cookie", "bearer"));
	return op;
}

#define PROBLEM_SCHEMA                                                                                             \
	"{\"type\":\"object\",\"properties\":{\"type\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},"         \
	"\"status\":{\"type\":\"integer\"},\"detail\":{\"type\":\"string\"},\"code\":{\"type\":\"string\","            \
	"\"description\":\"stable code the UI translates\"},\"field\":{\"type\":\"string\"}},"                         \
	"\"required\":[\"type\",\"title\",\"status\",\"detail\",\"code\"]}"
#define AUDIT_SCHEMA                                                                                               \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"at\":{\"type\":\"string\",\"format\":\"date-time\"}," \
	"\"actor_id\":{\"type\":[\"integer\",\"null\"]},\"actor_name\":{\"type\":[\"string\",\"null\"]},"          \
	"\"action\":{\"type\":\"string\"},\"note\":{\"type\":[\"string\",\"null\"]},\"before\":{},\"after\":{}},"  \
	"\"required\":[\"id\",\"at\",\"actor_id\",\"action\",\"before\",\"after\"]}"
#define NOTIFICATION_SCHEMA                                                                                         \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"kind\":{\"type\":\"string\"},"          \
	"\"entity\":{\"type\":\"string\"},\"entity_id\":{\"type\":\"integer\"},\"actor_id\":{\"type\":[\"integer\",\"null\"]}," \
	"\"actor_name\":{\"type\":[\"string\",\"null\"]},\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}," \
	"\"read_at\":{\"type\":[\"string\",\"null\"]},\"code\":{\"type\":[\"string\",\"null\"]},"                   \
	"\"title\":{\"type\":[\"string\",\"null\"]},\"link\":{\"type\":\"string\"},"                                  \
	"\"done\":{\"type\":\"boolean\",\"description\":\"an item that asked for an action whose step was taken, by anyone,"  \
	" or that the request left\"}},"                                                                              \
	"\"required\":[\"id\",\"kind\",\"entity\",\"entity_id\",\"created_at\",\"link\",\"done\"]}"

json_t *openapi_document(void)
{
	const route_table *t = api_routes();
	json_t *paths = json_object(), *schemas = json_object();
	json_object_set_new(schemas, "Problem", json_loads(PROBLEM_SCHEMA, 0, NULL));
	json_object_set_new(schemas, "AuditEvent", json_loads(AUDIT_SCHEMA, 0, NULL));
	json_object_set_new(schemas, "Notification", json_loads(NOTIFICATION_SCHEMA, 0, NULL));
	collect(schemas, &user_desc);
	collect(schemas, &request_view_desc);
	collect(schemas, &assessment_desc);
	for (int i = 0; i < t->n; i++) {
		const route *rt = &t->routes[i];
		json_t *item = json_object_get(paths, rt->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		char method[16];
		size_t k;
		for (k = 0; rt->method[k] && k < sizeof method - 1; k++)
			method[k] = (char)(rt->method[k] | 0x20);
		method[k] = 0;
		json_object_set_new(item, method, operation(rt, schemas));
	}
	/* The signed-in user (/me, sign-in): a User with the name of their department. */
	json_t *me = json_deep_copy(json_object_get(schemas, "User"));
	json_object_set_new(json_object_get(me, "properties"), "department_name",
			    json_pack("{s:[s, s]}", "type", "string", "null"));
	json_object_set_new(schemas, "Me", me);
	/* The project's liaisons: {"<department id>": user id}. */
	json_t *prj = json_object_get(json_object_get(schemas, "Project"), "properties");
	if (prj)
		json_object_set_new(prj, "liaisons",
				    json_pack("{s:s, s:{s:s}, s:s}", "type", "object", "additionalProperties", "type",
					      "integer", "description", "each department's liaison for the project"));
	return json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:o, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}}", "openapi",
			 "3.1.0", "info", "title", "liaison API", "version", LIAISON_VERSION, "description",
			 "Cross-department collaboration. Conventions: docs/api-conventions.md", "paths", paths,
			 "components", "schemas", schemas, "securitySchemes", "cookie", "type", "apiKey", "in", "cookie",
			 "name", "liaison_session", "bearer", "type", "http", "scheme", "bearer");
}
