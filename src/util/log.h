/* Logging to stderr: one line per event, never secrets. */
#ifndef LIAISON_UTIL_LOG_H
#define LIAISON_UTIL_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Silences info lines (CLI commands other than serve). */
void log_set_quiet(int quiet);

#endif
