/* Stage 1 rules: the request's state machine as one table, field checks, the decision rule, visibility. */
#include "domain/request.h"

#include <string.h>

#include "util/clock.h"
#include "util/str.h"

static const char *const status_names[RQ_STATUS_COUNT] = {
	"draft", "submitted", "returned", "rejected", "assessing", "accepted", "declined", "cancelled",
};

static const char *const action_names[RQ_ACTION_COUNT] = {
	"edit", "submit", "approve", "return", "reject", "assess", "accept", "decline", "cancel",
};

/* What each action does: the statuses it starts from (bit per status), who may do it, where it leads
 * (-1: stays), and the sentence for a caller without the role. */
static const struct {
	unsigned from;
	unsigned roles;
	int to;
	const char *who;
} rules[RQ_ACTION_COUNT] = {
	[RQA_EDIT] = {1u << RQ_DRAFT | 1u << RQ_RETURNED, RQR_INITIATOR, -1,
		      "only the initiator may edit the request"},
	[RQA_SUBMIT] = {1u << RQ_DRAFT | 1u << RQ_RETURNED, RQR_INITIATOR, RQ_SUBMITTED,
			"only the initiator may submit the request"},
	[RQA_APPROVE] = {1u << RQ_SUBMITTED, RQR_REVIEWER, RQ_ASSESSING,
			 "only the head of the initiating department may review the request"},
	[RQA_RETURN] = {1u << RQ_SUBMITTED, RQR_REVIEWER, RQ_RETURNED,
			"only the head of the initiating department may review the request"},
	[RQA_REJECT] = {1u << RQ_SUBMITTED, RQR_REVIEWER, RQ_REJECTED,
			"only the head of the initiating department may review the request"},
	[RQA_ASSESS] = {1u << RQ_ASSESSING, RQR_ASSESSOR, -1,
			"only a liaison or the head of an involved department may assess for it"},
	[RQA_ACCEPT] = {1u << RQ_ASSESSING, RQR_REVIEWER | RQR_COORDINATOR, RQ_ACCEPTED,
			"only the head of the initiating department or a coordinator may decide"},
	[RQA_DECLINE] = {1u << RQ_ASSESSING, RQR_REVIEWER | RQR_COORDINATOR, RQ_DECLINED,
			 "only the head of the initiating department or a coordinator may decide"},
	[RQA_CANCEL] = {1u << RQ_DRAFT | 1u << RQ_SUBMITTED | 1u << RQ_RETURNED | 1u << RQ_ASSESSING,
			RQR_INITIATOR | RQR_ADMIN, RQ_CANCELLED,
			"only the initiator or an administrator may cancel the request"},
};

const char *rq_status_name(enum rq_status s)
{
	return s < RQ_STATUS_COUNT ? status_names[s] : "unknown";
}

int rq_status_parse(const char *s)
{
	for (int i = 0; s && i < RQ_STATUS_COUNT; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

const char *rq_action_name(enum rq_action a)
{
	return a < RQ_ACTION_COUNT ? action_names[a] : "unknown";
}

bool rq_status_open(enum rq_status s)
{
	return s == RQ_DRAFT || s == RQ_SUBMITTED || s == RQ_RETURNED || s == RQ_ASSESSING;
}

int rq_can(enum rq_status st, enum rq_action act, unsigned roles, lerr *e)
{
	if (st >= RQ_STATUS_COUNT || act >= RQ_ACTION_COUNT)
		return lerr_set(e, LERR_INVALID, "invalid_value", NULL, "unknown status or action");
	if (!(rules[act].from & (1u << st))) {
		if (!rq_status_open(st))
			return lerr_set(e, LERR_CONFLICT, "invalid_transition", NULL,
					"the request is %s: it is closed and cannot be changed any more", status_names[st]);
		return lerr_set(e, LERR_CONFLICT, "invalid_transition", NULL, "a request that is %s cannot be %s",
				status_names[st],
				act == RQA_EDIT	     ? "edited (only drafts and returned requests can)"
				: act == RQA_SUBMIT  ? "submitted (only drafts and returned requests can)"
				: act == RQA_ASSESS  ? "assessed (only during the impact assessment)"
				: act == RQA_ACCEPT || act == RQA_DECLINE ? "decided (only after the impact assessment has started)"
									   : "reviewed (only submitted requests can)");
	}
	if (!(rules[act].roles & roles))
		return lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL, "%s", rules[act].who);
	return 0;
}

enum rq_status rq_next(enum rq_status st, enum rq_action act)
{
	if (act >= RQ_ACTION_COUNT || rules[act].to < 0)
		return st;
	return (enum rq_status)rules[act].to;
}

static const char *const priority_names[] = {"low", "normal", "high", "urgent"};

int rq_priority_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, priority_names[i]) == 0)
			return i;
	return -1;
}


