/* The critical path method (domain/cpm.h): worked examples for each kind of dependency, lags, "no earlier
 * than", milestones and cycles; then CPM-1..CPM-3 checked on random plans. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "domain/cpm.h"

#define T(d) ((cpm_task){(d), -1})

static cpm_result r[64];
static int32_t fin;

static void sched(const cpm_task *t, size_t n, const cpm_dep *d, size_t m)
{
	cr_assert_eq(cpm_schedule(t, n, d, m, r, &fin), 0);
}

Test(cpm, a_chain_of_finish_to_start)
{
	cpm_task t[] = {T(3), T(2), T(0)}; /* design 3 days, build 2, a milestone */
	cpm_dep d[] = {{0, 1, 0, CPM_FS}, {1, 2, 0, CPM_FS}};
	sched(t, 3, d, 2);
	cr_assert_eq(r[0].es, 0);
	cr_assert_eq(cpm_finish_day(r[0].es, 3), 2, "3 days from Monday: Wednesday");
	cr_assert_eq(r[1].es, 3);
	cr_assert_eq(r[2].es, 5);
	cr_assert_eq(cpm_finish_day(r[2].es, 0), 5, "a milestone starts and ends on one day");
	cr_assert_eq(fin, 5);
	for (int i = 0; i < 3; i++)
		cr_assert(r[i].critical && r[i].total_float == 0 && r[i].free_float == 0, "task %d", i);
}

Test(cpm, a_shorter_branch_has_float)
{
	cpm_task t[] = {T(5), T(2), T(1)};
	cpm_dep d[] = {{0, 2, 0, CPM_FS}, {1, 2, 0, CPM_FS}};
	sched(t, 3, d, 2);
	cr_assert_eq(r[2].es, 5);
	cr_assert(r[0].critical);
	cr_assert_not(r[1].critical);
	cr_assert_eq(r[1].total_float, 3);
	cr_assert_eq(r[1].free_float, 3);
	cr_assert_eq(r[1].ls, 3);
	cr_assert_eq(fin, 6);
}

Test(cpm, start_to_start_finish_to_finish_start_to_finish_and_lags)
{
	cpm_task t[] = {T(4), T(3), T(2), T(2), T(1)};
	cpm_dep d[] = {
		{0, 1, 2, CPM_SS},  /* B starts 2 days after A starts: day 2 */
		{0, 2, 1, CPM_FF},  /* C finishes 1 day after A finishes: ef 5, so it starts on day 3 */
		{0, 3, 1, CPM_SF},  /* D finishes at least 1 day after A starts: ef >= 1, from day 0 */
		{1, 4, -2, CPM_FS}, /* E may start 2 days before B finishes (lead): ef(B) 5 - 2 = day 3 */
	};
	sched(t, 5, d, 4);
	cr_assert_eq(r[1].es, 2);
	cr_assert_eq(r[2].es, 3);
	cr_assert_eq(r[2].ef, 5);
	cr_assert_eq(r[3].es, 0, "nothing starts before day 0");
	cr_assert_eq(r[4].es, 3);
	cr_assert_eq(fin, 5);
}

Test(cpm, no_earlier_than_is_honoured_and_pushes_successors)
{
	cpm_task t[] = {{2, 10}, T(1)};
	cpm_dep d[] = {{0, 1, 0, CPM_FS}};
	sched(t, 2, d, 1);
	cr_assert_eq(r[0].es, 10);
	cr_assert_eq(r[1].es, 12);
	cr_assert_eq(fin, 13);
	cr_assert(r[0].critical && r[1].critical);
}

