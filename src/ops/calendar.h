/* Operations on the working-day calendar (stage 2): administrators set and remove the dates that differ
 * from "Monday to Friday work", for the organisation or for one department. */
#ifndef LIAISON_OPS_CALENDAR_H
#define LIAISON_OPS_CALENDAR_H
#include "domain/calendar.h"
#include "ops/ops.h"

/* A date's kind and name; `set` says which were given (CAL_IN_*). */
typedef struct calendar_in {
	unsigned set;
	int kind;                /* enum cal_kind */
	const char *name;
	int64_t department_id;   /* 0: the organisation's */
} calendar_in;
enum { CAL_IN_KIND = 1, CAL_IN_NAME = 2, CAL_IN_DEPARTMENT = 4 };

/* Administrators: sets `date` (added or replaced; 422 for a date the calendar cannot hold, 404 for an
 * unknown department).  *out is the date as stored. */
int op_calendar_put(op_ctx *c, const char *date, const calendar_in *in, calendar_day *out, lerr *e);
/* Administrators: removes `date` of the organisation (department 0) or of a department (404 when the
 * calendar has nothing for it). */
int op_calendar_delete(op_ctx *c, const char *date, int64_t department_id, lerr *e);

#endif
