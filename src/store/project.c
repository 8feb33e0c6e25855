/* Follow-ups of projects: the SQL, rows as records. */
#include "store/project.h"

#include <string.h>

#include "store/rows.h"

int fu_insert(db *d, const follow_up *f, int64_t *id)
{
	db_stmt *st = db_prepare(d, "INSERT INTO follow_ups(project_id, source, department_id, text, status, raised_by,"
				    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?6) RETURNING id");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, f->project_id);
	db_bind_text(st, 2, enum_name(fu_source_names, f->source));
	if (f->department_id > 0)
		db_bind_int(st, 3, f->department_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, f->text);
	if (f->raised_by > 0)
		db_bind_int(st, 5, f->raised_by);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, f->created_at);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

#define FU_COLS                                                                                              \
	"f.id, f.project_id, f.source, f.department_id, dp.name, f.text, f.status, f.task_id, f.raised_by, u.name," \
	" f.version, f.created_at, f.updated_at"
#define FU_FROM                                                                                              \
	" FROM follow_ups f LEFT JOIN departments dp ON dp.id = f.department_id LEFT JOIN users u ON u.id = f.raised_by"

static void fu_fill(arena *a, db_stmt *st, void *out)
{
	follow_up *o = out;
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->project_id = db_col_int(st, 1);
	o->source = fu_source_parse(db_col_text(st, 2));
	o->department_id = col_opt_id(st, 3);
	o->department_name = col_str(a, st, 4);
	o->text = col_str(a, st, 5);
	o->status = fu_status_parse(db_col_text(st, 6));
	o->task_id = col_opt_id(st, 7);
	o->raised_by = col_opt_id(st, 8);
	o->raised_by_name = col_str(a, st, 9);
	o->version = db_col_int(st, 10);
	o->created_at = db_col_int(st, 11);
	o->updated_at = db_col_int(st, 12);
}

int fu_list(db *d, arena *a, int64_t project_id, int status, int64_t after, int limit, follow_up **items, size_t *n,
	    int64_t *next)
{
	*items = NULL;
	*n = 0;
	*next = 0;
	/* The column first in the optional filters, so that PostgreSQL types each parameter by its column. */
	db_stmt *st = db_prepare(d, "SELECT " FU_COLS FU_FROM " WHERE f.project_id = ?1 AND (f.id > ?2 OR ?2 = 0)"
				    " AND (f.status = ?3 OR ?4 = 0) ORDER BY f.id LIMIT ?5");
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, after);
	db_bind_text(st, 3, status >= 0 ? enum_name(fu_status_names, status) : "");
	db_bind_int(st, 4, status >= 0);
	db_bind_int(st, 5, limit + 1);
	bool more;
	void *page;
	int rc = rows_page_fill(st, a, limit, sizeof **items, fu_fill, &page, n, &more);
	*items = page;
	*next = more ? (*items)[*n - 1].id : 0;
	return rc;
}

static void add_count(void *ctx, size_t i, db_stmt *st)
{
	((int64_t *)ctx)[i] = db_col_int(st, 1);
}

int fu_open_counts(db *d, const int64_t *ids, size_t n, int64_t *counts)
{
	static const char *const sql[ROWS_VARIANTS] = ROWS_IN_OR_RANGE(
		"SELECT f.project_id, count(*) FROM follow_ups f WHERE f.project_id",
		" AND f.status = 'open' GROUP BY f.project_id");
	for (size_t i = 0; i < n; i++)
		counts[i] = 0;
	return rows_children(d, sql, ids, n, add_count, counts);
}
