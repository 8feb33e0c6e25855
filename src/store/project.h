/* Follow-ups (跟进事项) of projects, as the records of src/domain/project.h.  Loads fill records whose strings
 * live in the caller's arena; writes expect the caller's transaction.  Int answers as in store/org.h (DB_ROW
 * found, DB_DONE absent or written, negative error).  Nothing here checks visibility: a follow-up is seen by
 * whoever sees its project (project_visible_to, store/request.h), which the operations ask first. */
#ifndef LIAISON_STORE_PROJECT_H
#define LIAISON_STORE_PROJECT_H
#include <stddef.h>
#include <stdint.h>

#include "domain/project.h"
#include "store/db.h"
#include "util/arena.h"

/* Inserts f (project, source, department, text, raised_by, created_at; open, no task); *id is the new one. */
int fu_insert(db *d, const follow_up *f, int64_t *id);
/* The follow-ups of a project in creation order, after id `after` (0: from the first), at most `limit`;
 * `status` an enum fu_status, or -1 for any.  *next is the id to go on after when more remain (0 when not). */
int fu_list(db *d, arena *a, int64_t project_id, int status, int64_t after, int limit, follow_up **items, size_t *n,
	    int64_t *next);
/* counts[i] = the open follow-ups of project ids[i], for a page of projects in a bounded number of statements. */
int fu_open_counts(db *d, const int64_t *ids, size_t n, int64_t *counts);

#endif
