/* A table-driven state machine, the one every workflow uses (requests today; projects, tasks, minutes,
 * notices, issues, gates and closure later).
 *
 * A workflow declares its states, its actions and one row per action: the states it may start from,
 * the roles that may take it, the state it leads to, the sentence that explains a refusal to someone
 * without the role, an optional guard (a pure check of the facts the operation gathered, failing with
 * an lerr that names the field and says why) and the effects the operation runs after the move
 * (a bit set the workflow defines: tell someone, create something).  The operation layer gathers the
 * facts, asks sm_check, writes the new state, then runs the effects; it decides nothing itself.
 *
 * Invariants, for every machine (checked by sm_valid and by tests/unit/test_domain_sm.c):
 *   SM-1  every action has exactly one row, in action order;
 *   SM-2  every row starts from at least one state and names at least one role;
 *   SM-3  a row's target is -1 (the state stays) or a state of the machine;
 *   SM-4  no row starts from a final (not open) state: what is closed stays closed.
 */
#ifndef LIAISON_DOMAIN_SM_H
#define LIAISON_DOMAIN_SM_H
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define SM_BIT(s) (1u << (s))

/* A guard: 0 when the facts allow the action, else an lerr (usually 409 or 422). */
typedef int (*sm_guard)(const void *facts, lerr *e);

typedef struct sm_rule {
	unsigned from;       /* SM_BIT of each state the action may start from */
	unsigned roles;      /* any of these roles may take it */
	int to;              /* the state after it, or -1 when the state stays */
	const char *who;     /* why someone without the role may not ("only the initiator may edit") */
	const char *verb;    /* past participle for "a request that is X cannot be <verb> (...)" */
	const char *when;    /* the statuses it needs, in words ("only drafts and returned requests can") */
	sm_guard guard;      /* NULL: none */
	unsigned effects;    /* what the operation does after the move (the workflow's own bits) */
} sm_rule;

typedef struct sm {
	const char *entity;          /* "request": the subject of refusal sentences */
	const char *const *states;   /* names, NULL-terminated; index = state */
	const char *const *actions;  /* names, NULL-terminated; index = action */
	unsigned open;               /* SM_BIT of each state that may still change */
	const sm_rule *rules;        /* one per action, in action order */
} sm;

int sm_state_count(const sm *m);
int sm_action_count(const sm *m);
const char *sm_state_name(const sm *m, int state);   /* "unknown" when out of range */
const char *sm_action_name(const sm *m, int action); /* "unknown" when out of range */
int sm_state_parse(const sm *m, const char *name);   /* -1 when unknown */
bool sm_is_open(const sm *m, int state);

/* May someone holding `roles` take `action` in `state`?  0 when yes; otherwise LERR_CONFLICT
 * ("invalid_transition": the state does not allow it, whoever asks) or LERR_FORBIDDEN ("forbidden":
 * the state allows it, but not for these roles), each with its sentence.  Guards are not run. */
int sm_can(const sm *m, int state, int action, unsigned roles, lerr *e);
/* sm_can, then the action's guard over `facts`. */
int sm_check(const sm *m, int state, int action, unsigned roles, const void *facts, lerr *e);
/* The state after `action` (meaningful only when sm_can allowed it). */
int sm_next(const sm *m, int state, int action);
/* The effects of `action`. */
unsigned sm_effects(const sm *m, int action);
/* Checks the invariants SM-1..SM-4; 0, or the number of the first one broken. */
int sm_valid(const sm *m);

#endif
