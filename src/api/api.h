/* The HTTP API: route tables with their declared input, the JSON of each resource, and thin handlers
 * that call the operations of src/ops.  Each resource file defines its table (`<thing>_routes`);
 * routes.c puts them together for the server, the OpenAPI document and docs/api.md. */
#ifndef LIAISON_API_API_H
#define LIAISON_API_API_H
#include <jansson.h>
#include <stddef.h>

#include "http/http.h"
#include "ops/ops.h"

/* Every route, in documentation order. */
const route_table *api_routes(void);
/* Who may call a route, in words ("signed-in users"); the API described as OpenAPI 3.1 (a new object). */
const char *route_auth_text(enum route_auth a);
json_t *openapi_document(void);
/* Points op_after_commit at delivery of the outbox and the live event streams (serve does this). */
void api_live_init(void);
/* Pushes the unread count to the open pages of each user (after a delivery of the outbox). */
void api_delivered(db *d, const int64_t *users, size_t n);
/* An event of the store's (ops.h OP_EVENTS) for this server's open pages: counts and changes (jobs.h). */
void api_event(db *d, const char *payload);

/* An operation context for the request: its store, caller and arena (released with the request). */
op_ctx *api_ctx(req *r);

/* Route tables of each resource. */
#define API_GROUP(name)                                                                                \
	extern const route name##_routes[];                                                            \
	extern const size_t name##_routes_n
API_GROUP(system);
API_GROUP(session);
API_GROUP(departments);
API_GROUP(users);
API_GROUP(requests);
API_GROUP(request_lists);
API_GROUP(projects);
API_GROUP(inbox);
API_GROUP(calendar);
#undef API_GROUP
#define API_ROUTES_N(table) (sizeof(table) / sizeof((table)[0]))

/* Declaring a route's input: a JSON body decoded into `type` by the field list `spec`, or query
 * parameters decoded into `type` by `spec`. */
#define BODY(spec, type) .body = BODY_REQUIRED, .fields = spec, .nfields = API_ROUTES_N(spec), .in_size = sizeof(type)
#define BODY_OPT(spec, type) .body = BODY_OPTIONAL, .fields = spec, .nfields = API_ROUTES_N(spec), .in_size = sizeof(type)
#define QUERY(spec, type) .query = spec, .nquery = API_ROUTES_N(spec), .query_size = sizeof(type)
/* A field's offset in its input struct. */
#define AT(type, member) .off = offsetof(type, member)

#endif
