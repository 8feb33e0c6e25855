/* The HTTP layer's view of one request: what handlers read (path parameters, query, headers, JSON body,
 * the caller) and how they answer (reply_*).  A handler sets exactly one reply; the server queues it. */
#ifndef LIAISON_HTTP_HTTP_H
#define LIAISON_HTTP_HTTP_H
#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/auth.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/jsonv.h"
#include "util/record.h"
#include "util/str.h"

enum { HTTP_BODY_MAX = 1024 * 1024, HTTP_JSON_DEPTH_MAX = 32, HTTP_STRING_MAX = 100000, HTTP_MAX_PARAMS = 4 };

/* Who may call a route. */
enum route_auth { AUTH_PUBLIC, AUTH_USER, AUTH_ADMIN, AUTH_DEV };
/* Whether a route takes a JSON body, and If-Match. */
enum route_body { BODY_NONE, BODY_REQUIRED, BODY_OPTIONAL };
enum route_if_match { IFM_NONE, IFM_REQUIRED, IFM_OPTIONAL };

typedef struct req req;
typedef void (*route_handler)(req *r);

/* One route and everything it declares.  The dispatcher checks all of it before the handler runs —
 * who may call it, the paging and query parameters, the JSON body and its fields, If-Match — and
 * hands the handler typed values (r->in, r->q, r->version, r->limit, r->cursor); the OpenAPI document
 * and docs/api.md are made from the same declarations. */
typedef struct route {
	const char *method;
	const char *pattern;       /* "/api/v1/departments/{id}"; {…id} matches a positive integer, {name} any segment */
	route_handler handler;
	const char *name;          /* operationId in OpenAPI */
	enum route_auth auth;
	const char *help;          /* one line */
	/* input */
	enum route_body body;
	const jfield *fields;      /* the body's fields, decoded into r->in (an in_size struct) */
	size_t nfields, in_size;
	const jfield *query;       /* query parameters, decoded into r->q (a query_size struct) */
	size_t nquery, query_size;
	enum route_if_match if_match;
	bool paged;                /* limit (1..1000, default 100) and cursor */
	bool cursor_text;          /* paged with an opaque text cursor (r->cursor_text) that the operation
				    * reads: a sort key and an id (keyset paging under any sort) */
	bool writes;               /* a GET that writes (the health probe): not run in a read transaction */
	/* output */
	int status;                /* the success status (200 when 0) */
	const rdesc *response;     /* the resource answered (a list of them with `paged` or `list`) */
	bool list;
	const char *response_schema; /* a JSON Schema as text, when no record describes the answer */
} route;

/* The table a server serves: routes, and how many. */
typedef struct route_table {
	const route *routes;
	int n;
} route_table;

struct req {
	struct MHD_Connection *conn;
	const char *method;
	const char *path;          /* without the query string */
	arena *a;                  /* freed when the request ends */
	sbuf body;                 /* raw body */
	bool too_large;
	json_t *json;              /* parsed body, set by req_json; owned by the request */
	int64_t id[HTTP_MAX_PARAMS]; /* {id}-style path parameters, in order */
	void *in;                  /* the decoded body (route's fields), or NULL */
	void *q;                   /* the decoded query parameters (route's query), or NULL */
	int64_t version;           /* If-Match, 0 when absent */
	int limit;                 /* paged routes */
	int64_t cursor;
	const char *cursor_text;   /* routes with cursor_text: the cursor as given, NULL when absent */
	const char *seg[HTTP_MAX_PARAMS]; /* {name}-style path parameters, in order */
	principal who;             /* the caller; who.user_id == 0 when anonymous */
	db *db;                    /* this thread's connection */
	const route *route;
	int route_index;           /* -1 when no route matched */
	char rid[20];              /* request id */
	char addr[64];             /* client address */
	bool secure;               /* came over https (trusted proxy) */
	uint64_t t0;
	int status;
	struct MHD_Response *resp; /* the reply, queued by the server after the handler */
};

/* --- reading --- */
const char *req_header(req *r, const char *name);
const char *req_query(req *r, const char *name);
/* Parses the body as JSON (limits: depth, string length, UTF-8).  Returns the value (owned by r),
 * or NULL after replying 400/422. */
json_t *req_json(req *r);
/* Query integer parameter: dflt when absent; replies 400 and returns false when not an integer. */
bool req_query_int(req *r, const char *name, int64_t dflt, int64_t *out);
/* limit (1..1000, default 100) and cursor (an id) of a list request; false after replying 400. */
bool req_page(req *r, int *limit, int64_t *after);
/* Every value of a query parameter that may come several times (name=a&name=b), in order, empty ones
 * left out: *n of them in an arena array. */
