/* What a store driver implements behind db.h (internal to src/store: db.c dispatches to db_sqlite.c or
 * db_pg.c).  A driver's connection embeds `struct db` first and its statements embed `struct db_stmt`
 * first; db.c keeps what every driver shares (statement counts, fault injection, the SQL trace, the
 * serial of read transactions), the driver what its library needs. */
#ifndef LIAISON_STORE_DB_DRIVER_H
#define LIAISON_STORE_DB_DRIVER_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

enum db_tx { DB_TX_WRITE, DB_TX_READ, DB_TX_COMMIT, DB_TX_ROLLBACK };

typedef struct db_driver {
	const char *name;
	enum db_dialect dialect;
	bool writes_serialized;
	/* A new connection (calloc'd by the driver, struct db first) or an lerr. */
	int (*open)(db **out, const char *url, lerr *e);
	void (*close)(db *d);
	int (*exec)(db *d, const char *sql);
	/* A statement for sql (NULL and logged when it does not compile); `cache` false: never cached. */
	db_stmt *(*prepare)(db *d, const char *sql, bool cache);
	void (*done)(db_stmt *st);
	void (*reset)(db_stmt *st);
	void (*bind_int)(db_stmt *st, int idx, int64_t v);
	void (*bind_double)(db_stmt *st, int idx, double v);
	void (*bind_text)(db_stmt *st, int idx, const char *v);
	void (*bind_null)(db_stmt *st, int idx);
	int (*step)(db_stmt *st);
	int64_t (*get_int)(db_stmt *st, int col);
	double (*get_double)(db_stmt *st, int col);
	const char *(*get_text)(db_stmt *st, int col);
	bool (*is_null)(db_stmt *st, int col);
	int (*ncols)(db_stmt *st);
	int (*tx)(db *d, enum db_tx what); /* 0 or -1 */
	bool (*in_tx)(db *d);
	int (*changes)(db *d);
	const char *(*errmsg)(db *d);
	int (*backup)(db *d, const char *path, lerr *e);
	/* Events between servers; NULL when the store has none (db.h, db_notify). */
	int (*listen)(db *d, const char *channel);
	int (*wait_event)(db *d, int timeout_ms, char **payload);
} db_driver;

struct db {
	const db_driver *drv;
	long fault_in;   /* statements until an injected failure; 0: none */
	long steps;      /* statements since db_fault_after */
	long prepared;   /* db_prepare calls, for db_statements */
	uint64_t serial; /* the current read transaction's, while `reading` */
	bool reading;    /* in a transaction begun by db_begin_read */
};

struct db_stmt {
	db *owner;       /* NULL while a cached statement is free */
	const char *sql; /* the caller's text; key of the cache */
	bool cached;     /* false: freed by db_done */
};

extern const db_driver db_sqlite_driver;
extern const db_driver db_pg_driver;

/* For drivers: writes sql to the SQL trace (LIAISON_SQL_TRACE) once per text; `via` "prepare" or "exec". */
void db_trace_sql(const char *via, const char *sql);
/* For drivers: true when the statement about to run is the one chosen to fail (db_fault_after). */
bool db_fault_now(db *d);

#endif
