/* The children of a page of parents (store/rows.h): whether read with an IN list or, for ids close
 * together, with a range, a page gets exactly the rows of its own ids — not those of the ids in between —
 * and a page that holds an id twice (My work's lists) gets them for both places, or once where the caller
 * asks for a set (assessments). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include "store_fixture.h"
#include "store/migrate.h"
#include "store/org.h"
#include "store/request.h"
#include "util/log.h"

static db *d;
static arena *a;
static char path[256];
static int64_t dept[4], uid, rq[12];

static void setup(void)
{
	test_store_new(path, sizeof path, "rows");
	log_set_quiet(1);
	lerr e = {0};
	cr_assert_eq(db_open(&d, path, &e), 0, "%s", e.detail);
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
	a = arena_new();
	for (int i = 0; i < 4; i++) {
		char name[8];
		snprintf(name, sizeof name, "D%d", i);
		department dp = {.name = name};
		cr_assert_eq(org_dept_insert(d, &dp, &dept[i]), DB_DONE);
	}
	user u = {.login = "u", .name = "u", .email = "", .department_id = dept[0], .clearance = 1};
	cr_assert_eq(org_user_insert(d, &u, "", &uid), DB_DONE);
	static const char *crit[] = {"c"};
	for (int i = 0; i < 12; i++) {
		char code[16];
		snprintf(code, sizeof code, "REQ-T-%02d", i);
		/* request i involves departments 1..(i % 3 + 1): one, two or three of them */
		int64_t inv[3] = {dept[1], dept[2], dept[3]};
		request r = {.code = code, .title = "t", .background = "b", .goal = "g", .criteria = crit, .ncriteria = 1,
			     .due_date = "2099-01-01", .confidentiality = 1, .initiator_id = uid,
			     .initiating_department_id = dept[0], .involved = inv, .ninvolved = (size_t)(i % 3 + 1)};
		cr_assert_eq(rq_insert(d, &r, &rq[i]), DB_DONE);
		for (size_t k = 0; k < r.ninvolved; k++) {
			assessment as = {.request_id = rq[i], .department_id = inv[k], .impact = "i", .materials = "",
					 .conditions = "", .verdict = 0, .assessor_id = uid};
			cr_assert_eq(assessment_put(d, &as, 0), DB_DONE);
		}
	}
}

static void teardown(void)
{
	arena_free(a);
	db_close(d);
	test_store_drop(path);
}

TestSuite(rows, .init = setup, .fini = teardown);

/* The assessments of ids (a set): each request's own, once. */
static void check_assessments(const int64_t *ids, size_t n, const char *what)
{
	assessment *items;
	size_t got;
	cr_assert_eq(assessment_list_many(d, a, ids, n, &items, &got), DB_DONE);
	size_t want = 0;
	for (int i = 0; i < 12; i++) {
		bool asked = false;
		for (size_t k = 0; k < n; k++)
			asked |= ids[k] == rq[i];
		if (asked)
			want += (size_t)(i % 3 + 1);
	}
	cr_assert_eq(got, want, "%s: %zu assessments, want %zu", what, got, want);
	for (size_t j = 0; j < got; j++) {
		bool asked = false;
		for (size_t k = 0; k < n; k++)
			asked |= ids[k] == items[j].request_id;
		cr_assert(asked, "%s: an assessment of request %lld, not asked for", what, (long long)items[j].request_id);
	}
}

Test(rows, a_page_gets_its_own_children_by_range_or_by_list)
{
	int64_t close_gaps[] = {rq[2], rq[4], rq[5], rq[9]}; /* close together (a range), with gaps */
	check_assessments(close_gaps, 4, "close, with gaps");
	int64_t twice[] = {rq[3], rq[3], rq[4]};                /* an id twice */
	check_assessments(twice, 3, "an id twice");
	int64_t one[] = {rq[7]};
	check_assessments(one, 1, "one");
	int64_t far[] = {rq[0], rq[11] + 1000};                 /* far apart: an IN list */
	check_assessments(far, 2, "far apart");
}

Test(rows, a_list_page_has_each_request_s_own_departments)
{
	principal p = {.user_id = uid, .department_id = dept[0], .clearance = 1};
	request *items;
	size_t n;
	bool more;
	rq_filter f = {0};
	rq_cursor after = {.id = rq[10]};
	cr_assert_eq(rq_list(d, a, &p, &f, &after, 6, &items, &n, &more), DB_DONE); /* rq[9] down to rq[4] */
	cr_assert_eq(n, 6);
	for (size_t j = 0; j < n; j++) {
		int i = 0;
		while (rq[i] != items[j].id)
			i++;
		cr_assert_eq(items[j].ninvolved, (size_t)(i % 3 + 1), "request %d", i);
		for (size_t k = 0; k < items[j].ninvolved; k++)
			cr_assert_eq(items[j].involved[k], dept[k + 1], "request %d, department %zu", i, k);
	}
}
