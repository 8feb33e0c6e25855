/* The store API of db.h: what every driver shares (statement counts, fault injection, the SQL trace, read
 * transactions' serials) and the dispatch to the driver a URL names — SQLite (db_sqlite.c) for a file path,
 * PostgreSQL (db_pg.c) for postgres://. */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/db_driver.h"
#include "util/log.h"

/* Serials of read transactions, unique in the process whatever the connection. */
static _Atomic uint64_t read_serials;

long db_statements(db *d)
{
	return d->prepared;
}

bool db_fault_now(db *d)
{
	d->steps++;
	if (d->fault_in > 0 && --d->fault_in == 0) {
		log_error("db: injected failure after %ld statements", d->steps);
		return true;
	}
	return false;
}

void db_fault_after(db *d, long n)
{
	d->fault_in = n;
	d->steps = 0;
}

long db_fault_steps(db *d)
{
	return d->steps;
}

/* ------------------------------------------------------------------ SQL trace (LIAISON_SQL_TRACE) */

/* With LIAISON_SQL_TRACE=FILE, every distinct SQL text this process prepares or executes is appended to
 * FILE once, as a line of JSON: {"via":"prepare"|"exec","sql":"..."}.  Only the text with its `?`
 * placeholders: bound values never reach it.  tools/pg-check.sh prepares each traced statement on
 * PostgreSQL.  Several processes may append to one file (one write per line, O_APPEND); a text already
 * written by this process is not written again. */
static struct {
	pthread_once_t once;
	pthread_mutex_t mu;
	int fd;             /* -1: tracing off */
	char **seen;        /* open addressing over the texts written */
	size_t nseen, cap;
} trace = {PTHREAD_ONCE_INIT, PTHREAD_MUTEX_INITIALIZER, -1, NULL, 0, 0};

