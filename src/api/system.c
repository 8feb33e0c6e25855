/* Health, metrics, the OpenAPI document made from the route table, and the test-only clock routes. */
#include <string.h>

#include "api/handlers.h"
#include "domain/org.h"
#include "util/clock.h"
#include "util/jsonv.h"
#include "version.h"

void h_healthz(req *r)
{
	if (db_one_int(db_prepare(r->db, "SELECT 1"), 0) != 1)
		return reply_problem(r, 503, "unavailable", NULL, "the store does not answer");
	if (auth_write_probe(r->db))
		return reply_problem(r, 503, "unavailable", NULL, "the store answers but cannot be written");
	reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

void h_metrics(req *r)
{
	if (!req_metrics_allowed(r))
		return;
	sbuf b;
	sbuf_init(&b);
	metrics_render(&b);
	reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.p, b.len, true);
	sbuf_release(&b);
}

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

json_t *openapi_document(void)
{
	json_t *paths = json_object();
	for (int i = 0; i < routes_count; i++) {
		const route *rt = &routes[i];
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
		json_t *op = json_pack("{s:s, s:s, s:s, s:{s:{s:s}}}", "operationId", rt->name, "summary", rt->help,
				       "x-liaison-auth", route_auth_text(rt->auth), "responses", "default", "description",
				       "see docs/api-conventions.md");
		json_t *params = json_array();
		for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
			const char *end = strchr(p, '}');
			json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1,
								(size_t)(end - p - 1), "in", "path", "required", 1,
								"schema", "type", "string"));
		}
		if (json_array_size(params))
			json_object_set_new(op, "parameters", params);
		else
			json_decref(params);
		if (rt->auth != AUTH_PUBLIC)
			json_object_set_new(op, "security", json_pack("[{s:[]},{s:[]}]", "cookie", "bearer"));
		json_object_set_new(item, method, op);
	}
	return json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}}", "openapi", "3.1.0",
			 "info", "title", "liaison API", "version", LIAISON_VERSION, "description",
			 "Cross-department collaboration. Conventions: docs/api-conventions.md", "paths", paths,
			 "components", "securitySchemes", "cookie", "type", "apiKey", "in", "cookie", "name",
			 "liaison_session", "bearer", "type", "http", "scheme", "bearer");
}

void h_openapi(req *r)
{
	reply_json(r, 200, openapi_document());
}

void h_dev_clock(req *r)
{
	static const jfield spec[] = {{"now", JF_STRING, JF_REQUIRED, 0, 64}};
	json_t *in = req_json(r);
	lerr e = {0};
	if (!in)
		return;
	if (JSONV_CHECK(in, spec, &e))
		return reply_err(r, &e);
	int64_t ms;
	if (time_parse_rfc3339(jv_str(in, "now"), &ms))
		return reply_problem(r, 422, "invalid_value", "now", "now must be an RFC 3339 instant with an offset");
	clock_set_ms(ms);
	char buf[40];
	time_format_rfc3339(clock_now_ms(), buf, sizeof buf);
	reply_json(r, 200, json_pack("{s:s}", "now", buf));
}

void h_dev_tick(req *r)
{
	/* The one periodic job so far is the purge that `serve` also runs every few minutes; later
	 * capabilities register theirs in src/jobs. */
	int64_t s, f;
	if (auth_purge(r->db, clock_now_ms(), THROTTLE_WINDOW_MS, THROTTLE_FORGET_MS, 1000, &s, &f))
		return reply_problem(r, 500, "internal", NULL, "the purge failed");
	reply_json(r, 200, json_pack("{s:[{s:s, s:I, s:I}]}", "ran", "job", "purge", "sessions", (json_int_t)s,
				     "sign_in_failures", (json_int_t)f));
}
