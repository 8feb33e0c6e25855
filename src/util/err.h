/* Errors meant for users: a kind that maps to an HTTP status, a stable code, the field at fault and a sentence. */
#ifndef LIAISON_UTIL_ERR_H
#define LIAISON_UTIL_ERR_H

enum {
	LERR_OK = 0,
	LERR_BAD_REQUEST = -1,  /* 400: the request cannot be read */
	LERR_UNAUTH = -2,       /* 401 */
	LERR_FORBIDDEN = -3,    /* 403 */
	LERR_NOT_FOUND = -4,    /* 404, also for what the caller may not see */
	LERR_CONFLICT = -5,     /* 409: state or uniqueness */
	LERR_STALE = -6,        /* 412: stale If-Match */
	LERR_INVALID = -7,      /* 422: validation, field named */
	LERR_TOO_LARGE = -8,    /* 413 */
	LERR_THROTTLED = -9,    /* 429 */
	LERR_INTERNAL = -10,    /* 500 */
	LERR_PRECONDITION = -11 /* 428: If-Match required */
};

typedef struct lerr {
	int kind;          /* one of LERR_* */
	char code[40];     /* stable code the UI translates, e.g. "required" */
	char field[64];    /* offending field, "" when none */
	char detail[256];  /* English sentence for people reading the raw API */
	int retry_after;   /* seconds, for LERR_THROTTLED */
} lerr;

/* Fills e (when not NULL) and returns kind, so callers can write `return lerr_set(...)`. */
int lerr_set(lerr *e, int kind, const char *code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* HTTP status for a LERR_* kind. */
int lerr_http_status(int kind);

#endif
