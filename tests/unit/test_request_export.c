/* The request export on a real store (ops/request_list.c): every row the filter selects, in pages, in the
 * list's order; more than the cap fails with 413 too_many_rows instead of a file cut short. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store_fixture.h"
#include "ops/org.h"
#include "ops/request.h"
#include "store/migrate.h"
#include "store/org.h"
#include "util/log.h"

static db *d;
static arena *a;
static char path[256];

static void setup(void)
{
	test_store_new(path, sizeof path, "export");
	log_set_quiet(1);
	setenv("LIAISON_PWHASH", "min", 1);
	lerr e = {0};
	cr_assert_eq(db_open(&d, path, &e), 0, "%s", e.detail);
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
	a = arena_new();
}

static void teardown(void)
{
	arena_free(a);
	db_close(d);
	test_store_drop(path);
}

TestSuite(export, .init = setup, .fini = teardown);

/* What each page handed on: how many pages, the ids in order. */
typedef struct seen {
	int pages;
	size_t n;
	int64_t ids[64];
} seen;

static int collect(void *ctx, const request_view *items, size_t n)
{
	seen *s = ctx;
	s->pages++;
	for (size_t i = 0; i < n && s->n < 64; i++)
		s->ids[s->n++] = items[i].rq.id;
	return 0;
}

Test(export, every_row_in_order_and_never_cut_short)
{
	op_ctx admin;
	op_init(&admin, d, &op_cli_principal, a);
	lerr e = {0};
	department dp;
	dept_in din = {DEPT_IN_NAME, "市场部", 0, 0};
	cr_assert_eq(op_dept_create(&admin, &din, &dp, &e), 0, "%s", e.detail);
	user u;
	user_in uin = {USER_IN_LOGIN | USER_IN_NAME | USER_IN_DEPARTMENT, .login = "wangfang", .name = "王芳", .department_id = dp.id};
	cr_assert_eq(op_user_create(&admin, &uin, &u, &e), 0, "%s", e.detail);
	principal p;
	cr_assert(principal_of(d, NULL, u.id, &p));
	op_ctx c;
	op_init(&c, d, &p, a);
	int64_t ids[7];
	for (int i = 0; i < 7; i++) {
		char title[16];
		snprintf(title, sizeof title, "草稿 %d", i);
		request_in in = {RQ_IN_TITLE, .title = title};
		request_view v;
		cr_assert_eq(op_request_create(&c, &in, &v, &e), 0, "%s", e.detail);
		ids[i] = v.rq.id;
	}
	request_query q = {.sort = "created"}; /* oldest first */
	seen s = {0};
	cr_assert_eq(op_request_export(&c, &q, 7, collect, &s, &e), 0, "%s", e.detail);
	cr_assert_eq(s.n, 7, "every row");
	for (int i = 0; i < 7; i++)
		cr_assert_eq(s.ids[i], ids[i], "in the list's order");
	seen more = {0};
	cr_assert_eq(op_request_export(&c, &q, 6, collect, &more, &e), LERR_TOO_LARGE, "one past the cap");
	cr_assert_str_eq(e.code, "too_many_rows");
	request_query bad = {.sort = "title"};
	cr_assert_eq(op_request_export(&c, &bad, 7, collect, &more, &e), LERR_BAD_REQUEST);
	cr_assert_str_eq(e.field, "sort");
	request_query none = {.f = {.statuses = 1u << RQ_ASSESSING}};
	seen empty = {0};
	cr_assert_eq(op_request_export(&c, &none, 7, collect, &empty, &e), 0, "%s", e.detail);
	cr_assert_eq(empty.n, 0, "nothing selected: no rows, no error");
}
