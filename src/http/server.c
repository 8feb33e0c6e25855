/* The HTTP server on libmicrohttpd: connection life cycle, body collection with limits, routing,
 * authentication and CSRF, one access-log line per request, graceful shutdown.
 *
 * Life cycle of a request: MHD calls `on_request` several times.  The first call only creates the
 * `req` (queueing a reply on the first call would cost keep-alive).  Calls with upload data append
 * to the body until HTTP_BODY_MAX, past which 413 is answered at once without reading the rest.  The
 * last call (no upload data) routes, authenticates, runs the handler and queues its reply.
 * `on_completed` logs the access line, records metrics and frees the request's arena. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/http.h"
#include "http/internal.h"
#include "ops/session.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/jsonv.h"
#include "util/log.h"

static const http_config *cfg;
static const route_table *table;
static _Atomic int inflight;
static _Atomic unsigned next_rid;
static int64_t started_s;

/* ------------------------------------------------------------------ one DB connection per thread */

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static db *conns[256];
static int nconns;
static _Thread_local db *thread_db;

static db *db_for_thread(void)
{
	if (thread_db)
		return thread_db;
	lerr e = {0};
	if (db_open(&thread_db, cfg->db_url, &e)) {
		log_error("%s", e.detail);
		return NULL;
	}
	pthread_mutex_lock(&conns_lock);
	if (nconns < (int)(sizeof conns / sizeof conns[0]))
		conns[nconns++] = thread_db;
	pthread_mutex_unlock(&conns_lock);
	return thread_db;
}

static void close_all_dbs(void)
{
	pthread_mutex_lock(&conns_lock);
	for (int i = 0; i < nconns; i++)
		db_close(conns[i]);
	nconns = 0;
	pthread_mutex_unlock(&conns_lock);
}

/* ------------------------------------------------------------------ reading */

const char *req_header(req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	return v && *v ? v : NULL;
}

json_t *req_json(req *r)
{
	if (r->json)
		return r->json;
	if (r->body.len == 0) {
		reply_problem(r, 400, "malformed_json", NULL, "the request needs a JSON body");
		return NULL;
	}
	if (!utf8_valid(r->body.p, r->body.len)) {
		reply_problem(r, 400, "invalid_utf8", NULL, "the body is not valid UTF-8");
		return NULL;
	}
	if (json_text_depth(r->body.p, r->body.len) > HTTP_JSON_DEPTH_MAX) {
		reply_problem(r, 422, "too_deep", NULL, "the JSON is nested deeper than %d levels", HTTP_JSON_DEPTH_MAX);
		return NULL;
	}
	json_error_t je;
	json_t *v = json_loadb(r->body.p, r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		reply_problem(r, 400, "malformed_json", NULL, "the body is not valid JSON: %s (line %d, column %d)",
			      je.text, je.line, je.column);
		return NULL;
	}
	if (json_longest_string(v) > HTTP_STRING_MAX) {
		json_decref(v);
		reply_problem(r, 422, "too_long", NULL, "a string in the body is longer than %d characters",
			      HTTP_STRING_MAX);
		return NULL;
	}
	r->json = v;
	return v;
}

bool req_query_int(req *r, const char *name, int64_t dflt, int64_t *out)
{
	const char *s = req_query(r, name);
	*out = dflt;
	if (!s)
		return true;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || end == s) {
		reply_problem(r, 400, "bad_request", name, "query parameter %s must be an integer", name);
		return false;
	}
	*out = v;
	return true;
}

/* What req_query_all collects. */
typedef struct query_values {
	req *r;
	const char *name;
	const char **v;
	size_t n, cap;
} query_values;

static enum MHD_Result collect_value(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	query_values *q = cls;
	if (!key || strcmp(key, q->name) != 0 || !value || !*value)
		return MHD_YES;
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 8;
		const char **v = arena_alloc(q->r->a, cap * sizeof *v);
		if (q->n)
			memcpy(v, q->v, q->n * sizeof *v);
		q->v = v;
		q->cap = cap;
	}
	q->v[q->n++] = value;
	return MHD_YES;
}

const char **req_query_all(req *r, const char *name, size_t *n)
{
	query_values q = {r, name, NULL, 0, 0};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_value, &q);
	*n = q.n;
	return q.v;
}

enum { CURSOR_TEXT_MAX = 200 }; /* a sort key and an id: a request code or a date is far shorter */

