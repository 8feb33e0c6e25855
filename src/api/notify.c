/* Telling people: in-app notifications written in the change's transaction, and live pushes to their
 * open pages once that transaction has committed. */
#include <string.h>

#include "api/api.h"
#include "store/request.h"

/* Users notified by the transaction in progress on this thread, pushed live after it commits. */
static _Thread_local int64_t pending[256];
static _Thread_local size_t npending;

void (*notify_live_hook)(db *d, int64_t user_id);

int notify(db *d, int64_t user, const char *kind, const char *entity, int64_t entity_id, int64_t actor)
{
	if (user <= 0 || user == actor)
		return 0;
	/* Nobody hears of what they may not see. */
	principal p;
	if (!principal_of(d, user, &p))
		return 0;
	if (strcmp(entity, "request") == 0 && !rq_visible_to(d, entity_id, &p))
		return 0;
	if (inbox_add(d, user, kind, entity, entity_id, actor) != DB_DONE)
		return LERR_INTERNAL;
	for (size_t i = 0; i < npending; i++)
		if (pending[i] == user)
			return 0;
	if (npending < sizeof pending / sizeof pending[0])
		pending[npending++] = user;
	return 0;
}

void notify_after_commit(db *d, bool committed)
{
	if (committed && notify_live_hook)
		for (size_t i = 0; i < npending; i++)
			notify_live_hook(d, pending[i]);
	npending = 0;
}
