/* What servers keep in memory (store/cache.h) never goes stale: a change made through another connection
 * — another server, the CLI, or plain SQL that no store function wrote — is seen by the next transaction;
 * a read transaction keeps the organisation its statements see; what a write transaction loads is its own;
 * an ended session or token, or a deactivated person, stops authenticating at once; and a snapshot an
 * arena holds outlives newer ones (the ASan run would catch a use after free). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "domain/org.h"
#include "store/auth.h"
#include "store/cache.h"
#include "store/migrate.h"
#include "store/org.h"
#include "util/log.h"

static db *d, *other; /* two connections to one store: this server, and someone else */
static arena *a;
static char path[256];
static int64_t dept, uid;

static void exec_other(const char *sql)
{
	cr_assert_eq(db_exec(other, sql), 0, "%s", sql);
}

static void setup(void)
{
	test_store_new(path, sizeof path, "cache");
	log_set_quiet(1);
	lerr e = {0};
	cr_assert_eq(db_open(&d, path, &e), 0, "%s", e.detail);
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
	cr_assert_eq(db_open(&other, path, &e), 0, "%s", e.detail);
	a = arena_new();
	department dp = {.name = "平台部"};
	cr_assert_eq(org_dept_insert(d, &dp, &dept), DB_DONE);
	user u = {.login = "chenjing", .name = "陈静", .email = "", .department_id = dept, .clearance = 1};
	cr_assert_eq(org_user_insert(d, &u, "", &uid), DB_DONE);
}

static void teardown(void)
{
	arena_free(a);
	db_close(other);
	db_close(d);
	test_store_drop(path);
}

TestSuite(cache, .init = setup, .fini = teardown);

static const char *dept_name(void)
{
	const org_snap *s = org_snapshot(d, a);
	cr_assert_not_null(s);
	const department *dp = org_snap_dept(s, dept);
	return dp ? dp->name : NULL;
}

Test(cache, a_change_by_another_connection_is_seen_by_the_next_transaction)
{
	cr_assert_eq(db_begin_read(d), 0);
	cr_assert_str_eq(dept_name(), "平台部");
	cr_assert_eq(db_commit(d), 0);
	exec_other("UPDATE departments SET name = '平台研发部'"); /* no store function: the trigger alone */
	cr_assert_eq(db_begin_read(d), 0);
	cr_assert_str_eq(dept_name(), "平台研发部");
	cr_assert_eq(db_commit(d), 0);
	/* people, liaisons and deputies too */
	char sql[200];
	snprintf(sql, sizeof sql, "INSERT INTO department_liaisons(department_id, user_id) VALUES (%lld, %lld)",
		 (long long)dept, (long long)uid);
	exec_other(sql);
	exec_other("UPDATE users SET name = '陈静静'");
	cr_assert_eq(db_begin_read(d), 0);
	const org_snap *s = org_snapshot(d, a);
	cr_assert_eq(org_snap_dept(s, dept)->nliaisons, 1);
	cr_assert_str_eq(org_snap_person(s, uid)->name, "陈静静");
	cr_assert(org_snap_speaks_for(s, dept, uid));
	cr_assert_eq(db_commit(d), 0);
}

Test(cache, a_read_transaction_keeps_the_organisation_its_statements_see)
{
	cr_assert_eq(db_begin_read(d), 0);
	cr_assert_str_eq(dept_name(), "平台部");
	exec_other("UPDATE departments SET name = '平台研发部'");
	cr_assert_str_eq(dept_name(), "平台部", "the same snapshot for the whole transaction");
	db_stmt *st = db_prepare(d, "SELECT name FROM departments");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), "平台部", "and the SQL agrees");
	db_done(st);
	cr_assert_eq(db_commit(d), 0);
	cr_assert_eq(db_begin_read(d), 0);
	cr_assert_str_eq(dept_name(), "平台研发部");
	cr_assert_eq(db_commit(d), 0);
}

