/* Filling user-facing errors and mapping them to HTTP statuses. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lerr_set(lerr *e, int kind, const char *code, const char *field, const char *fmt, ...)
{
	if (!e)
		return kind;
	e->kind = kind;
	snprintf(e->code, sizeof e->code, "%s", code ? code : "");
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof e->detail, fmt, ap);
	va_end(ap);
	return kind;
}

int lerr_http_status(int kind)
{
	switch (kind) {
	case LERR_OK: return 200;
	case LERR_BAD_REQUEST: return 400;
	case LERR_UNAUTH: return 401;
	case LERR_FORBIDDEN: return 403;
	case LERR_NOT_FOUND: return 404;
	case LERR_CONFLICT: return 409;
	case LERR_STALE: return 412;
	case LERR_INVALID: return 422;
	case LERR_TOO_LARGE: return 413;
	case LERR_THROTTLED: return 429;
	case LERR_PRECONDITION: return 428;
	default: return 500;
	}
}
