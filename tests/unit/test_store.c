/* The store API (on SQLite, and on PostgreSQL in the unit-pg suite): migrations, the statement cache under
 * nesting, transactions, constraints. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/org.h"
#include "util/log.h"

static db *d;
static char path[256];

static void setup(void)
{
	test_store_new(path, sizeof path, "unit");
	log_set_quiet(1);
	lerr e = {0};
	cr_assert_eq(db_open(&d, path, &e), 0, "%s", e.detail);
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
}

static void teardown(void)
{
	db_close(d);
	test_store_drop(path);
}

TestSuite(store, .init = setup, .fini = teardown);

static int ins(db *h, const char *name, int64_t parent, int64_t *id)
{
	department dp = {.name = name, .parent_id = parent};
	return org_dept_insert(h, &dp, id);
}

static bool exists(db *h, int64_t id)
{
	return org_dept_exists(h, id);
}

Test(store, migrations_are_idempotent)
{
	lerr e = {0};
	cr_assert_eq(db_schema_version(d), db_schema_version_latest());
	cr_assert_eq(db_migrate(d, &e), 0);
	cr_assert_eq(db_schema_version(d), db_schema_version_latest());
}

Test(store, nested_use_of_one_statement)
{
	int64_t id;
	cr_assert_eq(ins(d, "A", 0, &id), DB_DONE);
	cr_assert_eq(ins(d, "B", id, &id), DB_DONE);
	static const char *sql = "SELECT id FROM departments ORDER BY id";
	db_stmt *outer = db_prepare(d, sql);
	int rows = 0;
	while (db_step(outer) == DB_ROW) {
		db_stmt *inner = db_prepare(d, sql); /* the cached one is busy: a private copy */
		cr_assert_neq(inner, outer);
		int n = 0;
		while (db_step(inner) == DB_ROW)
			n++;
		cr_assert_eq(n, 2);
		db_done(inner);
		rows++;
	}
	db_done(outer);
	cr_assert_eq(rows, 2);
	cr_assert_eq(db_prepare(d, sql), outer); /* back in the cache */
	db_done(outer);
}

Test(store, rollback_discards)
{
	int64_t id;
	cr_assert_eq(db_begin(d), 0);
	cr_assert(db_in_tx(d));
	cr_assert_eq(ins(d, "Gone", 0, &id), DB_DONE);
	db_rollback(d);
	cr_assert_not(db_in_tx(d));
	cr_assert_not(exists(d, id));
}

Test(store, constraints_are_reported)
{
	int64_t id;
	cr_assert_eq(ins(d, "Same", 0, &id), DB_DONE);
	cr_assert_eq(ins(d, "Same", 0, &id), DB_CONSTRAINT);
	cr_assert_eq(ins(d, "Orphan", 999, &id), DB_CONSTRAINT); /* foreign keys are on */
}

Test(store, optimistic_versions)
{
	int64_t id;
	cr_assert_eq(ins(d, "V", 0, &id), DB_DONE);
	department v2 = {.id = id, .name = "V2", .version = 1}, v3 = {.id = id, .name = "V3", .version = 1};
	cr_assert_eq(org_dept_update(d, &v2), DB_DONE);
	cr_assert_eq(org_dept_update(d, &v3), 1); /* stale: the version check is in the UPDATE */
	arena *a = arena_new();
	department o;
	cr_assert_eq(org_dept_load(d, a, id, &o), DB_ROW);
	cr_assert_str_eq(o.name, "V2");
	cr_assert_eq(o.version, 2);
	arena_free(a);
}

Test(store, backup_copies)
{
	int64_t id;
	cr_assert_eq(ins(d, "Kept", 0, &id), DB_DONE);
	char out[80];
	snprintf(out, sizeof out, "/tmp/liaison-backup-%d.db", getpid());
	lerr e = {0};
	if (test_store_pg()) { /* PostgreSQL's own tools back it up */
		cr_assert_neq(db_backup(d, out, &e), 0);
		cr_assert(strstr(e.detail, "pg_dump"), "%s", e.detail);
		return;
	}
	cr_assert_eq(db_backup(d, out, &e), 0, "%s", e.detail);
	db *b;
	cr_assert_eq(db_open(&b, out, &e), 0);
	cr_assert(exists(b, id));
	db_close(b);
	unlink(out);
}

Test(store, a_failed_prepare_is_an_error_not_a_crash)
{
	db_stmt *st = db_prepare(d, "SELECT nope FROM nowhere");
	cr_assert_null(st);
	db_bind_int(st, 1, 1);
	db_bind_text(st, 2, "x");
	cr_assert_eq(db_step(st), DB_ERROR);
	db_done(st);
	cr_assert_eq(db_one_int(st, 7), 7);
}

Test(store, store_codes_are_not_error_kinds)
{
	const int codes[] = {DB_ERROR, DB_CONSTRAINT, DB_BUSY};
	for (size_t i = 0; i < 3; i++)
		for (int k = LERR_PRECONDITION; k <= LERR_OK; k++)
			cr_assert_neq(codes[i], k, "store code %d equals an lerr kind", codes[i]);
}

/* LIAISON_SQL_TRACE (tools/pg-check.sh reads it): each distinct SQL text once, as JSON, never a bound value.
 * Its own suite: the trace is set up when the process first touches a store, which the fixture above does. */
Test(sql_trace, each_text_once_and_no_bound_value)
{
	char trace[64], store[64];
	snprintf(trace, sizeof trace, "/tmp/liaison-trace-%d.jsonl", getpid());
	snprintf(store, sizeof store, "/tmp/liaison-trace-%d.db", getpid());
	unlink(trace);
	unlink(store);
	setenv("LIAISON_SQL_TRACE", trace, 1);
	log_set_quiet(1);
	db *t;
	lerr e = {0};
	cr_assert_eq(db_open(&t, store, &e), 0, "%s", e.detail);
	for (int i = 0; i < 3; i++) {
		db_stmt *st = db_prepare(t, "SELECT ? || 'x\"y\\\\z'");
		db_bind_text(st, 1, "hunter2-secret");
		cr_assert_eq(db_step(st), DB_ROW);
		db_done(st);
		db_close(t);
		cr_assert_eq(db_open(&t, store, &e), 0, "%s", e.detail); /* a new connection: no new line */
	}
	db_close(t);
	FILE *f = fopen(trace, "r");
	cr_assert_not_null(f);
	char line[512];
	int n = 0, mine = 0;
	while (fgets(line, sizeof line, f)) {
		n++;
		cr_assert_null(strstr(line, "hunter2"), "%s", line);
		if (strcmp(line, "{\"via\":\"prepare\",\"sql\":\"SELECT ? || 'x\\\"y\\\\\\\\z'\"}\n") == 0)
			mine++;
	}
	fclose(f);
	cr_assert_eq(mine, 1, "the statement is traced once, escaped as JSON");
	cr_assert_eq(n, 2, "and the connection's PRAGMAs once");
	unlink(trace);
	unlink(store);
	char p[80];
	snprintf(p, sizeof p, "%s-wal", store);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", store);
	unlink(p);
}
