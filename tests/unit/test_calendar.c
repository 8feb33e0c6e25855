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

/* --- working days, with mainland China's 2026 holidays and make-up workdays (../shared/data/cn-2026.json) --- */

static int64_t day_of(const char *date)
{
	int64_t d;
	cr_assert(date_valid(date, &d), "%s", date);
	return d;
}

/* The 2026 Spring Festival and National Day, as the State Council's notice sets them. */
static const struct {
	const char *date;
	bool work;
} cn2026[] = {
	{"2026-02-14", true},  {"2026-02-15", false}, {"2026-02-16", false}, {"2026-02-17", false},
	{"2026-02-18", false}, {"2026-02-19", false}, {"2026-02-20", false}, {"2026-02-21", false},
	{"2026-02-22", false}, {"2026-02-23", false}, {"2026-02-28", true},  {"2026-09-20", true},
	{"2026-09-25", false}, {"2026-10-01", false}, {"2026-10-02", false}, {"2026-10-03", false},
	{"2026-10-04", false}, {"2026-10-05", false}, {"2026-10-06", false}, {"2026-10-07", false},
	{"2026-10-10", true},
};

static workcal cn(cal_override *ov)
{
	size_t n = sizeof cn2026 / sizeof cn2026[0];
	for (size_t i = 0; i < n; i++)
		ov[i] = (cal_override){day_of(cn2026[i].date), cn2026[i].work};
	return (workcal){ov, n};
}

Test(calendar, weekends_holidays_and_make_up_workdays)
{
	cal_override ov[32];
	workcal c = cn(ov);
	cr_assert(cal_is_workday(&c, day_of("2026-02-13")), "a Friday");
	cr_assert(cal_is_workday(&c, day_of("2026-02-14")), "a Saturday made a workday (春节调休)");
	cr_assert_not(cal_is_workday(&c, day_of("2026-02-16")), "a Monday of the Spring Festival");
	cr_assert_not(cal_is_workday(&c, day_of("2026-03-07")), "an ordinary Saturday");
	cr_assert(cal_is_workday(&c, day_of("2026-03-09")), "an ordinary Monday");
	cr_assert(cal_is_workday(NULL, day_of("2026-02-16")), "without the data, a Monday works");
}

Test(calendar, working_day_indices_skip_what_rests)
{
	cal_override ov[32];
	workcal c = cn(ov);
	int64_t d[6];
	cal_workdays_from(&c, day_of("2026-02-12"), 6, d);
	const char *want[] = {"2026-02-12", "2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26"};
	for (int i = 0; i < 6; i++) {
		char s[11];
		date_format(d[i], s, sizeof s);
		cr_assert_str_eq(s, want[i], "working day %d", i);
	}
	/* A 3-day task from Thursday 2026-02-12 ends on the make-up Saturday; a 4-day one after the festival. */
	cr_assert_eq(cal_workdays_between(&c, day_of("2026-02-12"), day_of("2026-02-24")), 3);
	cr_assert_eq(cal_workdays_between(&c, day_of("2026-02-01"), day_of("2026-03-01")), 16,
		     "February 2026: 20 weekdays, 6 of them holidays, 2 Saturdays worked");
	cr_assert_eq(cal_workdays_between(&c, day_of("2026-09-28"), day_of("2026-10-12")), 6,
		     "around National Day: 28-30 September, then 8, 9 and 10 (a Saturday worked) October");
	cr_assert_eq(cal_workdays_between(NULL, day_of("2026-12-07"), day_of("2026-12-21")), 10, "two plain weeks");
	cr_assert_eq(cal_workdays_between(&c, day_of("2026-03-01"), day_of("2026-02-01")), 0, "backwards");
	for (int64_t a = day_of("2026-01-25"); a < day_of("2026-03-10"); a += 3) /* the count and the walk agree */
		for (int64_t b = a; b < a + 30; b += 4) {
			int64_t walked = 0;
			for (int64_t x = a; x < b; x++)
				walked += cal_is_workday(&c, x);
			cr_assert_eq(cal_workdays_between(&c, a, b), walked);
		}
}
