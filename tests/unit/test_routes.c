/* The route table is complete: every route has a handler, a help line, an authorization rule, a valid
 * method and pattern, and no two routes share method and pattern. */
#include <criterion/criterion.h>
#include <string.h>

#include "api/api.h"

Test(routes, every_route_is_documented_and_guarded)
{
	const route_table *t = api_routes();
	const route *routes = t->routes;
	cr_assert_gt(t->n, 10);
	for (int i = 0; i < t->n; i++) {
		const route *r = &routes[i];
		cr_assert_not_null(r->handler, "%s %s has no handler", r->method, r->pattern);
		cr_assert(r->help && strlen(r->help) > 10, "%s %s has no help line", r->method, r->pattern);
		cr_assert(r->auth == AUTH_PUBLIC || r->auth == AUTH_USER || r->auth == AUTH_ADMIN || r->auth == AUTH_DEV,
			  "%s %s has no authorization rule", r->method, r->pattern);
		cr_assert(!strcmp(r->method, "GET") || !strcmp(r->method, "POST") || !strcmp(r->method, "PUT") ||
				  !strcmp(r->method, "PATCH") || !strcmp(r->method, "DELETE"),
			  "%s: bad method %s", r->pattern, r->method);
		cr_assert_eq(r->pattern[0], '/', "%s must start with /", r->pattern);
		cr_assert(strncmp(r->pattern, "/api/v1/", 8) == 0 || !strcmp(r->pattern, "/healthz") ||
				  !strcmp(r->pattern, "/metrics"),
			  "%s is outside /api/v1", r->pattern);
		for (int j = 0; j < i; j++)
			cr_assert(strcmp(routes[j].method, r->method) || strcmp(routes[j].pattern, r->pattern),
				  "%s %s is listed twice", r->method, r->pattern);
	}
}

Test(routes, only_test_routes_are_dev_only)
{
	const route_table *t = api_routes();
	const route *routes = t->routes;
	for (int i = 0; i < t->n; i++)
		if (routes[i].auth == AUTH_DEV)
			cr_assert(strncmp(routes[i].pattern, "/api/v1/admin/", 14) == 0, "%s", routes[i].pattern);
}
