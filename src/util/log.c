/* Logging to stderr with a UTC timestamp and a level; whole lines only, so threads do not interleave.
 *
 * A server logs a line per request: `serve` turns on log_buffered, which gathers info lines and writes
 * them together (every few milliseconds, or when 16 KB wait), instead of one write system call each
 * (measured: a twentieth of a small request's time).  Warnings and errors write what waits and themselves
 * at once, so they are never held back, and the lines keep their order.
 *
 * Every message is escaped after formatting (log_escape), so that nothing a client sends — a path, a
 * login, a header — can start a line of its own, move the terminal's cursor, or leave bytes that are
 * not UTF-8 in the log: callers cannot forget it. */
#include "util/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
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

/* ------------------------------------------------------------------ buffered info lines */

#define LOG_BUF (16 * 1024)

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool on;
	int every_ms;
	char buf[LOG_BUF];
	size_t len;
} lb = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void write_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(STDERR_FILENO, p, n);
		if (w <= 0)
			return; /* nowhere to report it */
		p += w;
		n -= (size_t)w;
	}
}

/* Writes what waits; called with lb.mu held. */
static void flush_locked(void)
{
	write_all(lb.buf, lb.len);
	lb.len = 0;
}

void log_flush(void)
{
	pthread_mutex_lock(&lb.mu);
	flush_locked();
	pthread_mutex_unlock(&lb.mu);
}

static void *flusher(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lb.mu);
	for (;;) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)lb.every_ms * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&lb.cv, &lb.mu, &until);
		if (lb.len)
			flush_locked();
	}
	return NULL;
}

void log_buffered(int every_ms)
{
	pthread_mutex_lock(&lb.mu);
	bool started = lb.on;
	lb.on = true;
	lb.every_ms = every_ms > 0 ? every_ms : 100;
	pthread_mutex_unlock(&lb.mu);
	if (started)
		return;
	pthread_t t;
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &at, flusher, NULL) != 0) {
		pthread_mutex_lock(&lb.mu);
		lb.on = false; /* no flusher: write each line at once, as before */
		pthread_mutex_unlock(&lb.mu);
	}
	pthread_attr_destroy(&at);
	atexit(log_flush);
}

static void emit(const char *line, size_t len, bool urgent)
{
	pthread_mutex_lock(&lb.mu);
	if (!lb.on || urgent || lb.len + len > LOG_BUF) {
		flush_locked();
		if (!lb.on || urgent || len > LOG_BUF) {
			write_all(line, len);
			pthread_mutex_unlock(&lb.mu);
			return;
		}
	}
	memcpy(lb.buf + lb.len, line, len);
	lb.len += len;
	pthread_mutex_unlock(&lb.mu);
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
	emit(line, len, level[0] != 'i');
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
