/* One database API over SQLite (today) and PostgreSQL (later): callers never see which one is behind it.
 *
 * SQL uses `?` placeholders (translated to $n for PostgreSQL) and portable syntax: `RETURNING id`,
 * `ON CONFLICT`, integer milliseconds for instants, TEXT for dates.  A connection belongs to one
 * thread at a time.  Prepared statements are cached per connection, keyed by the SQL text, so the
 * same literal prepared twice costs one parse. */
#ifndef LIAISON_STORE_DB_H
#define LIAISON_STORE_DB_H
#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

/* Store result codes, distinct from every LERR_* code so that one can never be mistaken for the other. */
enum { DB_DONE = 0, DB_ROW = 1, DB_ERROR = -101, DB_CONSTRAINT = -102, DB_BUSY = -103 };

/* Opens `url` (a file path, or later postgres://...); the caller frees with db_close. */
int db_open(db **out, const char *url, lerr *e);
void db_close(db *d);
/* True when url names a PostgreSQL server. */
bool db_url_is_postgres(const char *url);

/* Runs one or more statements without parameters (schema changes). */
int db_exec(db *d, const char *sql);

/* A ready statement with no bindings; finish with db_done (returns it to the cache).
 * Returns NULL and logs when the SQL does not compile or the store fails; every other function here
 * accepts that NULL (binds do nothing, db_step answers DB_ERROR), so a failed prepare becomes an error
 * answer at the call site, never a crash. */
db_stmt *db_prepare(db *d, const char *sql);
/* db_prepare's statements are cached by the address of `sql`, which must therefore be a string literal
 * (or live as long as the connection); SQL built at run time (tests only) uses this, which never caches. */
db_stmt *db_prepare_uncached(db *d, const char *sql);
void db_done(db_stmt *st);
/* Makes st ready to run again with new bindings, keeping it. */
void db_reset(db_stmt *st);

void db_bind_int(db_stmt *st, int idx, int64_t v);   /* idx counts from 1 */
void db_bind_double(db_stmt *st, int idx, double v);
void db_bind_text(db_stmt *st, int idx, const char *v); /* NULL binds SQL NULL; the text is copied */
void db_bind_null(db_stmt *st, int idx);
/* Binds v, or NULL when v <= 0 (optional foreign keys). */
void db_bind_id(db_stmt *st, int idx, int64_t v);

/* DB_ROW, DB_DONE, DB_CONSTRAINT (unique / foreign key / check failed) or DB_ERROR. */
int db_step(db_stmt *st);
int64_t db_col_int(db_stmt *st, int col);    /* col counts from 0 */
double db_col_double(db_stmt *st, int col);
const char *db_col_text(db_stmt *st, int col); /* valid until the next step or db_done; NULL for NULL */
bool db_col_null(db_stmt *st, int col);
int db_col_count(db_stmt *st);

/* Transactions.  db_begin takes the write lock at once (BEGIN IMMEDIATE) so that a transaction
 * that reads before it writes cannot fail half-way with "busy". */
int db_begin(db *d);
/* A read-only transaction: every statement until db_commit sees one snapshot of the store, and the
 * store's locks are taken once for all of them instead of once per statement. */
int db_begin_read(db *d);
int db_commit(db *d);
void db_rollback(db *d);
bool db_in_tx(db *d);
/* Inside a transaction begun by db_begin_read, a number no other transaction of this connection has had
 * (what was read in it stays true until it ends: a memo may key on it); 0 otherwise. */
uint64_t db_read_serial(db *d);
/* True when the store lets one write transaction run at a time (SQLite), so what a transaction read
 * cannot change under it; false for a store with concurrent writers, which must lock rows it relies on. */
bool db_writes_serialized(db *d);
/* Which SQL dialect the store speaks, for the few statements that must differ (search, locks, DDL). */
enum db_dialect { DB_SQLITE, DB_POSTGRES };
enum db_dialect db_dialect_of(db *d);

int db_changes(db *d);
/* The driver's last error text, for logs only. */
const char *db_errmsg(db *d);

/* Helpers for one-value queries: run st to its first row and return column 0 (or dflt), then db_done. */
int64_t db_one_int(db_stmt *st, int64_t dflt);

/* Statements prepared on d so far (each use of a statement counts once): what a request cost the store. */
long db_statements(db *d);

/* Fault injection, for tests that prove the error paths: the n-th statement run on d from now on
 * (1 = the next; db_step and db_exec both count) fails with DB_ERROR; 0 turns it off.  db_fault_steps
 * answers how many statements ran since the last db_fault_after. */
void db_fault_after(db *d, long n);
long db_fault_steps(db *d);

/* Events between the servers of one store (PostgreSQL's LISTEN/NOTIFY; a SQLite store has one server, so
 * none): db_has_events says whether the store carries them; db_notify sends payload on `channel` when the
 * current transaction commits (at once outside one; nothing if it rolls back); db_listen subscribes this
 * connection to `channel`; db_wait_event waits up to timeout_ms for an event on it: 1 with its payload in
 * *payload (the caller frees it), 0 when none came, -1 when the connection failed. */
bool db_has_events(db *d);
int db_notify(db *d, const char *channel, const char *payload);
int db_listen(db *d, const char *channel);
int db_wait_event(db *d, int timeout_ms, char **payload);

/* Online copy of the whole store to a new SQLite file at path. */
int db_backup(db *d, const char *path, lerr *e);

#endif
