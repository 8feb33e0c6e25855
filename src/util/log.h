/* Logging to stderr: one line per event, never secrets. */
#ifndef LIAISON_UTIL_LOG_H
#define LIAISON_UTIL_LOG_H
#include <stddef.h>

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The message escaped for one log line, into out (cap bytes, NUL-terminated; returns the length):
 * \n as "\n", a backslash as "\\", other C0 controls, DEL, C1 controls, U+2028/U+2029 and bytes that
 * are not UTF-8 as "\xNN" per byte; other UTF-8 as it is.  What does not fit is dropped, never half an
 * escape or half a character.  Every log line goes through it. */
size_t log_escape(const char *in, size_t n, char *out, size_t cap);
/* Info lines from now on are gathered and written every `every_ms` milliseconds (or when 16 KB wait) by a
 * thread of their own, instead of one write each; warnings and errors still go out at once, after what
 * waits.  For `serve`, which logs a line per request.  log_flush writes what waits (at exit too). */
void log_buffered(int every_ms);
void log_flush(void);
/* Silences info lines (CLI commands other than serve). */
void log_set_quiet(int quiet);

#endif
