/* Working time, the rule SLA-like limits count in (an urge at most once per 4 working hours; later the
 * response times of issues and reminders).  Today: Monday to Friday, 09:00–12:00 and 13:00–18:00 in the
 * organisation's time zone.  Stage 2 adds public holidays and make-up workdays (调休) as data; callers
 * keep asking these two functions.  Pure functions of their arguments: the caller passes the time
 * zone's UTC offset (clock_local_offset_s), taken as fixed across the span. */
#ifndef LIAISON_DOMAIN_CALENDAR_H
#define LIAISON_DOMAIN_CALENDAR_H
#include <stdint.h>

#define CAL_HOUR_MS (3600LL * 1000)

/* Milliseconds of working time between two instants (0 when to <= from). */
int64_t cal_work_ms_between(int64_t from_ms, int64_t to_ms, int offset_s);
/* The first instant at which `work_ms` of working time has passed since from_ms. */
int64_t cal_add_work_ms(int64_t from_ms, int64_t work_ms, int offset_s);

#endif
