/* The one visibility rule, twice: the SQL predicate of store/visibility.h (what production runs) and
 * rq_may_see in src/domain (the rule as C), proven equal for every viewer × request over the same
 * fixtures — an organisation tree with heads at several levels, every clearance, coordinators, an
 * administrator, someone in no department, people copied in, and requests of every confidentiality in
 * draft and later states.  Also: a project is exactly as visible as its request, and an unknown entity kind is seen by
 * nobody. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "domain/org.h"
#include "domain/request.h"
#include "store/migrate.h"
#include "store/org.h"
#include "store/request.h"
#include "store/visibility.h"
#include "util/log.h"

static db *d;
static arena *a;
static char path[256];

static void setup(void)
{
	test_store_new(path, sizeof path, "vis");
	log_set_quiet(1);
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

TestSuite(visibility, .init = setup, .fini = teardown);

enum { NDEPT = 7, NUSER = 14 };
/* The tree: 0 company; 1, 2 under it; 3, 4 under 1; 5 under 2; 6 under 5. */
static const int parent_of[NDEPT] = {-1, 0, 0, 1, 1, 2, 5};
static int64_t dept_ids[NDEPT + 1], user_ids[NUSER];
/* People: department (-1 none), clearance, coordinator, admin. */
static const struct { int dept, clearance; bool coord, admin; } people[NUSER] = {
	{0, 3, false, false}, {1, 2, false, false}, {2, 2, false, false}, {3, 1, false, false}, {3, 2, false, false},
	{4, 1, false, false}, {5, 0, false, false}, {6, 3, false, false}, {6, 1, false, false}, {-1, 3, false, false},
	{2, 3, true, false},  {4, 3, false, true},  {1, 1, false, false}, {5, 2, false, false},
};
/* Heads: department → person. */
static const int head_of[NDEPT] = {0, 1, 2, 4, -1, 13, 7};

/* The tree as it stands (tests below change it): parent and head of each department. */
static int cur_parent[NDEPT + 1], cur_head[NDEPT + 1];
static int ndept = NDEPT;

static void build_org(void)
{
	memcpy(cur_parent, parent_of, sizeof parent_of);
	memcpy(cur_head, head_of, sizeof head_of);
	ndept = NDEPT;
	for (int i = 0; i < NDEPT; i++) {
		char name[16];
		snprintf(name, sizeof name, "D%d", i);
		department dp = {.name = name, .parent_id = parent_of[i] < 0 ? 0 : dept_ids[parent_of[i]]};
		cr_assert_eq(org_dept_insert(d, &dp, &dept_ids[i]), DB_DONE);
	}
	for (int i = 0; i < NUSER; i++) {
		char login[16];
		snprintf(login, sizeof login, "u%02d", i);
		user u = {.login = login, .name = login, .email = "", .department_id = people[i].dept < 0 ? 0 : dept_ids[people[i].dept],
			  .clearance = people[i].clearance, .is_coordinator = people[i].coord, .is_admin = people[i].admin};
		cr_assert_eq(org_user_insert(d, &u, "", &user_ids[i]), DB_DONE);
	}
	for (int i = 0; i < NDEPT; i++) {
		if (head_of[i] < 0)
			continue;
		department dp;
		cr_assert_eq(org_dept_load(d, a, dept_ids[i], &dp), DB_ROW);
		dp.head_user_id = user_ids[head_of[i]];
		cr_assert_eq(org_dept_update(d, &dp), DB_DONE);
	}
}

/* Departments u heads, and every one below them, computed in C from the tree. */
static size_t headed_by(int u, int64_t *out)
{
	bool in[NDEPT + 1] = {false};
	for (int pass = 0; pass < ndept; pass++)
		for (int i = 0; i < ndept; i++)
			if (cur_head[i] == u || (cur_parent[i] >= 0 && in[cur_parent[i]]))
				in[i] = true;
	size_t n = 0;
	for (int i = 0; i < ndept; i++)
		if (in[i])
			out[n++] = dept_ids[i];
	return n;
}

