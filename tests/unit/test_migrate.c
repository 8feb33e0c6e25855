/* Upgrading a store made by the previous release (tests/fixtures/stage1-store.sql: `liaison init --demo`
 * of the stage-1 release, then a request with two impact assessments and a draft, dumped as SQL): the
 * migrations bring it to the current schema with nothing lost, amounts converted exactly. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/inbox.h"
#include "store/migrate.h"
#include "store/org.h"
#include "store/request.h"
#include "util/log.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s (run the tests from the repository root)", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = 0;
	fclose(f);
	return s;
}

static int64_t count(db *d, const char *sql)
{
	return db_one_int(db_prepare(d, sql), -1);
}

Test(migrate, a_stage1_store_is_upgraded_with_nothing_lost)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/liaison-mig-%d.db", getpid());
	unlink(path);
	log_set_quiet(1);
	db *d;
	lerr e = {0};
	cr_assert_eq(db_open(&d, path, &e), 0, "%s", e.detail);
	char *dump = slurp("tests/fixtures/stage1-store.sql");
	/* The dump lists tables by name, before the ones they refer to. */
	cr_assert_eq(db_exec(d, "PRAGMA foreign_keys=OFF"), 0);
	cr_assert_eq(db_exec(d, dump), 0, "the previous release's store loads");
	cr_assert_eq(db_exec(d, "PRAGMA foreign_keys=ON"), 0);
	free(dump);
	cr_assert_eq(db_schema_version(d), 2, "made by the stage-1 release");
	int64_t users = count(d, "SELECT count(*) FROM users"), audit = count(d, "SELECT count(*) FROM audit_events"),
		notes = count(d, "SELECT count(*) FROM notifications");
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
	cr_assert_eq(db_schema_version(d), db_schema_version_latest());
	cr_assert_eq(count(d, "SELECT count(*) FROM users"), users);
	cr_assert_eq(count(d, "SELECT count(*) FROM audit_events"), audit);
	cr_assert_eq(count(d, "SELECT count(*) FROM notifications"), notes);
	cr_assert_gt(users, 40);

	arena *a = arena_new();
	request rq;
	cr_assert_eq(rq_load(d, a, 1, &rq), DB_ROW);
	cr_assert_str_eq(rq.code, "REQ-2026-0001");
	cr_assert_eq(rq.status, RQ_ASSESSING);
	cr_assert_eq(rq.priority, RQP_HIGH);
	cr_assert_eq(rq.ninvolved, 2);
	cr_assert_str_eq(rq.criteria[0], "到场 200 人");
	assessment *as;
	size_t n;
	cr_assert_eq(assessment_list(d, a, 1, &as, &n), DB_DONE);
	cr_assert_eq(n, 2);
	/* 12.5 person-days and 30000.75 became exact hundredths; so did 0.1 and 0.3, which floating point
	 * cannot hold exactly. */
	cr_assert_eq(as[0].person_days_x100, 1250);
	cr_assert_eq(as[0].cost_cents, 3000075);
	cr_assert_eq(as[1].person_days_x100, 10);
	cr_assert_eq(as[1].cost_cents, 30);
	cr_assert_eq(as[0].verdict, RQV_CONDITIONAL);
	cr_assert_eq(rq_load(d, a, 2, &rq), DB_ROW);
	cr_assert_eq(rq.status, RQ_DRAFT);
	/* What the old release told but never had to deliver is not told again. */
	cr_assert_eq(outbox_pending_count(d), 0);
	arena_free(a);
	db_close(d);
	unlink(path);
	char p[80];
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}
