/* Transactions around operations, shared by handlers and commands. */
#include "api/api.h"
#include "util/log.h"

const principal cli_principal = {.user_id = 0, .is_admin = true, .is_coordinator = true, .clearance = 3};

int tx_begin(db *d, lerr *e)
{
	if (db_begin(d))
		return lerr_set(e, LERR_INTERNAL, "busy", NULL, "the store is busy; try again");
	return 0;
}

int tx_end(db *d, int rc, lerr *e)
{
	if (rc) {
		db_rollback(d);
		notify_after_commit(d, false);
		return rc;
	}
	if (db_commit(d)) {
		log_error("commit failed: %s", db_errmsg(d));
		db_rollback(d);
		notify_after_commit(d, false);
		return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the change could not be saved");
	}
	notify_after_commit(d, true);
	return 0;
}

int write_result(int w, const char *what, int64_t id, lerr *e)
{
	if (w == DB_DONE)
		return 0;
	if (w == 1)
		return lerr_set(e, LERR_STALE, "precondition_failed", NULL,
				"%s %lld was changed by someone else; reload and try again", what, (long long)id);
	return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the %s could not be saved", what);
}
