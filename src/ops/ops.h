/* The operations layer: one C function per thing a person can do.  Each takes typed input and answers
 * a typed result or an lerr; it runs inside one transaction in which it loads (src/store), decides
 * (src/domain), writes, records the audit event and tells whoever must hear of it.  Operations know
 * nothing of HTTP or of wire JSON: the HTTP routes (src/api) and the command line (src/cli) both call
 * them, and nothing writes to the store except through them.
 *
 * Every operation has the same shape:
 *
 *     int op_thing_do(op_ctx *c, ..., const thing_in *in, thing *out, lerr *e)
 *     {
 *             int rc = op_begin(c, e);            // joins the caller's transaction when there is one
 *             if (rc) return rc;
 *             ... load, check with src/domain, write, op_audit, op_tell ...
 *             return op_end(c, rc, e);            // commits (outermost) or rolls back
 *     }
 *
 * Results (records, strings, arrays) live in the context's arena, which the caller owns. */
#ifndef LIAISON_OPS_OPS_H
#define LIAISON_OPS_OPS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/auth.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/err.h"

/* One told person in the transaction in progress: one notice per person, kind and entity per step. */
typedef struct op_notice {
	int64_t user, entity_id;
	const char *kind;
} op_notice;

/* Who acts, on which store, with which arena; and what the transaction in progress will tell. */
typedef struct op_ctx {
	db *db;
	principal who;
	arena *a;             /* results live here; owned by the caller */
	int depth;            /* nesting of op_begin */
	op_notice *told;      /* in the arena; no cap */
	size_t ntold, captold;
	op_notice *changed;   /* entities the transaction changed (user 0), for live pages; in the arena */
	size_t nchanged, capchanged;
	int64_t *counted;     /* whose count a delivery moved (op_count_moved); in the arena */
	size_t ncounted, capcounted;
} op_ctx;

/* Prepares a context (no transaction yet); op_release forgets what it holds (all of it in the arena). */
void op_init(op_ctx *c, db *d, const principal *who, arena *a);
void op_release(op_ctx *c);

/* Opens the write transaction, or joins the one already open on this context. */
int op_begin(op_ctx *c, lerr *e);
/* Ends what op_begin opened: when rc == 0 and this is the outermost level, commits (answering
 * LERR_INTERNAL when the commit fails) and then hands every told user to op_after_commit; otherwise
 * rolls back (at the outermost level) and answers rc. */
int op_end(op_ctx *c, int rc, lerr *e);

/* Records an audit event of the current transaction: entity, id, action, records before and after
 * (either may be NULL) described by desc, and an optional note. */
int op_audit(op_ctx *c, const char *entity, int64_t id, const char *action, const rdesc *desc, const void *before,
	     const void *after, const char *note, lerr *e);

/* Tells `user` of `kind` about an entity: writes it to the outbox in the current transaction, unless
 * the user is the actor, was told the same in this transaction, or may not see the entity.  1 when
 * told, 0 when not, or a negative LERR_* when it could not be recorded (the change must then fail).
 * After the commit the outbox is delivered (op_deliver_outbox). */
int op_tell(op_ctx *c, int64_t user, const char *kind, const char *entity, int64_t entity_id, lerr *e);
/* The user's unread count changes with this transaction though nobody tells them (an item of theirs got
 * done): after the commit their open pages get the new count, as the told users' do. */
void op_recount(op_ctx *c, int64_t user);

/* Whether an active user may see an entity (deny by default: an unknown kind is seen by nobody). */
bool op_user_may_see(db *d, int64_t user, const char *entity, int64_t entity_id);

/* A store with several servers (db_has_events) carries what a commit changed to all of them, in the
 * transaction itself: op_end sends OP_EVENTS, {"u":[users whose count moved],"c":[["kind",id],...]}, and
 * each server's listener (jobs.h) hands it to op_on_event, which does for its own open pages what
 * op_after_commit and op_after_change do on a store with one server. */
#define OP_EVENTS "liaison_events"
/* Records that uid's unread count moved (a delivery, a notification read): announced with the commit to
 * every server of a store with several (the one-server hooks push it themselves). */
void op_count_moved(op_ctx *c, int64_t uid);

/* Called after each commit that told someone or moved someone's count (op_recount), with each user whose
 * count moved but who was not told (the told hear with their message); `serve` points it at delivery of
 * the outbox and the live event streams (commands leave it NULL: the server delivers later). */
extern void (*op_after_commit)(db *d, const int64_t *users, size_t n);
/* Called after each commit that changed an audited entity, with each one ({0, id, entity kind} once):
 * `serve` tells the open pages of those who may see it, so that they show the change. */
extern void (*op_after_change)(db *d, const op_notice *changed, size_t n);

/* The system delivers the outbox: the oldest undelivered messages (at most limit), each to its channel
 * (the in-app inbox today), in one transaction.  *users (in the arena) are the people who got
 * something, *delivered how many messages. */
int op_deliver_outbox(op_ctx *c, int limit, int64_t **users, size_t *n, size_t *delivered, lerr *e);

/* What a versioned write came to: 0 when written (DB_DONE); 412 when it found another version (the
 * store answers 1); 500 otherwise ("<what> <id> was changed by someone else" / "could not be saved"). */
int op_write_result(int w, const char *what, int64_t id, lerr *e);
/* 500 "the <what> could not be saved" (a store failure, logged by the store). */
int op_fail(const char *what, lerr *e);

/* The caller marks one of their notifications read (id > 0) or all of them (id == 0); 404 when id is
 * not theirs.  *unread is their unread count afterwards. */
int op_inbox_read(op_ctx *c, int64_t id, int64_t *unread, lerr *e);

/* The system forgets expired sessions and sign-in counters that no longer count (at most `limit` of
 * each; *sessions and *failures say how many went). */
int op_purge(op_ctx *c, int limit, int64_t *sessions, int64_t *failures, lerr *e);

/* The principal the command line acts as: an administrator with no user id. */
extern const principal op_cli_principal;
/* The principal background work acts as (no user, no rights of its own). */
extern const principal op_system_principal;

#endif
