/* The one source of "now", and conversions between instants, RFC 3339 text and dates. */
#include "util/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static _Atomic int64_t clock_offset_ms;

static int64_t real_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(void)
{
	return real_now_ms() + atomic_load(&clock_offset_ms);
}

void clock_set_ms(int64_t ms)
{
	atomic_store(&clock_offset_ms, ms - real_now_ms());
}

uint64_t clock_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int month_days(int y, int m)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

void time_format_rfc3339(int64_t ms, char *out, size_t n)
{
	int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	int msec = (int)(ms - secs * 1000);
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t rem = secs - days * 86400;
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	if (n < 25 || y < 0 || y > 9999) {
		snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, (int)(rem / 3600),
			 (int)(rem / 60 % 60), (int)(rem % 60), msec);
		return;
	}
	/* By hand: this runs for every instant of every answer. */
	const int parts[] = {y / 100, y % 100, m, d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60)};
	static const char seps[] = {0, 0, '-', '-', 'T', ':', ':'};
	char *p = out;
	for (int i = 0; i < 7; i++) {
		if (seps[i])
			*p++ = seps[i];
		*p++ = (char)('0' + parts[i] / 10);
		*p++ = (char)('0' + parts[i] % 10);
	}
	*p++ = '.';
	*p++ = (char)('0' + msec / 100);
	*p++ = (char)('0' + msec / 10 % 10);
	*p++ = (char)('0' + msec % 10);
	*p++ = 'Z';
	*p = 0;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

bool date_valid(const char *s, int64_t *days)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
	    digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return false;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return false;
	if (days)
		*days = days_from_civil(y, m, d);
	return true;
}

int time_parse_rfc3339(const char *s, int64_t *ms)
{
	int64_t days;
	char date[11];
	int hh, mi, ss, frac = 0;
	if (!s || strlen(s) < 20)
		return -1;
	memcpy(date, s, 10);
	date[10] = 0;
	if (!date_valid(date, &days) || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return -1;
	if (digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &ss) || hh > 23 || mi > 59 || ss > 60)
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		int scale = 100, n = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, n++)
			if (scale) {
				frac += (*p - '0') * scale;
				scale /= 10;
			}
		if (!n)
			return -1;
	}
	int off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		off = (oh * 60 + om) * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*ms = ((days * 86400 + hh * 3600 + mi * 60 + ss) - off * 60) * 1000 + frac;
	return 0;
}

int clock_set_timezone(const char *tz)
{
	char path[256];
	if (!tz || !*tz || strstr(tz, "..") || tz[0] == '/')
		return -1;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	if (access(path, R_OK) != 0 && strcmp(tz, "UTC") != 0)
		return -1;
	setenv("TZ", tz, 1);
	tzset();
	return 0;
}

static void local_now(struct tm *tm)
{
	time_t t = (time_t)(clock_now_ms() / 1000);
	localtime_r(&t, tm);
}

int64_t clock_local_today(void)
{
	struct tm tm;
	local_now(&tm);
	return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int clock_local_offset_s(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	return (int)tm.tm_gmtoff;
}

int clock_local_year(void)
{
	struct tm tm;
	local_now(&tm);
	return tm.tm_year + 1900;
}

void date_format(int64_t days, char *out, size_t n)
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}
