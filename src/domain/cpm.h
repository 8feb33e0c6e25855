/* Scheduling a plan by the critical path method (stage 2, 任务拆解: dependencies, early and late dates,
 * floats, the critical path).  Pure and deterministic: the same tasks and dependencies always give the
 * same schedule, whatever their order in memory beyond the task indices.
 *
 * Time is counted in working days, as indices into the project's working calendar (day 0 is the
 * project's first working day; calendar.h maps indices to dates): the engine never sees weekends,
 * holidays or 调休, so it is the same arithmetic for every calendar.  A task of duration d that starts on
 * working day s occupies days s .. s+d-1 (a 3-day task starting on Monday finishes on Wednesday); a
 * milestone has duration 0 and starts and finishes on one day.  Below, `es` is the first day and `ef`
 * the day after the last (s + d), so that durations add without off-by-one; `finish_day` gives the
 * inclusive last day.
 *
 * A dependency (pred -> succ, lag in working days, negative allowed):
 *   FS  succ starts  >= pred finishes + lag      SS  succ starts  >= pred starts + lag
 *   FF  succ finishes >= pred finishes + lag     SF  succ finishes >= pred starts + lag
 * A task's own "start no earlier than" (not_before) is honoured, and nothing starts before day 0.
 *
 * Invariants (tests/unit/test_cpm.c): CPM-1 every dependency holds in the early and in the late
 * schedule; CPM-2 total float = ls - es >= 0 and free float <= total float; CPM-3 the project finish is
 * the largest ef and some task on it has zero float; CPM-4 a cycle is refused, named task by task. */
#ifndef LIAISON_DOMAIN_CPM_H
#define LIAISON_DOMAIN_CPM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cpm_type { CPM_FS, CPM_SS, CPM_FF, CPM_SF };

typedef struct cpm_task {
	int32_t duration;   /* working days, >= 0 (0: a milestone) */
	int32_t not_before; /* the first day it may start ("start no earlier than"), or -1 */
} cpm_task;

typedef struct cpm_dep {
	int32_t pred, succ; /* task indices */
	int32_t lag;        /* working days, may be negative */
	uint8_t type;       /* enum cpm_type */
} cpm_dep;

typedef struct cpm_result {
	int32_t es, ef;          /* early start, early finish (the day after the last) */
	int32_t ls, lf;          /* late start, late finish (the day after the last) */
	int32_t total_float;     /* ls - es: how late it may start without delaying the project */
	int32_t free_float;      /* how late it may start without delaying any successor's early start */
	bool critical;           /* total float 0 */
} cpm_result;

/* Schedules tasks[0..n) under deps[0..m) into out[0..n); *finish is the project's finish (the day after
 * its last working day).  Answers 0; or -1 when the dependencies hold a cycle (out is then undefined)
 * or name a task out of range.  Runs in O(n + m) time and memory (a few arrays of n and m). */
int cpm_schedule(const cpm_task *tasks, size_t n, const cpm_dep *deps, size_t m, cpm_result *out, int32_t *finish);

/* The inclusive last working day of a task that starts on `es` and lasts `duration` days. */
int32_t cpm_finish_day(int32_t es, int32_t duration);

/* Whether adding pred -> succ to deps[0..m) would close a cycle; if so, path[0..*npath) (room for max)
 * is the cycle as it would stand: succ, ..., pred (each depends on the one before), then the new edge
 * closes it.  A dependency of a task on itself is a cycle of one. */
bool cpm_would_cycle(size_t n, const cpm_dep *deps, size_t m, int32_t pred, int32_t succ, int32_t *path, size_t max,
		     size_t *npath);

#endif
