/* The PostgreSQL driver of db.h (db_driver.h), on libpq.
 *
 * - SQL is written once for both stores with `?` and `?N` placeholders; this driver turns them into $N
 *   (outside quoted strings), as tools/pg-check.js does when it proves every statement against PostgreSQL.
 * - Statements are prepared once per connection (PQprepare, named s1, s2, ...) and cached by the address
 *   of their text, like the SQLite driver's; parameters and results travel as text.
 * - Transactions behave as SQLite's: a read transaction is one snapshot (REPEATABLE READ, READ ONLY); a
 *   write transaction first takes one transaction-scoped advisory lock, so writers run one at a time
 *   across every server on the database — what was read in a write transaction cannot change under it,
 *   as with SQLite's BEGIN IMMEDIATE (db_writes_serialized is true), and readers never wait.
 * - A connection that was lost is re-opened at the start of the next transaction (or statement outside
 *   one); its prepared statements are prepared again on first use.
 * - Errors: a constraint (SQLSTATE class 23) is DB_CONSTRAINT, a serialization failure or deadlock (40001,
 *   40P01) or a lost connection DB_BUSY, anything else DB_ERROR; each is logged with the statement. */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_driver.h"
#include "util/log.h"

#define STMT_CACHE 512
#define WRITE_LOCK_KEY "7418526001" /* pg_advisory_xact_lock key of write transactions */

typedef struct pg_stmt {
	struct db_stmt base;
	char *text;        /* the SQL with $N */
	int nparams;
	char **vals;       /* per parameter: its text, or NULL for SQL NULL */
	char *num;         /* nparams slots of 32 bytes for numbers */
	char **own;        /* per parameter: a copy of bound text we own, or NULL */
	unsigned id;       /* its name on the connection: s<id> */
	unsigned session;  /* the connection's session it was prepared in */
	PGresult *res;
	int row, nrows;
	bool ran;
} pg_stmt;

typedef struct pg {
	struct db base;
	PGconn *c;
	char *url;
	unsigned session;  /* bumped on every (re)connection: prepared statements belong to one */
	unsigned next_id;
	int changes;
	bool tx_open;      /* between our BEGIN and COMMIT/ROLLBACK: never reconnect then */
	pg_stmt *cache[STMT_CACHE];
	char err[512];
} pg;

#define P(d) ((pg *)(d))
#define PS(st) ((pg_stmt *)(st))

/* ------------------------------------------------------------------ placeholders */

/* sql with `?` and `?N` as $N outside quoted strings and identifiers (a bare `?` is one past the largest
 * number so far, as SQLite counts); *nparams the largest.  Caller frees. */
