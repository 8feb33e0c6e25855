/* The project an accepted request became, as its people see it: what the request carried into it (the goal,
 * the success criteria, the impact assessments and their totals) and the follow-ups (跟进事项) — the
 * conditions attached to the acceptance, which stage 2's plan must cover.  Pure rules over records; no I/O.
 *
 * A follow-up's life (stage 1 creates them open; stage 2 covers them with a task):
 *
 *      accepted (with conditions)          a task of the plan covers it (stage 2)
 *   ───────────────────────────────▶ open ─────────────────────────────────────────▶ covered
 *
 * Invariants (cited by the tests that check them; migration 12 applies FU-1..FU-3 to stores that had projects
 * before follow-ups existed, and tests/unit/test_migrate.c proves the two agree):
 *   FU-1  every conditional assessment of the accepted request gives one follow-up with its conditions, its
 *         department as the source, in department order; a feasible assessment gives none.
 *   FU-2  every infeasible assessment (the acceptance overrode it, with force) gives one follow-up with its
 *         conditions, as FU-1.
 *   FU-3  the decision's comment gives one follow-up, after the assessments', when the acceptance carried
 *         conditions (FU-1) or needed force (an infeasible verdict, or departments that had not assessed);
 *         the comment of a plain acceptance is only a comment.  Blank texts give none.
 *   FU-4  follow-ups are created in the transaction that creates the project, and only then; a follow-up is
 *         open until stage 2 covers it with a task (task_id), and is seen exactly by whoever sees its project.
 */
#ifndef LIAISON_DOMAIN_PROJECT_H
#define LIAISON_DOMAIN_PROJECT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/request.h"
#include "util/record.h"

enum fu_source { FU_ASSESSMENT, FU_DECISION };
enum fu_status { FU_OPEN, FU_COVERED };
extern const char *const fu_source_names[]; /* NULL-terminated, index = enum fu_source */
extern const char *const fu_status_names[]; /* NULL-terminated, index = enum fu_status */

/* One follow-up (跟进事项).  Strings belong to whoever loaded it (an arena). */
typedef struct follow_up {
	int64_t id, project_id;
	int source;                 /* enum fu_source */
	int64_t department_id;      /* the assessing department (FU_ASSESSMENT); 0 for the decision */
	const char *department_name;
	const char *text;           /* the conditions, or the decision's comment */
	int status;                 /* enum fu_status */
	int64_t task_id;            /* the stage-2 task that covers it; 0 while open */
	int64_t raised_by;          /* the assessor, or the decider; 0 when unknown */
	const char *raised_by_name;
	int64_t version, created_at, updated_at;
} follow_up;
extern const rdesc follow_up_desc;

/* The assessments of a request summed up: what the departments asked for together. */
typedef struct assessment_totals {
	int64_t person_days_x100, cost_cents; /* sums, in hundredths (exact) */
	int64_t max_schedule_impact_days;     /* the longest delay any department reported */
	int64_t expected, received;           /* involved departments; assessments received from them */
	int64_t feasible, conditional, infeasible;
} assessment_totals;
extern const rdesc assessment_totals_desc;

/* A project as one viewer sees it: the record, its open follow-ups; in the full view (its own page) also
 * what the accepted request carried into it and every follow-up. */
typedef struct project_view {
	project p;
	const char *request_code;
	int64_t open_follow_ups;
	const char *goal;
	const char **criteria;      /* success criteria (成功标准) */
	size_t ncriteria;
	assessment *assessments;    /* department order */
	size_t nassessments;
	assessment_totals totals;
	follow_up *follow_ups;      /* creation order */
	size_t nfollow_ups;
} project_view;
extern const rdesc project_view_desc;

int fu_status_parse(const char *s); /* -1 when unknown */
int fu_source_parse(const char *s);

/* The totals of the assessments items[0..n) of a request that involves `expected` departments. */
void assessment_totals_of(const assessment *items, size_t n, size_t expected, assessment_totals *out);

/* The follow-ups an acceptance creates (FU-1..FU-3), in order, into out (room for n + 1): the conditions of
 * the assessments items[0..n) (department order), then the decision's `comment` by `decider`.  `expected`
 * is the number of involved departments.  Sets source, department, text, raised_by and status open; the
 * caller sets the project and the times.  Answers how many. */
size_t fu_of_acceptance(const assessment *items, size_t n, size_t expected, const char *comment, int64_t decider,
			follow_up *out);

#endif
