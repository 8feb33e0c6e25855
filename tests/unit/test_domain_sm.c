/* The generic state machine (src/domain/sm.c): its invariants SM-1..SM-4 on every workflow's table,
 * refusals with reasons, guards and effects, on a small machine of its own and on rq_machine. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/request.h"
#include "domain/sm.h"

enum { S_OPEN, S_DONE, S_GONE };
enum { A_FINISH, A_DROP };
static const char *const states[] = {"open", "done", "gone", NULL};
static const char *const actions[] = {"finish", "drop", NULL};

static int guard_positive(const void *facts, lerr *e)
{
	return *(const int *)facts > 0 ? 0 : lerr_set(e, LERR_INVALID, "required", "n", "n must be positive");
}

static const sm_rule rules[] = {
	[A_FINISH] = {SM_BIT(S_OPEN), 1, S_DONE, "only the owner may finish", "finished", "only open ones can",
		      guard_positive, 4},
	[A_DROP] = {SM_BIT(S_OPEN), 1 | 2, S_GONE, "only the owner or an admin may drop", "dropped", "only open ones can",
		    NULL, 8},
};
static const sm toy = {"thing", states, actions, SM_BIT(S_OPEN), rules};

Test(sm, tables_keep_the_invariants)
{
	cr_assert_eq(sm_valid(&toy), 0);
	cr_assert_eq(sm_valid(&rq_machine), 0, "rq_machine breaks SM-%d", sm_valid(&rq_machine));
}

Test(sm, a_row_starting_from_a_final_state_breaks_sm4)
{
	sm_rule bad[2] = {rules[0], rules[1]};
	bad[1].from |= SM_BIT(S_DONE);
	sm m = toy;
	m.rules = bad;
	cr_assert_eq(sm_valid(&m), 4);
	bad[1].from = 0;
	cr_assert_eq(sm_valid(&m), 2);
	bad[1].from = SM_BIT(S_OPEN);
	bad[1].to = 7;
	cr_assert_eq(sm_valid(&m), 3);
}

Test(sm, refusals_say_why)
{
	lerr e = {0};
	cr_assert_eq(sm_can(&toy, S_DONE, A_DROP, 3, &e), LERR_CONFLICT);
	cr_assert_str_eq(e.code, "invalid_transition");
	cr_assert(strstr(e.detail, "closed"), "%s", e.detail);
	cr_assert_eq(sm_can(&toy, S_OPEN, A_FINISH, 2, &e), LERR_FORBIDDEN);
	cr_assert_str_eq(e.detail, "only the owner may finish");
	cr_assert_eq(sm_can(&toy, S_OPEN, A_DROP, 2, &e), 0);
	cr_assert_eq(sm_can(&toy, 9, A_DROP, 2, &e), LERR_INVALID);
}

Test(sm, guards_run_after_the_table_and_effects_are_reported)
{
	lerr e = {0};
	int zero = 0, one = 1;
	cr_assert_eq(sm_check(&toy, S_OPEN, A_FINISH, 1, &zero, &e), LERR_INVALID);
	cr_assert_str_eq(e.field, "n");
	cr_assert_eq(sm_check(&toy, S_OPEN, A_FINISH, 1, &one, &e), 0);
	cr_assert_eq(sm_check(&toy, S_DONE, A_FINISH, 1, &zero, &e), LERR_CONFLICT, "the table before the guard");
	cr_assert_eq(sm_next(&toy, S_OPEN, A_FINISH), S_DONE);
	cr_assert_eq(sm_effects(&toy, A_DROP), 8u);
	cr_assert_str_eq(sm_state_name(&toy, S_GONE), "gone");
	cr_assert_eq(sm_state_parse(&toy, "done"), S_DONE);
	cr_assert_eq(sm_state_parse(&toy, "nope"), -1);
}

/* RQ-3, RQ-5 and RQ-7 through the request table's guards. */
Test(sm, request_guards)
{
	lerr e = {0};
	request rq = {.title = "新品发布会", .due_date = "", .confidentiality = 2, .priority = RQP_NORMAL,
		      .initiating_department_id = 1};
	rq_facts f = {.rq = &rq, .today = 20000, .reviewer_id = 7, .reviewer_clearance = 1, .initiator_clearance = 2};
	/* RQ-7: a draft with only its title is saved, but not submitted; the refusal names the field. */
	cr_assert_eq(rq_check_draft(&rq, 2, 20000, &e), 0);
	cr_assert_eq(sm_check(&rq_machine, RQ_DRAFT, RQA_SUBMIT, RQR_INITIATOR, &f, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "required");
	cr_assert_str_eq(e.field, "background");
	const char *criteria[] = {"发布会按期举办"};
	int64_t involved[] = {1, 2};
	rq.background = "八周后发布新品。";
	rq.goal = "按期举办发布会。";
	rq.criteria = criteria;
	rq.ncriteria = 1;
	cr_assert_eq(sm_check(&rq_machine, RQ_DRAFT, RQA_SUBMIT, RQR_INITIATOR, &f, &e), LERR_INVALID);
	cr_assert_str_eq(e.field, "due_date");
	rq.due_date = "2026-12-31";
	cr_assert_eq(sm_check(&rq_machine, RQ_DRAFT, RQA_SUBMIT, RQR_INITIATOR, &f, &e), LERR_INVALID);
	cr_assert_str_eq(e.field, "involved_department_ids");
	rq.involved = involved;
	rq.ninvolved = 2;
	cr_assert_eq(sm_check(&rq_machine, RQ_DRAFT, RQA_SUBMIT, RQR_INITIATOR, &f, &e), LERR_CONFLICT);
	cr_assert_str_eq(e.code, "no_reviewer"); /* RQ-5: the reviewer's clearance */
	f.reviewer_clearance = 2;
	cr_assert_eq(sm_check(&rq_machine, RQ_DRAFT, RQA_SUBMIT, RQR_INITIATOR, &f, &e), 0);
	cr_assert_eq(sm_check(&rq_machine, RQ_SUBMITTED, RQA_RETURN, RQR_REVIEWER, &f, &e), LERR_INVALID);
	cr_assert_str_eq(e.field, "comment"); /* RQ-3 */
	cr_assert_eq(sm_check(&rq_machine, RQ_ASSESSING, RQA_CANCEL, RQR_ADMIN, &f, &e), LERR_INVALID);
	cr_assert_str_eq(e.field, "reason");
	f.comment = "不再需要";
	cr_assert_eq(sm_check(&rq_machine, RQ_ASSESSING, RQA_CANCEL, RQR_ADMIN, &f, &e), 0);
	cr_assert(sm_effects(&rq_machine, RQA_ACCEPT) & RQE_CREATE_PROJECT); /* RQ-4 */
}