static char *dollars(const char *sql, int *nparams)
{
	size_t n = strlen(sql);
	char *out = malloc(4 * n + 1), *o = out;
	if (!out)
		abort();
	int max = 0;
	for (const char *s = sql; *s; s++) {
		if (*s == '\'' || *s == '"') {
			const char *end = strchr(s + 1, *s);
			size_t len = end ? (size_t)(end - s) + 1 : strlen(s);
			memcpy(o, s, len);
			o += len;
			s += len - 1;
		} else if (*s == '?') {
			int k = 0;
			const char *d = s + 1;
			while (*d >= '0' && *d <= '9')
				k = k * 10 + (*d++ - '0');
			if (d == s + 1)
				k = max + 1;
			if (k > max)
				max = k;
			o += sprintf(o, "$%d", k);
			s = d - 1;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
	*nparams = max;
	return out;
}

/* ------------------------------------------------------------------ connections */

static void pg_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* NOTICEs (e.g. "relation already exists, skipping") are not errors */
}

static bool connect_now(pg *d)
{
	if (d->c && PQstatus(d->c) == CONNECTION_OK)
		return true;
	if (d->c)
		PQreset(d->c);
	else
		d->c = PQconnectdb(d->url);
	if (PQstatus(d->c) != CONNECTION_OK) {
		snprintf(d->err, sizeof d->err, "%s", PQerrorMessage(d->c));
		return false;
	}
	PQsetNoticeProcessor(d->c, pg_notice, NULL);
	d->session++;
	PGresult *r = PQexec(d->c, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
	PQclear(r);
	return true;
}

static void pg_close(db *db_);

static int pg_open(db **out, const char *url, lerr *e)
{
	pg *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	/* A database host that does not answer must not hold a request for the system's connect timeout
	 * (minutes): five seconds, unless the URL says otherwise. */
	size_t n = strlen(url) + 40;
	if (!(d->url = malloc(n)))
		abort();
	if (strstr(url, "connect_timeout="))
		snprintf(d->url, n, "%s", url);
	else
		snprintf(d->url, n, "%s%sconnect_timeout=5", url, strchr(url, '?') ? "&" : "?");
	if (!connect_now(d)) {
		/* The message names the server, never the password (libpq leaves it out). */
		lerr_set(e, LERR_INTERNAL, "db_open", "db", "cannot connect to PostgreSQL: %s", d->err);
		pg_close(&d->base);
		return LERR_INTERNAL;
	}
	*out = &d->base;
	return 0;
}

static void stmt_free(pg_stmt *st)
{
	PQclear(st->res);
	for (int i = 0; i < st->nparams; i++)
		free(st->own[i]);
	free(st->own);
	free(st->vals);
	free(st->num);
	free(st->text);
	free(st);
}

static void pg_close(db *db_)
{
	pg *d = P(db_);
	for (int i = 0; i < STMT_CACHE; i++)
		if (d->cache[i])
			stmt_free(d->cache[i]);
	if (d->c)
		PQfinish(d->c);
	free(d->url);
	free(d);
}

/* A working connection for what comes next: outside a transaction a lost one is opened again; inside
 * one, the transaction is lost with it and must fail (a COMMIT on a new connection would "succeed"). */
static bool ready(pg *d)
{
	if (PQstatus(d->c) == CONNECTION_OK)
		return true;
	if (d->tx_open) {
		snprintf(d->err, sizeof d->err, "the connection to PostgreSQL was lost in a transaction");
		return false;
	}
	return connect_now(d);
}

/* After a failure: true when it was the connection, found dead only now (the database restarted, or ended
 * it while it was idle), outside a transaction, for what may simply be sent again — a transaction's
 * begin, a setting, a LISTEN, or a read — and a new connection is there.  Nothing had started on the dead
 * one, so nothing is lost or done twice; inside a transaction the failure stands (ready()). */
static bool lost_between(pg *d, const char *sql)
{
	if (d->tx_open || PQstatus(d->c) == CONNECTION_OK)
		return false;
	while (*sql == ' ')
		sql++;
	if (strncmp(sql, "BEGIN", 5) && strncmp(sql, "SELECT", 6) && strncmp(sql, "SET", 3) && strncmp(sql, "LISTEN", 6))
		return false;
	log_warn("db: the connection to PostgreSQL had ended; connecting again");
	return connect_now(d);
}

/* Runs sql (one or more statements, no parameters); 0 or -1 (logged). */
static int run(pg *d, const char *sql, bool log)
{
	if (!ready(d)) {
		if (log)
			log_error("db: %s: %.200s", d->err, sql);
		return -1;
	}
	PGresult *r = PQexec(d->c, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : -1;
	if (rc && lost_between(d, sql)) { /* a connection the database ended while idle: once more, on a new one */
		PQclear(r);
		r = PQexec(d->c, sql);
		s = PQresultStatus(r);
		rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : -1;
	}
	if (rc && log)
		log_error("db: %s: %.200s", PQresultErrorMessage(r), sql);
	if (!rc)
		d->changes = atoi(PQcmdTuples(r));
	PQclear(r);
	return rc;
}

static int pg_exec(db *d, const char *sql)
{
	return run(P(d), sql, true);
}

/* ------------------------------------------------------------------ statements */

static unsigned slot_of(const char *sql)
{
	uint64_t h = (uint64_t)(uintptr_t)sql * 0x9E3779B97F4A7C15ull;
	return (unsigned)(h >> 40) % STMT_CACHE;
}

static pg_stmt *stmt_new(db *d, const char *sql)
{
	db_trace_sql("prepare", sql);
	pg_stmt *st = calloc(1, sizeof *st);
	if (!st)
		abort();
	st->text = dollars(sql, &st->nparams);
	int n = st->nparams ? st->nparams : 1;
	st->vals = calloc((size_t)n, sizeof *st->vals);
	st->own = calloc((size_t)n, sizeof *st->own);
	st->num = calloc((size_t)n, 32);
	if (!st->vals || !st->own || !st->num)
		abort();
	st->base.owner = d;
	st->base.sql = sql;
	st->row = -1;
	return st;
}

/* Prepares st on the connection now (PQprepare), so that SQL that does not compile is an error of
 * db_prepare, as with SQLite; false (logged) when it does not. */
static bool prepare_now(pg *d, pg_stmt *st)
{
	if (!ready(d)) {
		log_error("db: cannot prepare: %s: %s", d->err, st->base.sql);
		return false;
	}
	char name[16];
	snprintf(name, sizeof name, "s%u", st->id);
	PGresult *r = PQprepare(d->c, name, st->text, st->nparams, NULL);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok && !d->tx_open && PQstatus(d->c) != CONNECTION_OK && connect_now(d)) {
		PQclear(r); /* a connection found dead only now: preparing executes nothing, so again on a new one */
		r = PQprepare(d->c, name, st->text, st->nparams, NULL);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	}
	if (ok)
		st->session = d->session;
	else
		log_error("db: cannot prepare: %s: %s", PQresultErrorMessage(r), st->base.sql);
	PQclear(r);
	return ok;
}

/* An uncached statement: prepared under a name of its own, which db_done deallocates. */
static db_stmt *private_stmt(pg *d, const char *sql)
{
	pg_stmt *st = stmt_new(&d->base, sql);
	st->id = ++d->next_id;
	if (!prepare_now(d, st)) {
		stmt_free(st);
		return NULL;
	}
	return &st->base;
}

static db_stmt *pg_prepare(db *db_, const char *sql, bool cache)
{
	pg *d = P(db_);
	if (!cache)
		return private_stmt(d, sql);
	unsigned i = slot_of(sql);
	for (unsigned k = 0; k < STMT_CACHE; k++, i = (i + 1) % STMT_CACHE) {
		pg_stmt *c = d->cache[i];
		if (!c)
			break;
		if (c->base.sql == sql) {
			if (c->base.owner == NULL) {
				c->base.owner = db_;
				return &c->base;
			}
			return private_stmt(d, sql); /* in use by an outer loop: a private one */
		}
	}
	if (d->cache[i] != NULL) /* the cache is full here: a private one */
		return private_stmt(d, sql);
	pg_stmt *st = stmt_new(db_, sql);
	st->id = ++d->next_id;
	if (!prepare_now(d, st)) {
		stmt_free(st);
		return NULL;
	}
	st->base.cached = true;
	d->cache[i] = st;
	return &st->base;
}

static void clear_binds(pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->own[i]);
		st->own[i] = NULL;
		st->vals[i] = NULL;
	}
}

