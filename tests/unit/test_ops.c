/* The operations layer on a real store: notices go to the outbox in the change's transaction and are
 * delivered once; no cap on how many people a step tells; nested operations commit or roll back as one. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store_fixture.h"
#include "ops/org.h"
#include "ops/request.h"
#include "store/inbox.h"
#include "store/migrate.h"
#include "store/org.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"

static db *d;
static arena *a;
static op_ctx admin;
static char path[256];

static void setup(void)
{
	test_store_new(path, sizeof path, "ops");
	log_set_quiet(1);
	setenv("LIAISON_PWHASH", "min", 1);
	lerr e = {0};
	cr_assert_eq(db_open(&d, path, &e), 0, "%s", e.detail);
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
	a = arena_new();
	op_init(&admin, d, &op_cli_principal, a);
}

static void teardown(void)
{
	arena_free(a);
	db_close(d);
	test_store_drop(path);
}

TestSuite(ops, .init = setup, .fini = teardown);

static int64_t dept(const char *name, int64_t parent)
{
	department out;
	lerr e = {0};
	dept_in in = {DEPT_IN_NAME | DEPT_IN_PARENT, name, parent, 0};
	cr_assert_eq(op_dept_create(&admin, &in, &out, &e), 0, "%s", e.detail);
	return out.id;
}

static int64_t person(const char *login, int64_t dept_id)
{
	user out;
	lerr e = {0};
	user_in in = {USER_IN_LOGIN | USER_IN_NAME | USER_IN_DEPARTMENT, .login = login, .name = login, .department_id = dept_id};
	cr_assert_eq(op_user_create(&admin, &in, &out, &e), 0, "%s", e.detail);
	return out.id;
}

static void head(int64_t dept_id, int64_t uid)
{
	department dp;
	lerr e = {0};
	cr_assert_eq(org_dept_load(d, a, dept_id, &dp), DB_ROW);
	dept_in in = {DEPT_IN_HEAD, .head_user_id = uid};
	cr_assert_eq(op_dept_update(&admin, dept_id, dp.version, &in, &dp, &e), 0, "%s", e.detail);
}

static op_ctx as(int64_t uid)
{
	principal p;
	cr_assert(principal_of(d, NULL, uid, &p));
	op_ctx c;
	op_init(&c, d, &p, a);
	return c;
}

static int64_t inbox_count(int64_t uid)
{
	principal p;
	cr_assert(principal_of(d, NULL, uid, &p));
	int64_t next;
	json_t *items = inbox_list(d, &p, false, 0, 1000, &next);
	int64_t n = (int64_t)json_array_size(items);
	json_decref(items);
	return n;
}

/* A request raised in `from` involving `to`, submitted and approved; answers its id. */
static int64_t approved_request(int64_t initiator, int64_t reviewer, int64_t to)
{
	op_ctx c = as(initiator);
	request_view v;
	lerr e = {0};
	static const char *crit[] = {"done"};
	int64_t depts[] = {to};
	char due[32];
	snprintf(due, sizeof due, "%04d-12-31", clock_local_year() + 1);
	request_in in = {RQ_IN_TITLE | RQ_IN_BACKGROUND | RQ_IN_GOAL | RQ_IN_CRITERIA | RQ_IN_DUE | RQ_IN_DEPARTMENTS,
			 .title = "t", .background = "b", .goal = "g", .criteria = crit, .ncriteria = 1, .due_date = due,
			 .departments = depts, .ndepartments = 1};
	cr_assert_eq(op_request_create(&c, &in, &v, &e), 0, "%s", e.detail);
	step_in none = {0};
	cr_assert_eq(op_request_submit(&c, v.rq.id, &none, &v, &e), 0, "%s", e.detail);
	op_ctx r = as(reviewer);
	step_in approve = {1, .decision = 0};
	cr_assert_eq(op_request_review(&r, v.rq.id, &approve, &v, &e), 0, "%s", e.detail);
	return v.rq.id;
}

