/* Logging to stderr with a UTC timestamp and a level; one write per line so threads do not interleave. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "util/clock.h"

static int log_quiet;

void log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

static void log_line(const char *level, const char *fmt, va_list ap)
{
	char line[2048], ts[32];
	time_format_rfc3339(clock_now_ms(), ts, sizeof ts);
	int n = snprintf(line, sizeof line, "%s %s ", ts, level);
	int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	line[len++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}

#define LOG_FN(name, level, quietable)                  \
	void name(const char *fmt, ...)                 \
	{                                               \
		if (quietable && log_quiet)             \
			return;                         \
		va_list ap;                             \
		va_start(ap, fmt);                      \
		log_line(level, fmt, ap);               \
		va_end(ap);                             \
	}

LOG_FN(log_info, "info", 1)
LOG_FN(log_warn, "warn", 0)
LOG_FN(log_error, "error", 0)
