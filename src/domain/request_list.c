/* The request list's sort orders, cursors and due-date range (see request_list.h). */
#include "domain/request_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"

const char *const rq_sort_names[] = {"created", "due_date", "priority", "status", "code", NULL};

int rq_order_parse(const char *sort, const char *order, rq_order *out, lerr *e)
{
	*out = (rq_order){RQS_CREATED, false};
	bool minus = false;
	if (sort && *sort) {
		minus = *sort == '-';
		const char *name = sort + minus;
		int k = -1;
		for (int i = 0; rq_sort_names[i]; i++)
			if (strcmp(rq_sort_names[i], name) == 0)
				k = i;
		if (k < 0)
			return lerr_set(
			    e, LERR_BAD_REQUEST, "bad_request", "sort",
			    "sort must be one of created, due_date, priority, status, code (with - for descending)");
		*out = (rq_order){k, !minus};
	}
	if (order && *order) {
		bool desc = strcmp(order, "desc") == 0;
		if (!desc && strcmp(order, "asc") != 0)
			return lerr_set(e, LERR_BAD_REQUEST, "bad_request", "order", "order must be asc or desc");
		if (minus && !desc)
			return lerr_set(e, LERR_BAD_REQUEST, "bad_request", "order",
			                "order=asc contradicts the - of sort, which asks for descending");
		out->asc = !desc;
	}
	return 0;
}

void rq_sort_key(const request *rq, rq_order o, char *buf, size_t n)
{
	switch (o.sort) {
	case RQS_DUE_DATE:
		snprintf(buf, n, "%s", rq->due_date && *rq->due_date ? rq->due_date : !o.asc ? "" : RQ_DUE_BLANK_LAST);
		break;
	case RQS_PRIORITY:
		snprintf(buf, n, "%d", rq->priority);
		break;
	case RQS_STATUS:
		snprintf(buf, n, "%d", rq->status);
		break;
	case RQS_CODE:
		snprintf(buf, n, "%s", rq->code ? rq->code : "");
		break;
	default:
		snprintf(buf, n, "%s", "");
		break;
	}
}

void rq_cursor_make(const request *rq, rq_order o, char *buf, size_t n)
{
	const char *key = "";
	switch (o.sort) {
	case RQS_CREATED:
		snprintf(buf, n, "%lld", (long long)rq->id);
		return;
	case RQS_DUE_DATE:
		key = rq->due_date ? rq->due_date : "";
		break;
	case RQS_PRIORITY:
		key = enum_name(rq_priority_names, rq->priority);
		break;
	case RQS_STATUS:
		key = rq_status_name((enum rq_status)rq->status);
		break;
	case RQS_CODE:
		key = rq->code ? rq->code : "";
		break;
	}
	snprintf(buf, n, "%s~%lld", key ? key : "", (long long)rq->id);
}

static int bad_cursor(lerr *e)
{
	return lerr_set(e, LERR_BAD_REQUEST, "bad_request", "cursor",
	                "cursor must be the next_cursor of the previous page, with the same sort");
}

/* A positive decimal id, the whole of [s, s + n). */
static bool read_id(const char *s, size_t n, int64_t *id)
{
	if (n == 0 || n > 18)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*id = v;
	return v > 0;
}

int rq_cursor_parse(const char *text, rq_order o, rq_cursor *out, lerr *e)
{
	memset(out, 0, sizeof *out);
	if (!text || !*text)
		return 0;
	size_t len = strlen(text);
	if (o.sort == RQS_CREATED)
		return read_id(text, len, &out->id) ? 0 : bad_cursor(e);
	const char *tilde = strrchr(text, '~');
	if (!tilde || !read_id(tilde + 1, strlen(tilde + 1), &out->id))
		return bad_cursor(e);
	size_t klen = (size_t)(tilde - text);
	if (klen >= RQ_KEY_MAX)
		return bad_cursor(e);
	char key[RQ_KEY_MAX];
	memcpy(key, text, klen);
	key[klen] = 0;
	switch (o.sort) {
	case RQS_DUE_DATE:
		if (!*key) {
			snprintf(out->key, sizeof out->key, "%s", !o.asc ? "" : RQ_DUE_BLANK_LAST);
			return 0;
		}
		if (!date_valid(key, NULL))
			return bad_cursor(e);
		break;
	case RQS_PRIORITY: {
		int p = rq_priority_parse(key);
		if (p < 0)
			return bad_cursor(e);
		snprintf(out->key, sizeof out->key, "%d", p);
		return 0;
	}
	case RQS_STATUS: {
		int s = rq_status_parse(key);
		if (s < 0)
			return bad_cursor(e);
		snprintf(out->key, sizeof out->key, "%d", s);
		return 0;
	}
	case RQS_CODE:
		for (const char *p = key; *p; p++)
			if (*p < '!' || *p > '~')
				return bad_cursor(e); /* codes are printable ASCII: REQ-2026-0001 */
		break;
	default:
		return bad_cursor(e);
	}
	snprintf(out->key, sizeof out->key, "%s", key);
	return 0;
}

int rq_check_due_range(const char *from, const char *to, lerr *e)
{
	int64_t a = 0, b = 0;
	if (from && *from && !date_valid(from, &a))
		return lerr_set(e, LERR_BAD_REQUEST, "bad_request", "due_from",
		                "due_from must be a date like 2026-12-31");
	if (to && *to && !date_valid(to, &b))
		return lerr_set(e, LERR_BAD_REQUEST, "bad_request", "due_to", "due_to must be a date like 2026-12-31");
	if (from && *from && to && *to && a > b)
		return lerr_set(e, LERR_BAD_REQUEST, "bad_request", "due_to", "due_to %s is before due_from %s", to,
		                from);
	return 0;
}
