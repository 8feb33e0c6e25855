/* The background worker: delivers the outbox (see jobs.h for the life cycle). */
#include "jobs/jobs.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "ops/ops.h"
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

int jobs_run_due(db *d, arena *a, jobs_delivered_fn delivered, const char ***names, size_t *n)
{
	*names = arena_alloc(a, 4 * sizeof **names);
	*n = 0;
	long k = jobs_deliver_outbox(d, delivered);
	if (k < 0)
		return -1;
	if (k > 0)
		(*names)[(*n)++] = "outbox";
	return 0;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool running, stopping, kicked;
static pthread_t worker;
static db *worker_db;
static jobs_delivered_fn worker_delivered;

static void *work(void *arg)
{
	(void)arg;
	for (;;) {
		jobs_deliver_outbox(worker_db, worker_delivered);
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

int jobs_start(const char *db_url, jobs_delivered_fn delivered)
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
	db_close(worker_db);
	worker_db = NULL;
	running = false;
}
