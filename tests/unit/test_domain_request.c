/* Unit tests for src/domain/request.c: the whole state machine (every status × action × role set),
 * field checks, the decision rule, the reviewer rule and visibility. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/request.h"

/* The table of docs/requests.md, written out independently of the implementation. */
static bool doc_from(enum rq_status s, enum rq_action a)
{
	switch (a) {
	case RQA_EDIT:
	case RQA_SUBMIT: return s == RQ_DRAFT || s == RQ_RETURNED;
	case RQA_APPROVE:
	case RQA_RETURN:
	case RQA_REJECT: return s == RQ_SUBMITTED;
	case RQA_ASSESS:
	case RQA_ACCEPT:
	case RQA_DECLINE: return s == RQ_ASSESSING;
	case RQA_CANCEL: return s == RQ_DRAFT || s == RQ_SUBMITTED || s == RQ_RETURNED || s == RQ_ASSESSING;
	case RQA_WITHDRAW: return s == RQ_SUBMITTED;
	case RQA_URGE: return s == RQ_SUBMITTED || s == RQ_ASSESSING;
	case RQA_CC: return s == RQ_SUBMITTED || s == RQ_RETURNED || s == RQ_ASSESSING;
	case RQA_TRANSFER: return s == RQ_SUBMITTED || s == RQ_ASSESSING;
	case RQA_COUNTERSIGN:
	case RQA_SIGN: return s == RQ_ASSESSING;
	default: return false;
	}
}

static unsigned doc_who(enum rq_action a)
{
	switch (a) {
	case RQA_EDIT:
	case RQA_SUBMIT: return RQR_INITIATOR;
	case RQA_APPROVE:
	case RQA_RETURN:
	case RQA_REJECT: return RQR_REVIEWER;
	case RQA_ASSESS: return RQR_ASSESSOR;
	case RQA_ACCEPT:
	case RQA_DECLINE: return RQR_REVIEWER | RQR_COORDINATOR;
	case RQA_CANCEL: return RQR_INITIATOR | RQR_ADMIN;
	case RQA_WITHDRAW:
	case RQA_URGE: return RQR_INITIATOR;
	case RQA_CC: return RQR_INITIATOR | RQR_REVIEWER | RQR_COORDINATOR;
	case RQA_TRANSFER: return RQR_REVIEWER | RQR_ASSESSOR;
	case RQA_COUNTERSIGN: return RQR_REVIEWER | RQR_COORDINATOR;
	case RQA_SIGN: return RQR_SIGNER;
	default: return 0;
	}
}

static enum rq_status doc_to(enum rq_status s, enum rq_action a)
{
	switch (a) {
	case RQA_SUBMIT: return RQ_SUBMITTED;
	case RQA_APPROVE: return RQ_ASSESSING;
	case RQA_RETURN: return RQ_RETURNED;
	case RQA_REJECT: return RQ_REJECTED;
	case RQA_ACCEPT: return RQ_ACCEPTED;
	case RQA_DECLINE: return RQ_DECLINED;
	case RQA_CANCEL: return RQ_CANCELLED;
	case RQA_WITHDRAW: return RQ_DRAFT;
	default: return s; /* edit, assess, urge keep the status */
	}
}

Test(request_fsm, every_status_action_and_role_set)
{
	int checked = 0;
	for (int s = 0; s < RQ_STATUS_COUNT; s++)
		for (int a = 0; a < RQ_ACTION_COUNT; a++)
			for (unsigned roles = 0; roles < 64; roles++) {
				lerr e = {0};
				int rc = rq_can((enum rq_status)s, (enum rq_action)a, roles, &e);
				const char *what = rq_action_name((enum rq_action)a), *st = rq_status_name((enum rq_status)s);
				if (!doc_from((enum rq_status)s, (enum rq_action)a)) {
					cr_assert_eq(rc, LERR_CONFLICT, "%s on %s with roles %u: %d", what, st, roles, rc);
					cr_assert_str_eq(e.code, "invalid_transition");
					cr_assert(strstr(e.detail, st), "the reason names the status: %s", e.detail);
				} else if (!(doc_who((enum rq_action)a) & roles)) {
					cr_assert_eq(rc, LERR_FORBIDDEN, "%s on %s with roles %u: %d", what, st, roles, rc);
					cr_assert_str_eq(e.code, "forbidden");
					cr_assert(strstr(e.detail, "only"), "the reason says who may: %s", e.detail);
				} else {
					cr_assert_eq(rc, 0, "%s on %s with roles %u refused: %s", what, st, roles, e.detail);
					cr_assert_eq(rq_next((enum rq_status)s, (enum rq_action)a),
						     doc_to((enum rq_status)s, (enum rq_action)a), "%s from %s", what, st);
				}
				checked++;
			}
	cr_assert_eq(checked, RQ_STATUS_COUNT * RQ_ACTION_COUNT * 64);
}

