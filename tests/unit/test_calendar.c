/* Working time (domain/calendar.h): weekdays, 09:00–12:00 and 13:00–18:00 local, counted and added. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "domain/calendar.h"
#include "util/clock.h"

#define SH (8 * 3600) /* Asia/Shanghai */
#define H CAL_HOUR_MS

/* A local Shanghai wall-clock time as UTC ms. */
static int64_t at(const char *rfc3339_local)
{
	char buf[40];
	snprintf(buf, sizeof buf, "%s+08:00", rfc3339_local);
	int64_t ms;
	cr_assert_eq(time_parse_rfc3339(buf, &ms), 0, "%s", buf);
	return ms;
}

Test(calendar, office_hours_of_weekdays_count)
{
	/* 2026-12-04 is a Friday. */
	cr_assert_eq(cal_work_ms_between(at("2026-12-04T17:00:00"), at("2026-12-07T12:00:00"), SH), 4 * H,
		     "Friday's last hour and Monday's morning");
	cr_assert_eq(cal_work_ms_between(at("2026-12-05T08:00:00"), at("2026-12-06T20:00:00"), SH), 0, "a weekend");
	cr_assert_eq(cal_work_ms_between(at("2026-12-07T11:30:00"), at("2026-12-07T13:30:00"), SH), H, "lunch is not work");
	cr_assert_eq(cal_work_ms_between(at("2026-12-07T07:00:00"), at("2026-12-07T21:00:00"), SH), 8 * H, "a whole day");
	cr_assert_eq(cal_work_ms_between(at("2026-12-07T10:00:00"), at("2026-12-07T09:00:00"), SH), 0, "backwards");
}

Test(calendar, adding_working_time_skips_evenings_lunch_and_weekends)
{
	cr_assert_eq(cal_add_work_ms(at("2026-12-04T17:00:00"), 4 * H, SH), at("2026-12-07T12:00:00"));
	cr_assert_eq(cal_add_work_ms(at("2026-12-07T11:00:00"), 4 * H, SH), at("2026-12-07T16:00:00"));
	cr_assert_eq(cal_add_work_ms(at("2026-12-05T10:00:00"), 4 * H, SH), at("2026-12-07T14:00:00"),
		     "from a Saturday: Monday's morning, then an hour after lunch");
	cr_assert_eq(cal_add_work_ms(at("2026-12-07T19:00:00"), H, SH), at("2026-12-08T10:00:00"));
	cr_assert_eq(cal_add_work_ms(at("2026-12-07T19:00:00"), 0, SH), at("2026-12-07T19:00:00"));
}

Test(calendar, adding_then_counting_gives_back_what_was_added)
{
	unsigned seed = 7;
	int64_t base = at("2026-01-01T00:00:00");
	for (int i = 0; i < 2000; i++) {
		int64_t from = base + (int64_t)(rand_r(&seed) % (400 * 24)) * H / 7 + rand_r(&seed) % 60000;
		int64_t w = (int64_t)(rand_r(&seed) % (30 * 60)) * 60000; /* up to 30 working hours */
		int64_t to = cal_add_work_ms(from, w, SH);
		cr_assert_eq(cal_work_ms_between(from, to, SH), w, "from %lld, %lld ms", (long long)from, (long long)w);
		cr_assert(w == 0 || cal_work_ms_between(from, to - 1, SH) < w, "the first such instant");
	}
}
