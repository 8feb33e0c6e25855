/* The connection guard: a deadline for request headers.
 *
 * libmicrohttpd's connection timeout restarts with every byte, so a client that sends one header byte
 * every few seconds holds its connection (and a slot of the connection limit) for ever.  The guard
 * tracks every connection from its start (on_connection) and notes when a request's headers are
 * complete (the first call of the access handler) and when its answer is done (on_completed).  A
 * thread wakes a few times a second and shuts down the socket of every connection that has been
 * waiting for a complete request head longer than the deadline — since it opened, or since its last
 * answer on a kept-alive connection.  shutdown() makes libmicrohttpd's next read see the end of the
 * stream and close the connection itself; the socket is not closed under its feet.  The connection
 * stays in the guard's list until libmicrohttpd reports it closed, before it closes the socket, so
 * the descriptor shut down is always still this connection's. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "http/internal.h"
#include "util/clock.h"
#include "util/log.h"

typedef struct tracked {
	struct tracked *prev, *next;
	MHD_socket fd;
	uint64_t since_us; /* monotonic: opened, or answered its last request */
	bool in_request;   /* a request head arrived and its answer is not finished */
	bool shut;         /* shut down for missing the deadline */
} tracked;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static tracked *conns;
static uint64_t deadline_us;
static bool running, stopping;
static pthread_t thread;

void guard_connection(struct MHD_Connection *conn, void **socket_ctx, bool started)
{
	if (started) {
		tracked *t = calloc(1, sizeof *t);
		if (!t)
			return; /* not tracked: only its deadline is lost */
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		t->fd = ci ? ci->connect_fd : MHD_INVALID_SOCKET;
		t->since_us = clock_mono_us();
		pthread_mutex_lock(&lock);
		t->next = conns;
		if (conns)
			conns->prev = t;
		conns = t;
		pthread_mutex_unlock(&lock);
		*socket_ctx = t;
		return;
	}
	tracked *t = *socket_ctx;
	if (!t)
		return;
	pthread_mutex_lock(&lock);
	if (t->prev)
		t->prev->next = t->next;
	else
		conns = t->next;
	if (t->next)
		t->next->prev = t->prev;
	pthread_mutex_unlock(&lock);
	free(t);
	*socket_ctx = NULL;
}

static tracked *of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

void guard_request_begins(struct MHD_Connection *conn)
{
	tracked *t = of(conn);
	if (!t)
		return;
	pthread_mutex_lock(&lock);
	t->in_request = true;
	pthread_mutex_unlock(&lock);
}

void guard_request_ends(struct MHD_Connection *conn)
{
	tracked *t = of(conn);
	if (!t)
		return;
	pthread_mutex_lock(&lock);
	t->in_request = false;
	t->since_us = clock_mono_us();
	pthread_mutex_unlock(&lock);
}

static void *run(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000000L;
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_sec++, ts.tv_nsec -= 1000000000L;
		pthread_cond_timedwait(&wake, &lock, &ts);
		if (stopping)
			break;
		uint64_t now = clock_mono_us();
		int closed = 0;
		for (tracked *t = conns; t && deadline_us; t = t->next)
			if (!t->in_request && !t->shut && now - t->since_us >= deadline_us &&
			    t->fd != MHD_INVALID_SOCKET) {
				shutdown(t->fd, SHUT_RDWR);
				t->shut = true;
				closed++;
			}
		pthread_mutex_unlock(&lock);
		if (closed)
			log_warn("closed %d connection%s that sent no complete request within %llu s", closed,
			         closed == 1 ? "" : "s", (unsigned long long)(deadline_us / 1000000));
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

void guard_start(unsigned header_timeout_s)
{
	pthread_mutex_lock(&lock);
	deadline_us = (uint64_t)header_timeout_s * 1000000u;
	stopping = false;
	if (!running && pthread_create(&thread, NULL, run, NULL) == 0)
		running = true;
	pthread_mutex_unlock(&lock);
}

void guard_stop(void)
{
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	bool join = running;
	running = false;
	pthread_mutex_unlock(&lock);
	if (join)
		pthread_join(thread, NULL);
}
