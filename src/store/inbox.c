/* The outbox and the in-app inbox: the SQL. */
#include "store/inbox.h"

#include <stdio.h>
#include <string.h>

#include "store/rows.h"
#include "store/visibility.h"
#include "util/clock.h"

/* ------------------------------------------------------------------ outbox */

int outbox_add(db *d, int64_t uid, const char *kind, const char *entity, int64_t entity_id, int64_t actor)
{
	db_stmt *st = db_prepare(d, "INSERT INTO outbox(channel, user_id, kind, entity, entity_id, actor_id, created_at)"
				    " VALUES ('inbox', ?, ?, ?, ?, ?, ?)");
	db_bind_int(st, 1, uid);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, entity);
	db_bind_int(st, 4, entity_id);
	db_bind_id(st, 5, actor);
	db_bind_int(st, 6, clock_now_ms());
	int rc = db_step(st);
	db_done(st);
	return rc;
}

int outbox_pending(db *d, arena *a, int limit, outbox_msg **items, size_t *n)
{
	*items = NULL;
	*n = 0;
#define PENDING "SELECT id, channel, user_id, kind, entity, entity_id, actor_id, created_at, done_at FROM outbox" \
		" WHERE delivered_at IS NULL ORDER BY id LIMIT ?"
	/* PostgreSQL: rows another server's delivery holds are skipped, not waited for, so each message is
	 * claimed by one server (SQLite has one writer at a time anyway). */
	db_stmt *st = db_prepare(d, db_dialect_of(d) == DB_POSTGRES ? PENDING " FOR UPDATE SKIP LOCKED" : PENDING);
#undef PENDING
	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, limit);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*items = rows_grow(a, *items, *n, &cap, sizeof **items);
		(*items)[(*n)++] = (outbox_msg){
			.id = db_col_int(st, 0), .channel = col_str(a, st, 1), .user_id = db_col_int(st, 2),
			.kind = col_str(a, st, 3), .entity = col_str(a, st, 4), .entity_id = db_col_int(st, 5),
			.actor_id = col_opt_id(st, 6), .created_at = db_col_int(st, 7), .done_at = col_opt_id(st, 8)};
	}
	db_done(st);
	return rc;
}

int outbox_mark_delivered(db *d, int64_t id, int64_t at)
{
	db_stmt *st = db_prepare(d, "UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL");
	db_bind_int(st, 1, at);
	db_bind_int(st, 2, id);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	return rc;
}

