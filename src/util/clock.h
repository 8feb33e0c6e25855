/* The one source of "now": UTC milliseconds, settable in tests (serve --dev-clock). */
#ifndef LIAISON_UTIL_CLOCK_H
#define LIAISON_UTIL_CLOCK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the epoch, UTC, shifted by the test offset when one is set. */
int64_t clock_now_ms(void);
/* Makes clock_now_ms() answer `ms` now and advance with real time from there. */
void clock_set_ms(int64_t ms);
/* Monotonic microseconds, for measuring durations. */
uint64_t clock_mono_us(void);

/* The organisation's time zone (an IANA name such as "Asia/Shanghai"), set once at start-up before any
 * thread runs; clock_local_* then answer in it.  Returns -1 for a name the system does not know. */
int clock_set_timezone(const char *tz);
/* Today's date in the organisation's time zone, as days since 1970-01-01, and the current year there. */
int64_t clock_local_today(void);
int clock_local_year(void);
/* The organisation's offset from UTC, in seconds, at the instant ms (+28800 for Asia/Shanghai). */
int clock_local_offset_s(int64_t ms);

/* Writes ms as RFC 3339 UTC with milliseconds ("2026-11-27T09:00:00.000Z") into out (>= 25 bytes). */
void time_format_rfc3339(int64_t ms, char *out, size_t n);
/* Parses RFC 3339 with an offset ("...Z", "...+08:00"); returns 0 or -1. */
int time_parse_rfc3339(const char *s, int64_t *ms);
/* Checks a calendar date "YYYY-MM-DD"; fills days since 1970-01-01 when days is not NULL. */
bool date_valid(const char *s, int64_t *days);
/* Writes days since 1970-01-01 as "YYYY-MM-DD" into out (>= 11 bytes). */
void date_format(int64_t days, char *out, size_t n);

#endif
