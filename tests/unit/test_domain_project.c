/* Unit tests for src/domain/project.c: the follow-ups an acceptance creates (FU-1..FU-3) over every
 * combination of three departments' verdicts (or no assessment) and the decision's comment, checked against
 * the rule as docs/projects.md states it, written out again here; and the totals of the assessments. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/project.h"

enum { DEPTS = 3, MISSING = -1 };

static const char *const comments[] = {NULL, "", " \t\n", "预算需张总签字"};
enum { NCOMMENTS = sizeof comments / sizeof comments[0] };

/* The rule in the words of docs/projects.md: each conditional or infeasible assessment gives its conditions;
 * the decision's comment counts when some assessment is conditional or infeasible, or one is missing. */
static size_t expected_follow_ups(const int verdicts[DEPTS], const char *comment, bool *decision)
{
	size_t k = 0;
	bool conditions = false, missing = false;
	for (int i = 0; i < DEPTS; i++) {
		if (verdicts[i] == MISSING) {
			missing = true;
			continue;
		}
		if (verdicts[i] != RQV_FEASIBLE) {
			k++;
			conditions = true;
		}
	}
	bool has_text = comment && strspn(comment, " \t\r\n") < strlen(comment);
	*decision = (conditions || missing) && has_text;
	return k + *decision;
}

Test(project, follow_ups_of_every_acceptance)
{
	int v[DEPTS];
	size_t cases = 0;
	for (int combo = 0; combo < 4 * 4 * 4; combo++) {
		for (int i = 0, c = combo; i < DEPTS; i++, c /= 4)
			v[i] = c % 4 - 1; /* -1 missing, then feasible, conditional, infeasible */
		for (int ci = 0; ci < NCOMMENTS; ci++) {
			assessment as[DEPTS];
			size_t n = 0;
			for (int i = 0; i < DEPTS; i++)
				if (v[i] != MISSING)
					as[n++] = (assessment){.department_id = 10 + i, .department_name = "部门", .verdict = v[i],
							       .conditions = v[i] == RQV_FEASIBLE ? "" : "条件", .assessor_id = 100 + i};
			follow_up out[DEPTS + 1];
			memset(out, 0, sizeof out);
			size_t k = fu_of_acceptance(as, n, DEPTS, comments[ci], 7, out);
			bool decision;
			size_t want = expected_follow_ups(v, comments[ci], &decision);
			cr_assert_eq(k, want, "verdicts %d %d %d, comment %d: %zu follow-ups, expected %zu", v[0], v[1], v[2], ci,
				     k, want);
			/* FU-1, FU-2: the assessments' first, in department order, each with its department and assessor. */
			int64_t last = 0;
			for (size_t i = 0; i < k - decision; i++) {
				cr_assert_eq(out[i].source, FU_ASSESSMENT);
				cr_assert_gt(out[i].department_id, last);
				last = out[i].department_id;
				cr_assert_eq(out[i].raised_by, 100 + (out[i].department_id - 10));
				cr_assert_neq(v[out[i].department_id - 10], RQV_FEASIBLE);
				cr_assert_str_eq(out[i].text, "条件");
				cr_assert_eq(out[i].status, FU_OPEN);
				cr_assert_eq(out[i].task_id, 0);
			}
			/* FU-3: then the decision's, by the decider. */
			if (decision) {
				cr_assert_eq(out[k - 1].source, FU_DECISION);
				cr_assert_eq(out[k - 1].department_id, 0);
				cr_assert_eq(out[k - 1].raised_by, 7);
				cr_assert_str_eq(out[k - 1].text, comments[ci]);
			}
			cases++;
		}
	}
	cr_assert_eq(cases, 64 * NCOMMENTS);
}

Test(project, the_scenario_one_condition_and_the_decision)
{
	/* SCENARIO step 3: 陈静 feasible, 孙丽 conditional (the 200k budget needs the general manager's sign-off),
	 * 吴刚 feasible; 李强 accepts with a comment. */
	assessment as[] = {
		{.department_id = 4, .verdict = RQV_FEASIBLE, .conditions = ""},
		{.department_id = 9, .verdict = RQV_CONDITIONAL, .conditions = "20 万预算需张总签字", .assessor_id = 28},
		{.department_id = 12, .verdict = RQV_FEASIBLE, .conditions = "提前一周通知"},
	};
	follow_up out[4];
	cr_assert_eq(fu_of_acceptance(as, 3, 3, "同意，预算签字后执行", 20, out), 2);
	cr_assert_eq(out[0].department_id, 9);
	cr_assert_str_eq(out[0].text, "20 万预算需张总签字");
	cr_assert_eq(out[1].source, FU_DECISION);
	/* A feasible verdict's remark is no condition; a plain acceptance's comment only a comment. */
	as[1].verdict = RQV_FEASIBLE;
	cr_assert_eq(fu_of_acceptance(as, 3, 3, "同意", 20, out), 0);
	/* Blank conditions give nothing (FU-1), though the acceptance still carried a conditional verdict (FU-3). */
	as[1] = (assessment){.department_id = 9, .verdict = RQV_CONDITIONAL, .conditions = "  "};
	cr_assert_eq(fu_of_acceptance(as, 3, 3, "同意", 20, out), 1);
	cr_assert_eq(out[0].source, FU_DECISION);
	cr_assert_eq(fu_of_acceptance(as, 3, 3, NULL, 20, out), 0);
	/* Forced before anyone assessed: the decision's comment alone. */
	cr_assert_eq(fu_of_acceptance(NULL, 0, 3, "时间紧，先立项", 20, out), 1);
	cr_assert_eq(out[0].source, FU_DECISION);
}

Test(project, totals_of_the_assessments)
{
	assessment as[] = {
		{.person_days_x100 = 1500, .cost_cents = 0, .schedule_impact_days = 2, .verdict = RQV_FEASIBLE},
		{.person_days_x100 = 50, .cost_cents = 20000000, .schedule_impact_days = 0, .verdict = RQV_CONDITIONAL},
		{.person_days_x100 = 1, .cost_cents = 1, .schedule_impact_days = 3, .verdict = RQV_FEASIBLE},
	};
	assessment_totals t;
	assessment_totals_of(as, 3, 4, &t);
	cr_assert_eq(t.person_days_x100, 1551);
	cr_assert_eq(t.cost_cents, 20000001);
	cr_assert_eq(t.max_schedule_impact_days, 3);
	cr_assert_eq(t.expected, 4);
	cr_assert_eq(t.received, 3);
	cr_assert_eq(t.feasible, 2);
	cr_assert_eq(t.conditional, 1);
	cr_assert_eq(t.infeasible, 0);
	assessment_totals_of(NULL, 0, 2, &t);
	cr_assert_eq(t.received, 0);
	cr_assert_eq(t.max_schedule_impact_days, 0);
	cr_assert_eq(t.expected, 2);
}

Test(project, names)
{
	cr_assert_eq(fu_status_parse("open"), FU_OPEN);
	cr_assert_eq(fu_status_parse("covered"), FU_COVERED);
	cr_assert_eq(fu_status_parse("closed"), -1);
	cr_assert_eq(fu_source_parse("decision"), FU_DECISION);
	cr_assert_eq(fu_source_parse(NULL), -1);
}
