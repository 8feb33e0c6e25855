/* Stores for unit tests on SQLite or PostgreSQL (store_fixture.h). */
#include "store_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"

bool test_store_pg(void)
{
	const char *pg = getenv("LIAISON_TEST_PG");
	return pg && *pg;
}

/* Runs sql on the server's `postgres` database (CREATE / DROP DATABASE cannot run in a store of its own). */
static void on_server(const char *sql)
{
	char url[512];
	snprintf(url, sizeof url, "%spostgres", getenv("LIAISON_TEST_PG"));
	db *admin;
	lerr e = {0};
	cr_assert_eq(db_open(&admin, url, &e), 0, "%s", e.detail);
	cr_assert_eq(db_exec(admin, sql), 0, "%s: %s", sql, db_errmsg(admin));
	db_close(admin);
}

void test_store_new(char *out, size_t cap, const char *tag)
{
	static int seq;
	if (!test_store_pg()) {
		snprintf(out, cap, "/tmp/liaison-%s-%d-%d.db", tag, getpid(), ++seq);
		test_store_drop(out);
		return;
	}
	char name[96], sql[160];
	snprintf(name, sizeof name, "u_%s_%d_%d", tag, getpid(), ++seq);
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	on_server(sql);
	snprintf(out, cap, "%s%s", getenv("LIAISON_TEST_PG"), name);
}

void test_store_drop(const char *url)
{
	if (!db_url_is_postgres(url)) {
		char p[600];
		unlink(url);
		snprintf(p, sizeof p, "%s-wal", url);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", url);
		unlink(p);
		return;
	}
	char sql[200];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", strrchr(url, '/') + 1);
	on_server(sql);
}
