/* What the servers keep in memory instead of reading it for every request: the organisation (departments
 * with heads and liaisons, people, deputies) and which session or API token is whose.
 *
 * Both are correct by construction, not by discipline: the store's triggers (migration 14) bump
 * cache_versions in the transaction of every change to the tables behind them, whoever writes (this
 * server, another server on the same PostgreSQL, the CLI, an administrator's SQL).  A transaction reads
 * the versions with its first use of either (one small statement; then not again in a read transaction)
 * and uses the snapshot of exactly that version: loaded once per change and shared by every thread.  A
 * write transaction reads them on every use, since its own writes may bump them; a snapshot it loads is
 * its own (it may hold changes that roll back) and is never shared. */
#ifndef LIAISON_STORE_CACHE_H
#define LIAISON_STORE_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/org.h"
#include "store/db.h"
#include "util/arena.h"

/* A person as the organisation knows them. */
typedef struct org_person {
	int64_t id;
	const char *name;
	int64_t department_id; /* 0 when none */
	bool is_admin, is_coordinator, active;
	int clearance;         /* enum clearance */
	int64_t *depts;        /* departments they head or are a liaison of, ascending */
	size_t ndepts;
} org_person;

/* A delegation (代理人): user_id is away, deputy_id stands in from..to (local dates, inclusive). */
typedef struct org_deputy {
	int64_t deputy_id, user_id;
	char from[11], to[11];
} org_deputy;

/* The organisation at one version.  Read-only; everything in it lives as long as the arena it was
 * handed to (org_snap takes a reference that the arena's end gives back). */
typedef struct org_snap {
	int64_t version;
	const department *depts;    /* id order, liaisons filled (ascending, active or not) */
	size_t ndepts;
	const org_person *people;   /* id order, inactive people included */
	size_t npeople;
	const org_deputy *deputies; /* by deputy, then user */
	size_t ndeputies;
} org_snap;

/* The organisation as the caller's transaction sees it (or, outside one, as the store is now); NULL when
 * the store fails (logged).  Valid while `a` lives. */
const org_snap *org_snapshot(db *d, arena *a);
const department *org_snap_dept(const org_snap *s, int64_t id);
const org_person *org_snap_person(const org_snap *s, int64_t id);
/* True when uid heads dept or is one of its liaisons. */
bool org_snap_speaks_for(const org_snap *s, int64_t dept, int64_t uid);

/* The store's auth version for the caller's transaction (memoised like the organisation's); -1 when the
 * store fails.  store/auth.c keys its table of sessions and tokens on it. */
int64_t cache_auth_version(db *d);

#endif
