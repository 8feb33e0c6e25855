/* Every route, put together from the tables of each resource, in documentation order; and the
 * per-request operation context. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"

static const struct {
	const route *routes;
	const size_t *n;
} groups[] = {
	{system_routes, &system_routes_n},         {session_routes, &session_routes_n},
	{departments_routes, &departments_routes_n}, {users_routes, &users_routes_n},
	{request_lists_routes, &request_lists_routes_n}, {requests_routes, &requests_routes_n},
	{projects_routes, &projects_routes_n},
	{inbox_routes, &inbox_routes_n},
	{calendar_routes, &calendar_routes_n},
};

static route *all;
static route_table table;

static void build(void)
{
	size_t n = 0;
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
		n += *groups[g].n;
	all = calloc(n, sizeof *all);
	if (!all)
		abort();
	size_t k = 0;
	/* The test routes go last, as in the documentation. */
	for (int dev = 0; dev < 2; dev++)
		for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
			for (size_t i = 0; i < *groups[g].n; i++)
				if ((groups[g].routes[i].auth == AUTH_DEV) == dev)
					all[k++] = groups[g].routes[i];
	table = (route_table){all, (int)n};
}

const route_table *api_routes(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, build);
	return &table;
}

op_ctx *api_ctx(req *r)
{
	op_ctx *c = arena_alloc(r->a, sizeof *c);
	op_init(c, r->db, &r->who, r->a);
	return c;
}
