/* Projects as their people see them, and the follow-ups an acceptance creates. */
#include "ops/project.h"

#include <string.h>

#include "ops/request.h"
#include "store/project.h"
#include "store/request.h"

int op_follow_ups_create(op_ctx *c, const request *rq, const project *p, const char *comment, lerr *e)
{
	int rc = op_begin(c, e);
	if (rc)
		return rc;
	assessment *as;
	size_t n;
	if (assessment_list(c->db, c->a, rq->id, &as, &n) != DB_DONE) {
		rc = op_fail("follow-up", e);
		goto done;
	}
	follow_up *fus = arena_alloc(c->a, (n + 1) * sizeof *fus);
	size_t k = fu_of_acceptance(as, n, rq->ninvolved, comment, c->who.user_id, fus);
	for (size_t i = 0; i < k && !rc; i++) {
		fus[i].project_id = p->id;
		fus[i].created_at = fus[i].updated_at = p->created_at;
		fus[i].version = 1;
		if (fu_insert(c->db, &fus[i], &fus[i].id) != DB_DONE)
			rc = op_fail("follow-up", e);
		else
			rc = op_audit(c, "project", p->id, "follow_up", &follow_up_desc, NULL, &fus[i], NULL, e);
	}
done:
	return op_end(c, rc, e);
}

enum { FOLLOW_UPS_MAX = 1000 }; /* more than any acceptance makes: one per involved department and the decision */

int op_project_view(op_ctx *c, int64_t id, project_view *out, lerr *e)
{
	memset(out, 0, sizeof *out);
	int rc = op_project_get(c, id, &out->p, e);
	if (rc)
		return rc;
	request rq;
	int64_t next;
	/* The project exists only with its request (RQ-4), which nothing changes once accepted (RQ-1). */
	if (rq_load(c->db, c->a, out->p.request_id, &rq) != DB_ROW ||
	    assessment_list(c->db, c->a, rq.id, &out->assessments, &out->nassessments) != DB_DONE ||
	    fu_list(c->db, c->a, id, -1, 0, FOLLOW_UPS_MAX, &out->follow_ups, &out->nfollow_ups, &next) != DB_DONE)
		return op_fail("project", e);
	out->request_code = rq.code;
	out->goal = rq.goal;
	out->criteria = rq.criteria;
	out->ncriteria = rq.ncriteria;
	assessment_totals_of(out->assessments, out->nassessments, rq.ninvolved, &out->totals);
	for (size_t i = 0; i < out->nfollow_ups; i++)
		out->open_follow_ups += out->follow_ups[i].status == FU_OPEN;
	return 0;
}

int op_project_page(op_ctx *c, int64_t before, int limit, project_view **items, size_t *n, int64_t *next, lerr *e)
{
	project *ps;
	int rc = op_project_list(c, before, limit, &ps, n, next, e);
	if (rc)
		return rc;
	int64_t *ids = arena_alloc(c->a, (*n ? *n : 1) * sizeof *ids), *open = arena_alloc(c->a, (*n ? *n : 1) * sizeof *open);
	for (size_t i = 0; i < *n; i++)
		ids[i] = ps[i].id;
	if (fu_open_counts(c->db, ids, *n, open) != DB_DONE)
		return op_fail("project list", e);
	*items = arena_alloc(c->a, (*n ? *n : 1) * sizeof **items);
	for (size_t i = 0; i < *n; i++)
		(*items)[i] = (project_view){.p = ps[i], .open_follow_ups = open[i]};
	return 0;
}

int op_follow_ups_list(op_ctx *c, int64_t project_id, int status, int64_t after, int limit, follow_up **items,
		       size_t *n, int64_t *next, lerr *e)
{
	/* A follow-up is seen by whoever sees its project (FU-4), the way op_project_get answers. */
	if (!project_visible_to(c->db, project_id, &c->who))
		return lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "project %lld does not exist", (long long)project_id);
	if (fu_list(c->db, c->a, project_id, status, after, limit, items, n, next) != DB_DONE)
		return op_fail("follow-up list", e);
	return 0;
}