static int64_t raise(int initiator, int conf, int status, const int *involved, size_t ninv)
{
	static const char *crit[] = {"c"};
	int64_t inv[4];
	for (size_t i = 0; i < ninv; i++)
		inv[i] = dept_ids[involved[i]];
	char code[32];
	static int seq;
	snprintf(code, sizeof code, "REQ-T-%04d", ++seq);
	request rq = {.code = code, .title = "t", .background = "b", .goal = "g", .criteria = crit, .ncriteria = 1,
		      .due_date = "2099-01-01", .confidentiality = conf, .priority = RQP_NORMAL,
		      .initiator_id = user_ids[initiator], .initiating_department_id = dept_ids[people[initiator].dept],
		      .involved = inv, .ninvolved = ninv};
	int64_t id;
	cr_assert_eq(rq_insert(d, &rq, &id), DB_DONE);
	if (status != RQ_DRAFT)
		cr_assert_eq(rq_set_status(d, id, 0, status), DB_DONE);
	return id;
}

Test(visibility, the_sql_predicate_and_the_c_rule_agree_everywhere)
{
	build_org();
	static const int inv_sets[][3] = {{2, -1, -1}, {4, 5, -1}, {6, -1, -1}, {3, 6, 1}};
	static const int initiators[] = {3, 5, 6, 8, 12, 1};
	static const int statuses[] = {RQ_DRAFT, RQ_SUBMITTED, RQ_ASSESSING, RQ_CANCELLED};
	int64_t ids[512];
	size_t nreq = 0;
	for (size_t i = 0; i < sizeof initiators / sizeof *initiators; i++)
		for (int conf = 0; conf <= 3; conf++)
			for (size_t s = 0; s < sizeof statuses / sizeof *statuses; s++) {
				const int *set = inv_sets[(i + (size_t)conf + s) % 4];
				size_t n = 0;
				while (n < 3 && set[n] >= 0)
					n++;
				ids[nreq++] = raise(initiators[i], conf, statuses[s], set, n);
			}
	/* Some people copied in (抄送) on some requests: readers by name, still bound by their clearance. */
	for (size_t r = 0; r < nreq; r += 5)
		for (int u = (int)(r % 4); u < NUSER; u += 4)
			cr_assert_eq(rq_cc_add(d, ids[r], user_ids[u], 0), DB_DONE);
	int checked = 0, seen = 0;
	for (int u = 0; u < NUSER; u++) {
		principal p;
		cr_assert(principal_of(d, NULL, user_ids[u], &p));
		int64_t headed[NDEPT + 1];
		rq_viewer v = {user_ids[u], p.department_id, p.clearance, p.is_admin, p.is_coordinator, headed,
			       headed_by(u, headed)};
		for (size_t r = 0; r < nreq; r++) {
			request rq;
			cr_assert_eq(rq_load(d, a, ids[r], &rq), DB_ROW);
			bool sql = rq_visible_to(d, ids[r], &p), c = rq_may_see(&rq, &v);
			cr_assert_eq(sql, c, "user u%02d, request %s (%s, %s): SQL says %d, C says %d", u, rq.code,
				     clearance_name(rq.confidentiality), rq_status_name((enum rq_status)rq.status), sql, c);
			cr_assert_eq(vis_entity_visible(d, &p, "request", ids[r]), sql);
			request loaded;
			cr_assert_eq(rq_load_visible(d, a, &p, ids[r], &loaded) == DB_ROW, sql, "the one-statement load agrees");
			checked++;
			seen += sql;
		}
	}
	cr_assert_eq(checked, NUSER * 96);
	cr_assert(seen > checked / 5 && seen < checked * 4 / 5, "the fixtures cover both answers (%d of %d)", seen, checked);
}

