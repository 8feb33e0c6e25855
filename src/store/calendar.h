/* The working-day calendar in the store: dates that differ from "Monday to Friday work" (migration 16). */
#ifndef LIAISON_STORE_CALENDAR_H
#define LIAISON_STORE_CALENDAR_H
#include <stddef.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "store/db.h"
#include "util/arena.h"

/* The organisation's dates from..to (inclusive, YYYY-MM-DD), with those of department_id (0: none) in
 * their place where it has its own, in date order, into an arena array. */
int store_calendar_list(db *d, arena *a, int64_t department_id, const char *from, const char *to, calendar_day **items,
			size_t *n);
/* One date: DB_ROW and *out, or DB_DONE when the calendar has nothing for it. */
int store_calendar_get(db *d, arena *a, int64_t department_id, const char *date, calendar_day *out);
/* Sets a date (added or replaced). */
int store_calendar_put(db *d, const calendar_day *day);
/* Removes a date: DB_DONE, or 1 when there was none. */
int store_calendar_delete(db *d, int64_t department_id, const char *date);

#endif
