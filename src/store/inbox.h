/* The outbox (what changes will tell, written in their transaction) and the in-app inbox it is
 * delivered to.  Stage 3 adds e-mail and IM channels to the same outbox. */
#ifndef LIAISON_STORE_INBOX_H
#define LIAISON_STORE_INBOX_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/auth.h"
#include "store/db.h"
#include "util/arena.h"

/* One message of the outbox. */
typedef struct outbox_msg {
	int64_t id, user_id, entity_id, actor_id, created_at, done_at;
	const char *channel, *kind, *entity;
} outbox_msg;

/* Records a message for `user` in the caller's transaction. */
int outbox_add(db *d, int64_t uid, const char *kind, const char *entity, int64_t entity_id, int64_t actor);
/* The oldest undelivered messages, at most limit, into an arena array. */
int outbox_pending(db *d, arena *a, int limit, outbox_msg **items, size_t *n);
/* Marks a message delivered (answers 1 when someone else delivered it first). */
int outbox_mark_delivered(db *d, int64_t id, int64_t at);
int64_t outbox_pending_count(db *d);

/* Puts a message in its user's inbox (the in-app channel), dated when it was told. */
int inbox_add(db *d, const outbox_msg *m);
/* The user's notifications about things they may still see, newest first. */
json_t *inbox_list(db *d, const principal *who, bool unread_only, int64_t before, int limit, int64_t *next);
int64_t inbox_unread(db *d, const principal *who);
/* Marks one (id > 0) or all (id == 0) as read; false when id is not the user's. */
bool inbox_mark_read(db *d, int64_t uid, int64_t id);
/* Marks done the items of `kind` about the entity — every user's, or only `user`'s when > 0 — in the inbox and
 * still undelivered in the outbox (an item that asks for an action, once the step is taken). */
int inbox_mark_done(db *d, const char *kind, const char *entity, int64_t entity_id, int64_t user, int64_t at);
/* The users who have an item of `kind` about the entity not yet done (inbox or outbox), ascending. */
int inbox_waiting_users(db *d, arena *a, const char *kind, const char *entity, int64_t entity_id, int64_t **out, size_t *n);

#endif
