/* Operations on resources, shared by the HTTP handlers and the command line: each validates its JSON
 * input, applies the rules of src/domain, writes through src/store and records the audit event, all
 * inside the caller's transaction (tx_begin ... tx_end). */
#ifndef LIAISON_API_API_H
#define LIAISON_API_API_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/auth.h"
#include "store/db.h"
#include "util/err.h"

/* Opens a write transaction; LERR_INTERNAL when the store is busy past its timeout. */
int tx_begin(db *d, lerr *e);
/* Commits when rc == 0, else rolls back; returns rc, or LERR_INTERNAL when the commit failed. */
int tx_end(db *d, int rc, lerr *e);

/* What a versioned write came to: 0 when done (DB_DONE); 412 when it found another version (the store
 * answers 1: "<what> <id> was changed by someone else"); 500 otherwise. */
int write_result(int w, const char *what, int64_t id, lerr *e);

/* The principal the command line acts as: an administrator with no user id. */
extern const principal cli_principal;

/* --- notifications (src/api/notify.c) ---
 * notify() writes an inbox entry for `user` inside the caller's transaction, unless the user is the
 * actor, may not see the entity, or was told the same already in this transaction; it answers 1 when the
 * user has been told, 0 when not.  tx_end() then pushes the news live to the user's open pages. */
int notify(db *d, int64_t user, const char *kind, const char *entity, int64_t entity_id, int64_t actor);
/* Whether an active user may see the entity (the rule notify() applies). */
bool notify_can_see(db *d, int64_t user, const char *entity, int64_t entity_id);
void notify_after_commit(db *d, bool committed);
/* Called after a commit for each user who was notified; inbox_live_init() points it at the live
 * event streams (`serve` does this; commands leave it unset). */
extern void (*notify_live_hook)(db *d, int64_t user_id);
void inbox_live_init(void);

/* --- requests (src/api/requests.c) --- */
int request_create(db *d, const principal *who, json_t *in, json_t **out, lerr *e);
int request_update(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e);
/* submit, review ({"decision":"approve|return|reject","comment"}), decision ({"decision":"accept|decline",
 * "comment","force"}) and cancel ({"reason"}); `step` names the route. */
int request_step(db *d, const principal *who, int64_t id, const char *step, json_t *in, json_t **out, lerr *e);
int request_assess(db *d, const principal *who, int64_t id, int64_t dept, int64_t version, json_t *in,
		   json_t **out, lerr *e);
/* Adds what the caller needs to act: waiting, assessment progress, allowed actions, reviewer. */
void request_decorate(db *d, const principal *who, json_t *rq, bool full);

/* --- departments (src/api/departments.c); *out is a new department object the caller owns --- */
int dept_create(db *d, const principal *who, json_t *in, json_t **out, lerr *e);
int dept_update(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e);
int dept_set_liaisons(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e);
int dept_delete(db *d, const principal *who, int64_t id, int64_t version, lerr *e);

/* --- users (src/api/users.c) --- */
int user_create(db *d, const principal *who, json_t *in, json_t **out, lerr *e);
int user_update(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e);

#endif