Test(request_fsm, closed_statuses_say_so)
{
	enum rq_status closed[] = {RQ_REJECTED, RQ_ACCEPTED, RQ_DECLINED, RQ_CANCELLED};
	for (size_t i = 0; i < 4; i++) {
		cr_assert_not(rq_status_open(closed[i]));
		lerr e = {0};
		cr_assert_eq(rq_can(closed[i], RQA_CANCEL, RQR_ADMIN | RQR_INITIATOR, &e), LERR_CONFLICT);
		cr_assert(strstr(e.detail, "closed"), "%s", e.detail);
	}
	cr_assert(rq_status_open(RQ_DRAFT) && rq_status_open(RQ_ASSESSING));
}

Test(request_fsm, names_round_trip)
{
	for (int s = 0; s < RQ_STATUS_COUNT; s++)
		cr_assert_eq(rq_status_parse(rq_status_name((enum rq_status)s)), s);
	cr_assert_eq(rq_status_parse("open"), -1);
	cr_assert_eq(rq_status_parse(NULL), -1);
	cr_assert_eq(rq_priority_parse("urgent"), RQP_URGENT);
	cr_assert_eq(rq_priority_parse("URGENT"), -1);
	cr_assert_eq(rq_verdict_parse("conditional"), RQV_CONDITIONAL);
	cr_assert_eq(rq_verdict_parse("maybe"), -1);
}

