/* Helpers every table family shares: columns as JSON, and paging. */
#include "store/rows.h"

#include <string.h>

#include "util/clock.h"

json_t *col_text(db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}

json_t *col_id(db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

json_t *col_time(db_stmt *st, int col)
{
	if (db_col_null(st, col))
		return json_null();
	char buf[40];
	time_format_rfc3339(db_col_int(st, col), buf, sizeof buf);
	return json_string(buf);
}

json_t *rows_page(db *d, db_stmt *st, int limit, int64_t *next, row_fn row, void *ctx)
{
	json_t *items = json_array();
	int n = 0;
	*next = 0;
	while (db_step(st) == DB_ROW) {
		if (n++ == limit) {
			*next = json_integer_value(json_object_get(json_array_get(items, (size_t)limit - 1), "id"));
			break;
		}
		json_array_append_new(items, row(d, st, ctx));
	}
	db_done(st);
	return items;
}

const char *col_str(arena *a, db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);
	return s ? arena_strdup(a, s) : NULL;
}

int64_t col_opt_id(db_stmt *st, int col)
{
	return db_col_null(st, col) ? 0 : db_col_int(st, col);
}

void *rows_grow(arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = arena_alloc(a, ncap * size);
	if (n)
		memcpy(p, items, n * size);
	*cap = ncap;
	return p;
}

db_stmt *rows_prepare_in(db *d, const char *const sql[ROWS_VARIANTS], const int64_t *ids, size_t n, size_t *taken,
			 int *next_param)
{
	if (sql[ROWS_IN_WIDTHS] && n >= 2) {
		int64_t lo = ids[0], hi = ids[0];
		for (size_t i = 1; i < n; i++) {
			lo = ids[i] < lo ? ids[i] : lo;
			hi = ids[i] > hi ? ids[i] : hi;
		}
		if ((uint64_t)(hi - lo) < 2 * (uint64_t)n + 8) { /* close together: the range reads little besides */
			db_stmt *st = db_prepare(d, sql[ROWS_IN_WIDTHS]);
			db_bind_int(st, 1, lo);
			db_bind_int(st, 2, hi);
			*taken = n;
			*next_param = 3;
			return st;
		}
	}
	static const size_t widths[ROWS_IN_WIDTHS] = {1, 5, 20, ROWS_IN};
	size_t w = 0;
	while (w + 1 < ROWS_IN_WIDTHS && widths[w] < n)
		w++;
	*taken = n < widths[w] ? n : widths[w];
	*next_param = (int)widths[w] + 1;
	db_stmt *st = db_prepare(d, sql[w]);
	for (size_t i = 0; i < widths[w]; i++)
		db_bind_int(st, (int)i + 1, i < *taken ? ids[i] : -1);
	return st;
}

int rows_children(db *d, const char *const sql[ROWS_VARIANTS], const int64_t *ids, size_t n,
		  void (*add)(void *ctx, size_t i, db_stmt *st), void *ctx)
{
	size_t k;
	int next;
	for (size_t off = 0; off < n; off += k) {
		db_stmt *st = rows_prepare_in(d, sql, ids + off, n - off, &k, &next);
		if (!st)
			return DB_ERROR;
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			int64_t parent = db_col_int(st, 0);
			for (size_t i = off; i < off + k; i++) /* every parent with this id: a page may hold one twice */
				if (ids[i] == parent)
					add(ctx, i, st);
		}
		db_done(st);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_DONE;
}

int rows_ids(db_stmt *st, arena *a, int64_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!st)
		return DB_ERROR;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = rows_grow(a, *out, *n, &cap, sizeof **out);
		(*out)[(*n)++] = db_col_int(st, 0);
	}
	db_done(st);
	return rc;
}

int rows_page_fill(db_stmt *st, arena *a, int limit, size_t size, void (*fill)(arena *a, db_stmt *st, void *item),
		   void **items, size_t *n, bool *more)
{
	*items = NULL;
	*n = 0;
	*more = false;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if ((int)*n == limit) {
			*more = true;
			rc = DB_DONE;
			break;
		}
		*items = rows_grow(a, *items, *n, &cap, size);
		fill(a, st, (char *)*items + (*n)++ * size);
	}
	db_done(st);
	return rc;
}
