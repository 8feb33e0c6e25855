/* The working-day calendar: the SQL (store/calendar.h). */
#include "store/calendar.h"

#include "store/rows.h"

static void day_fill(arena *a, db_stmt *st, calendar_day *o)
{
	*o = (calendar_day){.date = col_str(a, st, 0), .kind = enum_parse(cal_kind_names, db_col_text(st, 1)),
			    .name = col_str(a, st, 2), .department_id = db_col_int(st, 3)};
}

int store_calendar_list(db *d, arena *a, int64_t department_id, const char *from, const char *to, calendar_day **items,
			size_t *n)
{
	*items = NULL;
	*n = 0;
	/* A department's own date hides the organisation's of the same day. */
	db_stmt *st = db_prepare(d, "SELECT c.date, c.kind, c.name, c.department_id FROM calendar_days c"
				    " WHERE c.date BETWEEN ?1 AND ?2 AND (c.department_id = ?3 OR (c.department_id = 0"
				    " AND NOT EXISTS (SELECT 1 FROM calendar_days o WHERE o.department_id = ?3 AND ?3 <> 0"
				    " AND o.date = c.date))) ORDER BY c.date");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	db_bind_int(st, 3, department_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*items = rows_grow(a, *items, *n, &cap, sizeof **items);
		day_fill(a, st, &(*items)[(*n)++]);
	}
	db_done(st);
	return rc;
}

int store_calendar_get(db *d, arena *a, int64_t department_id, const char *date, calendar_day *out)
{
	db_stmt *st = db_prepare(d, "SELECT date, kind, name, department_id FROM calendar_days WHERE department_id = ? AND date = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, department_id);
	db_bind_text(st, 2, date);
	int rc = db_step(st);
	if (rc == DB_ROW)
		day_fill(a, st, out);
	db_done(st);
	return rc;
}

int store_calendar_put(db *d, const calendar_day *day)
{
	db_stmt *st = db_prepare(d, "INSERT INTO calendar_days(department_id, date, kind, name) VALUES (?, ?, ?, ?)"
				    " ON CONFLICT (department_id, date) DO UPDATE SET kind = excluded.kind, name = excluded.name");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, day->department_id);
	db_bind_text(st, 2, day->date);
	db_bind_text(st, 3, enum_name(cal_kind_names, day->kind));
	db_bind_text(st, 4, day->name ? day->name : "");
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int store_calendar_delete(db *d, int64_t department_id, const char *date)
{
	db_stmt *st = db_prepare(d, "DELETE FROM calendar_days WHERE department_id = ? AND date = ?");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, department_id);
	db_bind_text(st, 2, date);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE && db_changes(d) == 0 ? 1 : rc;
}