static void pg_reset(db_stmt *s)
{
	pg_stmt *st = PS(s);
	PQclear(st->res);
	st->res = NULL;
	st->ran = false;
	st->row = -1;
	st->nrows = 0;
	clear_binds(st);
}

static void pg_done(db_stmt *s)
{
	pg_reset(s);
	if (s->cached) {
		s->owner = NULL;
		return;
	}
	pg *d = P(s->owner);
	if (PS(s)->session == d->session && PQstatus(d->c) == CONNECTION_OK) {
		char sql[32];
		snprintf(sql, sizeof sql, "DEALLOCATE s%u", PS(s)->id);
		PQclear(PQexec(d->c, sql));
	}
	stmt_free(PS(s));
}

static void pg_bind_int(db_stmt *s, int idx, int64_t v)
{
	pg_stmt *st = PS(s);
	if (idx < 1 || idx > st->nparams)
		return;
	char *slot = st->num + (size_t)(idx - 1) * 32;
	snprintf(slot, 32, "%lld", (long long)v);
	free(st->own[idx - 1]);
	st->own[idx - 1] = NULL;
	st->vals[idx - 1] = slot;
}

static void pg_bind_double(db_stmt *s, int idx, double v)
{
	pg_stmt *st = PS(s);
	if (idx < 1 || idx > st->nparams)
		return;
	char *slot = st->num + (size_t)(idx - 1) * 32;
	snprintf(slot, 32, "%.17g", v);
	free(st->own[idx - 1]);
	st->own[idx - 1] = NULL;
	st->vals[idx - 1] = slot;
}