/* The paging of rt: limit, and the cursor as an id or (cursor_text) as the text the operation reads. */
static bool req_page_of(req *r, const route *rt)
{
	if (!rt->cursor_text)
		return req_page(r, &r->limit, &r->cursor);
	const char *c = req_query(r, "cursor");
	if (c && strlen(c) > CURSOR_TEXT_MAX) {
		reply_problem(r, 400, "bad_request", "cursor", "cursor must be the next_cursor of the previous page");
		return false;
	}
	r->cursor_text = c;
	int64_t l;
	if (!req_query_int(r, "limit", 100, &l))
		return false;
	if (l < 1 || l > 1000) {
		reply_problem(r, 400, "bad_request", "limit", "limit must be between 1 and 1000");
		return false;
	}
	r->limit = (int)l;
	return true;
}

bool req_page(req *r, int *limit, int64_t *after)
{
	int64_t l;
	if (!req_query_int(r, "limit", 100, &l) || !req_query_int(r, "cursor", 0, after))
		return false;
	if (l < 1 || l > 1000) {
		reply_problem(r, 400, "bad_request", "limit", "limit must be between 1 and 1000");
		return false;
	}
	*limit = (int)l;
	return true;
}

bool req_if_match(req *r, int64_t *version)
{
	const char *h = req_header(r, "If-Match");
	if (!h) {
		reply_problem(r, 428, "if_match_required", NULL,
			      "send If-Match with the version you last read (its ETag), so edits cannot overwrite each other");
		return false;
	}
	if (str_starts_with(h, "W/"))
		h += 2;
	char buf[32];
	size_t n = strlen(h);
	if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
		if (n - 2 >= sizeof buf)
			n = sizeof buf + 1;
		snprintf(buf, sizeof buf, "%.*s", (int)(n - 2), h + 1);
	} else {
		snprintf(buf, sizeof buf, "%s", h);
	}
	char *end;
	long long v = strtoll(buf, &end, 10);
	if (!*buf || *end || v < 1) {
		reply_problem(r, 400, "bad_request", "If-Match", "If-Match must be the ETag of the resource, like \"3\"");
		return false;
	}
	*version = v;
	return true;
}

/* ------------------------------------------------------------------ answering */

static void set_resp(req *r, int status, struct MHD_Response *resp, const char *ctype)
{
	if (r->resp)
		MHD_destroy_response(r->resp);
	r->resp = resp;
	r->status = status;
	if (ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
}

void reply_bytes(req *r, int status, const char *content_type, const void *data, size_t n, bool copy)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		n, (void *)data, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
	set_resp(r, status, resp, content_type);
}

static void reply_json_type(req *r, int status, json_t *body, const char *ctype)
{
	char *s = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_decref(body);
	if (!s) { /* a body jansson would not take (text that is not UTF-8): a programming error */
		static const char fail[] = "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,"
					   "\"detail\":\"the answer could not be written\",\"code\":\"internal\"}";
		log_error("%s %s: a JSON answer could not be encoded", r->method, r->path);
		reply_bytes(r, 500, "application/problem+json", fail, sizeof fail - 1, false);
		return;
	}
	size_t n = strlen(s);
	struct MHD_Response *resp = MHD_create_response_from_buffer(n, s, MHD_RESPMEM_MUST_FREE);
	set_resp(r, status, resp, ctype);
}

void reply_json(req *r, int status, json_t *body)
{
	reply_json_type(r, status, body, "application/json");
}

void reply_resource(req *r, int status, json_t *body)
{
	json_int_t v = json_integer_value(json_object_get(body, "version"));
	reply_json(r, status, body);
	if (v > 0) {
		char etag[32];
		snprintf(etag, sizeof etag, "\"%lld\"", (long long)v);
		reply_header(r, "ETag", etag);
	}
}

