/* The request list and its export: filters, the order, keyset pages, "waiting on me". */
#include <stdio.h>
#include <string.h>

#include "domain/request_list.h"
#include "ops/request.h"

/* Candidates of "waiting on me" read per statement: the store narrows to My work's candidates, the
 * machine decides (op_request_waits_on_me); a page of few kept rows among many candidates reads on. */
enum { WAITING_CHUNK = 200, EXPORT_PAGE = 500 };

/* The query's order, cursor and due range, checked (400 naming the parameter). */
static int prepare(const request_query *q, rq_filter *f, rq_cursor *after, lerr *e)
{
	*f = q->f;
	int rc = rq_order_parse(q->sort, q->order, &f->order, e);
	if (!rc)
		rc = rq_check_due_range(f->due_from, f->due_to, e);
	if (!rc)
		rc = rq_cursor_parse(q->cursor, f->order, after, e);
	return rc;
}

/* Up to `limit` views after `after`, in f's order, into *items; *more when others follow the last. */
static int page(op_ctx *c, const rq_filter *f, const rq_cursor *after, int limit, request_view **items, size_t *n,
                bool *more, lerr *e)
{
	request *rows;
	size_t k;
	if (!f->waiting) {
		if (rq_list(c->db, c->a, &c->who, f, after, limit, &rows, n, more) != DB_DONE)
			return op_fail("request list", e);
		return op_request_views(c, rows, *n, false, items, e);
	}
	/* Waiting on me: candidates in the list's order, kept when the caller may act on them now. */
	int chunk = limit + 1 > WAITING_CHUNK ? limit + 1 : WAITING_CHUNK;
	rq_cursor from = after ? *after : (rq_cursor){0};
	size_t cap = (size_t)limit + 1;
	*items = arena_alloc(c->a, cap * sizeof **items);
	*n = 0;
	*more = false;
	for (;;) {
		bool rest;
		request_view *views;
		if (rq_list(c->db, c->a, &c->who, f, &from, chunk, &rows, &k, &rest) != DB_DONE)
			return op_fail("request list", e);
		int rc = op_request_views(c, rows, k, true, &views, e);
		if (rc)
			return rc;
		for (size_t i = 0; i < k; i++) {
			if (!op_request_waits_on_me(&views[i]))
				continue;
			if ((int)*n == limit) { /* one more than the page: the next page starts after the last */
				*more = true;
				return 0;
			}
			(*items)[(*n)++] = views[i];
		}
		if (!rest || !k)
			return 0;
		char key[RQ_KEY_MAX];
		rq_sort_key(&rows[k - 1], f->order, key, sizeof key);
		from.id = rows[k - 1].id;
		snprintf(from.key, sizeof from.key, "%s", key);
	}
}

int op_request_list(op_ctx *c, const request_query *q, request_view **items, size_t *n, const char **next, lerr *e)
{
	rq_filter f;
	rq_cursor after;
	bool more;
	*next = NULL;
	int rc = prepare(q, &f, &after, e);
	if (!rc)
		rc = page(c, &f, &after, q->limit, items, n, &more, e);
	if (!rc && more && *n) {
		char buf[RQ_KEY_MAX + 24];
		rq_cursor_make(&(*items)[*n - 1].rq, f.order, buf, sizeof buf);
		*next = arena_strdup(c->a, buf);
	}
	return rc;
}

int op_request_export(op_ctx *c, const request_query *q, size_t max, request_each each, void *ctx, lerr *e)
{
	rq_filter f;
	rq_cursor after;
	int rc = prepare(q, &f, &after, e);
	memset(&after, 0, sizeof after); /* every row, from the top */
	arena *outer = c->a;
	size_t total = 0;
	for (bool more = !rc; more;) {
		/* Each page in an arena of its own, freed once handed on: an export of many rows holds one page. */
		c->a = arena_new();
		request_view *items;
		size_t n;
		rc = page(c, &f, &after, EXPORT_PAGE, &items, &n, &more, e);
		if (!rc && (total += n) > max)
			rc = lerr_set(e, LERR_TOO_LARGE, "too_many_rows", NULL,
			              "the filter selects more than %zu requests; narrow it (status, priority, due "
			              "dates) and export again",
			              max);
		if (!rc && n)
			rc = each(ctx, items, n);
		if (!rc && more && n) {
			rq_sort_key(&items[n - 1].rq, f.order, after.key, sizeof after.key);
			after.id = items[n - 1].rq.id;
		}
		arena_free(c->a);
		c->a = outer;
		if (rc)
			break;
	}
	return rc;
}
