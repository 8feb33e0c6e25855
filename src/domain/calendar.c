/* Working time over weekdays and office hours (calendar.h). */
#include "domain/calendar.h"

#include <stddef.h>
#include <string.h>

#include "util/clock.h"

#define DAY_MS (24 * CAL_HOUR_MS)

/* Office hours of one working day, as [start, end) milliseconds after local midnight. */
static const int64_t windows[][2] = {{9 * CAL_HOUR_MS, 12 * CAL_HOUR_MS}, {13 * CAL_HOUR_MS, 18 * CAL_HOUR_MS}};
enum { NWINDOWS = sizeof windows / sizeof windows[0] };

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Days since 1970-01-01 (a Thursday): Monday..Friday work. */
static int workday(int64_t day)
{
	int64_t wd = ((day % 7) + 7 + 3) % 7; /* 0 = Monday */
	return wd < 5;
}

int64_t cal_work_ms_between(int64_t from_ms, int64_t to_ms, int offset_s)
{
	if (to_ms <= from_ms)
		return 0;
	int64_t off = (int64_t)offset_s * 1000, a = from_ms + off, b = to_ms + off, sum = 0;
	for (int64_t day = floor_div(a, DAY_MS); day * DAY_MS < b; day++) {
		if (!workday(day))
			continue;
		for (int w = 0; w < NWINDOWS; w++) {
			int64_t s = day * DAY_MS + windows[w][0], e = day * DAY_MS + windows[w][1];
			if (s < a)
				s = a;
			if (e > b)
				e = b;
			if (e > s)
				sum += e - s;
		}
	}
	return sum;
}

int64_t cal_add_work_ms(int64_t from_ms, int64_t work_ms, int offset_s)
{
	int64_t off = (int64_t)offset_s * 1000, t = from_ms + off, left = work_ms;
	if (left <= 0)
		return from_ms;
	for (int64_t day = floor_div(t, DAY_MS);; day++) {
		if (!workday(day))
			continue;
		for (int w = 0; w < NWINDOWS; w++) {
			int64_t s = day * DAY_MS + windows[w][0], e = day * DAY_MS + windows[w][1];
			if (s < t)
				s = t;
			if (e <= s)
				continue;
			if (e - s >= left)
				return s + left - off;
			left -= e - s;
		}
	}
}

/* ------------------------------------------------------------------ working days */

bool cal_is_workday(const workcal *c, int64_t day)
{
	size_t lo = 0, hi = c ? c->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->days[mid].day == day)
			return c->days[mid].work;
		if (c->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return workday(day);
}

void cal_workdays_from(const workcal *c, int64_t from, size_t n, int64_t *out)
{
	size_t k = 0;
	for (int64_t day = from; k < n; day++)
		if (cal_is_workday(c, day))
			out[k++] = day;
}

int64_t cal_workdays_between(const workcal *c, int64_t from, int64_t to)
{
	if (to <= from)
		return 0;
	/* Whole weeks by arithmetic, the rest day by day, then the overrides inside the span. */
	int64_t span = to - from, weeks = span / 7, count = weeks * 5;
	for (int64_t day = from + weeks * 7; day < to; day++)
		count += workday(day);
	for (size_t i = 0; c && i < c->n; i++)
		if (c->days[i].day >= from && c->days[i].day < to && c->days[i].work != (bool)workday(c->days[i].day))
			count += c->days[i].work ? 1 : -1;
	return count;
}

/* ------------------------------------------------------------------ the calendar's dates as data */

const char *const cal_kind_names[] = {"holiday", "workday", NULL};

static const rfield calendar_day_fields[] = {
	{"date", RK_DATE, .off = offsetof(calendar_day, date)},
	{"kind", RK_ENUM, .off = offsetof(calendar_day, kind), .names = cal_kind_names,
	 .doc = "holiday: a weekday that rests (节假日); workday: a weekend day that works (调休上班)"},
	{"name", RK_STR, .off = offsetof(calendar_day, name)},
	{"department_id", RK_ID, .off = offsetof(calendar_day, department_id), .doc = "null: the organisation's"},
};
const rdesc calendar_day_desc = RDESC("CalendarDay", calendar_day_fields,
				      "A date that differs from Monday-to-Friday working: a holiday or a make-up workday");

int cal_check_date(const char *date, lerr *e)
{
	int64_t day;
	if (!date || !date_valid(date, &day))
		return lerr_set(e, LERR_INVALID, "invalid_value", "date", "the date must be a real date, YYYY-MM-DD");
	if (strcmp(date, "2000-01-01") < 0 || strcmp(date, "2100-12-31") > 0)
		return lerr_set(e, LERR_INVALID, "invalid_value", "date", "the calendar holds the years 2000 to 2100");
	return 0;
}