int64_t outbox_pending_count(db *d)
{
	return db_one_int(db_prepare(d, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL"), -1);
}

/* ------------------------------------------------------------------ inbox */

int inbox_add(db *d, const outbox_msg *m)
{
	db_stmt *st = db_prepare(d, "INSERT INTO notifications(user_id, kind, entity, entity_id, actor_id, created_at, done_at)"
				    " VALUES (?, ?, ?, ?, ?, ?, ?)");
	db_bind_int(st, 1, m->user_id);
	db_bind_text(st, 2, m->kind);
	db_bind_text(st, 3, m->entity);
	db_bind_int(st, 4, m->entity_id);
	db_bind_id(st, 5, m->actor_id);
	db_bind_int(st, 6, m->created_at);
	db_bind_id(st, 7, m->done_at);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

/* The user's own notifications, about what they may still see (an unknown kind: never). */
#define INBOX_VISIBLE " n.user_id = ?1 AND " VIS_ENTITY("n.entity", "n.entity_id")

static json_t *inbox_row(db *d, db_stmt *st, void *ctx)
{
	(void)d, (void)ctx;
	const char *entity = db_col_text(st, 2);
	int64_t eid = db_col_int(st, 3);
	char link[64];
	snprintf(link, sizeof link, "/%ss/%lld", entity, (long long)eid);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
	json_object_set_new(o, "kind", col_text(st, 1));
	json_object_set_new(o, "entity", json_string(entity));
	json_object_set_new(o, "entity_id", json_integer(eid));
	json_object_set_new(o, "actor_id", col_id(st, 4));
	json_object_set_new(o, "actor_name", col_text(st, 5));
	json_object_set_new(o, "created_at", col_time(st, 6));
	json_object_set_new(o, "read_at", col_time(st, 7));
	json_object_set_new(o, "code", col_text(st, 8));
	json_object_set_new(o, "title", col_text(st, 9));
	json_object_set_new(o, "link", json_string(link));
	json_object_set_new(o, "done", json_boolean(!db_col_null(st, 10)));
	return o;
}

json_t *inbox_list(db *d, const principal *who, bool unread_only, int64_t before, int limit, int64_t *next)
{
	db_stmt *st = db_prepare(d, "SELECT n.id, n.kind, n.entity, n.entity_id, n.actor_id, a.name, n.created_at,"
					       " n.read_at, r.code, r.title, n.done_at FROM notifications n"
					       " LEFT JOIN users a ON a.id = n.actor_id"
					       " LEFT JOIN requests r ON n.entity = 'request' AND r.id = n.entity_id"
					       " WHERE" INBOX_VISIBLE " AND (?6 = 0 OR (n.read_at IS NULL AND n.done_at IS NULL))"
					       " AND (n.id < ?7 OR ?7 = 0) ORDER BY n.id DESC LIMIT ?8");
	vis_bind_viewer(st, who);
	db_bind_int(st, 6, unread_only);
	db_bind_int(st, 7, before);
	db_bind_int(st, 8, limit + 1);
	return rows_page(d, st, limit, next, inbox_row, NULL);
}

int64_t inbox_unread(db *d, const principal *who)
{
	db_stmt *st = db_prepare(d, "SELECT count(*) FROM notifications n WHERE" INBOX_VISIBLE
					       " AND n.read_at IS NULL AND n.done_at IS NULL");
	vis_bind_viewer(st, who);
	return db_one_int(st, 0);
}

bool inbox_mark_read(db *d, int64_t uid, int64_t id)
{
	db_stmt *st = db_prepare(d, "UPDATE notifications SET read_at = coalesce(read_at, ?1)"
				    " WHERE user_id = ?2 AND (id = ?3 OR ?3 = 0)");
	db_bind_int(st, 1, clock_now_ms());
	db_bind_int(st, 2, uid);
	db_bind_int(st, 3, id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE && (id == 0 || db_changes(d) > 0);
}

int inbox_mark_done(db *d, const char *kind, const char *entity, int64_t entity_id, int64_t user, int64_t at)
{
	static const char *const sql[2] = {
		"UPDATE notifications SET done_at = ?1 WHERE kind = ?2 AND entity = ?3 AND entity_id = ?4"
		" AND (user_id = ?5 OR ?5 = 0) AND done_at IS NULL",
		"UPDATE outbox SET done_at = ?1 WHERE kind = ?2 AND entity = ?3 AND entity_id = ?4"
		" AND (user_id = ?5 OR ?5 = 0) AND done_at IS NULL AND delivered_at IS NULL",
	};
	int rc = DB_DONE;
	for (int i = 0; i < 2 && rc == DB_DONE; i++) {
		db_stmt *st = db_prepare(d, sql[i]);
		if (!st)
			return DB_ERROR;
		db_bind_int(st, 1, at);
		db_bind_text(st, 2, kind);
		db_bind_text(st, 3, entity);
		db_bind_int(st, 4, entity_id);
		db_bind_int(st, 5, user);
		rc = db_step(st);
		db_done(st);
	}
	return rc;
}

int inbox_waiting_users(db *d, arena *a, const char *kind, const char *entity, int64_t entity_id, int64_t **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT user_id FROM notifications WHERE kind = ?1 AND entity = ?2 AND entity_id = ?3"
				    " AND done_at IS NULL"
				    " UNION SELECT user_id FROM outbox WHERE kind = ?1 AND entity = ?2 AND entity_id = ?3"
				    " AND done_at IS NULL AND delivered_at IS NULL ORDER BY 1");
	if (st) {
		db_bind_text(st, 1, kind);
		db_bind_text(st, 2, entity);
		db_bind_int(st, 3, entity_id);
	}
	return rows_ids(st, a, out, n);
}
