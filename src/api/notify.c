/* Telling people: in-app notifications written in the change's transaction, and live pushes to their
 * open pages once that transaction has committed. */
#include <string.h>

#include "api/api.h"
#include "store/request.h"

/* Users notified by the transaction in progress on this thread, pushed live after it commits. */
static _Thread_local int64_t pending[256];
static _Thread_local size_t npending;

void (*notify_live_hook)(db *d, int64_t user_id);

/* What this transaction has written, so one person hears of one step once. */
static _Thread_local struct sent { int64_t user, entity_id; const char *kind; } sent[256];
static _Thread_local size_t nsent;

bool notify_can_see(db *d, int64_t user, const char *entity, int64_t entity_id)
{
	principal p;
	if (!principal_of(d, user, &p))
		return false;
	return strcmp(entity, "request") != 0 || rq_visible_to(d, entity_id, &p);
}

int notify(db *d, int64_t user, const char *kind, const char *entity, int64_t entity_id, int64_t actor)
{
	if (user <= 0 || user == actor)
		return 0;
	for (size_t i = 0; i < nsent; i++)
		if (sent[i].user == user && sent[i].entity_id == entity_id && strcmp(sent[i].kind, kind) == 0)
			return 1; /* already told, in this same step */
	/* Nobody hears of what they may not see. */
	if (!notify_can_see(d, user, entity, entity_id))
		return 0;
	if (inbox_add(d, user, kind, entity, entity_id, actor) != DB_DONE)
		return LERR_INTERNAL;
	if (nsent < sizeof sent / sizeof sent[0])
		sent[nsent++] = (struct sent){user, entity_id, kind};
	for (size_t i = 0; i < npending; i++)
		if (pending[i] == user)
			return 1;
	if (npending < sizeof pending / sizeof pending[0])
		pending[npending++] = user;
	return 1;
}

void notify_after_commit(db *d, bool committed)
{
	if (committed && notify_live_hook)
		for (size_t i = 0; i < npending; i++)
			notify_live_hook(d, pending[i]);
	npending = 0;
	nsent = 0;
}
