/* The db.h API implemented on SQLite: WAL, foreign keys, busy timeout and a per-connection statement cache. */
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "util/log.h"

#define STMT_CACHE 512 /* slots; open addressing keyed by the SQL text */

struct db_stmt {
	sqlite3_stmt *s;
	db *owner;
	const char *sql;   /* the caller's literal; key of the cache */
	bool cached;       /* false: finalize on db_done */
};

struct db {
	sqlite3 *h;
	db_stmt *cache[STMT_CACHE];
	long fault_in;   /* statements until an injected failure; 0: none */
	long steps;      /* statements since db_fault_after */
	long prepared;   /* db_prepare calls, for db_statements */
	uint64_t serial; /* the current read transaction's, while `reading` (from read_serials) */
	bool reading;    /* in a transaction begun by db_begin_read */
};

/* Serials of read transactions, unique in the process whatever the connection. */
static _Atomic uint64_t read_serials;

long db_statements(db *d)
{
	return d->prepared;
}

/* True when this statement is the one chosen to fail (see db_fault_after). */
static bool fault_now(db *d)
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

static void trace_sql(const char *via, const char *sql)
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

/* ------------------------------------------------------------------ search: the n-gram tokenizer */

/* FTS5 tokenizer "liaison_ngram": exact substring search in any script, Chinese included (which has no
 * spaces between words), for queries of any length — SQLite's own trigram tokenizer cannot answer one-
 * or two-character queries such as 部门.  A text of characters c0 c1 ... is indexed as the bigram
 * c_i c_(i+1) at each position i, with the unigram c_i colocated there (and the last character alone at
 * the last position).  A query of one character looks up its unigram; a longer one is the phrase of its
 * consecutive bigrams, which matches exactly where the query occurs as a substring.  ASCII letters are
 * lowered; every other character, spaces included, counts as itself. */

static int utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static int ngram_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx, (void)argv, (void)argc;
	static int dummy;
	*out = (Fts5Tokenizer *)&dummy;
	return SQLITE_OK;
}

static void ngram_delete(Fts5Tokenizer *t)
{
	(void)t;
}

static int ngram_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
			  int (*token)(void *, int, const char *, int, int, int))
{
	(void)t;
	/* Character starts (byte offsets), at most n + 1 of them. */
	int starts_small[256];
	int *starts = n < 255 ? starts_small : sqlite3_malloc((n + 1) * (int)sizeof(int));
	if (!starts)
		return SQLITE_NOMEM;
	int nchars = 0;
	for (int i = 0; i < n;) {
		starts[nchars++] = i;
		int k = utf8_len((unsigned char)text[i]);
		i += i + k <= n ? k : n - i;
	}
	starts[nchars] = n;
	int rc = SQLITE_OK;
	bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
	char buf[16];
	for (int i = 0; i < nchars && rc == SQLITE_OK; i++) {
		int a = starts[i], b = starts[i + 1];
		bool last = i + 1 == nchars;
		int end = last ? b : starts[i + 2];
		if (query && nchars > 1 && last)
			break; /* a query is its bigrams */
		int len = 0;
		for (int j = a; j < end && len < (int)sizeof buf; j++)
			buf[len++] = (char)(text[j] >= 'A' && text[j] <= 'Z' ? text[j] + 32 : text[j]);
		if (last) {
			rc = token(ctx, 0, buf, len, a, b); /* the last character: its unigram alone */
		} else {
			rc = token(ctx, 0, buf, len, a, end);
			if (rc == SQLITE_OK && !query)
				rc = token(ctx, FTS5_TOKEN_COLOCATED, buf, b - a, a, b);
		}
	}
	if (starts != starts_small)
		sqlite3_free(starts);
	return rc;
}

/* Registers liaison_ngram on the connection (before any statement touches a table that uses it). */
static int register_ngram(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api)
		return -1;
	static fts5_tokenizer tok = {ngram_create, ngram_delete, ngram_tokenize};
	return api->xCreateTokenizer(api, "liaison_ngram", NULL, &tok, NULL) == SQLITE_OK ? 0 : -1;
}

static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

bool db_url_is_postgres(const char *url)
{
	return url && (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0);
}