static void pg_bind_text(db_stmt *s, int idx, const char *v)
{
	pg_stmt *st = PS(s);
	if (idx < 1 || idx > st->nparams)
		return;
	free(st->own[idx - 1]);
	if (!(st->own[idx - 1] = strdup(v)))
		abort();
	st->vals[idx - 1] = st->own[idx - 1];
}

static void pg_bind_null(db_stmt *s, int idx)
{
	pg_stmt *st = PS(s);
	if (idx < 1 || idx > st->nparams)
		return;
	free(st->own[idx - 1]);
	st->own[idx - 1] = NULL;
	st->vals[idx - 1] = NULL;
}

/* The DB_* code of a failed result (logged). */
static int failure(pg *d, PGresult *r, const char *sql)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	snprintf(d->err, sizeof d->err, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(d->c));
	if (state && strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	bool busy = !state || PQstatus(d->c) != CONNECTION_OK || strcmp(state, "40001") == 0 ||
		    strcmp(state, "40P01") == 0 || strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0;
	log_error("db: %s (%s): %.300s", d->err, state ? state : "no connection", sql);
	return busy ? DB_BUSY : DB_ERROR;
}

/* Runs st on the connection, preparing it first when this connection has not; NULL when the prepare
 * failed (d->err says why). */
static PGresult *exec_stmt(pg *d, pg_stmt *st)
{
	char name[16];
	snprintf(name, sizeof name, "s%u", st->id);
	if (st->session != d->session) { /* prepared in an earlier connection: again in this one */
		PGresult *r = PQprepare(d->c, name, st->text, st->nparams, NULL);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			snprintf(d->err, sizeof d->err, "%s", PQresultErrorMessage(r));
		PQclear(r);
		if (!ok)
			return NULL;
		st->session = d->session;
	}
	return PQexecPrepared(d->c, name, st->nparams, (const char *const *)st->vals, NULL, NULL, 0);
}

static int pg_step(db_stmt *s)
{
	pg_stmt *st = PS(s);
	pg *d = P(s->owner);
	if (!st->ran) {
		st->ran = true;
		if (!ready(d))
			return failure(d, NULL, s->sql);
		PGresult *r = exec_stmt(d, st);
		if (!r || (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)) {
			if (lost_between(d, s->sql)) {
				PQclear(r);
				r = exec_stmt(d, st); /* prepared again in the new connection */
			}
		}
		if (!r) /* its prepare failed */
			return failure(d, NULL, s->sql);
		ExecStatusType rs = PQresultStatus(r);
		if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
			int rc = failure(d, r, s->sql);
			PQclear(r);
			return rc;
		}
		st->res = r;
		st->nrows = rs == PGRES_TUPLES_OK ? PQntuples(r) : 0;
		d->changes = atoi(PQcmdTuples(r));
		st->row = -1;
	}
	return ++st->row < st->nrows ? DB_ROW : DB_DONE;
}

