/* The generic state machine: refusals with reasons, transitions, guards and effects, from a table. */
#include "domain/sm.h"

#include <string.h>

static int count(const char *const *names)
{
	int n = 0;
	while (names && names[n])
		n++;
	return n;
}

int sm_state_count(const sm *m)
{
	return count(m->states);
}

int sm_action_count(const sm *m)
{
	return count(m->actions);
}

const char *sm_state_name(const sm *m, int state)
{
	return state >= 0 && state < sm_state_count(m) ? m->states[state] : "unknown";
}

const char *sm_action_name(const sm *m, int action)
{
	return action >= 0 && action < sm_action_count(m) ? m->actions[action] : "unknown";
}

int sm_state_parse(const sm *m, const char *name)
{
	for (int i = 0; name && m->states[i]; i++)
		if (strcmp(m->states[i], name) == 0)
			return i;
	return -1;
}

bool sm_is_open(const sm *m, int state)
{
	return state >= 0 && state < sm_state_count(m) && (m->open & SM_BIT(state));
}

/* Whether names[i] exists (names NULL-terminated): walks only to i, not to the end (sm_can runs for every
 * action of every row of a list). */
static bool has(const char *const *names, int i)
{
	if (i < 0 || !names)
		return false;
	for (int k = 0; k <= i; k++)
		if (!names[k])
			return false;
	return true;
}

int sm_can(const sm *m, int state, int action, unsigned roles, lerr *e)
{
	if (!has(m->states, state) || !has(m->actions, action))
		return lerr_set(e, LERR_INVALID, "invalid_value", NULL, "unknown status or action");
	const sm_rule *r = &m->rules[action];
	if (!(r->from & SM_BIT(state))) {
		if (!sm_is_open(m, state))
			return lerr_set(e, LERR_CONFLICT, "invalid_transition", NULL,
					"the %s is %s: it is closed and cannot be changed any more", m->entity,
					m->states[state]);
		return lerr_set(e, LERR_CONFLICT, "invalid_transition", NULL, "a %s that is %s cannot be %s (%s)",
				m->entity, m->states[state], r->verb, r->when);
	}
	if (!(r->roles & roles))
		return lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL, "%s", r->who);
	return 0;
}

int sm_check(const sm *m, int state, int action, unsigned roles, const void *facts, lerr *e)
{
	int rc = sm_can(m, state, action, roles, e);
	if (rc)
		return rc;
	const sm_rule *r = &m->rules[action];
	return r->guard ? r->guard(facts, e) : 0;
}

int sm_next(const sm *m, int state, int action)
{
	if (action < 0 || action >= sm_action_count(m) || m->rules[action].to < 0)
		return state;
	return m->rules[action].to;
}

unsigned sm_effects(const sm *m, int action)
{
	return action >= 0 && action < sm_action_count(m) ? m->rules[action].effects : 0;
}

int sm_valid(const sm *m)
{
	int ns = sm_state_count(m), na = sm_action_count(m);
	unsigned all = ns >= 32 ? ~0u : SM_BIT(ns) - 1;
	for (int a = 0; a < na; a++) {
		const sm_rule *r = &m->rules[a];
		if (!r->who || !r->verb || !r->when)
			return 1; /* SM-1: a row exists for every action */
		if (!(r->from & all) || (r->from & ~all) || !r->roles)
			return 2;
		if (r->to < -1 || r->to >= ns)
			return 3;
		if (r->from & ~m->open)
			return 4;
	}
	return 0;
}