int db_open(db **out, const char *url, lerr *e)
{
	*out = NULL;
	if (!url || !*url)
		return lerr_set(e, LERR_BAD_REQUEST, "bad_argument", "db", "--db is required");
	if (db_url_is_postgres(url))
		return lerr_set(e, LERR_BAD_REQUEST, "unsupported", "db",
				"PostgreSQL support is not built into this version yet; use a SQLite file path");
	db *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	/* No global memory statistics: they take one global mutex on every allocation of every thread. */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_sqlite);
	int rc = sqlite3_open_v2(url, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		lerr_set(e, LERR_INTERNAL, "db_open", "db", "cannot open database %s: %s", url,
			 d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
		sqlite3_close(d->h);
		free(d);
		return LERR_INTERNAL;
	}
	sqlite3_busy_timeout(d->h, 5000);
	if (register_ngram(d->h)) {
		lerr_set(e, LERR_INTERNAL, "db_open", "db", "cannot set up search on %s: this SQLite has no FTS5", url);
		sqlite3_close(d->h);
		free(d);
		return LERR_INTERNAL;
	}
	sqlite3_extended_result_codes(d->h, 1);
	/* temp_store: the temporary tables of a sort (ORDER BY ... LIMIT over an IN list, say) in memory, not
	 * in a temporary file: measured, a sort of 10 rows took 56 µs with a file behind it and 31 in memory. */
	if (db_exec(d, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
		       " PRAGMA temp_store=MEMORY;") != 0) {
		lerr_set(e, LERR_INTERNAL, "db_open", "db", "cannot configure database %s: %s", url,
			 sqlite3_errmsg(d->h));
		db_close(d);
		return LERR_INTERNAL;
	}
	*out = d;
	return 0;
}

void db_close(db *d)
{
	if (!d)
		return;
	for (int i = 0; i < STMT_CACHE; i++)
		if (d->cache[i]) {
			sqlite3_finalize(d->cache[i]->s);
			free(d->cache[i]);
		}
	sqlite3_close(d->h);
	free(d);
}