static void trace_open(void)
{
	const char *path = getenv("LIAISON_SQL_TRACE");
	if (path && *path && (trace.fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
		log_error("db: cannot open the SQL trace %s", path);
}

static uint64_t text_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* Adds sql to the set of texts written; false when it was there already.  Called with trace.mu held. */
static bool trace_first(const char *sql)
{
	if (2 * (trace.nseen + 1) > trace.cap) {
		size_t ncap = trace.cap ? trace.cap * 2 : 256;
		char **n = calloc(ncap, sizeof *n);
		if (!n)
			abort();
		for (size_t i = 0; i < trace.cap; i++)
			if (trace.seen[i]) {
				size_t j = text_hash(trace.seen[i]) % ncap;
				while (n[j])
					j = (j + 1) % ncap;
				n[j] = trace.seen[i];
			}
		free(trace.seen);
		trace.seen = n;
		trace.cap = ncap;
	}
	size_t i = text_hash(sql) % trace.cap;
	for (; trace.seen[i]; i = (i + 1) % trace.cap)
		if (strcmp(trace.seen[i], sql) == 0)
			return false;
	if (!(trace.seen[i] = strdup(sql)))
		abort();
	trace.nseen++;
	return true;
}

void db_trace_sql(const char *via, const char *sql)
{
	pthread_once(&trace.once, trace_open);
	if (trace.fd < 0)
		return;
	pthread_mutex_lock(&trace.mu);
	if (trace_first(sql)) {
		size_t n = strlen(sql), cap = 6 * n + 40, k = 0;
		char *line = malloc(cap);
		if (!line)
			abort();
		k += (size_t)snprintf(line, cap, "{\"via\":\"%s\",\"sql\":\"", via);
		for (const char *p = sql; *p; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == '"' || c == '\\') {
				line[k++] = '\\';
				line[k++] = (char)c;
			} else if (c < 0x20) {
				k += (size_t)snprintf(line + k, cap - k, "\\u%04x", c);
			} else {
				line[k++] = (char)c;
			}
		}
		line[k++] = '"';
		line[k++] = '}';
		line[k++] = '\n';
		if (write(trace.fd, line, k) != (ssize_t)k)
			log_error("db: cannot write the SQL trace");
		free(line);
	}
	pthread_mutex_unlock(&trace.mu);
}

/* ------------------------------------------------------------------ connections */

bool db_url_is_postgres(const char *url)
{
	return url && (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0);
}

int db_open(db **out, const char *url, lerr *e)
{
	*out = NULL;
	if (!url || !*url)
		return lerr_set(e, LERR_BAD_REQUEST, "bad_argument", "db", "--db is required");
	const db_driver *drv = db_url_is_postgres(url) ? &db_pg_driver : &db_sqlite_driver;
	int rc = drv->open(out, url, e);
	if (rc == 0)
		(*out)->drv = drv;
	return rc;
}

void db_close(db *d)
{
	if (d)
		d->drv->close(d);
}

int db_exec(db *d, const char *sql)
{
	db_trace_sql("exec", sql);
	if (db_fault_now(d))
		return -1;
	return d->drv->exec(d, sql);
}

/* ------------------------------------------------------------------ statements */

db_stmt *db_prepare(db *d, const char *sql)
{
	d->prepared++;
	return d->drv->prepare(d, sql, true);
}

db_stmt *db_prepare_uncached(db *d, const char *sql)
{
	return d->drv->prepare(d, sql, false);
}

void db_done(db_stmt *st)
{
	if (st)
		st->owner->drv->done(st);
}

void db_reset(db_stmt *st)
{
	if (st)
		st->owner->drv->reset(st);
}

void db_bind_int(db_stmt *st, int idx, int64_t v)
{
	if (st)
		st->owner->drv->bind_int(st, idx, v);
}

void db_bind_double(db_stmt *st, int idx, double v)
{
	if (st)
		st->owner->drv->bind_double(st, idx, v);
}

void db_bind_text(db_stmt *st, int idx, const char *v)
{
	if (!st)
		return;
	if (v)
		st->owner->drv->bind_text(st, idx, v);
	else
		st->owner->drv->bind_null(st, idx);
}

void db_bind_null(db_stmt *st, int idx)
{
	if (st)
		st->owner->drv->bind_null(st, idx);
}

void db_bind_id(db_stmt *st, int idx, int64_t v)
{
	if (!st)
		return;
	if (v > 0)
		st->owner->drv->bind_int(st, idx, v);
	else
		st->owner->drv->bind_null(st, idx);
}

int db_step(db_stmt *st)
{
	if (!st)
		return DB_ERROR;
	if (db_fault_now(st->owner))
		return DB_ERROR;
	return st->owner->drv->step(st);
}

int64_t db_col_int(db_stmt *st, int col)
{
	return st->owner->drv->get_int(st, col);
}

double db_col_double(db_stmt *st, int col)
{
	return st->owner->drv->get_double(st, col);
}

const char *db_col_text(db_stmt *st, int col)
{
	return st->owner->drv->get_text(st, col);
}

int db_col_count(db_stmt *st)
{
	return st->owner->drv->ncols(st);
}

bool db_col_null(db_stmt *st, int col)
{
	return st->owner->drv->is_null(st, col);
}

int64_t db_one_int(db_stmt *st, int64_t dflt)
{
	if (!st)
		return dflt;
	int64_t v = db_step(st) == DB_ROW && !db_col_null(st, 0) ? db_col_int(st, 0) : dflt;
	db_done(st);
	return v;
}

/* ------------------------------------------------------------------ transactions */

/* Begin, commit or roll back; a fault injected here fails it (not counted in db_statements, which
 * measures a request's work). */
static int control(db *d, enum db_tx what)
{
	if (db_fault_now(d))
		return -1;
	return d->drv->tx(d, what);
}

int db_begin(db *d)
{
	d->reading = false;
	return control(d, DB_TX_WRITE);
}

int db_begin_read(db *d)
{
	d->serial = atomic_fetch_add(&read_serials, 1) + 1;
	int rc = control(d, DB_TX_READ);
	d->reading = rc == 0;
	return rc;
}

int db_commit(db *d)
{
	d->reading = false;
	return control(d, DB_TX_COMMIT);
}

void db_rollback(db *d)
{
	d->reading = false;
	if (d->drv->in_tx(d))
		control(d, DB_TX_ROLLBACK);
}

uint64_t db_read_serial(db *d)
{
	return d->reading && d->drv->in_tx(d) ? d->serial : 0;
}

bool db_in_tx(db *d)
{
	return d->drv->in_tx(d);
}

enum db_dialect db_dialect_of(db *d)
{
	return d->drv->dialect;
}

bool db_writes_serialized(db *d)
{
	return d->drv->writes_serialized;
}

int db_changes(db *d)
{
	return d->drv->changes(d);
}

const char *db_errmsg(db *d)
{
	return d->drv->errmsg(d);
}

int db_backup(db *d, const char *path, lerr *e)
{
	return d->drv->backup(d, path, e);
}

/* ------------------------------------------------------------------ events between servers */

bool db_has_events(db *d)
{
	return d->drv->wait_event != NULL;
}

int db_notify(db *d, const char *channel, const char *payload)
{
	if (!db_has_events(d))
		return 0;
	db_stmt *st = db_prepare(d, "SELECT pg_notify(?, ?)");
	db_bind_text(st, 1, channel);
	db_bind_text(st, 2, payload);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int db_listen(db *d, const char *channel)
{
	return d->drv->listen ? d->drv->listen(d, channel) : -1;
}

int db_wait_event(db *d, int timeout_ms, char **payload)
{
	*payload = NULL;
	return d->drv->wait_event ? d->drv->wait_event(d, timeout_ms, payload) : -1;
}
