/* The store API on SQLite: migrations, the statement cache under nesting, transactions, constraints. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include "store/db.h"
#include "store/migrate.h"
#include "store/org.h"
#include "util/log.h"

static db *d;
static char path[64];

static void setup(void)
{
	snprintf(path, sizeof path, "/tmp/liaison-unit-%d.db", getpid());
	unlink(path);
	log_set_quiet(1);
	lerr e = {0};
	cr_assert_eq(db_open(&d, path, &e), 0, "%s", e.detail);
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
}

static void teardown(void)
{
	db_close(d);
	unlink(path);
	char p[80];
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

TestSuite(store, .init = setup, .fini = teardown);

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
	cr_assert_eq(org_dept_insert(d, "A", 0, 0, &id), DB_DONE);
	cr_assert_eq(org_dept_insert(d, "B", id, 0, &id), DB_DONE);
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
	cr_assert_eq(org_dept_insert(d, "Gone", 0, 0, &id), DB_DONE);
	db_rollback(d);
	cr_assert_not(db_in_tx(d));
	cr_assert_null(org_dept_get(d, id));
}

Test(store, constraints_are_reported)
{
	int64_t id;
	cr_assert_eq(org_dept_insert(d, "Same", 0, 0, &id), DB_DONE);
	cr_assert_eq(org_dept_insert(d, "Same", 0, 0, &id), DB_CONSTRAINT);
	cr_assert_eq(org_dept_insert(d, "Orphan", 999, 0, &id), DB_CONSTRAINT); /* foreign keys are on */
}

Test(store, optimistic_versions)
{
	int64_t id;
	cr_assert_eq(org_dept_insert(d, "V", 0, 0, &id), DB_DONE);
	cr_assert_eq(org_dept_update(d, id, 1, "V2", 0, 0), DB_DONE);
	cr_assert_eq(org_dept_update(d, id, 1, "V3", 0, 0), 1); /* stale */
	json_t *o = org_dept_get(d, id);
	cr_assert_str_eq(json_string_value(json_object_get(o, "name")), "V2");
	cr_assert_eq(json_integer_value(json_object_get(o, "version")), 2);
	json_decref(o);
}

Test(store, backup_copies)
{
	int64_t id;
	cr_assert_eq(org_dept_insert(d, "Kept", 0, 0, &id), DB_DONE);
	char out[80];
	snprintf(out, sizeof out, "%s.bak", path);
	lerr e = {0};
	cr_assert_eq(db_backup(d, out, &e), 0, "%s", e.detail);
	db *b;
	cr_assert_eq(db_open(&b, out, &e), 0);
	json_t *o = org_dept_get(b, id);
	cr_assert_not_null(o);
	json_decref(o);
	db_close(b);
	unlink(out);
}