/* Answers the JSON text in b (taking its bytes). */
static void reply_sbuf(req *r, int status, sbuf *b)
{
	size_t n = b->len;
	char *p = sbuf_detach(b);
	struct MHD_Response *resp = MHD_create_response_from_buffer(n, p ? p : (char *)"", p ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	set_resp(r, status, resp, "application/json");
}

void reply_record(req *r, int status, const rdesc *d, const void *rec, unsigned view)
{
	sbuf b;
	sbuf_init(&b);
	rec_write(&b, d, rec, view);
	reply_sbuf(r, status, &b);
	int64_t v = rec_version(d, rec);
	if (v > 0) {
		char etag[32];
		snprintf(etag, sizeof etag, "\"%lld\"", (long long)v);
		reply_header(r, "ETag", etag);
	}
}

void reply_records(req *r, const rdesc *d, const void *items, size_t n, size_t elem_size, unsigned view,
		   int64_t next_cursor)
{
	char cursor[24] = "";
	if (next_cursor > 0)
		snprintf(cursor, sizeof cursor, "%lld", (long long)next_cursor);
	reply_records_cursor(r, d, items, n, elem_size, view, cursor);
}

void reply_records_cursor(req *r, const rdesc *d, const void *items, size_t n, size_t elem_size, unsigned view,
			  const char *next_cursor)
{
	sbuf b;
	sbuf_init(&b);
	sbuf_reserve(&b, n * 1024); /* a page's usual size at once, instead of growing by halves */
	sbuf_adds(&b, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_add(&b, ",", 1);
		rec_write(&b, d, (const char *)items + i * elem_size, view);
	}
	sbuf_adds(&b, "],\"next_cursor\":");
	if (next_cursor && *next_cursor)
		json_write_str(&b, next_cursor);
	else
		sbuf_adds(&b, "null");
	sbuf_add(&b, "}", 1);
	reply_sbuf(r, 200, &b);
}

void reply_owned(req *r, int status, const char *content_type, char *data, size_t n)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(n, data, MHD_RESPMEM_MUST_FREE);
	set_resp(r, status, resp, content_type);
}

void reply_fd(req *r, int status, const char *content_type, int fd, uint64_t size)
{
	struct MHD_Response *resp = MHD_create_response_from_fd64(size, fd);
	if (!resp) {
		close(fd);
		reply_problem(r, 500, "internal", NULL, "the file could not be sent");
		return;
	}
	set_resp(r, status, resp, content_type);
}

void reply_list(req *r, json_t *items, int64_t next_cursor)
{
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	if (next_cursor > 0)
		json_object_set_new(o, "next_cursor", json_sprintf("%lld", (long long)next_cursor));
	else
		json_object_set_new(o, "next_cursor", json_null());
	reply_json(r, 200, o);
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}


/* Replaces every byte of s that is not part of a well-formed UTF-8 character with '?'. */
static void utf8_scrub(char *s)
{
	for (size_t i = 0, n = strlen(s); i < n;) {
		size_t k = utf8_char((const char *)s + i, n - i, NULL);
		if (!k)
			s[i++] = '?';
		else
			i += k;
	}
}

static void reply_problem_v(req *r, int status, const char *code, const char *field, const char *fmt, va_list ap)
{
	/* The detail and field may quote the request (a method, a path, a JSON key) or be cut in the
	 * middle of a character: what is not UTF-8 becomes '?', or jansson would refuse the answer. */
	char detail[512], f[128];
	vsnprintf(detail, sizeof detail, fmt, ap);
	utf8_scrub(detail);
	snprintf(f, sizeof f, "%s", field ? field : "");
	utf8_scrub(f);
	field = f;
	json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title", status_title(status),
			      "status", status, "detail", detail, "code", code);
	if (field && *field)
		json_object_set_new(o, "field", json_string(field));
	reply_json_type(r, status, o, "application/problem+json");
}

void reply_problem(req *r, int status, const char *code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	reply_problem_v(r, status, code, field, fmt, ap);
	va_end(ap);
}

void reply_err(req *r, const lerr *e)
{
	int status = lerr_http_status(e->kind);
	reply_problem(r, status, e->code[0] ? e->code : "internal", e->field, "%s",
		      e->detail[0] ? e->detail : status_title(status));
	if (e->kind == LERR_THROTTLED && e->retry_after > 0) {
		char s[16];
		snprintf(s, sizeof s, "%d", e->retry_after);
		reply_header(r, "Retry-After", s);
	}
}

void reply_empty(req *r, int status)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	set_resp(r, status, resp, NULL);
}

void reply_header(req *r, const char *name, const char *value)
{
	if (r->resp)
		MHD_add_response_header(r->resp, name, value);
}

/* ------------------------------------------------------------------ routing */

/* Matches path against pattern, filling r's parameters.  Both start with '/'. */
static bool route_match(const char *pattern, const char *path, req *r)
{
	int nid = 0, nseg = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = s;
			while (*se && *se != '/')
				se++;
			if (se == s)
				return false;
			if (strncmp(p, "{id}", 4) == 0 || (pe - p > 3 && strncmp(pe - 2, "id}", 3) == 0)) {
				int64_t v = 0;
				for (const char *q = s; q < se; q++) {
					if (*q < '0' || *q > '9' || v > (INT64_MAX - 9) / 10)
						return false;
					v = v * 10 + (*q - '0');
				}
				if (v <= 0 || nid >= HTTP_MAX_PARAMS)
					return false;
				r->id[nid++] = v;
			} else {
				if (nseg >= HTTP_MAX_PARAMS)
					return false;
				r->seg[nseg++] = arena_strndup(r->a, s, (size_t)(se - s));
			}
			p = pe + 1;
			s = se;
		} else if (*p == *s) {
			p++, s++;
		} else {
			return false;
		}
	}
	return *p == 0 && *s == 0;
}

