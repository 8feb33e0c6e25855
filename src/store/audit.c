/* The audit trail, written in the same transaction as the change it describes. */
#include "store/audit.h"

#include <stdlib.h>

#include "store/rows.h"
#include "util/clock.h"
#include "util/log.h"

int audit_write(db *d, const audit_event *ev, lerr *e)
{
	char *before = NULL, *after = NULL;
	if (ev->before) {
		json_t *j = rec_json(ev->desc, ev->before, RV_AUDIT);
		before = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
	}
	if (ev->after) {
		json_t *j = rec_json(ev->desc, ev->after, RV_AUDIT);
		after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
	}
	db_stmt *st = db_prepare(d, "INSERT INTO audit_events(at, actor_id, entity, entity_id, action, before, after, note)"
				    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	int rc = DB_ERROR;
	if (st) {
		db_bind_int(st, 1, clock_now_ms());
		db_bind_id(st, 2, ev->actor_id);
		db_bind_text(st, 3, ev->entity);
		db_bind_int(st, 4, ev->entity_id);
		db_bind_text(st, 5, ev->action);
		db_bind_text(st, 6, before);
		db_bind_text(st, 7, after);
		db_bind_text(st, 8, ev->note);
		rc = db_step(st);
		db_done(st);
	}
	free(before);
	free(after);
	if (rc != DB_DONE) {
		log_error("audit: cannot record %s %lld %s: %s", ev->entity, (long long)ev->entity_id, ev->action,
			  db_errmsg(d));
		return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the change could not be saved");
	}
	return 0;
}

json_t *audit_history(db *d, const char *entity, int64_t entity_id)
{
	json_t *items = json_array();
	db_stmt *st = db_prepare(d, "SELECT a.id, a.at, a.actor_id, u.name, a.action, a.before, a.after, a.note"
				    " FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id"
				    " WHERE a.entity = ? AND a.entity_id = ? ORDER BY a.id");
	if (!st)
		return items;
	db_bind_text(st, 1, entity);
	db_bind_int(st, 2, entity_id);
	while (db_step(st) == DB_ROW) {
		json_t *before = db_col_null(st, 5) ? json_null() : json_loads(db_col_text(st, 5), 0, NULL);
		json_t *after = db_col_null(st, 6) ? json_null() : json_loads(db_col_text(st, 6), 0, NULL);
		json_array_append_new(
			items, json_pack("{s:I, s:o, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)db_col_int(st, 0),
					 "at", col_time(st, 1), "actor_id",
					 db_col_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)),
					 "actor_name", db_col_null(st, 3) ? json_null() : json_string(db_col_text(st, 3)),
					 "action", db_col_text(st, 4), "before", before ? before : json_null(), "after",
					 after ? after : json_null()));
		json_object_set_new(json_array_get(items, json_array_size(items) - 1), "note", col_text(st, 7));
	}
	db_done(st);
	return items;
}

int audit_last_at(db *d, const char *entity, int64_t entity_id, const char *action, int64_t *at)
{
	*at = 0;
	db_stmt *st = db_prepare(d, "SELECT coalesce(max(at), 0) FROM audit_events WHERE entity = ? AND entity_id = ? AND action = ?");
	if (!st)
		return DB_ERROR;
	db_bind_text(st, 1, entity);
	db_bind_int(st, 2, entity_id);
	db_bind_text(st, 3, action);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*at = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}