Test(ops, notices_wait_in_the_outbox_until_delivered_once)
{
	int64_t top = dept("公司", 0), mkt = dept("市场部", top), plat = dept("平台部", top);
	int64_t boss = person("boss", mkt), staff = person("staff", mkt), liaison = person("liaison", plat);
	head(mkt, boss);
	department dp;
	cr_assert_eq(org_dept_load(d, a, plat, &dp), DB_ROW);
	liaisons_in li = {1, &liaison, 1};
	lerr e = {0};
	cr_assert_eq(op_dept_set_liaisons(&admin, plat, dp.version, &li, &dp, &e), 0, "%s", e.detail);
	approved_request(staff, boss, plat);
	/* No server: nothing delivered after the commits (op_after_commit is unset). */
	cr_assert_eq(outbox_pending_count(d), 3, "reviewer (submitted), initiator (approved), liaison (assess)");
	cr_assert_eq(inbox_count(boss) + inbox_count(staff) + inbox_count(liaison), 0);
	op_ctx sys;
	op_init(&sys, d, &op_system_principal, a);
	int64_t *users;
	size_t n, k;
	cr_assert_eq(op_deliver_outbox(&sys, 500, &users, &n, &k, &e), 0, "%s", e.detail);
	cr_assert_eq(k, 3);
	cr_assert_eq(n, 3);
	cr_assert_eq(outbox_pending_count(d), 0);
	cr_assert_eq(inbox_count(boss), 1);
	cr_assert_eq(inbox_count(staff), 1);
	cr_assert_eq(inbox_count(liaison), 1);
	cr_assert_eq(op_deliver_outbox(&sys, 500, &users, &n, &k, &e), 0);
	cr_assert_eq(k, 0, "delivered once");
	cr_assert_eq(inbox_count(liaison), 1);
}

Test(ops, a_step_tells_every_liaison_without_a_cap)
{
	int64_t top = dept("公司", 0), mkt = dept("市场部", top), plat = dept("平台部", top);
	int64_t boss = person("boss", mkt), staff = person("staff", mkt);
	head(mkt, boss);
	enum { MANY = 40 };
	int64_t ids[MANY];
	for (int i = 0; i < MANY; i++) {
		char login[16];
		snprintf(login, sizeof login, "l%02d", i);
		ids[i] = person(login, plat);
	}
	department dp;
	lerr e = {0};
	cr_assert_eq(org_dept_load(d, a, plat, &dp), DB_ROW);
	liaisons_in li = {1, ids, MANY};
	cr_assert_eq(op_dept_set_liaisons(&admin, plat, dp.version, &li, &dp, &e), 0, "%s", e.detail);
	approved_request(staff, boss, plat);
	op_ctx sys;
	op_init(&sys, d, &op_system_principal, a);
	int64_t *users;
	size_t n, k;
	cr_assert_eq(op_deliver_outbox(&sys, 500, &users, &n, &k, &e), 0, "%s", e.detail);
	for (int i = 0; i < MANY; i++)
		cr_assert_eq(inbox_count(ids[i]), 1, "liaison %d of %d is told", i + 1, MANY);
}

Test(ops, nested_operations_commit_or_roll_back_as_one)
{
	lerr e = {0};
	cr_assert_eq(op_begin(&admin, &e), 0);
	int64_t top = dept("公司", 0);
	dept_in dup = {DEPT_IN_NAME | DEPT_IN_PARENT, "公司", 0, 0};
	department out;
	cr_assert_eq(op_dept_create(&admin, &dup, &out, &e), LERR_CONFLICT, "a sibling of the same name");
	cr_assert_eq(op_end(&admin, LERR_CONFLICT, &e), LERR_CONFLICT);
	cr_assert_not(org_dept_exists(d, top), "the outer rollback took the inner create with it");
}