Test(visibility, a_project_is_as_visible_as_its_request_and_an_unknown_kind_is_seen_by_nobody)
{
	build_org();
	int inv[] = {2};
	int64_t secret = raise(3, CLEAR_SECRET, RQ_ASSESSING, inv, 1), open = raise(3, CLEAR_INTERNAL, RQ_ASSESSING, inv, 1);
	request rs, ro;
	cr_assert_eq(rq_load(d, a, secret, &rs), DB_ROW);
	cr_assert_eq(rq_load(d, a, open, &ro), DB_ROW);
	int64_t ps, po;
	cr_assert_eq(project_create_from_request(d, &rs, "PRJ-T-1", &ps), DB_DONE);
	cr_assert_eq(project_create_from_request(d, &ro, "PRJ-T-2", &po), DB_DONE);
	for (int u = 0; u < NUSER; u++) {
		principal p;
		cr_assert(principal_of(d, NULL, user_ids[u], &p));
		cr_assert_eq(vis_entity_visible(d, &p, "project", ps), rq_visible_to(d, secret, &p), "u%02d", u);
		cr_assert_eq(project_visible_to(d, ps, &p), rq_visible_to(d, secret, &p), "u%02d", u);
		cr_assert(vis_entity_visible(d, &p, "project", po), "u%02d", u);
		cr_assert_not(vis_entity_visible(d, &p, "gizmo", open), "an entity kind without a rule: u%02d", u);
		cr_assert_not(vis_entity_visible(d, &p, "", open));
	}
}

/* department_heads (what the SQL predicate reads) is exactly the closure computed in C from the tree. */
static void heads_match_the_tree(const char *when)
{
	for (int u = 0; u < NUSER; u++) {
		int64_t want[NDEPT + 1];
		size_t nwant = headed_by(u, want);
		db_stmt *st = db_prepare(d, "SELECT department_id FROM department_heads WHERE user_id = ? ORDER BY 1");
		db_bind_int(st, 1, user_ids[u]);
		size_t n = 0;
		while (db_step(st) == DB_ROW) {
			cr_assert_lt(n, nwant, "%s: u%02d heads more than the tree says", when, u);
			cr_assert_eq(db_col_int(st, 0), want[n], "%s: u%02d, department %zu", when, u, n);
			n++;
		}
		db_done(st);
		cr_assert_eq(n, nwant, "%s: u%02d heads %zu departments, the tree says %zu", when, u, n, nwant);
	}
}

static void change(int dept, int parent, int head)
{
	department dp;
	cr_assert_eq(org_dept_load(d, a, dept_ids[dept], &dp), DB_ROW);
	dp.parent_id = parent < 0 ? 0 : dept_ids[parent];
	dp.head_user_id = head < 0 ? 0 : user_ids[head];
	cr_assert_eq(org_dept_update(d, &dp), DB_DONE);
	cur_parent[dept] = parent;
	cur_head[dept] = head;
}

Test(visibility, who_heads_what_follows_every_change_of_the_tree)
{
	build_org();
	heads_match_the_tree("as built");
	change(6, 3, cur_head[6]); /* a subtree moves to another branch */
	heads_match_the_tree("after a move");
	change(1, cur_parent[1], 5); /* a new head at a middle level */
	heads_match_the_tree("after a new head");
	change(2, cur_parent[2], -1); /* a department loses its head */
	heads_match_the_tree("after a head left");
	department dp = {.name = "D7", .parent_id = dept_ids[5]}; /* a new department below a headed one */
	cr_assert_eq(org_dept_insert(d, &dp, &dept_ids[NDEPT]), DB_DONE);
	cur_parent[NDEPT] = 5;
	cur_head[NDEPT] = -1;
	ndept = NDEPT + 1;
	heads_match_the_tree("after a new department");
	cr_assert_eq(org_dept_load(d, a, dept_ids[NDEPT], &dp), DB_ROW);
	cr_assert_eq(org_dept_delete(d, dept_ids[NDEPT], dp.version), DB_DONE);
	ndept = NDEPT;
	heads_match_the_tree("after a deletion");
}