/* Finds the route; when some route has this path under another method, lists those in allow. */
static int route_find(req *r, sbuf *allow)
{
	const route *routes = table->routes;
	for (int i = 0; i < table->n; i++) {
		if (routes[i].auth == AUTH_DEV && !cfg->dev_clock)
			continue; /* test routes do not exist without --dev-clock */
		if (!route_match(routes[i].pattern, r->path, r))
			continue;
		bool get = strcmp(routes[i].method, "GET") == 0;
		if (strcmp(routes[i].method, r->method) == 0 || (get && strcmp(r->method, "HEAD") == 0))
			return i; /* HEAD is GET without the body: libmicrohttpd leaves it out */
		sbuf_printf(allow, "%s%s%s", allow->len ? ", " : "", routes[i].method, get ? ", HEAD" : "");
	}
	return -1;
}

/* ------------------------------------------------------------------ authentication */

/* Who calls, by bearer token or session cookie.  It only reads (inside the route's read transaction when
 * there is one); a token's last use, when due, is stamped afterwards by token_used. */
static void authenticate(req *r, int64_t *touch)
{
	memset(&r->who, 0, sizeof r->who);
	*touch = 0;
	const char *auth = req_header(r, "Authorization");
	char hash[80];
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		token_hash(auth + 7, hash, sizeof hash);
		auth_token_lookup(r->db, r->a, hash, clock_now_ms(), &r->who, touch);
		return;
	}
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (cookie && *cookie) {
		token_hash(cookie, hash, sizeof hash);
		auth_session_lookup(r->db, r->a, hash, clock_now_ms(), &r->who);
	}
}

/* Stamps a token's last use (at most once a minute each): a write of its own, after the route's work. */
static void token_used(req *r, int64_t token_id)
{
	op_ctx c;
	lerr e = {0};
	op_init(&c, r->db, &r->who, r->a);
	if (op_token_used(&c, token_id, &e))
		log_error("cannot stamp the last use of token %lld: %s", (long long)token_id, e.detail);
	op_release(&c);
}

bool req_metrics_allowed(req *r)
{
	if (cfg->metrics_listen) {
		reply_problem(r, 404, "not_found", NULL, "the metrics are served on their own address");
		return false;
	}
	const char *auth = req_header(r, "Authorization");
	if (cfg->metrics_token && auth && strncasecmp(auth, "Bearer ", 7) == 0 && const_eq(auth + 7, cfg->metrics_token))
		return true;
	int64_t touch;
	authenticate(r, &touch);
	if (touch)
		token_used(r, touch);
	if (!r->who.user_id) {
		reply_problem(r, 401, "unauthenticated", NULL, "send the metrics token, or sign in as an administrator");
		return false;
	}
	if (!r->who.is_admin) {
		reply_problem(r, 403, "forbidden", NULL, "only administrators may read the metrics");
		return false;
	}
	return true;
}

static bool unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Whether origin ("scheme://host[:port]") names scheme://host, ports written or not alike. */
static bool origin_is(const char *origin, const char *scheme, const char *host, size_t hn)
{
	size_t sl = strlen(scheme);
	if (strncasecmp(origin, scheme, sl) != 0 || strncmp(origin + sl, "://", 3) != 0)
		return false;
	const char *oh = origin + sl + 3, *dflt = strcmp(scheme, "https") == 0 ? ":443" : ":80";
	size_t on = strlen(oh), dl = strlen(dflt);
	if (on > dl && strcmp(oh + on - dl, dflt) == 0)
		on -= dl;
	if (hn > dl && strncmp(host + hn - dl, dflt, dl) == 0)
		hn -= dl;
	return on > 0 && on == hn && strncasecmp(oh, host, on) == 0;
}

/* Browsers say where a request comes from.  An unsafe request from a page of another site — a form
 * that signs the victim in as the attacker (login CSRF), or a script against any route — carries
 * Sec-Fetch-Site: cross-site, or an Origin that is not this server's: scheme and Host, or behind a
 * trusted proxy X-Forwarded-Proto and the last X-Forwarded-Host.  Clients that send neither header
 * (curl, scripts with tokens) are not browsers and pass. */
