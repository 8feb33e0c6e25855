/* The one visibility predicate: binding the viewer, and asking about one entity. */
#include "store/visibility.h"

void vis_bind_viewer(db_stmt *st, const principal *who)
{
	db_bind_int(st, 1, who->user_id);
	db_bind_int(st, 2, who->department_id > 0 ? who->department_id : -1);
	db_bind_int(st, 3, who->clearance);
	db_bind_int(st, 4, who->is_admin);
	db_bind_int(st, 5, who->is_coordinator);
}

bool vis_entity_visible(db *d, const principal *who, const char *kind, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 WHERE " VIS_ENTITY("?6", "?7"));
	if (!st)
		return false;
	vis_bind_viewer(st, who);
	db_bind_text(st, 6, kind);
	db_bind_int(st, 7, id);
	return db_one_int(st, 0) == 1;
}
