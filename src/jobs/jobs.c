/* The background worker: delivers the outbox (see jobs.h for the life cycle). */
#include "jobs/jobs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ops/ops.h"
#include "util/clock.h"
#include "util/log.h"

long jobs_deliver_outbox(db *d, jobs_delivered_fn delivered)
{
	long total = 0;
	for (;;) {
		arena *a = arena_new();
		op_ctx c;
		op_init(&c, d, &op_system_principal, a);
		int64_t *users;
		size_t n, k;
		lerr e = {0};
		int rc = op_deliver_outbox(&c, JOBS_BATCH, &users, &n, &k, &e);
		if (!rc && n && delivered)
			delivered(d, users, n);
		op_release(&c);
		arena_free(a);
		if (rc) {
			log_error("outbox: %s", e.detail);
			return -1;
		}
		total += (long)k;
		if (k < JOBS_BATCH)
			return total;
	}
}

/* One batch of the purge; 0, or -1 on failure. */
static int purge_batch(db *d, int64_t *sessions, int64_t *failures)
{
	arena *a = arena_new();
	op_ctx c;
	op_init(&c, d, &op_system_principal, a);
	lerr e = {0};
	int rc = op_purge(&c, 1000, sessions, failures, &e);
	op_release(&c);
	arena_free(a);
	if (rc)
		log_error("purge: %s", e.detail);
	return rc ? -1 : 0;
}

long jobs_purge(db *d)
{
	long total = 0;
	int64_t s, f;
	do {
		if (purge_batch(d, &s, &f))
			return -1;
		total += (long)(s + f);
	} while (s + f > 0);
	if (total)
		log_info("purged %ld expired sessions and sign-in counters", total);
	return total;
}

int jobs_run_all(db *d, jobs_delivered_fn delivered, job_run runs[JOBS_COUNT])
{
	long k = jobs_deliver_outbox(d, delivered);
	runs[0] = (job_run){"outbox", {k, 0}};
	int64_t s, f;
	if (k < 0 || purge_batch(d, &s, &f))
		return -1;
	runs[1] = (job_run){"purge", {s, f}};
	return 0;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool running, stopping, kicked;
static pthread_t worker, listener;
static bool listening;
static db *worker_db;
static jobs_delivered_fn worker_delivered;
static jobs_event_fn event_fn;
static char *listen_url;

static bool should_stop(void)
{
	pthread_mutex_lock(&lock);
	bool stop = stopping;
	pthread_mutex_unlock(&lock);
	return stop;
}

/* The listener: LISTEN on its own connection, every event to event_fn; a lost connection is opened again. */
static void *listen_loop(void *arg)
{
	(void)arg;
	db *d = NULL;
	bool said = false;
	while (!should_stop()) {
		if (!d) {
			lerr e = {0};
			if (db_open(&d, listen_url, &e) || db_listen(d, OP_EVENTS)) {
				if (!said)
					log_error("events: cannot listen for other servers' changes (trying every second): %s",
						  d ? db_errmsg(d) : e.detail);
				said = true;
				db_close(d);
				d = NULL;
				sleep(1);
				continue;
			}
			if (said)
				log_info("events: listening again");
			said = false;
		}
		char *payload;
		int k = db_wait_event(d, 500, &payload);
		if (k == 1) {
			event_fn(d, payload);
			free(payload);
		} else if (k < 0) {
			db_close(d);
			d = NULL;
		}
	}
	db_close(d);
	return NULL;
}

static void *work(void *arg)
{
	(void)arg;
	uint64_t last_purge = 0;
	for (;;) {
		jobs_deliver_outbox(worker_db, worker_delivered);
		uint64_t now = clock_mono_us();
		if (!last_purge || now - last_purge >= (uint64_t)JOBS_PURGE_MS * 1000) {
			jobs_purge(worker_db);
			last_purge = now;
		}
		pthread_mutex_lock(&lock);
		if (!stopping && !kicked) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += JOBS_PERIOD_MS / 1000;
			until.tv_nsec += (long)(JOBS_PERIOD_MS % 1000) * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&wake, &lock, &until);
		}
		kicked = false;
		bool stop = stopping;
		pthread_mutex_unlock(&lock);
		if (stop)
			return NULL;
	}
}

int jobs_start(const char *db_url, jobs_delivered_fn delivered, jobs_event_fn on_event)
{
	lerr e = {0};
	if (db_open(&worker_db, db_url, &e)) {
		log_error("jobs: %s", e.detail);
		return -1;
	}
	worker_delivered = delivered;
	stopping = kicked = false;
	if (pthread_create(&worker, NULL, work, NULL)) {
		db_close(worker_db);
		worker_db = NULL;
		return -1;
	}
	running = true;
	listening = false;
	if (on_event && db_has_events(worker_db)) {
		event_fn = on_event;
		if (!(listen_url = strdup(db_url)))
			abort();
		listening = pthread_create(&listener, NULL, listen_loop, NULL) == 0;
		if (!listening)
			log_error("events: cannot start the listener");
	}
	return 0;
}

void jobs_kick(void)
{
	pthread_mutex_lock(&lock);
	kicked = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

void jobs_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(worker, NULL);
	if (listening)
		pthread_join(listener, NULL);
	listening = false;
	free(listen_url);
	listen_url = NULL;
	db_close(worker_db);
	worker_db = NULL;
	running = false;
}