const char **req_query_all(req *r, const char *name, size_t *n);
/* The version named by If-Match; false after replying 428 (absent) or 400 (unreadable). */
bool req_if_match(req *r, int64_t *version);

/* Whether r may read GET /metrics on the main address: not at all when the metrics have an address of
 * their own (404); else with the metrics token as bearer, or as an administrator (401, 403).  Replies
 * and returns false when not. */
bool req_metrics_allowed(req *r);

/* --- answering (each sets r->resp; the last one wins) --- */
void reply_json(req *r, int status, json_t *body);          /* steals body */
/* A single resource: sets ETag from its "version". Steals body. */
void reply_resource(req *r, int status, json_t *body);
/* {"items":[...],"next_cursor":...}; steals items. */
void reply_list(req *r, json_t *items, int64_t next_cursor);
void reply_problem(req *r, int status, const char *code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void reply_err(req *r, const lerr *e);
void reply_empty(req *r, int status);
void reply_bytes(req *r, int status, const char *content_type, const void *data, size_t n, bool copy);
void reply_header(req *r, const char *name, const char *value);

/* --- server --- */
typedef struct http_config {
	const char *db_url;
	const char *listen;       /* HOST:PORT */
	const char *web_dir;      /* serve web/ from disk instead of the embedded copy; NULL for embedded */
	bool dev_clock;
	bool trust_proxy;
	unsigned threads;
	bool quiet;               /* drop libmicrohttpd's own messages (the fuzzer) */
	unsigned max_connections; /* open connections in all; 0: 1000 */
	unsigned max_per_ip;      /* open connections from one address; 0: no limit */
	unsigned header_timeout;  /* seconds for a request head to arrive; 0: no deadline */
	unsigned max_streams;     /* event streams per user; 0: no limit */
	const char *metrics_listen; /* HOST:PORT serving only /metrics (then not on `listen`); NULL: none */
	const char *metrics_token;  /* a bearer token that may read /metrics; NULL: none */
} http_config;

/* Serves `table` until SIGTERM or SIGINT, then finishes in-flight requests and returns 0. */
int http_serve(const http_config *cfg, const route_table *table);
/* The server without the signal handling, for tests and the fuzzer: accepts on the listening socket
 * listen_fd (the server then owns it), or with -1 on none (feed it connections with
 * MHD_add_connection).  NULL when the daemon cannot start.  http_stop ends the streams, waits for
 * requests in flight and stops it.  One server per process. */
struct MHD_Daemon *http_start(const http_config *cfg, const route_table *table, int listen_fd);
void http_stop(struct MHD_Daemon *d);

/* A record as a resource (with its ETag) or a page of records, rendered from its description. */
void reply_record(req *r, int status, const rdesc *d, const void *rec, unsigned view);
void reply_records(req *r, const rdesc *d, const void *items, size_t n, size_t elem_size, unsigned view,
		   int64_t next_cursor);
/* The same with a text cursor (routes with cursor_text); NULL when this is the last page. */
void reply_records_cursor(req *r, const rdesc *d, const void *items, size_t n, size_t elem_size, unsigned view,
			  const char *next_cursor);
/* A file's bytes: from malloc'ed memory the reply takes (and frees), or streamed from an open file
 * descriptor of `size` bytes that the reply takes (and closes). */
void reply_owned(req *r, int status, const char *content_type, char *data, size_t n);
void reply_fd(req *r, int status, const char *content_type, int fd, uint64_t size);

/* Static files (web/ embedded at build time, or from --web-dir). */
void static_serve(req *r, const char *web_dir);

/* Server-sent events (src/http/events.c).  events_start takes the most streams one user may have open
 * at once (0: no limit): past it, a new stream is refused with 429 too_many_streams. */
void events_start(unsigned max_per_user);
void events_stop(void);
/* Answers r with an event stream for the caller, starting with one event (event may be NULL). */
void events_open(req *r, const char *event, const char *data);
/* Queues an event for every open stream of a user. */
void events_send(int64_t uid, const char *event, const char *data);
/* The users with an open event stream now, each once (an arena array). */
size_t events_users(arena *a, int64_t **uids);

/* Metrics. */
void metrics_init(const route_table *table);
void metrics_observe(int route_index, int status, uint64_t micros);
void metrics_connections(int delta);
/* Store statements a request of a route ran (liaison_db_statements_total). */
void metrics_statements(int route_index, long n);
void metrics_render(sbuf *out);

#endif
