/* The audit trail: every change is committed together with who made it and before/after snapshots. */
#ifndef LIAISON_STORE_AUDIT_H
#define LIAISON_STORE_AUDIT_H
#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "util/record.h"

typedef struct audit_event {
	int64_t actor_id;    /* 0 for the system or the command line */
	const char *entity;  /* "department", "user", "request", ... */
	int64_t entity_id;
	const char *action;  /* "create", "update", "delete", "liaisons", ... */
	const rdesc *desc;   /* how before and after are described */
	const void *before;  /* a record (borrowed); NULL on create */
	const void *after;   /* a record (borrowed); NULL on delete */
	const char *note;    /* the comment or reason given with the action; NULL when none */
} audit_event;

/* Writes the audit event inside the caller's open transaction, so the change and its record commit
 * together or not at all.  Fails with LERR_INTERNAL. */
int audit_write(db *d, const audit_event *ev, lerr *e);

/* The history of one entity, oldest first: a new array the caller owns
 * (items {"id","at","actor_id","actor_name","action","note","before","after"}). */
json_t *audit_history(db *d, const char *entity, int64_t entity_id);
/* When `action` was last recorded on the entity (*at 0 when never). */
int audit_last_at(db *d, const char *entity, int64_t entity_id, const char *action, int64_t *at);

#endif