static bool cross_origin(req *r)
{
	const char *site = req_header(r, "Sec-Fetch-Site");
	if (site && str_ieq(site, "cross-site"))
		return true;
	const char *origin = req_header(r, "Origin");
	if (!origin)
		return false;
	const char *host = req_header(r, "Host");
	const char *fwd = cfg->trust_proxy ? req_header(r, "X-Forwarded-Host") : NULL;
	if (fwd && *fwd) { /* a proxy appends its own: the last entry is the one it saw */
		const char *comma = strrchr(fwd, ',');
		host = comma ? comma + 1 : fwd;
		while (*host == ' ' || *host == '\t')
			host++;
	}
	if (!host)
		return true;
	size_t hn = strlen(host);
	while (hn && (host[hn - 1] == ' ' || host[hn - 1] == '\t'))
		hn--;
	return !origin_is(origin, r->secure ? "https" : "http", host, hn);
}

/* The media type of a body: application/json, parameters (charset) allowed. */
static bool json_content_type(const char *ct)
{
	if (!ct || strncasecmp(ct, "application/json", 16) != 0)
		return false;
	ct += 16;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == 0 || *ct == ';';
}

/* Checks every routed request before authentication; false after replying. */
static bool request_acceptable(req *r)
{
	if (unsafe_method(r->method) && cross_origin(r)) {
		reply_problem(r, 403, "cross_origin", NULL, "requests from pages of other sites are refused");
		return false;
	}
	if (r->body.len && !json_content_type(req_header(r, "Content-Type"))) {
		reply_problem(r, 415, "unsupported_media_type", NULL, "send the body as Content-Type: application/json");
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ the request life cycle */

static void client_address(req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->addr, sizeof r->addr, "unknown");
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->addr, sizeof r->addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->addr, sizeof r->addr);
	}
	if (cfg->trust_proxy) {
		/* The proxy appends the address it saw; what comes before is the client's to write. */
		const char *xff = req_header(r, "X-Forwarded-For");
		if (xff && *xff) {
			const char *last = strrchr(xff, ',');
			last = last ? last + 1 : xff;
			last += strspn(last, " \t");
			size_t n = strcspn(last, " \t");
			if (n)
				snprintf(r->addr, sizeof r->addr, "%.*s", (int)n, last);
		}
		const char *proto = req_header(r, "X-Forwarded-Proto");
		r->secure = proto && str_ieq(proto, "https");
	}
}

static void add_common_headers(req *r)
{
	reply_header(r, "X-Request-Id", r->rid);
	reply_header(r, "X-Content-Type-Options", "nosniff");
	reply_header(r, "Referrer-Policy", "same-origin");
	if (str_starts_with(r->path, "/api/"))
		reply_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	bool *ok = cls;
	if (!utf8_valid(key, strlen(key)) || (value && !utf8_valid(value, strlen(value))))
		*ok = false;
	return *ok ? MHD_YES : MHD_NO;
}

/* A JF_ENUMS parameter: every value of every occurrence, split at commas ("status=a,b&status=c"),
 * each one of f->values; empty items are left out.  Sets the field's bit when any value came; false after
 * replying 400 naming the parameter. */
static bool decode_enums(req *r, const jfield *f, unsigned *bits)
{
	size_t n;
	const char **vals = req_query_all(r, f->name, &n);
	for (size_t i = 0; i < n; i++)
		for (const char *p = vals[i]; *p;) {
			size_t len = strcspn(p, ",");
			int idx = -1;
			for (int k = 0; len && k < 32 && f->values && f->values[k]; k++)
				if (strlen(f->values[k]) == len && strncmp(f->values[k], p, len) == 0)
					idx = k;
			if (len && idx < 0) {
				reply_problem(r, 400, "bad_request", f->name, "%s must be one or more of the %s values, separated by commas",
					      f->name, f->doc ? f->doc : "documented");
				return false;
			}
			if (idx >= 0) {
				*bits |= 1u << idx;
				*(unsigned *)r->q |= f->bit;
			}
			p += len + (p[len] == ',');
		}
	return true;
}