int rq_check_due_date(const char *due, int64_t today, lerr *e)
{
	int64_t days;
	if (!due || !*due)
		return lerr_set(e, LERR_INVALID, "required", "due_date", "due_date is required");
	if (!date_valid(due, &days))
		return lerr_set(e, LERR_INVALID, "invalid_value", "due_date", "due_date must be a date like 2026-12-31");
	if (days < today)
		return lerr_set(e, LERR_INVALID, "date_in_past", "due_date", "due_date %s is in the past", due);
	return 0;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

int rq_check_criteria(const char *const *criteria, size_t n, lerr *e)
{
	if (n == 0)
		return lerr_set(e, LERR_INVALID, "required", "success_criteria",
				"success_criteria needs at least one measurable criterion");
	if (n > RQ_CRITERIA_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", "success_criteria", "success_criteria has more than %d items",
				RQ_CRITERIA_MAX);
	for (size_t i = 0; i < n; i++) {
		if (!criteria[i] || blank(criteria[i]))
			return lerr_set(e, LERR_INVALID, "required", "success_criteria",
					"success criterion %zu is empty", i + 1);
		if (utf8_count(criteria[i]) > RQ_CRITERION_MAX)
			return lerr_set(e, LERR_INVALID, "too_long", "success_criteria",
					"success criterion %zu is longer than %d characters", i + 1, RQ_CRITERION_MAX);
	}
	return 0;
}

int rq_check_departments(const int64_t *ids, size_t n, int64_t initiating, lerr *e)
{
	if (n > RQ_DEPARTMENTS_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", "involved_department_ids",
				"involved_department_ids has more than %d items", RQ_DEPARTMENTS_MAX);
	bool other = false;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i])
				return lerr_set(e, LERR_INVALID, "duplicate", "involved_department_ids",
						"department %lld is listed twice", (long long)ids[i]);
		other |= ids[i] != initiating;
	}
	if (!other)
		return lerr_set(e, LERR_INVALID, "required", "involved_department_ids",
				"involved_department_ids needs at least one department other than the initiator's");
	return 0;
}

int rq_check_confidentiality(int level, int initiator_clearance, lerr *e)
{
	if (level > initiator_clearance)
		return lerr_set(e, LERR_INVALID, "above_clearance", "confidentiality",
				"confidentiality is above your own clearance; you could not see the request yourself");
	return 0;
}

int rq_check_comment(const char *comment, bool required, const char *field, lerr *e)
{
	if (required && (!comment || blank(comment)))
		return lerr_set(e, LERR_INVALID, "required", field, "%s is required for this action", field);
	if (comment && utf8_count(comment) > RQ_COMMENT_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", field, "%s is longer than %d characters", field,
				RQ_COMMENT_MAX);
	return 0;
}

static const char *const verdict_names[] = {"feasible", "conditional", "infeasible"};

int rq_verdict_parse(const char *s)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, verdict_names[i]) == 0)
			return i;
	return -1;
}


int rq_check_accept(size_t expected, size_t received, size_t infeasible, bool force, const char *comment, lerr *e)
{
	if (force)
		return rq_check_comment(comment, true, "comment", e);
	if (received < expected)
		return lerr_set(e, LERR_CONFLICT, "assessments_missing", NULL,
				"%zu of %zu involved departments have not assessed yet; wait, or accept with force and a comment",
				expected - received, expected);
	if (infeasible > 0)
		return lerr_set(e, LERR_CONFLICT, "infeasible_verdict", NULL,
				"%zu department%s judged the request infeasible; accept only with force and a comment",
				infeasible, infeasible == 1 ? "" : "s");
	return 0;
}

int64_t rq_reviewer(int64_t initiator, const int64_t *heads, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (heads[i] > 0 && heads[i] != initiator)
			return heads[i];
	return 0;
}

bool rq_visible(int confidentiality, int viewer_clearance, bool participant)
{
	if (confidentiality <= 1) /* public, internal */
		return true;
	return participant && viewer_clearance >= confidentiality;
}