Test(cache, a_write_transaction_sees_its_own_change_and_shares_nothing_it_rolls_back)
{
	cr_assert_eq(db_begin_read(d), 0);
	cr_assert_str_eq(dept_name(), "平台部"); /* loaded and shared */
	cr_assert_eq(db_commit(d), 0);
	cr_assert_eq(db_begin(d), 0);
	cr_assert_eq(db_exec(d, "UPDATE departments SET name = '未提交'"), 0);
	cr_assert_str_eq(dept_name(), "未提交");
	db_rollback(d);
	cr_assert_eq(db_begin_read(d), 0);
	cr_assert_str_eq(dept_name(), "平台部");
	cr_assert_eq(db_commit(d), 0);
	cr_assert_str_eq(dept_name(), "平台部", "outside a transaction as well");
	/* The version the rolled-back change had now belongs to another change: its rows, not the rollback's. */
	exec_other("UPDATE users SET name = '陈静静'");
	cr_assert_eq(db_begin_read(d), 0);
	cr_assert_str_eq(dept_name(), "平台部");
	cr_assert_str_eq(org_snap_person(org_snapshot(d, a), uid)->name, "陈静静");
	cr_assert_eq(db_commit(d), 0);
}

Test(cache, an_arena_keeps_its_snapshot_while_newer_ones_replace_it)
{
	cr_assert_eq(db_begin_read(d), 0);
	const char *before = dept_name();
	cr_assert_eq(db_commit(d), 0);
	for (int i = 0; i < 5; i++) {
		char sql[80];
		snprintf(sql, sizeof sql, "UPDATE departments SET name = 'D%d'", i);
		exec_other(sql);
		arena *b = arena_new();
		cr_assert_eq(db_begin_read(d), 0);
		const org_snap *s = org_snapshot(d, b);
		char want[8];
		snprintf(want, sizeof want, "D%d", i);
		cr_assert_str_eq(org_snap_dept(s, dept)->name, want);
		cr_assert_eq(db_commit(d), 0);
		arena_free(b);
	}
	cr_assert_str_eq(before, "平台部", "the first snapshot is still whole");
}

Test(cache, an_ended_session_or_token_or_a_deactivated_person_stops_authenticating)
{
	int64_t tid;
	cr_assert_eq(auth_token_insert(d, uid, "ci", "tokenhash-1", &tid), DB_DONE);
	cr_assert_eq(auth_session_insert(d, "sessionhash-1", uid, "csrf-1", 4102444800000LL), DB_DONE);
	principal p;
	int64_t touch;
	int64_t now = 1800000000000LL;
	cr_assert(auth_token_lookup(d, a, "tokenhash-1", now, &p, &touch));
	cr_assert_eq(p.user_id, uid);
	cr_assert_eq(touch, tid, "a token never used is stamped");
	int64_t v = cache_auth_version(d);
	cr_assert_eq(auth_token_touch(d, tid, now), DB_DONE);
	cr_assert_eq(cache_auth_version(d), v, "a last-use stamp ends nothing");
	cr_assert(auth_token_lookup(d, a, "tokenhash-1", now + 1000, &p, &touch));
	cr_assert_eq(touch, 0, "stamped a second ago");
	cr_assert(auth_session_lookup(d, a, "sessionhash-1", now, &p));
	cr_assert_str_eq(p.csrf, "csrf-1");
	cr_assert_not(auth_session_lookup(d, a, "tokenhash-1", now, &p), "a token is not a session");
	cr_assert_not(auth_token_lookup(d, a, "sessionhash-1", now, &p, &touch), "nor a session a token");

	exec_other("DELETE FROM sessions");
	cr_assert_not(auth_session_lookup(d, a, "sessionhash-1", now, &p));
	cr_assert(auth_token_lookup(d, a, "tokenhash-1", now, &p, &touch));
	exec_other("UPDATE users SET active = 0");
	cr_assert_not(auth_token_lookup(d, a, "tokenhash-1", now, &p, &touch));
	exec_other("UPDATE users SET active = 1");
	cr_assert(auth_token_lookup(d, a, "tokenhash-1", now, &p, &touch));
	exec_other("DELETE FROM api_tokens");
	cr_assert_not(auth_token_lookup(d, a, "tokenhash-1", now, &p, &touch));
	cr_assert_eq(p.user_id, 0);
}

Test(cache, a_session_past_its_end_is_refused_from_memory_too)
{
	cr_assert_eq(auth_session_insert(d, "sessionhash-2", uid, "csrf-2", 2000), DB_DONE);
	principal p;
	cr_assert(auth_session_lookup(d, a, "sessionhash-2", 1999, &p));
	cr_assert_not(auth_session_lookup(d, a, "sessionhash-2", 2000, &p));
}