int db_exec(db *d, const char *sql)
{
	trace_sql("exec", sql);
	if (fault_now(d))
		return -1;
	char *msg = NULL;
	if (sqlite3_exec(d->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("db: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Statements are cached by the address of their SQL text (a string literal, so one address per text
 * in practice): no hashing of long texts on every use. */
static unsigned slot_of(const char *sql)
{
	uint64_t h = (uint64_t)(uintptr_t)sql * 0x9E3779B97F4A7C15ull;
	return (unsigned)(h >> 40) % STMT_CACHE;
}

db_stmt *db_prepare(db *d, const char *sql)
{
	d->prepared++;
	unsigned i = slot_of(sql);
	for (unsigned k = 0; k < STMT_CACHE; k++, i = (i + 1) % STMT_CACHE) {
		db_stmt *c = d->cache[i];
		if (!c)
			break;
		if (c->sql == sql) {
			if (!sqlite3_stmt_busy(c->s) && c->owner == NULL) {
				c->owner = d;
				return c;
			}
			goto uncached; /* in use by an outer loop: use a private copy */
		}
	}
	trace_sql("prepare", sql);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		log_error("db: cannot prepare: %s: %s", sqlite3_errmsg(d->h), sql);
		return NULL;
	}
	db_stmt *st = calloc(1, sizeof *st);
	if (!st)
		abort();
	st->s = s;
	st->owner = d;
	st->sql = sql;
	if (d->cache[i] == NULL) {
		st->cached = true;
		d->cache[i] = st;
	}
	return st;

uncached:
	return db_prepare_uncached(d, sql);
}

db_stmt *db_prepare_uncached(db *d, const char *sql)
{
	trace_sql("prepare", sql);
	db_stmt *u = calloc(1, sizeof *u);
	if (!u)
		abort();
	if (sqlite3_prepare_v2(d->h, sql, -1, &u->s, NULL) != SQLITE_OK) {
		log_error("db: cannot prepare: %s: %s", sqlite3_errmsg(d->h), sql);
		free(u);
		return NULL;
	}
	u->owner = d;
	u->sql = sql;
	return u;
}

void db_done(db_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
	if (st->cached) {
		st->owner = NULL;
	} else {
		sqlite3_finalize(st->s);
		free(st);
	}
}

void db_reset(db_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
}

void db_bind_int(db_stmt *st, int idx, int64_t v)
{
	if (!st)
		return;
	sqlite3_bind_int64(st->s, idx, v);
}

void db_bind_double(db_stmt *st, int idx, double v)
{
	if (!st)
		return;
	sqlite3_bind_double(st->s, idx, v);
}

void db_bind_text(db_stmt *st, int idx, const char *v)
{
	if (!st)
		return;
	if (v)
		sqlite3_bind_text(st->s, idx, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->s, idx);
}

void db_bind_null(db_stmt *st, int idx)
{
	if (!st)
		return;
	sqlite3_bind_null(st->s, idx);
}

void db_bind_id(db_stmt *st, int idx, int64_t v)
{
	if (!st)
		return;
	if (v > 0)
		sqlite3_bind_int64(st->s, idx, v);
	else
		sqlite3_bind_null(st->s, idx);
}

int db_step(db_stmt *st)
{
	if (!st)
		return DB_ERROR;
	if (st->owner && fault_now(st->owner))
		return DB_ERROR;
	int rc = sqlite3_step(st->s);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return DB_CONSTRAINT;
	sqlite3 *h = sqlite3_db_handle(st->s);
	log_error("db: step failed (%d): %s: %s", rc, sqlite3_errmsg(h), st->sql);
	return (rc & 0xff) == SQLITE_BUSY ? DB_BUSY : DB_ERROR;
}

int64_t db_col_int(db_stmt *st, int col)
{
	return sqlite3_column_int64(st->s, col);
}

double db_col_double(db_stmt *st, int col)
{
	return sqlite3_column_double(st->s, col);
}

const char *db_col_text(db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->s, col);
}

int db_col_count(db_stmt *st)
{
	return sqlite3_column_count(st->s);
}

bool db_col_null(db_stmt *st, int col)
{
	return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

/* Transaction control through the statement cache (parsed once per connection, not per use); not
 * counted in db_statements, which measures the work of a request. */
static int control(db *d, const char *sql)
{
	db_stmt *st = db_prepare(d, sql);
	d->prepared--;
	int rc = db_step(st); /* a fault injected here fails the transaction's start or end */
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int db_begin(db *d)
{
	d->reading = false;
	return control(d, "BEGIN IMMEDIATE");
}

int db_begin_read(db *d)
{
	d->serial = atomic_fetch_add(&read_serials, 1) + 1;
	int rc = control(d, "BEGIN DEFERRED");
	d->reading = rc == 0;
	return rc;
}

int db_commit(db *d)
{
	d->reading = false;
	return control(d, "COMMIT");
}

void db_rollback(db *d)
{
	d->reading = false;
	if (!sqlite3_get_autocommit(d->h))
		control(d, "ROLLBACK");
}

uint64_t db_read_serial(db *d)
{
	return d->reading && !sqlite3_get_autocommit(d->h) ? d->serial : 0;
}

bool db_in_tx(db *d)
{
	return !sqlite3_get_autocommit(d->h);
}

enum db_dialect db_dialect_of(db *d)
{
	(void)d;
	return DB_SQLITE;
}

bool db_writes_serialized(db *d)
{
	(void)d;
	return true; /* BEGIN IMMEDIATE takes the one write lock */
}

int db_changes(db *d)
{
	return sqlite3_changes(d->h);
}

const char *db_errmsg(db *d)
{
	return sqlite3_errmsg(d->h);
}

int64_t db_one_int(db_stmt *st, int64_t dflt)
{
	if (!st)
		return dflt;
	int64_t v = db_step(st) == DB_ROW && !db_col_null(st, 0) ? db_col_int(st, 0) : dflt;
	db_done(st);
	return v;
}

int db_backup(db *d, const char *path, lerr *e)
{
	sqlite3 *to;
	if (sqlite3_open(path, &to) != SQLITE_OK) {
		sqlite3_close(to);
		return lerr_set(e, LERR_INTERNAL, "backup", "path", "cannot create %s", path);
	}
	sqlite3_backup *b = sqlite3_backup_init(to, "main", d->h, "main");
	int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
	if (b)
		sqlite3_backup_finish(b);
	int ok = rc == SQLITE_DONE;
	if (!ok)
		lerr_set(e, LERR_INTERNAL, "backup", "path", "backup to %s failed: %s", path, sqlite3_errmsg(to));
	sqlite3_close(to);
	return ok ? 0 : LERR_INTERNAL;
}