Test(cpm, a_cycle_is_refused_and_named)
{
	cpm_task t[] = {T(1), T(1), T(1), T(1)};
	cpm_dep d[] = {{0, 1, 0, CPM_FS}, {1, 2, 0, CPM_FS}, {2, 3, 0, CPM_FS}};
	int32_t path[8];
	size_t np;
	cr_assert(cpm_would_cycle(4, d, 3, 3, 1, path, 8, &np), "3 -> 1 would close 1 -> 2 -> 3");
	cr_assert_eq(np, 3);
	cr_assert_eq(path[0], 1);
	cr_assert_eq(path[1], 2);
	cr_assert_eq(path[2], 3);
	cr_assert_not(cpm_would_cycle(4, d, 3, 0, 3, path, 8, &np), "0 -> 3 is a shortcut, not a cycle");
	cr_assert(cpm_would_cycle(4, d, 3, 2, 2, path, 8, &np) && np == 1 && path[0] == 2, "on itself");
	cpm_dep loop[] = {{0, 1, 0, CPM_FS}, {1, 2, 0, CPM_FS}, {2, 0, 0, CPM_FS}};
	cr_assert_eq(cpm_schedule(t, 4, loop, 3, r, &fin), -1);
	cpm_dep bad[] = {{0, 9, 0, CPM_FS}};
	cr_assert_eq(cpm_schedule(t, 4, bad, 1, r, &fin), -1, "a task out of range");
}

Test(cpm, nothing_to_schedule)
{
	cr_assert_eq(cpm_schedule(NULL, 0, NULL, 0, r, &fin), 0);
	cr_assert_eq(fin, 0);
}

/* CPM-1..CPM-3 on random plans (a dependency always runs from a lower index to a higher: no cycles). */
Test(cpm, invariants_hold_on_random_plans)
{
	srand(42);
	for (int round = 0; round < 300; round++) {
		size_t n = 1 + (size_t)(rand() % 60), m = (size_t)(rand() % 120);
		cpm_task t[64];
		cpm_dep d[128];
		for (size_t i = 0; i < n; i++)
			t[i] = (cpm_task){rand() % 6, rand() % 8 == 0 ? rand() % 20 : -1};
		size_t k = 0;
		for (size_t j = 0; j < m && n > 1; j++) {
			int32_t a = rand() % (int)(n - 1), b = a + 1 + rand() % (int)(n - 1 - (size_t)a);
			d[k++] = (cpm_dep){a, b, rand() % 7 - 2, (uint8_t)(rand() % 4)};
		}
		sched(t, n, d, k);
		int32_t end = 0;
		bool critical_at_end = false;
		for (size_t i = 0; i < n; i++) {
			cr_assert_geq(r[i].es, 0);
			cr_assert_eq(r[i].ef, r[i].es + t[i].duration);
			cr_assert_eq(r[i].lf, r[i].ls + t[i].duration);
			cr_assert_geq(r[i].total_float, 0, "CPM-2, round %d task %zu", round, i);
			cr_assert_geq(r[i].free_float, 0);
			cr_assert_leq(r[i].free_float, r[i].total_float, "CPM-2");
			cr_assert_leq(r[i].lf, fin);
			if (t[i].not_before > 0)
				cr_assert_geq(r[i].es, t[i].not_before);
			if (r[i].ef > end)
				end = r[i].ef;
		}
		cr_assert_eq(fin, end, "CPM-3");
		for (size_t i = 0; i < n; i++)
			critical_at_end |= r[i].critical && r[i].ef == fin;
		cr_assert(critical_at_end, "CPM-3: some task on the finish has no float, round %d", round);
		for (size_t j = 0; j < k; j++) { /* CPM-1, early and late */
			const cpm_result *p = &r[d[j].pred], *s = &r[d[j].succ];
			int32_t lag = d[j].lag;
			switch (d[j].type) {
			case CPM_FS: cr_assert_geq(s->es, p->ef + lag); cr_assert_geq(s->ls, p->lf + lag); break;
			case CPM_SS: cr_assert_geq(s->es, p->es + lag); cr_assert_geq(s->ls, p->ls + lag); break;
			case CPM_FF: cr_assert_geq(s->ef, p->ef + lag); cr_assert_geq(s->lf, p->lf + lag); break;
			default: cr_assert_geq(s->ef, p->es + lag); cr_assert_geq(s->lf, p->ls + lag); break;
			}
		}
	}
}
