/* Helpers every table family shares: a column as JSON, and one page of a list query. */
#ifndef LIAISON_STORE_ROWS_H
#define LIAISON_STORE_ROWS_H
#include <jansson.h>

#include "store/db.h"
#include "util/arena.h"

json_t *col_text(db_stmt *st, int col); /* string, or null */
json_t *col_id(db_stmt *st, int col);   /* integer, or null */
json_t *col_time(db_stmt *st, int col); /* RFC 3339 from UTC ms, or null */

/* Steps st (whose query asked for LIMIT limit + 1) and renders each row with `row`, at most `limit`;
 * sets *next to the id of the last item when more rows remain (0 otherwise), then finishes st.
 * Returns a new array the caller owns. */
typedef json_t *(*row_fn)(db *d, db_stmt *st, void *ctx);
json_t *rows_page(db *d, db_stmt *st, int limit, int64_t *next, row_fn row, void *ctx);

/* Record loading: a text column copied into the arena (NULL for NULL), an optional id (0 for NULL), and
 * an arena array of `size`-byte items grown to hold n + 1 (returns the array, perhaps moved). */
const char *col_str(arena *a, db_stmt *st, int col);
int64_t col_opt_id(db_stmt *st, int col);
void *rows_grow(arena *a, void *items, size_t n, size_t *cap, size_t size);

/* Steps st (a bound query, NULL allowed) and collects column 0 of every row into an arena array, then
 * finishes st; DB_DONE, or the error of the step that failed. */
int rows_ids(db_stmt *st, arena *a, int64_t **out, size_t *n);

/* Queries over a page of ids, in a bounded number of statements and in portable SQL: an "IN (?, ...)"
 * list in four widths (1, 5, 20, 50 placeholders; unused ones bound to -1, which matches no id), so a
 * page costs one statement per 50 ids and small pages do not pay for 50.  Write the query once with
 * ROWS_IN(prefix, suffix) — the IN list goes between them — and run it with rows_prepare_in; parameters
 * after the list are plain `?`, bound from the number it answers. */
enum { ROWS_IN = 50, ROWS_IN_WIDTHS = 4, ROWS_VARIANTS = 5 };
#define ROWS_IN_1 "?"
#define ROWS_IN_5 "?,?,?,?,?"
#define ROWS_IN_20 ROWS_IN_5 "," ROWS_IN_5 "," ROWS_IN_5 "," ROWS_IN_5
#define ROWS_IN_50 ROWS_IN_20 "," ROWS_IN_20 "," ROWS_IN_5 "," ROWS_IN_5
/* `pre` ends with the id column ("... WHERE request_id"); the list goes after it. */
#define ROWS_IN(pre, post)                                                                             \
	{ pre " IN (" ROWS_IN_1 ")" post, pre " IN (" ROWS_IN_5 ")" post, pre " IN (" ROWS_IN_20 ")" post, \
	  pre " IN (" ROWS_IN_50 ")" post, NULL }
/* The same, plus a range: a page whose ids lie close together (a list of the newest requests) is read
 * with "BETWEEN ? AND ?", one index range instead of an IN list SQLite first sorts into a temporary
 * table.  The range also brings rows of ids in the span that are not on the page: whoever runs it keeps
 * only the rows of its own ids (rows_children does). */
#define ROWS_IN_OR_RANGE(pre, post)                                                                    \
	{ pre " IN (" ROWS_IN_1 ")" post, pre " IN (" ROWS_IN_5 ")" post, pre " IN (" ROWS_IN_20 ")" post, \
	  pre " IN (" ROWS_IN_50 ")" post, pre " BETWEEN ? AND ?" post }
/* Prepares the narrowest variant for the first ids (at most ROWS_IN of the n) — or the range for all n
 * when the statement has one and they lie close together — binds them from parameter 1, and says how many
 * it took and the number of the first parameter after the list. */
db_stmt *rows_prepare_in(db *d, const char *const sql[ROWS_VARIANTS], const int64_t *ids, size_t n, size_t *taken,
			 int *next_param);
/* The child rows of a page of parents: runs `sql` (made with ROWS_IN, column 0 the parent's id) over
 * ids[0..n) and hands each row to add(ctx, i, st), i the index of its parent in ids. */
int rows_children(db *d, const char *const sql[ROWS_VARIANTS], const int64_t *ids, size_t n,
		  void (*add)(void *ctx, size_t i, db_stmt *st), void *ctx);

/* One page of typed rows: steps st (which asked for limit + 1 rows) into a new arena array of `size`-byte
 * items, each filled by fill(a, st, item); at most `limit` of them, and *more when there was one more.
 * Finishes st.  DB_DONE, or the step's error. */
int rows_page_fill(db_stmt *st, arena *a, int limit, size_t size, void (*fill)(arena *a, db_stmt *st, void *item),
		   void **items, size_t *n, bool *more);

#endif
