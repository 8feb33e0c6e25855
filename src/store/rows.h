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

/* Binds ids[0..n) (n <= ROWS_IN) to parameters first .. first + ROWS_IN - 1 of an "IN (?, ?, ...)" list
 * of ROWS_IN placeholders, filling the rest with -1 (which matches no id): a bounded number of
 * statements for a page of any length, in portable SQL. */
enum { ROWS_IN = 50 };
#define ROWS_IN_LIST "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
void rows_bind_in(db_stmt *st, int first, const int64_t *ids, size_t n);

#endif