Test(request_fields, due_date)
{
	lerr e = {0};
	int64_t today = 20784; /* 2026-11-27 */
	cr_assert_eq(rq_check_due_date("2026-11-27", today, &e), 0);
	cr_assert_eq(rq_check_due_date("2027-01-20", today, &e), 0);
	cr_assert_eq(rq_check_due_date("2026-11-26", today, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "date_in_past");
	cr_assert_str_eq(e.field, "due_date");
	cr_assert_eq(rq_check_due_date("2026-02-30", today, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "invalid_value");
	cr_assert_eq(rq_check_due_date("", today, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "required");
}

Test(request_fields, criteria)
{
	lerr e = {0};
	const char *two[] = {"活动按期举办", "至少 30 家媒体到场"};
	cr_assert_eq(rq_check_criteria(two, 2, &e), 0);
	cr_assert_eq(rq_check_criteria(two, 0, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "required");
	const char *blank[] = {"ok", "  "};
	cr_assert_eq(rq_check_criteria(blank, 2, &e), LERR_INVALID);
	cr_assert(strstr(e.detail, "2"), "names the criterion: %s", e.detail);
	const char *many[RQ_CRITERIA_MAX + 1];
	for (int i = 0; i <= RQ_CRITERIA_MAX; i++)
		many[i] = "x";
	cr_assert_eq(rq_check_criteria(many, RQ_CRITERIA_MAX, &e), 0);
	cr_assert_eq(rq_check_criteria(many, RQ_CRITERIA_MAX + 1, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "too_long");
	char longer[RQ_CRITERION_MAX + 2];
	memset(longer, 'a', sizeof longer);
	longer[RQ_CRITERION_MAX + 1] = 0;
	const char *one[] = {longer};
	cr_assert_eq(rq_check_criteria(one, 1, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "too_long");
}

Test(request_fields, departments)
{
	lerr e = {0};
	int64_t ok[] = {7, 4, 9}, own[] = {7}, dup[] = {4, 9, 4};
	cr_assert_eq(rq_check_departments(ok, 3, 7, &e), 0);
	cr_assert_eq(rq_check_departments(own, 1, 7, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "required");
	cr_assert_str_eq(e.field, "involved_department_ids");
	cr_assert_eq(rq_check_departments(ok, 0, 7, &e), LERR_INVALID);
	cr_assert_eq(rq_check_departments(dup, 3, 7, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "duplicate");
}

Test(request_fields, comments)
{
	lerr e = {0};
	cr_assert_eq(rq_check_comment(NULL, false, "comment", &e), 0);
	cr_assert_eq(rq_check_comment(" ", true, "reason", &e), LERR_INVALID);
	cr_assert_str_eq(e.field, "reason");
	cr_assert_eq(rq_check_comment("预算不清楚", true, "comment", &e), 0);
}

Test(request_decision, accept_rule)
{
	lerr e = {0};
	cr_assert_eq(rq_check_accept(3, 3, 0, false, NULL, &e), 0);
	cr_assert_eq(rq_check_accept(3, 2, 0, false, NULL, &e), LERR_CONFLICT);
	cr_assert_str_eq(e.code, "assessments_missing");
	cr_assert(strstr(e.detail, "1 of 3"), "%s", e.detail);
	cr_assert_eq(rq_check_accept(3, 3, 1, false, NULL, &e), LERR_CONFLICT);
	cr_assert_str_eq(e.code, "infeasible_verdict");
	cr_assert_eq(rq_check_accept(3, 1, 1, true, NULL, &e), LERR_INVALID); /* force needs a comment */
	cr_assert_str_eq(e.field, "comment");
	cr_assert_eq(rq_check_accept(3, 1, 1, true, "总经理已批准", &e), 0);
}

Test(request_reviewer, walks_up_past_the_initiator)
{
	int64_t heads[] = {20, 0, 1}; /* 市场部 head 20, a headless level, root head 1 */
	cr_assert_eq(rq_reviewer(21, heads, 3), 20);  /* staff: their head */
	cr_assert_eq(rq_reviewer(20, heads, 3), 1);   /* the head himself: the head above */
	int64_t none[] = {0, 0};
	cr_assert_eq(rq_reviewer(5, none, 2), 0);
	int64_t self_only[] = {5};
	cr_assert_eq(rq_reviewer(5, self_only, 1), 0);
}

Test(request_visibility, levels_and_participants)
{
	for (int viewer = 0; viewer < 4; viewer++) {
		cr_assert(rq_visible(0, viewer, false));
		cr_assert(rq_visible(1, viewer, false));
		cr_assert_not(rq_visible(2, viewer, false));
		cr_assert_not(rq_visible(3, viewer, false));
		cr_assert_eq(rq_visible(2, viewer, true), viewer >= 2);
		cr_assert_eq(rq_visible(3, viewer, true), viewer >= 3);
	}
}

Test(request_fields, confidentiality_within_own_clearance)
{
	lerr e = {0};
	cr_assert_eq(rq_check_confidentiality(1, 1, &e), 0);
	cr_assert_eq(rq_check_confidentiality(0, 3, &e), 0);
	cr_assert_eq(rq_check_confidentiality(2, 1, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "above_clearance");
	cr_assert_str_eq(e.field, "confidentiality");
}

/* RQ-2's roles, as the operations and the views both ask for them. */
Test(request_roles, who_the_viewer_is_to_a_request)
{
	request rq = {.initiator_id = 5};
	cr_assert_eq(rq_roles(&rq, 5, 9, false, false, false), (unsigned)RQR_INITIATOR);
	cr_assert_eq(rq_roles(&rq, 9, 9, false, false, false), (unsigned)RQR_REVIEWER);
	cr_assert_eq(rq_roles(&rq, 7, 9, true, true, true), (unsigned)(RQR_ASSESSOR | RQR_COORDINATOR | RQR_ADMIN));
	cr_assert_eq(rq_roles(&rq, 0, 0, false, false, false), 0u, "nobody (the command line) is no initiator or reviewer");
	request none = {.initiator_id = 0};
	cr_assert_eq(rq_roles(&none, 0, 0, false, false, true), (unsigned)RQR_ADMIN);
}

/* Who a department's assessment is asked of: the liaisons who may see it, else the head, else nobody. */
Test(request_asked, liaisons_then_head_then_nobody)
{
	int64_t liaisons[] = {11, 12};
	size_t pick[3];
	const char *via;
	bool both[] = {true, true}, second[] = {false, true}, none[] = {false, false};
	cr_assert_eq(rq_asked_of(liaisons, both, 2, 20, true, pick, &via), 2u);
	cr_assert_str_eq(via, "liaison");
	cr_assert_eq(rq_asked_of(liaisons, second, 2, 20, true, pick, &via), 1u);
	cr_assert_eq(pick[0], 1u);
	cr_assert_str_eq(via, "liaison", "the head is not asked while a liaison may see it");
	cr_assert_eq(rq_asked_of(liaisons, none, 2, 20, true, pick, &via), 1u);
	cr_assert_eq(pick[0], 2u, "index n stands for the head");
	cr_assert_str_eq(via, "head");
	cr_assert_eq(rq_asked_of(liaisons, none, 2, 20, false, pick, &via), 0u, "never someone who may not see it");
	cr_assert_str_eq(via, "none");
	cr_assert_eq(rq_asked_of(NULL, NULL, 0, 0, false, pick, &via), 0u);
	cr_assert_eq(rq_asked_of(NULL, NULL, 0, 20, true, pick, &via), 1u, "no liaison: the head");
	cr_assert_str_eq(via, "head");
}