/* Decodes the route's query parameters into r->q; false after replying 400. */
static bool decode_query(req *r, const route *rt)
{
	if (!rt->nquery)
		return true;
	r->q = arena_alloc(r->a, rt->query_size ? rt->query_size : sizeof(unsigned));
	for (size_t i = 0; i < rt->nquery; i++) {
		const jfield *f = &rt->query[i];
		char *slot = (char *)r->q + f->off;
		if (f->type == JF_ENUMS) {
			if (!decode_enums(r, f, (unsigned *)slot))
				return false;
			continue;
		}
		const char *v = req_query(r, f->name);
		if (!v)
			continue;
		switch (f->type) {
		case JF_INT:
		case JF_ID: {
			char *end;
			long long x = strtoll(v, &end, 10);
			if (*end || end == v || (f->type == JF_ID && x <= 0)) {
				reply_problem(r, 400, "bad_request", f->name, "query parameter %s must be %s", f->name,
					      f->type == JF_ID ? "a positive id" : "an integer");
				return false;
			}
			*(int64_t *)slot = x;
			break;
		}
		case JF_BOOL: *(bool *)slot = strcmp(v, "0") != 0 && strcmp(v, "false") != 0; break;
		case JF_ENUM: {
			int idx = -1;
			for (int k = 0; f->values && f->values[k]; k++)
				if (strcmp(f->values[k], v) == 0)
					idx = k;
			if (idx < 0) {
				reply_problem(r, 400, "bad_request", f->name, "%s must be one of the %s values", f->name,
					      f->doc ? f->doc : "documented");
				return false;
			}
			*(int *)slot = idx;
			break;
		}
		default: *(const char **)slot = v; break;
		}
		*(unsigned *)r->q |= f->bit;
	}
	return true;
}

/* Everything the route declares, checked in this order before its handler runs: paging and query
 * parameters (400), the JSON body (400), If-Match (428, 400), the body's fields (422).  False after
 * replying. */
static bool check_declared(req *r, const route *rt)
{
	if (rt->paged && !req_page_of(r, rt))
		return false;
	if (!decode_query(r, rt))
		return false;
	json_t *body = NULL;
	if (rt->body == BODY_REQUIRED || (rt->body == BODY_OPTIONAL && r->body.len > 0)) {
		if (!(body = req_json(r)))
			return false;
	}
	if (rt->if_match == IFM_REQUIRED || (rt->if_match == IFM_OPTIONAL && req_header(r, "If-Match"))) {
		if (!req_if_match(r, &r->version))
			return false;
	}
	if (rt->body != BODY_NONE) {
		r->in = arena_alloc(r->a, rt->in_size ? rt->in_size : sizeof(unsigned));
		lerr e = {0};
		if (body && jsonv_decode(body, rt->fields, rt->nfields, r->in, r->a, &e)) {
			reply_err(r, &e);
			return false;
		}
	}
	return true;
}

/* Whether the caller may call rt (else the reply says why): signed in, the CSRF token with a cookie,
 * an administrator where the route asks for one. */
static bool admitted(req *r, const route *rt, int64_t *touch)
{
	if (rt->auth == AUTH_PUBLIC)
		return true;
	authenticate(r, touch);
	if (!r->who.user_id) {
		reply_problem(r, 401, "unauthenticated", NULL, "sign in first, or send a valid bearer token");
		return false;
	}
	if (r->who.via_cookie && unsafe_method(r->method)) {
		const char *t = req_header(r, "X-CSRF-Token");
		if (!t || !const_eq(t, r->who.csrf)) {
			reply_problem(r, 403, "csrf_failed", NULL,
				      "send the X-CSRF-Token header with the token from the sign-in answer");
			return false;
		}
	}
	if ((rt->auth == AUTH_ADMIN || rt->auth == AUTH_DEV) && !r->who.is_admin) {
		reply_problem(r, 403, "forbidden", NULL, "only administrators may do this");
		return false;
	}
	return true;
}

