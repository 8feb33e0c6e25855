/* A store for a unit test: a SQLite file under /tmp, or — when $LIAISON_TEST_PG names a PostgreSQL server
 * (postgres://user@host:port/, as the unit-pg suite of tools/run-tests.sh sets it) — a database of its own
 * there, so that every store test runs on both stores. */
#ifndef LIAISON_TESTS_STORE_FIXTURE_H
#define LIAISON_TESTS_STORE_FIXTURE_H
#include <stdbool.h>
#include <stddef.h>

/* A new, empty store named after tag: its path or URL in out (cap bytes). */
void test_store_new(char *out, size_t cap, const char *tag);
/* Removes it (the file and its -wal and -shm, or the database). */
void test_store_drop(const char *url);
/* True when the stores of this run are PostgreSQL's. */
bool test_store_pg(void);

#endif
