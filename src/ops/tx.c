/* Transactions, the audit trail and notices of the operations layer. */
#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "store/inbox.h"
#include "store/org.h"
#include "store/rows.h"
#include "store/visibility.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"

const principal op_cli_principal = {.user_id = 0, .is_admin = true, .is_coordinator = true, .clearance = 3};
const principal op_system_principal = {.user_id = 0};

void (*op_after_commit)(db *d, const int64_t *users, size_t n);
void (*op_after_change)(db *d, const op_notice *changed, size_t n);

void op_init(op_ctx *c, db *d, const principal *who, arena *a)
{
	memset(c, 0, sizeof *c);
	c->db = d;
	c->who = *who;
	c->a = a;
}

void op_count_moved(op_ctx *c, int64_t uid)
{
	for (size_t i = 0; i < c->ncounted; i++)
		if (c->counted[i] == uid)
			return;
	c->counted = rows_grow(c->a, c->counted, c->ncounted, &c->capcounted, sizeof *c->counted);
	c->counted[c->ncounted++] = uid;
}

/* Events are {"x":[item,...]}: ["u",id] a user whose count moved, ["c","kind",id] a changed entity. */
#define EVENT_HEAD "{\"x\":["
#define EVENT_MAX 7000 /* bytes; PostgreSQL takes payloads under 8000 */

/* Sends the event in b when it holds an item, and starts the next. */
static int event_send(op_ctx *c, sbuf *b)
{
	int rc = 0;
	if (b->len > strlen(EVENT_HEAD)) {
		sbuf_add(b, "]}", 2);
		rc = db_notify(c->db, OP_EVENTS, b->p);
	}
	b->len = 0;
	sbuf_adds(b, EVENT_HEAD);
	return rc;
}

/* Sends what the transaction changed to every server of the store (OP_EVENTS), inside it: the users whose
 * count moved (moved[0..n), and those the deliveries gave something) and the changed entities. */
static int announce(op_ctx *c, const int64_t *moved, size_t n)
{
	if (!db_has_events(c->db) || (!n && !c->ncounted && !c->nchanged))
		return 0;
	sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, EVENT_HEAD);
	int rc = 0;
	for (size_t i = 0; !rc && i < n + c->ncounted + c->nchanged; i++) {
		char item[128];
		if (i < n + c->ncounted) {
			snprintf(item, sizeof item, "[\"u\",%lld]", (long long)(i < n ? moved[i] : c->counted[i - n]));
		} else {
			const op_notice *ch = &c->changed[i - n - c->ncounted];
			snprintf(item, sizeof item, "[\"c\",\"%s\",%lld]", ch->kind, (long long)ch->entity_id);
		}
		if (b.len + strlen(item) + 3 > EVENT_MAX)
			rc = event_send(c, &b);
		if (b.len > strlen(EVENT_HEAD))
			sbuf_add(&b, ",", 1);
		sbuf_adds(&b, item);
	}
	if (!rc)
		rc = event_send(c, &b);
	sbuf_release(&b);
	return rc;
}

void op_release(op_ctx *c)
{
	c->told = NULL; /* in the arena */
	c->ntold = c->captold = 0;
	c->changed = NULL;
	c->nchanged = c->capchanged = 0;
	c->counted = NULL;
	c->ncounted = c->capcounted = 0;
}

int op_begin(op_ctx *c, lerr *e)
{
	if (c->depth++ > 0)
		return 0;
	c->ntold = 0;
	if (db_begin(c->db)) {
		c->depth = 0;
		return lerr_set(e, LERR_INTERNAL, "busy", NULL, "the store is busy; try again");
	}
	return 0;
}

int op_end(op_ctx *c, int rc, lerr *e)
{
	if (c->depth <= 0)
		return rc;
	if (--c->depth > 0)
		return rc;
	if (rc) {
		db_rollback(c->db);
		c->ntold = c->nchanged = c->ncounted = 0;
		return rc;
	}
	/* Those whose count moved though nobody told them, each once: the told hear of it with their message's
	 * delivery. */
	int64_t *users = arena_alloc(c->a, (c->ntold ? c->ntold : 1) * sizeof *users);
	size_t n = 0;
	for (size_t i = 0; i < c->ntold; i++) {
		bool told = false, listed = false;
		for (size_t j = 0; j < c->ntold; j++)
			told |= c->told[j].user == c->told[i].user && *c->told[j].kind;
		for (size_t k = 0; k < n; k++)
			listed |= users[k] == c->told[i].user;
		if (!told && !listed)
			users[n++] = c->told[i].user;
	}
	if (announce(c, users, n) || db_commit(c->db)) {
		log_error("commit failed: %s", db_errmsg(c->db));
		db_rollback(c->db);
		c->ntold = c->nchanged = c->ncounted = 0;
		return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the change could not be saved");
	}
	c->ncounted = 0;
	if (op_after_commit && c->ntold)
		op_after_commit(c->db, users, n);
	c->ntold = 0;
	if (op_after_change && c->nchanged)
		op_after_change(c->db, c->changed, c->nchanged);
	c->nchanged = 0;
	return 0;
}