static void dispatch(req *r)
{
	if (r->path[0] != '/') { /* "x", "?q", "*", "http://host/": only paths are served here */
		reply_problem(r, 400, "bad_request", NULL, "the request target must be a path starting with /");
		return;
	}
	bool args_ok = true;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &args_ok);
	if (!args_ok || !utf8_valid(r->path, strlen(r->path))) {
		reply_problem(r, 400, "invalid_utf8", NULL, "the address or its query is not valid UTF-8");
		return;
	}
	r->db = db_for_thread();
	if (!r->db) {
		reply_problem(r, 503, "unavailable", NULL, "the store cannot be opened");
		return;
	}
	sbuf allow;
	sbuf_init(&allow);
	int i = route_find(r, &allow);
	r->route_index = i;
	if (i < 0) {
		if (allow.len) {
			reply_problem(r, 405, "method_not_allowed", NULL, "%s is not allowed on %s", r->method, r->path);
			reply_header(r, "Allow", allow.p);
			sbuf_release(&allow);
			return;
		}
		if (!str_starts_with(r->path, "/api/") && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)) {
			static_serve(r, cfg->web_dir);
			return;
		}
		reply_problem(r, 404, "not_found", NULL, "there is nothing at %s", r->path);
		return;
	}
	sbuf_release(&allow);
	const route *rt = &table->routes[i];
	r->route = rt;
	if (!request_acceptable(r)) /* cross-origin, or a body that is not JSON */
		return;
	long statements = db_statements(r->db);
	/* A route that only reads runs in one read transaction, the caller's authentication included: one
	 * snapshot, and the store's locks taken once. */
	bool reads = strcmp(rt->method, "GET") == 0 && !rt->writes && db_begin_read(r->db) == 0;
	int64_t touch = 0;
	if (admitted(r, rt, &touch) && check_declared(r, rt))
		rt->handler(r);
	if (reads && db_in_tx(r->db))
		db_commit(r->db);
	if (touch)
		token_used(r, touch);
	metrics_statements(r->route_index, db_statements(r->db) - statements);
	if (!r->resp) {
		log_error("handler %s set no reply", rt->name);
		reply_problem(r, 500, "internal", NULL, "the server did not produce an answer");
	}
	if (db_in_tx(r->db)) {
		log_error("handler %s left a transaction open; rolled back", rt->name);
		db_rollback(r->db);
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)cls;
	(void)version;
	req *r = *con_cls;
	if (!r) {
		arena *a = arena_new();
		r = arena_alloc(a, sizeof *r);
		r->a = a;
		r->conn = conn;
		r->method = method;
		r->path = url;
		r->route_index = -1;
		r->t0 = clock_mono_us();
		sbuf_init(&r->body);
		/* Request ids: this process's start, then a counter — unique per server, sortable. */
		snprintf(r->rid, sizeof r->rid, "%08x%08x", (unsigned)started_s, (unsigned)atomic_fetch_add(&next_rid, 1));
		*con_cls = r;
		atomic_fetch_add(&inflight, 1);
		guard_request_begins(conn);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (!cl || strtoull(cl, NULL, 10) <= HTTP_BODY_MAX)
			return MHD_YES;
		/* Declared too large: answer on this first call, so MHD sends no "100 Continue" and reads
		 * nothing of the body (the connection then closes; keep-alive does not matter here). */
		r->too_large = true;
	}
	if (*upload_data_size) {
		/* A body without Content-Length (chunked) that grows past the limit: MHD takes no reply in
		 * the middle of a body, so the rest is dropped as it arrives and 413 answered at its end. */
		if (!r->too_large && r->body.len + *upload_data_size > HTTP_BODY_MAX) {
			r->too_large = true;
			sbuf_release(&r->body);
		}
		if (!r->too_large)
			sbuf_add(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->too_large) {
		reply_problem(r, 413, "body_too_large", NULL, "the body is larger than %d bytes", HTTP_BODY_MAX);
		reply_header(r, "Connection", "close");
	} else {
		client_address(r);
		dispatch(r);
	}
	add_common_headers(r);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, r->resp);
	MHD_destroy_response(r->resp);
	r->resp = NULL;
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	req *r = *con_cls;
	if (!r)
		return;
	guard_request_ends(conn);
	uint64_t us = clock_mono_us() - r->t0;
	if (r->resp)
		MHD_destroy_response(r->resp);
	metrics_observe(r->route_index, r->status, us);
	/* The path is logged, never the query string (it may hold tokens); so is the caller's id. */
	log_info("%s %s %s %d %.1fms user=%lld addr=%s%s", r->rid, r->method, r->path, r->status, (double)us / 1000.0,
		 (long long)r->who.user_id, r->addr, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	json_decref(r->json);
	sbuf_release(&r->body);
	arena_free(r->a);
	*con_cls = NULL;
	atomic_fetch_sub(&inflight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx, enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	guard_connection(conn, socket_ctx, toe == MHD_CONNECTION_NOTIFY_STARTED);
	metrics_connections(toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host)
		return -1;
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* libmicrohttpd's own messages (refused connections, malformed requests) go to our log. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (cfg->quiet)
		return;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = 0;
	log_warn("http: %s", msg);
}

struct MHD_Daemon *http_start(const http_config *c, const route_table *t, int listen_fd)
{
	cfg = c;
	table = t;
	metrics_init(t);
	started_s = clock_now_ms() / 1000;
	unsigned threads = c->threads ? c->threads : 4;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ERROR_LOG;
	if (listen_fd < 0)
		flags |= MHD_USE_NO_LISTEN_SOCKET; /* connections come through MHD_add_connection (tests) */
	/* MHD refuses a listening socket together with MHD_USE_NO_LISTEN_SOCKET: name one only when there is. */
	struct MHD_OptionItem sock[] = {{MHD_OPTION_LISTEN_SOCKET, listen_fd, NULL}, {MHD_OPTION_END, 0, NULL}};
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first, or MHD warns */
		MHD_OPTION_ARRAY, listen_fd < 0 ? sock + 1 : sock,
		MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		MHD_OPTION_CONNECTION_LIMIT, c->max_connections ? c->max_connections : 1000u,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, c->max_per_ip, MHD_OPTION_END);
	if (d) {
		events_start(c->max_streams);
		guard_start(c->header_timeout);
	}
	return d;
}

