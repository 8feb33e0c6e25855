/* Working time, the rule SLA-like limits count in (an urge at most once per 4 working hours; later the
 * response times of issues and reminders).  Today: Monday to Friday, 09:00–12:00 and 13:00–18:00 in the
 * organisation's time zone.  Stage 2 adds public holidays and make-up workdays (调休) as data; callers
 * keep asking these two functions.  Pure functions of their arguments: the caller passes the time
 * zone's UTC offset (clock_local_offset_s), taken as fixed across the span. */
#ifndef LIAISON_DOMAIN_CALENDAR_H
#define LIAISON_DOMAIN_CALENDAR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/record.h"

#define CAL_HOUR_MS (3600LL * 1000)

/* --- working days (stage 2: durations and lags count them) ---
 * Days are counted since 1970-01-01 (a Thursday).  Saturdays and Sundays rest, Monday to Friday work,
 * unless the calendar says otherwise for a date: a public holiday (节假日) rests, a make-up workday (调休
 * 上班) works — mainland China's as shipped data, an organisation's own added by its administrators. */
typedef struct cal_override {
	int64_t day;
	bool work;  /* true: a make-up workday; false: a holiday */
} cal_override;

typedef struct workcal {
	const cal_override *days; /* ascending by day, one per day */
	size_t n;
} workcal;

bool cal_is_workday(const workcal *c, int64_t day);
/* The first n working days on or after `from`, into out[0..n): working-day index i is out[i] (the
 * scheduler's day i: domain/cpm.h). */
void cal_workdays_from(const workcal *c, int64_t from, size_t n, int64_t *out);
/* How many working days lie in [from, to) (0 when to <= from). */
int64_t cal_workdays_between(const workcal *c, int64_t from, int64_t to);

/* Milliseconds of working time between two instants (0 when to <= from). */
int64_t cal_work_ms_between(int64_t from_ms, int64_t to_ms, int offset_s);
/* The first instant at which `work_ms` of working time has passed since from_ms. */
int64_t cal_add_work_ms(int64_t from_ms, int64_t work_ms, int offset_s);

/* A date of the calendar that differs from "Monday to Friday work" (GET /api/v1/calendar). */
enum cal_kind { CAL_HOLIDAY, CAL_WORKDAY };
extern const char *const cal_kind_names[];   /* "holiday", "workday" */
enum { CAL_NAME_MAX = 40 };                  /* characters */
typedef struct calendar_day {
	const char *date;       /* YYYY-MM-DD */
	int kind;               /* enum cal_kind */
	const char *name;       /* 春节, 国庆节调休, ... */
	int64_t department_id;  /* 0: the organisation's */
} calendar_day;
extern const rdesc calendar_day_desc;
/* Checks a date the calendar may hold: a real date of the years 2000 to 2100 (422 naming the field). */
int cal_check_date(const char *date, lerr *e);

#endif