/* Every row of every table, as text: what "the store is unchanged" compares. */
static char *snapshot(void)
{
	sbuf b;
	sbuf_init(&b);
	db_stmt *t = db_prepare(d, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
	const char *names[64];
	int n = 0;
	while (db_step(t) == DB_ROW && n < 64)
		names[n++] = arena_strdup(a, db_col_text(t, 0));
	db_done(t);
	for (int i = 0; i < n; i++) {
		char *sql = arena_printf(a, "SELECT * FROM \"%s\" ORDER BY 1", names[i]);
		db_stmt *st = db_prepare_uncached(d, sql);
		sbuf_printf(&b, "[%s]\n", names[i]);
		while (db_step(st) == DB_ROW) {
			for (int c = 0; c < db_col_count(st); c++)
				sbuf_printf(&b, "%s|", db_col_null(st, c) ? "NULL" : db_col_text(st, c));
			sbuf_adds(&b, "\n");
		}
		db_done(st);
	}
	return sbuf_detach(&b);
}

/* Runs op with the n-th statement failing, for n = 1, 2, ... until it succeeds: each failing run must
 * answer an error and leave every table exactly as it was. */
static void fails_cleanly(const char *what, int (*op)(void))
{
	long n;
	for (n = 1;; n++) {
		char *before = snapshot();
		db_fault_after(d, n);
		int rc = op();
		db_fault_after(d, 0);
		char *after = snapshot();
		if (rc == 0) {
			free(before);
			free(after);
			break;
		}
		cr_assert_str_eq(after, before, "%s with statement %ld failing changed the store", what, n);
		free(before);
		free(after);
		cr_assert_lt(n, 1000);
	}
	cr_assert_gt(n, 3, "%s ran its statements (%ld)", what, n);
}

static int64_t f_staff, f_boss, f_plat, f_rq;
static principal p_staff, p_boss, p_phead; /* read before any failure is injected */

static op_ctx ctx_of(const principal *p)
{
	op_ctx c;
	op_init(&c, d, p, a);
	return c;
}

static int create_request(void)
{
	op_ctx c = ctx_of(&p_staff);
	request_view v;
	lerr e = {0};
	static const char *crit[] = {"done"};
	int64_t depts[] = {f_plat};
	request_in in = {RQ_IN_TITLE | RQ_IN_BACKGROUND | RQ_IN_GOAL | RQ_IN_CRITERIA | RQ_IN_DUE | RQ_IN_DEPARTMENTS,
			 .title = "故障注入", .background = "b", .goal = "g", .criteria = crit, .ncriteria = 1,
			 .due_date = "2099-12-31", .departments = depts, .ndepartments = 1};
	int rc = op_request_create(&c, &in, &v, &e);
	if (!rc)
		f_rq = v.rq.id;
	return rc;
}

static int submit(void)
{
	op_ctx c = ctx_of(&p_staff);
	request_view v;
	lerr e = {0};
	step_in none = {0};
	return op_request_submit(&c, f_rq, &none, &v, &e);
}

static int approve(void)
{
	op_ctx c = ctx_of(&p_boss);
	request_view v;
	lerr e = {0};
	step_in in = {1, .decision = 0};
	return op_request_review(&c, f_rq, &in, &v, &e);
}

static int assess(void)
{
	op_ctx h = ctx_of(&p_phead); /* the head of 平台部 assesses for it */
	assessment out;
	lerr e = {0};
	/* Conditional, so that the acceptance also creates follow-ups (domain/project.h FU-1, FU-3). */
	assessment_in in = {.impact = "影响", .person_days = 2.5, .cost = 1200.75, .schedule_impact_days = 1, .verdict = 1,
			    .conditions = "预算需签字"};
	return op_request_assess(&h, f_rq, f_plat, 0, &in, &out, &e);
}

static int accept(void)
{
	op_ctx c = ctx_of(&p_boss);
	request_view v;
	lerr e = {0};
	step_in in = {3, .decision = 0, .comment = "签字后执行"};
	return op_request_decide(&c, f_rq, &in, &v, &e);
}

Test(ops, a_failing_statement_anywhere_leaves_the_store_unchanged)
{
	int64_t top = dept("公司", 0), mkt = dept("市场部", top);
	f_plat = dept("平台部", top);
	f_boss = person("boss", mkt);
	f_staff = person("staff", mkt);
	head(mkt, f_boss);
	int64_t phead = person("phead", f_plat);
	head(f_plat, phead);
	cr_assert(principal_of(d, NULL, f_staff, &p_staff) && principal_of(d, NULL, f_boss, &p_boss) && principal_of(d, NULL, phead, &p_phead));
	fails_cleanly("create", create_request);
	fails_cleanly("submit", submit);
	fails_cleanly("approve", approve);
	fails_cleanly("assess", assess);
	fails_cleanly("accept (creates the project and its follow-ups)", accept);
	cr_assert_eq(db_one_int(db_prepare(d, "SELECT count(*) FROM follow_ups WHERE status = 'open'"), -1), 2,
		     "the assessment's condition and the decision's");
	/* submit: the reviewer; approve: the initiator and 平台部 (its head: no liaison); assess: the reviewer;
	 * accept: the initiator and 平台部's head — each once, by the run that succeeded. */
	cr_assert_eq(outbox_pending_count(d), 6);
}

/* My work's narrow statement (someone who is no coordinator and heads and speaks for no department: what was
 * handed to them, 转交, or added for them, 加签) finds exactly what the full one finds for such people. */
Test(ops, my_work_of_people_without_a_role_is_found_by_key_as_by_the_full_conditions)
{
	int64_t co = dept("公司", 0), mk = dept("市场部", co), pf = dept("平台部", co);
	int64_t boss = person("boss", co), mhead = person("mhead", mk), phead = person("phead", pf);
	int64_t s1 = person("s1", mk), s2 = person("s2", mk), s3 = person("s3", pf);
	head(co, boss);
	head(mk, mhead);
	head(pf, phead);
	lerr e = {0};
	request_view v;
	/* R1: its review handed by 市场部's head to s2. */
	int64_t r1;
	{
		op_ctx c = as(s1);
		static const char *crit[] = {"done"};
		int64_t depts[] = {pf};
		char due[32];
		snprintf(due, sizeof due, "%04d-12-31", clock_local_year() + 1);
		request_in in = {RQ_IN_TITLE | RQ_IN_BACKGROUND | RQ_IN_GOAL | RQ_IN_CRITERIA | RQ_IN_DUE | RQ_IN_DEPARTMENTS,
				 .title = "r1", .background = "b", .goal = "g", .criteria = crit, .ncriteria = 1, .due_date = due,
				 .departments = depts, .ndepartments = 1};
		cr_assert_eq(op_request_create(&c, &in, &v, &e), 0, "%s", e.detail);
		step_in none = {0};
		cr_assert_eq(op_request_submit(&c, v.rq.id, &none, &v, &e), 0, "%s", e.detail);
		r1 = v.rq.id;
		op_ctx h = as(mhead);
		transfer_in t = {1, .to_user_id = s2};
		cr_assert_eq(op_request_transfer(&h, r1, &t, &v, &e), 0, "%s", e.detail);
	}
	/* R2: 平台部's assessment handed by its head to s3. */
	int64_t r2 = approved_request(s1, mhead, pf);
	{
		op_ctx h = as(phead);
		transfer_in t = {1, .to_user_id = s3, .department_id = pf};
		cr_assert_eq(op_request_transfer(&h, r2, &t, &v, &e), 0, "%s", e.detail);
	}
	/* R3: assessed; its decider adds s3 as an approver (加签) and hands the decision to s2. */
	int64_t r3 = approved_request(s1, mhead, pf);
	{
		op_ctx h = as(phead);
		assessment_in as_in = {.impact = "小", .person_days = 1, .cost = 10, .verdict = 0};
		assessment as_out;
		cr_assert_eq(op_request_assess(&h, r3, pf, 0, &as_in, &as_out, &e), 0, "%s", e.detail);
		op_ctx m = as(mhead);
		countersign_in cs = {1, .user_id = s3};
		cr_assert_eq(op_request_countersign(&m, r3, &cs, &v, &e), 0, "%s", e.detail);
		transfer_in t = {1, .to_user_id = s2};
		cr_assert_eq(op_request_transfer(&m, r3, &t, &v, &e), 0, "%s", e.detail);
	}
	for (int64_t uid = s1; uid <= s3; uid++) {
		principal p;
		cr_assert(principal_of(d, NULL, uid, &p));
		request *ra, *rb;
		int *ka, *kb;
		size_t na, nb;
		cr_assert_eq(rq_work_candidates_by(d, a, &p, &p, 31, 0, 21, 0, &ra, &ka, &na), DB_DONE);
		cr_assert_eq(rq_work_candidates_by(d, a, &p, &p, 31, 0, 21, 1, &rb, &kb, &nb), DB_DONE);
		cr_assert_eq(na, nb, "user %lld: %zu against %zu", (long long)uid, na, nb);
		for (size_t i = 0; i < na; i++)
			cr_assert(ra[i].id == rb[i].id && ka[i] == kb[i], "user %lld, item %zu", (long long)uid, i);
	}
	/* And what each finds: s2 the review of R1 and the decision of R3, s3 the assessment of R2 and the approval
	 * of R3, s1 their requests under way. */
	principal p2, p3;
	cr_assert(principal_of(d, NULL, s2, &p2) && principal_of(d, NULL, s3, &p3));
	request *rs;
	int *ks;
	size_t ns;
	cr_assert_eq(rq_work_candidates(d, a, &p2, &p2, 31, 0, 21, &rs, &ks, &ns), DB_DONE);
	bool review = false, decision = false;
	for (size_t i = 0; i < ns; i++) {
		review |= rs[i].id == r1 && ks[i] == RQW_REVIEWS;
		decision |= rs[i].id == r3 && ks[i] == RQW_DECISIONS;
	}
	cr_assert(review && decision);
	cr_assert_eq(rq_work_candidates(d, a, &p3, &p3, 31, 0, 21, &rs, &ks, &ns), DB_DONE);
	bool assessing = false, approval = false;
	for (size_t i = 0; i < ns; i++) {
		assessing |= rs[i].id == r2 && ks[i] == RQW_ASSESSMENTS;
		approval |= rs[i].id == r3 && ks[i] == RQW_DECISIONS;
	}
	cr_assert(assessing && approval);
}
