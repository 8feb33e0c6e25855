/* The system's own operations: delivering the outbox (what committed changes told, handed to its channel),
 * marking notifications read, and forgetting expired sign-in state. */
#include <string.h>

#include "ops/ops.h"
#include "domain/org.h"
#include "store/auth.h"
#include "store/inbox.h"
#include "util/clock.h"

int op_deliver_outbox(op_ctx *c, int limit, int64_t **users, size_t *n, size_t *delivered, lerr *e)
{
	*users = NULL;
	*n = *delivered = 0;
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	outbox_msg *m;
	size_t k;
	if (outbox_pending(c->db, c->a, limit, &m, &k) != DB_DONE) {
		rc = op_fail("delivery", e);
		goto done;
	}
	*users = arena_alloc(c->a, (k ? k : 1) * sizeof **users);
	int64_t now = clock_now_ms();
	for (size_t i = 0; i < k; i++) {
		int w = outbox_mark_delivered(c->db, m[i].id, now);
		if (w == 1)
			continue; /* delivered by someone else meanwhile */
		if (w != DB_DONE || (strcmp(m[i].channel, "inbox") == 0 && inbox_add(c->db, &m[i]) != DB_DONE)) {
			rc = op_fail("delivery", e);
			goto done;
		}
		(*delivered)++;
		op_count_moved(c, m[i].user_id);
		size_t j = 0;
		while (j < *n && (*users)[j] != m[i].user_id)
			j++;
		if (j == *n)
			(*users)[(*n)++] = m[i].user_id;
	}
done:
	return op_end(c, rc, e);
}

int op_inbox_read(op_ctx *c, int64_t id, int64_t *unread, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	if (!inbox_mark_read(c->db, c->who.user_id, id))
		rc = lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "notification %lld does not exist", (long long)id);
	else
		*unread = inbox_unread(c->db, &c->who);
	op_count_moved(c, c->who.user_id);
	return op_end(c, rc, e);
}

int op_purge(op_ctx *c, int limit, int64_t *sessions, int64_t *failures, lerr *e)
{
	*sessions = *failures = 0;
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	if (auth_purge(c->db, clock_now_ms(), THROTTLE_WINDOW_MS, THROTTLE_FORGET_MS, limit, sessions, failures))
		rc = op_fail("purge", e);
	return op_end(c, rc, e);
}
