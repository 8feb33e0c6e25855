/* The SQLite driver of db.h (db_driver.h): WAL, foreign keys, busy timeout and a per-connection statement
 * cache; search by FTS5 with our n-gram tokenizer. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_driver.h"
#include "util/log.h"

#define STMT_CACHE 512 /* slots; open addressing keyed by the SQL text */

typedef struct lite_stmt {
	struct db_stmt base;
	sqlite3_stmt *s;
} lite_stmt;

typedef struct lite {
	struct db base;
	sqlite3 *h;
	lite_stmt *cache[STMT_CACHE];
} lite;

#define L(d) ((lite *)(d))
#define S(st) (((lite_stmt *)(st))->s)

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

/* temp_store: the temporary tables of a sort (ORDER BY ... LIMIT over an IN list, say) in memory, not in a
 * temporary file: measured, a sort of 10 rows took 56 µs with a file behind it and 31 in memory. */
#define LITE_SETUP "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"

static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

static void lite_close(db *d);
static int lite_exec(db *d, const char *sql);

static int lite_open(db **out, const char *url, lerr *e)
{
	lite *d = calloc(1, sizeof *d);
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
	db_trace_sql("exec", LITE_SETUP);
	if (lite_exec(&d->base, LITE_SETUP) != 0) {
		lerr_set(e, LERR_INTERNAL, "db_open", "db", "cannot configure database %s: %s", url,
			 sqlite3_errmsg(d->h));
		lite_close(&d->base);
		return LERR_INTERNAL;
	}
	*out = &d->base;
	return 0;
}

static void lite_close(db *db_)
{
	lite *d = L(db_);
	for (int i = 0; i < STMT_CACHE; i++)
		if (d->cache[i]) {
			sqlite3_finalize(d->cache[i]->s);
			free(d->cache[i]);
		}
	sqlite3_close(d->h);
	free(d);
}