static const char *value(db_stmt *s, int col)
{
	pg_stmt *st = PS(s);
	if (!st->res || st->row < 0 || st->row >= st->nrows || col < 0 || col >= PQnfields(st->res) ||
	    PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static int64_t pg_col_int(db_stmt *s, int col)
{
	const char *v = value(s, col);
	if (!v)
		return 0;
	if (v[0] == 't' && !v[1]) /* a boolean expression */
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static double pg_col_double(db_stmt *s, int col)
{
	const char *v = value(s, col);
	return v ? strtod(v, NULL) : 0;
}

static const char *pg_col_text(db_stmt *s, int col)
{
	return value(s, col);
}

static bool pg_col_null(db_stmt *s, int col)
{
	pg_stmt *st = PS(s);
	return !st->res || st->row < 0 || st->row >= st->nrows || col < 0 || col >= PQnfields(st->res) ||
	       PQgetisnull(st->res, st->row, col);
}

static int pg_col_count(db_stmt *s)
{
	pg_stmt *st = PS(s);
	return st->res ? PQnfields(st->res) : 0;
}

/* ------------------------------------------------------------------ transactions */

static int pg_tx(db *db_, enum db_tx what)
{
	pg *d = P(db_);
	switch (what) {
	case DB_TX_WRITE:
		/* One writer at a time on the whole database, as with SQLite (see the top of this file). */
		if (run(d, "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")", true)) {
			run(d, "ROLLBACK", false);
			return -1;
		}
		d->tx_open = true;
		return 0;
	case DB_TX_READ:
		if (run(d, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", true))
			return -1;
		d->tx_open = true;
		return 0;
	case DB_TX_COMMIT: {
		if (!ready(d)) {
			d->tx_open = false;
			log_error("db: %s: COMMIT", d->err);
			return -1;
		}
		PGresult *r = PQexec(d->c, "COMMIT");
		/* COMMIT of a transaction a statement failed in answers "ROLLBACK": that is no success. */
		int rc = PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0 ? 0 : -1;
		if (rc)
			log_error("db: COMMIT failed: %s%s", PQresultErrorMessage(r), PQcmdStatus(r));
		PQclear(r);
		d->tx_open = false;
		return rc;
	}
	case DB_TX_ROLLBACK:
		d->tx_open = false;
		return PQstatus(d->c) == CONNECTION_OK ? run(d, "ROLLBACK", false) : 0;
	}
	return -1;
}

static bool pg_in_tx(db *db_)
{
	return P(db_)->tx_open;
}

static int pg_changes(db *d)
{
	return P(d)->changes;
}

static const char *pg_errmsg(db *d)
{
	return P(d)->err;
}

static int pg_backup(db *d, const char *path, lerr *e)
{
	(void)d;
	(void)path;
	return lerr_set(e, LERR_BAD_REQUEST, "unsupported", "db",
			"a PostgreSQL store is backed up with PostgreSQL's own tools (pg_dump; docs/deployment.md)");
}

/* ------------------------------------------------------------------ events between servers */

static int pg_listen(db *db_, const char *channel)
{
	pg *d = P(db_);
	if (!ready(d))
		return -1;
	char *id = PQescapeIdentifier(d->c, channel, strlen(channel));
	if (!id)
		return -1;
	char sql[200];
	snprintf(sql, sizeof sql, "LISTEN %s", id);
	PQfreemem(id);
	return run(d, sql, true);
}

static int pg_wait_event(db *db_, int timeout_ms, char **payload)
{
	pg *d = P(db_);
	if (PQstatus(d->c) != CONNECTION_OK)
		return -1;
	for (int round = 0; round < 2; round++) {
		if (!PQconsumeInput(d->c))
			return -1;
		PGnotify *n = PQnotifies(d->c);
		if (n) {
			*payload = strdup(n->extra ? n->extra : "");
			PQfreemem(n);
			if (!*payload)
				abort();
			return 1;
		}
		if (round)
			break;
		struct pollfd p = {.fd = PQsocket(d->c), .events = POLLIN};
		if (p.fd < 0)
			return -1;
		int k = poll(&p, 1, timeout_ms);
		if (k < 0)
			return 0; /* interrupted: the caller asks again */
		if (k == 0)
			return 0;
	}
	return 0;
}

const db_driver db_pg_driver = {
	.name = "postgres",
	.dialect = DB_POSTGRES,
	.writes_serialized = true, /* the advisory lock of every write transaction */
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.done = pg_done,
	.reset = pg_reset,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.get_int = pg_col_int,
	.get_double = pg_col_double,
	.get_text = pg_col_text,
	.is_null = pg_col_null,
	.ncols = pg_col_count,
	.tx = pg_tx,
	.in_tx = pg_in_tx,
	.changes = pg_changes,
	.errmsg = pg_errmsg,
	.backup = pg_backup,
	.listen = pg_listen,
	.wait_event = pg_wait_event,
};