int op_audit(op_ctx *c, const char *entity, int64_t id, const char *action, const rdesc *desc, const void *before,
	     const void *after, const char *note, lerr *e)
{
	bool known = false;
	for (size_t i = 0; i < c->nchanged && !known; i++)
		known = c->changed[i].entity_id == id && strcmp(c->changed[i].kind, entity) == 0;
	if (!known) { /* every audited change is one the entity's open pages should show */
		if (c->nchanged == c->capchanged) {
			size_t cap = c->capchanged ? c->capchanged * 2 : 8;
			op_notice *t = arena_alloc(c->a, cap * sizeof *t);
			if (c->nchanged)
				memcpy(t, c->changed, c->nchanged * sizeof *t);
			c->changed = t;
			c->capchanged = cap;
		}
		c->changed[c->nchanged++] = (op_notice){0, id, entity};
	}
	audit_event ev = {c->who.user_id, entity, id, action, desc, before, after, note};
	return audit_write(c->db, &ev, e);
}

bool op_user_may_see(db *d, int64_t uid, const char *entity, int64_t entity_id)
{
	principal p;
	return principal_of(d, NULL, uid, &p) && vis_entity_visible(d, &p, entity, entity_id);
}

/* Whom the transaction's commit concerns (op_end hands them to op_after_commit). */
static void remember(op_ctx *c, op_notice n)
{
	if (c->ntold == c->captold) {
		size_t cap = c->captold ? c->captold * 2 : 16;
		op_notice *t = arena_alloc(c->a, cap * sizeof *t);
		if (c->ntold)
			memcpy(t, c->told, c->ntold * sizeof *t);
		c->told = t;
		c->captold = cap;
	}
	c->told[c->ntold++] = n;
}

int op_tell(op_ctx *c, int64_t uid, const char *kind, const char *entity, int64_t entity_id, lerr *e)
{
	if (uid <= 0 || uid == c->who.user_id)
		return 0;
	for (size_t i = 0; i < c->ntold; i++)
		if (c->told[i].user == uid && c->told[i].entity_id == entity_id && strcmp(c->told[i].kind, kind) == 0)
			return 1; /* already told, in this same step */
	/* Nobody hears of what they may not see. */
	if (!op_user_may_see(c->db, uid, entity, entity_id))
		return 0;
	/* Written in the change's transaction: a notice that cannot be recorded fails the change. */
	if (outbox_add(c->db, uid, kind, entity, entity_id, c->who.user_id) != DB_DONE)
		return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the notification could not be saved");
	remember(c, (op_notice){uid, entity_id, kind});
	/* 代理人: while the person is away, their deputy hears it too — if the deputy may see it; what the deputy
	 * may not see stays with the person, and they are told so ("request.kept"). */
	char today[11];
	date_format(clock_local_today(), today, sizeof today);
	int64_t deputy = strcmp(kind, "request.kept") ? org_deputy_of(c->db, c->a, uid, today) : 0;
	if (deputy > 0 && deputy != uid) {
		int r = op_user_may_see(c->db, deputy, entity, entity_id)
				? op_tell(c, deputy, kind, entity, entity_id, e)
				: op_tell(c, uid, "request.kept", entity, entity_id, e);
		if (r < 0)
			return r;
	}
	return 1;
}

void op_recount(op_ctx *c, int64_t uid)
{
	if (uid <= 0)
		return;
	remember(c, (op_notice){uid, 0, ""}); /* no message: only the count to push */
}

int op_write_result(int w, const char *what, int64_t id, lerr *e)
{
	if (w == DB_DONE)
		return 0;
	if (w == 1)
		return lerr_set(e, LERR_STALE, "precondition_failed", NULL,
				"%s %lld was changed by someone else; reload and try again", what, (long long)id);
	return op_fail(what, e);
}

int op_fail(const char *what, lerr *e)
{
	return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the %s could not be saved", what);
}