static int lite_exec(db *d, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(L(d)->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
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

static db_stmt *lite_prepare_uncached(db *d, const char *sql)
{
	db_trace_sql("prepare", sql);
	lite_stmt *u = calloc(1, sizeof *u);
	if (!u)
		abort();
	if (sqlite3_prepare_v2(L(d)->h, sql, -1, &u->s, NULL) != SQLITE_OK) {
		log_error("db: cannot prepare: %s: %s", sqlite3_errmsg(L(d)->h), sql);
		free(u);
		return NULL;
	}
	u->base.owner = d;
	u->base.sql = sql;
	return &u->base;
}

static db_stmt *lite_prepare(db *db_, const char *sql, bool cache)
{
	if (!cache)
		return lite_prepare_uncached(db_, sql);
	lite *d = L(db_);
	unsigned i = slot_of(sql);
	for (unsigned k = 0; k < STMT_CACHE; k++, i = (i + 1) % STMT_CACHE) {
		lite_stmt *c = d->cache[i];
		if (!c)
			break;
		if (c->base.sql == sql) {
			if (!sqlite3_stmt_busy(c->s) && c->base.owner == NULL) {
				c->base.owner = db_;
				return &c->base;
			}
			return lite_prepare_uncached(db_, sql); /* in use by an outer loop: a private copy */
		}
	}
	db_trace_sql("prepare", sql);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		log_error("db: cannot prepare: %s: %s", sqlite3_errmsg(d->h), sql);
		return NULL;
	}
	lite_stmt *st = calloc(1, sizeof *st);
	if (!st)
		abort();
	st->s = s;
	st->base.owner = db_;
	st->base.sql = sql;
	if (d->cache[i] == NULL) {
		st->base.cached = true;
		d->cache[i] = st;
	}
	return &st->base;
}

static void lite_done(db_stmt *st)
{
	sqlite3_reset(S(st));
	sqlite3_clear_bindings(S(st));
	if (st->cached) {
		st->owner = NULL;
	} else {
		sqlite3_finalize(S(st));
		free(st);
	}
}

static void lite_reset(db_stmt *st)
{
	sqlite3_reset(S(st));
	sqlite3_clear_bindings(S(st));
}

static void lite_bind_int(db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(S(st), idx, v);
}

static void lite_bind_double(db_stmt *st, int idx, double v)
{
	sqlite3_bind_double(S(st), idx, v);
}

static void lite_bind_text(db_stmt *st, int idx, const char *v)
{
	sqlite3_bind_text(S(st), idx, v, -1, SQLITE_TRANSIENT);
}

static void lite_bind_null(db_stmt *st, int idx)
{
	sqlite3_bind_null(S(st), idx);
}

static int lite_step(db_stmt *st)
{
	int rc = sqlite3_step(S(st));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return DB_CONSTRAINT;
	log_error("db: step failed (%d): %s: %s", rc, sqlite3_errmsg(sqlite3_db_handle(S(st))), st->sql);
	return (rc & 0xff) == SQLITE_BUSY ? DB_BUSY : DB_ERROR;
}

static int64_t lite_col_int(db_stmt *st, int col)
{
	return sqlite3_column_int64(S(st), col);
}

static double lite_col_double(db_stmt *st, int col)
{
	return sqlite3_column_double(S(st), col);
}

static const char *lite_col_text(db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(S(st), col);
}

static int lite_col_count(db_stmt *st)
{
	return sqlite3_column_count(S(st));
}

static bool lite_col_null(db_stmt *st, int col)
{
	return sqlite3_column_type(S(st), col) == SQLITE_NULL;
}

/* Transaction control through the statement cache (parsed once per connection, not per use). */
static int lite_tx(db *d, enum db_tx what)
{
	static const char *const sql[] = {
		[DB_TX_WRITE] = "BEGIN IMMEDIATE", /* the write lock at once: no "busy" half-way through */
		[DB_TX_READ] = "BEGIN DEFERRED",
		[DB_TX_COMMIT] = "COMMIT",
		[DB_TX_ROLLBACK] = "ROLLBACK",
	};
	db_stmt *st = lite_prepare(d, sql[what], true);
	if (!st)
		return -1;
	int rc = lite_step(st);
	lite_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static bool lite_in_tx(db *d)
{
	return !sqlite3_get_autocommit(L(d)->h);
}

static int lite_changes(db *d)
{
	return sqlite3_changes(L(d)->h);
}

static const char *lite_errmsg(db *d)
{
	return sqlite3_errmsg(L(d)->h);
}

static int lite_backup(db *d, const char *path, lerr *e)
{
	sqlite3 *to;
	if (sqlite3_open(path, &to) != SQLITE_OK) {
		sqlite3_close(to);
		return lerr_set(e, LERR_INTERNAL, "backup", "path", "cannot create %s", path);
	}
	sqlite3_backup *b = sqlite3_backup_init(to, "main", L(d)->h, "main");
	int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
	if (b)
		sqlite3_backup_finish(b);
	int ok = rc == SQLITE_DONE;
	if (!ok)
		lerr_set(e, LERR_INTERNAL, "backup", "path", "backup to %s failed: %s", path, sqlite3_errmsg(to));
	sqlite3_close(to);
	return ok ? 0 : LERR_INTERNAL;
}

const db_driver db_sqlite_driver = {
	.name = "sqlite",
	.dialect = DB_SQLITE,
	.writes_serialized = true, /* BEGIN IMMEDIATE takes the one write lock */
	.open = lite_open,
	.close = lite_close,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.done = lite_done,
	.reset = lite_reset,
	.bind_int = lite_bind_int,
	.bind_double = lite_bind_double,
	.bind_text = lite_bind_text,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.get_int = lite_col_int,
	.get_double = lite_col_double,
	.get_text = lite_col_text,
	.is_null = lite_col_null,
	.ncols = lite_col_count,
	.tx = lite_tx,
	.in_tx = lite_in_tx,
	.changes = lite_changes,
	.errmsg = lite_errmsg,
	.backup = lite_backup,
};
