/* Operations on projects (项目) and their follow-ups (跟进事项): the follow-ups an acceptance creates, and the
 * project as the caller may see it — alone with what the accepted request carried into it, in pages with
 * their open follow-ups, and its follow-ups.  Reads answer 404 for a project the caller may not see. */
#ifndef LIAISON_OPS_PROJECT_H
#define LIAISON_OPS_PROJECT_H
#include "domain/project.h"
#include "ops/ops.h"

/* Within the acceptance of rq, which created project p: a follow-up for each condition attached to it
 * (FU-1..FU-3), `comment` being the decision's, created at the project's instant; each recorded in the
 * project's history.  Called by the accept step (ops/request.c, create_project), in its transaction. */
int op_follow_ups_create(op_ctx *c, const request *rq, const project *p, const char *comment, lerr *e);

/* The project with its goal, success criteria, assessments and their totals, and every follow-up. */
int op_project_view(op_ctx *c, int64_t id, project_view *out, lerr *e);
/* Projects the caller may see, newest first (below `before`, 0: from the top), each with its open follow-ups. */
int op_project_page(op_ctx *c, int64_t before, int limit, project_view **items, size_t *n, int64_t *next, lerr *e);
/* A project's follow-ups in creation order (after `after`, 0: from the first); status an enum fu_status or -1. */
int op_follow_ups_list(op_ctx *c, int64_t project_id, int status, int64_t after, int limit, follow_up **items,
		       size_t *n, int64_t *next, lerr *e);

#endif
