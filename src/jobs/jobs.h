/* Background work of `liaison serve`: a worker thread with its own store connection that delivers the
 * outbox, forgets expired sessions and sign-in counters (and, in later stages, runs reminders, SLA timers
 * and warnings).
 *
 * Life cycle: jobs_start opens the connection and starts the thread; the thread runs every due job,
 * then sleeps until jobs_kick or JOBS_PERIOD_MS; jobs_stop wakes it, waits for it and closes the
 * connection.  A change is delivered at once by the thread that committed it (op_after_commit); the
 * worker delivers what that missed (a crash between commit and delivery, changes made by commands). */
#ifndef LIAISON_JOBS_JOBS_H
#define LIAISON_JOBS_JOBS_H
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

enum { JOBS_PERIOD_MS = 2000, JOBS_BATCH = 500, JOBS_PURGE_MS = 600000 };

/* What a job did, for POST /api/v1/admin/tick. */
typedef struct job_run {
	const char *job;        /* "outbox", "purge" */
	int64_t done[2];        /* outbox: messages delivered; purge: sessions, sign-in counters */
} job_run;

/* Told after each delivery with the users who got something (to push live updates); may be NULL. */
typedef void (*jobs_delivered_fn)(db *d, const int64_t *users, size_t n);

/* Delivers the whole outbox in batches on d; answers how many messages, or -1 on failure. */
long jobs_deliver_outbox(db *d, jobs_delivered_fn delivered);
/* Forgets every expired session and stale sign-in counter, in bounded batches; answers how many. */
long jobs_purge(db *d);
/* Runs every job once on d, now; fills runs (JOBS_COUNT of them) with what each did. */
enum { JOBS_COUNT = 2 };
int jobs_run_all(db *d, jobs_delivered_fn delivered, job_run runs[JOBS_COUNT]);

/* Told each event another server (or this one) announced on a store with several servers (OP_EVENTS of
 * ops.h), on the listener's own connection; may be NULL. */
typedef void (*jobs_event_fn)(db *d, const char *payload);

/* Starts the worker; on a store with events between servers (PostgreSQL) also a listener thread with a
 * connection of its own, which hands every event to on_event and connects again, every second, when it
 * lost its connection. */
int jobs_start(const char *db_url, jobs_delivered_fn delivered, jobs_event_fn on_event);
void jobs_kick(void);
void jobs_stop(void);

#endif
