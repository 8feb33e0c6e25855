/* Helpers every table family shares: columns as JSON, and paging. */
#include "store/rows.h"

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
