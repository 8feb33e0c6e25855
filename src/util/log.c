/* Logging to stderr with a UTC timestamp and a level; one write per line so threads do not interleave.
 *
 * Every message is escaped after formatting (log_escape), so that nothing a client sends — a path, a
 * login, a header — can start a line of its own, move the terminal's cursor, or leave bytes that are
 * not UTF-8 in the log: callers cannot forget it. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/str.h"

static int log_quiet;

void log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

/* Length of the UTF-8 character at p that may be logged as it is (utf8_char, but C1 controls and the
 * line and paragraph separators are escaped like C0), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned cp;
	size_t len = utf8_char((const char *)p, n, &cp);
	if (len > 1 && (cp <= 0x9f || cp == 0x2028 || cp == 0x2029))
		return 0;
	return len;
}

size_t log_escape(const char *in, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;
	if (!cap)
		return 0;
	for (size_t i = 0; i < n;) {
		char esc[4 * 4];
		size_t k = 0, used = 1;
		unsigned c = s[i];
		if (c == '\n') {
			memcpy(esc, "\\n", 2), k = 2;
		} else if (c == '\\') {
			memcpy(esc, "\\\\", 2), k = 2;
		} else if (c < 0x20 || c == 0x7f) {
			esc[0] = '\\', esc[1] = 'x', esc[2] = hex[c >> 4], esc[3] = hex[c & 15], k = 4;
		} else if (c < 0x80) {
			esc[0] = (char)c, k = 1;
		} else if ((used = utf8_seq(s + i, n - i)) != 0) {
			memcpy(esc, s + i, used), k = used;
		} else {
			/* not UTF-8, or a C1 control / line separator: each byte of it as \xNN */
			size_t bad = 1;
			if (c == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
				bad = 2;
			else if (c == 0xe2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
				bad = 3;
			for (size_t b = 0; b < bad; b++) {
				unsigned x = s[i + b];
				esc[k++] = '\\', esc[k++] = 'x', esc[k++] = hex[x >> 4], esc[k++] = hex[x & 15];
			}
			used = bad;
		}
		if (o + k >= cap) /* never half an escape or half a character */
			break;
		memcpy(out + o, esc, k);
		o += k;
		i += used;
	}
	out[o] = 0;
	return o;
}

static void log_line(const char *level, const char *fmt, va_list ap)
{
	char msg[2048], line[8192], ts[32];
	int m = vsnprintf(msg, sizeof msg, fmt, ap);
	size_t mlen = m < 0 ? 0 : (size_t)m < sizeof msg ? (size_t)m : sizeof msg - 1;
	time_format_rfc3339(clock_now_ms(), ts, sizeof ts);
	int n = snprintf(line, sizeof line, "%s %s ", ts, level);
	size_t len = (size_t)n + log_escape(msg, mlen, line + n, sizeof line - (size_t)n - 1);
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