void http_stop(struct MHD_Daemon *d)
{
	MHD_socket ls = MHD_quiesce_daemon(d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	guard_stop();
	events_stop(); /* event streams would otherwise never finish */
	for (int i = 0; i < 1000 && atomic_load(&inflight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	close_all_dbs();
}

/* Binds and listens on addr; -1 after printing why not.  Our own socket rather than MHD's, so that a
 * port in use is an error that says so: no SO_REUSEPORT (which let a second server share the port and
 * take half the traffic), only SO_REUSEADDR (a restart may bind while old connections linger). */
static int listen_on(const char *what, const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(fd, (const struct sockaddr *)sa, sizeof *sa) || listen(fd, 511)) {
		int err = errno;
		fprintf(stderr, "liaison serve: cannot listen on %s: %s\n", what,
			err == EADDRINUSE ? "address in use (is another server running?)"
			: err == EADDRNOTAVAIL ? "not an address of this machine"
					       : strerror(err));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* The metrics address (--metrics-listen): GET or HEAD /metrics and nothing else, with the metrics token
 * when one is set.  No store, no routes, no sessions. */
static enum MHD_Result on_metrics(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)cls, (void)version, (void)upload_data;
	static int first;
	if (!*con_cls) { /* the two-call pattern: the first call only notes the request */
		*con_cls = &first;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	int status = 200;
	const char *ctype = "text/plain; version=0.0.4; charset=utf-8", *auth;
	sbuf b;
	sbuf_init(&b);
	if (strcmp(url, "/metrics") != 0 || (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)) {
		status = 404, ctype = "text/plain; charset=utf-8";
		sbuf_adds(&b, "only GET /metrics here\n");
	} else if (cfg->metrics_token &&
		   (!(auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization")) ||
		    strncasecmp(auth, "Bearer ", 7) != 0 || !const_eq(auth + 7, cfg->metrics_token))) {
		status = 401, ctype = "text/plain; charset=utf-8";
		sbuf_adds(&b, "send the metrics token as a bearer token\n");
	} else {
		metrics_render(&b);
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(b.len, b.p ? b.p : (char *)"", MHD_RESPMEM_MUST_COPY);
	sbuf_release(&b);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

int http_serve(const http_config *c, const route_table *t)
{
	struct sockaddr_in sa;
	if (parse_listen(c->listen, &sa)) {
		fprintf(stderr, "liaison serve: --listen must be HOST:PORT with an IPv4 address, got '%s'\n", c->listen);
		return 2;
	}
	struct sockaddr_in msa;
	if (c->metrics_listen && parse_listen(c->metrics_listen, &msa)) {
		fprintf(stderr, "liaison serve: --metrics-listen must be HOST:PORT with an IPv4 address, got '%s'\n",
			c->metrics_listen);
		return 2;
	}
	int fd = listen_on(c->listen, &sa), mfd = -1;
	if (fd < 0)
		return 1;
	if (c->metrics_listen && (mfd = listen_on(c->metrics_listen, &msa)) < 0) {
		close(fd);
		return 1;
	}
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* worker threads inherit the mask; the main thread waits */
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = http_start(c, t, fd), *md = NULL;
	if (d && mfd >= 0)
		md = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				      on_metrics, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET,
				      (MHD_socket)mfd, MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
				      MHD_OPTION_END);
	if (!d || (mfd >= 0 && !md)) {
		fprintf(stderr, "liaison serve: the HTTP server did not start on %s\n", d ? c->metrics_listen : c->listen);
		if (d)
			http_stop(d);
		else
			close(fd);
		if (mfd >= 0)
			close(mfd);
		return 1;
	}
	log_info("listening on http://%s/ with %u threads%s", c->listen, c->threads ? c->threads : 4,
		 c->dev_clock ? " (dev clock on)" : "");
	if (md)
		log_info("metrics on http://%s/metrics", c->metrics_listen);
	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("signal %d: no new connections; finishing %d requests in flight", sig, atomic_load(&inflight));
	if (md)
		MHD_stop_daemon(md);
	http_stop(d);
	log_info("stopped");
	return 0;
}
