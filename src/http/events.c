/* Server-sent events: one long response per open page, fed by events_send().
 *
 * Life cycle: events_open() registers a client and answers with a callback response.  MHD calls
 * `reader` whenever it can write: the reader hands over queued bytes, or a heartbeat comment every
 * EVENTS_HEARTBEAT_MS (the only way to notice a client that went away), or else suspends the
 * connection and returns 0.  events_send() queues an event and resumes the connection; a ticker
 * thread resumes connections whose heartbeat is due.  events_stop() ends every stream so that the
 * server can shut down; MHD then frees each response, which unregisters its client. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/http.h"
#include "util/clock.h"

#define EVENTS_HEARTBEAT_MS 15000

typedef struct client {
	struct client *next;
	struct MHD_Connection *conn;
	int64_t uid;
	sbuf out;
	bool suspended;
	int64_t last_write;
} client;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static client *clients;
static bool closing, ticker_running;
static pthread_t ticker;
static int nclients;
static unsigned max_per_user;

static void resume(client *c)
{
	if (c->suspended) {
		c->suspended = false;
		MHD_resume_connection(c->conn);
	}
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	client *c = cls;
	ssize_t n = 0;
	pthread_mutex_lock(&lock);
	int64_t now = clock_mono_us() / 1000;
	if (closing) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else if (c->out.len > 0) {
		size_t k = c->out.len < max ? c->out.len : max;
		memcpy(buf, c->out.p, k);
		memmove(c->out.p, c->out.p + k, c->out.len - k);
		c->out.len -= k;
		c->last_write = now;
		n = (ssize_t)k;
	} else if (now - c->last_write >= EVENTS_HEARTBEAT_MS && max >= 8) {
		memcpy(buf, ": ping\n\n", 8);
		c->last_write = now;
		n = 8;
	} else {
		c->suspended = true;
		MHD_suspend_connection(c->conn);
	}
	pthread_mutex_unlock(&lock);
	return n;
}

static void release(void *cls)
{
	client *c = cls;
	pthread_mutex_lock(&lock);
	for (client **p = &clients; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			nclients--;
			break;
		}
	pthread_mutex_unlock(&lock);
	sbuf_release(&c->out);
	free(c);
}

static void *tick(void *arg)
{
	(void)arg;
	for (;;) {
		usleep(500000);
		pthread_mutex_lock(&lock);
		bool stop = closing;
		int64_t now = clock_mono_us() / 1000;
		for (client *c = clients; c; c = c->next)
			if (c->suspended && (stop || c->out.len > 0 || now - c->last_write >= EVENTS_HEARTBEAT_MS))
				resume(c);
		pthread_mutex_unlock(&lock);
		if (stop)
			return NULL;
	}
}

void events_start(unsigned max_streams_per_user)
{
	pthread_mutex_lock(&lock);
	closing = false;
	max_per_user = max_streams_per_user;
	if (!ticker_running && pthread_create(&ticker, NULL, tick, NULL) == 0)
		ticker_running = true;
	pthread_mutex_unlock(&lock);
}

void events_stop(void)
{
	pthread_mutex_lock(&lock);
	closing = true;
	for (client *c = clients; c; c = c->next)
		resume(c);
	bool join = ticker_running;
	ticker_running = false;
	pthread_mutex_unlock(&lock);
	if (join)
		pthread_join(ticker, NULL);
	/* Give MHD a moment to end the streams (each ends on its next write). */
	for (int i = 0; i < 200; i++) {
		pthread_mutex_lock(&lock);
		int n = nclients;
		pthread_mutex_unlock(&lock);
		if (!n)
			break;
		usleep(10000);
	}
}

void events_open(req *r, const char *event, const char *data)
{
	if (strcmp(r->method, "HEAD") == 0) { /* the headers of a stream, and no stream */
		reply_empty(r, 200);
		reply_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
		return;
	}
	client *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->conn = r->conn;
	c->uid = r->who.user_id;
	c->last_write = clock_mono_us() / 1000;
	sbuf_init(&c->out);
	sbuf_adds(&c->out, "retry: 3000\n\n");
	if (event)
		sbuf_printf(&c->out, "event: %s\ndata: %s\n\n", event, data);
	/* One person, one browser, a few tabs: past the limit a new stream is refused, so that nobody can
	 * hold the server's connections with streams.  A refused page tries again later (web/lib/live.js);
	 * streams whose client went away are noticed at a heartbeat and stop counting. */
	unsigned open = 0;
	pthread_mutex_lock(&lock);
	for (client *o = clients; o; o = o->next)
		open += o->uid == c->uid;
	bool refuse = max_per_user && open >= max_per_user;
	if (!refuse) {
		c->next = clients;
		clients = c;
		nclients++;
	}
	pthread_mutex_unlock(&lock);
	if (refuse) {
		sbuf_release(&c->out);
		free(c);
		reply_problem(r, 429, "too_many_streams", NULL,
			      "%u live event streams are open for you already; close a page or try again later", open);
		reply_header(r, "Retry-After", "15");
		return;
	}
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, c, release);
	r->resp = resp;
	r->status = 200;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
}

void events_send(int64_t uid, const char *event, const char *data)
{
	pthread_mutex_lock(&lock);
	for (client *c = clients; c; c = c->next)
		if (c->uid == uid) {
			sbuf_printf(&c->out, "event: %s\ndata: %s\n\n", event, data);
			resume(c);
		}
	pthread_mutex_unlock(&lock);
}

size_t events_users(arena *a, int64_t **uids)
{
	pthread_mutex_lock(&lock);
	*uids = arena_alloc(a, (size_t)(nclients > 0 ? nclients : 1) * sizeof **uids);
	size_t n = 0;
	for (client *c = clients; c; c = c->next) {
		bool seen = false;
		for (size_t i = 0; i < n && !seen; i++)
			seen = (*uids)[i] == c->uid;
		if (!seen && n < (size_t)nclients)
			(*uids)[n++] = c->uid;
	}
	pthread_mutex_unlock(&lock);
	return n;
}
