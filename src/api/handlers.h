/* Declarations of every route handler (from routes.def) and helpers handlers share. */
#ifndef LIAISON_API_HANDLERS_H
#define LIAISON_API_HANDLERS_H
#include <stdio.h>

#include "api/api.h"
#include "http/http.h"

#define ROUTE(method, pattern, handler, auth, help) void h_##handler(req *r);
#include "api/routes.def"
#undef ROUTE

/* Who may call a route, in words ("signed-in users"); the API described as OpenAPI (a new object). */
const char *route_auth_text(enum route_auth a);
json_t *openapi_document(void);

/* Runs `call` (an operation filling json_t *out and lerr e) in a transaction and answers with `out`
 * through `reply_fn` (reply_resource, or a resource's own that adds what the caller sees), adding
 * Location when loc_fmt is not NULL (formatted with out's id), or answers the error. */
#define RUN_WRITE_AS(r, status, loc_fmt, call, reply_fn)                                               \
	do {                                                                                           \
		lerr e = {0};                                                                          \
		json_t *out = NULL;                                                                    \
		int rc_ = tx_begin((r)->db, &e);                                                       \
		if (!rc_)                                                                              \
			rc_ = tx_end((r)->db, (call), &e);                                             \
		if (rc_) {                                                                             \
			json_decref(out);                                                              \
			reply_err((r), &e);                                                            \
			return;                                                                        \
		}                                                                                      \
		long long id_ = (long long)json_integer_value(json_object_get(out, "id"));             \
		reply_fn((r), (status), out);                                                          \
		const char *fmt_ = (loc_fmt);                                                          \
		if (fmt_) {                                                                            \
			char loc_[128];                                                                \
			snprintf(loc_, sizeof loc_, fmt_ ? fmt_ : "", id_);                            \
			reply_header((r), "Location", loc_);                                           \
		}                                                                                      \
	} while (0)

#define RUN_WRITE(r, status, loc_fmt, call) RUN_WRITE_AS(r, status, loc_fmt, call, reply_resource)

#endif
