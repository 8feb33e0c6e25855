/* The project as its people see it, and its follow-ups (跟进事项): records described as data, the totals of
 * the assessments and the rule that turns an acceptance's conditions into follow-ups (FU-1..FU-3). */
#include "domain/project.h"

#include <stddef.h>
#include <string.h>

const char *const fu_source_names[] = {"assessment", "decision", NULL};
const char *const fu_status_names[] = {"open", "covered", NULL};

int fu_status_parse(const char *s)
{
	return enum_parse(fu_status_names, s);
}

int fu_source_parse(const char *s)
{
	return enum_parse(fu_source_names, s);
}

void assessment_totals_of(const assessment *items, size_t n, size_t expected, assessment_totals *out)
{
	memset(out, 0, sizeof *out);
	out->expected = (int64_t)expected;
	for (size_t i = 0; i < n; i++) {
		const assessment *a = &items[i];
		out->received++;
		out->person_days_x100 += a->person_days_x100;
		out->cost_cents += a->cost_cents;
		if (a->schedule_impact_days > out->max_schedule_impact_days)
			out->max_schedule_impact_days = a->schedule_impact_days;
		out->feasible += a->verdict == RQV_FEASIBLE;
		out->conditional += a->verdict == RQV_CONDITIONAL;
		out->infeasible += a->verdict == RQV_INFEASIBLE;
	}
}

/* Nothing but ASCII white space (what the SQL of migration 12 trims). */
static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

size_t fu_of_acceptance(const assessment *items, size_t n, size_t expected, const char *comment, int64_t decider,
			follow_up *out)
{
	size_t k = 0, conditional = 0, infeasible = 0;
	for (size_t i = 0; i < n; i++) {
		const assessment *a = &items[i];
		conditional += a->verdict == RQV_CONDITIONAL;
		infeasible += a->verdict == RQV_INFEASIBLE;
		if (a->verdict == RQV_FEASIBLE || blank(a->conditions)) /* FU-1, FU-2 */
			continue;
		out[k++] = (follow_up){.source = FU_ASSESSMENT, .department_id = a->department_id,
				       .department_name = a->department_name, .text = a->conditions, .status = FU_OPEN,
				       .raised_by = a->assessor_id, .raised_by_name = a->assessor_name};
	}
	bool forced = infeasible > 0 || n < expected;
	if ((conditional > 0 || forced) && !blank(comment)) /* FU-3 */
		out[k++] = (follow_up){.source = FU_DECISION, .text = comment, .status = FU_OPEN, .raised_by = decider};
	return k;
}

/* ------------------------------------------------------------------ records */

#define F(T, m) .off = offsetof(T, m)
#define N(T, m) .count_off = offsetof(T, m)

static const rfield follow_up_fields[] = {
	{"id", RK_INT, F(follow_up, id)},
	{"project_id", RK_INT, F(follow_up, project_id)},
	{"source", RK_ENUM, F(follow_up, source), .names = fu_source_names,
	 .doc = "assessment: a department's conditions; decision: the comment of the acceptance"},
	{"department_id", RK_ID, F(follow_up, department_id), .doc = "the assessing department; null for the decision"},
	{"department_name", RK_STR, F(follow_up, department_name)},
	{"text", RK_STR, F(follow_up, text), .doc = "the condition"},
	{"status", RK_ENUM, F(follow_up, status), .names = fu_status_names,
	 .doc = "open until a task of the plan covers it (stage 2)"},
	{"task_id", RK_ID, F(follow_up, task_id), .doc = "the task that covers it; null while open"},
	{"raised_by_id", RK_ID, F(follow_up, raised_by), .doc = "the assessor, or the decider"},
	{"raised_by_name", RK_STR, F(follow_up, raised_by_name)},
	{"version", RK_INT, F(follow_up, version)},
	{"created_at", RK_TIME, F(follow_up, created_at)},
	{"updated_at", RK_TIME, F(follow_up, updated_at)},
};
const rdesc follow_up_desc =
	RDESC("FollowUp", follow_up_fields, "A condition attached to a project's acceptance (跟进事项), for the plan to cover");

static const rfield totals_fields[] = {
	{"person_days", RK_CENTS, F(assessment_totals, person_days_x100), .doc = "sum over the assessments"},
	{"cost", RK_CENTS, F(assessment_totals, cost_cents), .doc = "sum over the assessments"},
	{"max_schedule_impact_days", RK_INT, F(assessment_totals, max_schedule_impact_days),
	 .doc = "the longest schedule impact, in working days"},
	{"expected", RK_INT, F(assessment_totals, expected), .doc = "involved departments"},
	{"received", RK_INT, F(assessment_totals, received)},
	{"feasible", RK_INT, F(assessment_totals, feasible)},
	{"conditional", RK_INT, F(assessment_totals, conditional)},
	{"infeasible", RK_INT, F(assessment_totals, infeasible)},
};
const rdesc assessment_totals_desc = RDESC("AssessmentTotals", totals_fields, "The impact assessments summed up");

static const rfield project_view_fields[] = {
	{"", RK_EMBED, F(project_view, p), .sub = &project_desc},
	{"request_code", RK_STR, F(project_view, request_code), .flags = RF_FULL, .doc = "the accepted request's code"},
	{"open_follow_ups", RK_INT, F(project_view, open_follow_ups), .doc = "follow-ups no task covers yet"},
	{"goal", RK_STR, F(project_view, goal), .flags = RF_FULL, .doc = "the request's goal"},
	{"success_criteria", RK_STRS, F(project_view, criteria), N(project_view, ncriteria), .flags = RF_FULL,
	 .doc = "the request's success criteria (成功标准)"},
	{"assessments", RK_LIST, F(project_view, assessments), N(project_view, nassessments), .sub = &assessment_desc,
	 .elem_size = sizeof(assessment), .flags = RF_FULL, .doc = "the impact assessments the acceptance rested on"},
	{"assessment_totals", RK_INLINE, F(project_view, totals), .sub = &assessment_totals_desc, .flags = RF_FULL},
	{"follow_ups", RK_LIST, F(project_view, follow_ups), N(project_view, nfollow_ups), .sub = &follow_up_desc,
	 .elem_size = sizeof(follow_up), .flags = RF_FULL, .doc = "every condition attached to the acceptance"},
};
const rdesc project_view_desc = RDESC("Project", project_view_fields, "A project as the caller sees it");
