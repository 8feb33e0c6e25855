/* The one visibility predicate.  Every item resolves to the request that scopes it (a project through
 * the request it came from; later a task through its project, and so on) and to that request's
 * confidentiality; one SQL predicate, written here and nowhere else, decides who may see it, and every
 * list, count, search, My work, the inbox, live events and export uses it.  An entity kind without a
 * rule here is seen by nobody.
 *
 * The rule (the same as rq_may_see in src/domain/request.c; the unit test
 * test_visibility.c proves the two equal over the same fixtures):
 *   V-1  a draft is its initiator's alone;
 *   V-2  public and internal requests: every signed-in user;
 *   V-3  confidential and secret ones: participants whose clearance reaches the level — the
 *        initiator, members of the initiating or an involved department, heads of those departments
 *        and of every department above them, people copied in (抄送), coordinators and administrators.
 *
 * Statements using it bind the viewer with vis_bind_viewer: ?1 user, ?2 department, ?3 clearance,
 * ?4 administrator, ?5 coordinator; their own parameters start at ?6. */
#ifndef LIAISON_STORE_VISIBILITY_H
#define LIAISON_STORE_VISIBILITY_H
#include "store/auth.h"
#include "store/db.h"

/* The viewer heads department `dept`, or a department above it (department_heads, store/org.h: one
 * lookup by key, no walk of the tree). */
#define VIS_HEADS(dept) VIS_HEADS_OF("?1", dept)
/* The same for the person in parameter `who` ("?9"). */
#define VIS_HEADS_OF(who, dept)                                                                        \
	"EXISTS (SELECT 1 FROM department_heads vh WHERE vh.user_id = " who " AND vh.department_id = " dept ")"

/* The viewer may see request row r (V-1..V-3). */
#define VIS_REQUEST(r)                                                                                 \
	"((" r ".status <> 'draft' OR " r ".initiator_id = ?1) AND"                                    \
	" (" r ".conf_level <= 1 OR (?3 >= " r ".conf_level AND ("                                   \
	" " r ".initiator_id = ?1 OR ?4 = 1 OR ?5 = 1 OR " r ".initiating_department_id = ?2"        \
	" OR " VIS_HEADS(r ".initiating_department_id")                                              \
	" OR EXISTS (SELECT 1 FROM request_cc vcc WHERE vcc.request_id = " r ".id AND vcc.user_id = ?1)" \
	" OR EXISTS (SELECT 1 FROM request_departments rdv WHERE rdv.request_id = " r ".id"           \
	"            AND (rdv.department_id = ?2 OR " VIS_HEADS("rdv.department_id") "))))))"

/* The viewer may see the entity whose kind is in column `kind` and id in column `id`. */
#define VIS_ENTITY(kind, id)                                                                           \
	"EXISTS (SELECT 1 FROM requests vr WHERE ((" kind " = 'request' AND vr.id = " id ")"           \
	" OR (" kind " = 'project' AND vr.id = (SELECT vp.request_id FROM projects vp WHERE vp.id = " id ")))" \
	" AND " VIS_REQUEST("vr") ")"

/* Binds the viewer to ?1..?5. */
void vis_bind_viewer(db_stmt *st, const principal *who);
/* Whether the viewer may see the entity (kind "request", "project", ...; any other kind: false). */
bool vis_entity_visible(db *d, const principal *who, const char *kind, int64_t id);

#endif
