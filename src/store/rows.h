/* Helpers every table family shares: a column as JSON, and one page of a list query. */
#ifndef LIAISON_STORE_ROWS_H
#define LIAISON_STORE_ROWS_H
#include <jansson.h>

#include "store/db.h"

json_t *col_text(db_stmt *st, int col); /* string, or null */
json_t *col_id(db_stmt *st, int col);   /* integer, or null */
json_t *col_time(db_stmt *st, int col); /* RFC 3339 from UTC ms, or null */

/* Steps st (whose query asked for LIMIT limit + 1) and renders each row with `row`, at most `limit`;
 * sets *next to the id of the last item when more rows remain (0 otherwise), then finishes st.
 * Returns a new array the caller owns. */
typedef json_t *(*row_fn)(db *d, db_stmt *st, void *ctx);
json_t *rows_page(db *d, db_stmt *st, int limit, int64_t *next, row_fn row, void *ctx);

#endif
