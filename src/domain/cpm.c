/* The critical path method over working-day indices (cpm.h). */
#include "domain/cpm.h"

#include <stdlib.h>
#include <string.h>

int32_t cpm_finish_day(int32_t es, int32_t duration)
{
	return duration > 0 ? es + duration - 1 : es;
}

/* Successor lists in one array (compressed rows): the dependencies leaving task t are
 * edges[first[t] .. first[t + 1]).  Answers false when a dependency names a task out of range. */
typedef struct graph {
	int32_t *first, *edges;
} graph;

static void *alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static bool graph_build(graph *g, size_t n, const cpm_dep *deps, size_t m)
{
	g->first = alloc(n + 1, sizeof *g->first);
	g->edges = alloc(m, sizeof *g->edges);
	for (size_t k = 0; k < m; k++) {
		if (deps[k].pred < 0 || (size_t)deps[k].pred >= n || deps[k].succ < 0 || (size_t)deps[k].succ >= n)
			return false;
		g->first[deps[k].pred + 1]++;
	}
	for (size_t t = 0; t < n; t++)
		g->first[t + 1] += g->first[t];
	int32_t *fill = alloc(n, sizeof *fill);
	for (size_t k = 0; k < m; k++) {
		int32_t p = deps[k].pred;
		g->edges[g->first[p] + fill[p]++] = (int32_t)k;
	}
	free(fill);
	return true;
}

static void graph_free(graph *g)
{
	free(g->first);
	free(g->edges);
}

/* The earliest start a dependency allows its successor, given the predecessor's early dates. */
static int32_t start_bound(const cpm_dep *d, int32_t es, int32_t ef, int32_t succ_duration)
{
	switch (d->type) {
	case CPM_SS: return es + d->lag;
	case CPM_FF: return ef + d->lag - succ_duration;
	case CPM_SF: return es + d->lag - succ_duration;
	default: return ef + d->lag; /* FS */
	}
}

/* The latest finish a dependency allows its predecessor, given the successor's late dates. */
static int32_t finish_bound(const cpm_dep *d, int32_t ls, int32_t lf, int32_t pred_duration)
{
	switch (d->type) {
	case CPM_SS: return ls - d->lag + pred_duration;
	case CPM_FF: return lf - d->lag;
	case CPM_SF: return lf - d->lag + pred_duration;
	default: return ls - d->lag; /* FS */
	}
}

int cpm_schedule(const cpm_task *tasks, size_t n, const cpm_dep *deps, size_t m, cpm_result *out, int32_t *finish)
{
	*finish = 0;
	graph g;
	if (!graph_build(&g, n, deps, m)) {
		graph_free(&g);
		return -1;
	}
	/* A topological order (Kahn), tasks without predecessors first in index order. */
	int32_t *indeg = alloc(n, sizeof *indeg), *order = alloc(n, sizeof *order);
	for (size_t k = 0; k < m; k++)
		indeg[deps[k].succ]++;
	size_t head = 0, tail = 0;
	for (size_t t = 0; t < n; t++)
		if (!indeg[t])
			order[tail++] = (int32_t)t;
	while (head < tail) {
		int32_t t = order[head++];
		for (int32_t i = g.first[t]; i < g.first[t + 1]; i++)
			if (--indeg[deps[g.edges[i]].succ] == 0)
				order[tail++] = deps[g.edges[i]].succ;
	}
	free(indeg);
	if (tail < n) { /* what is left waits on itself: a cycle */
		free(order);
		graph_free(&g);
		return -1;
	}
	/* Forward: each task as early as its predecessors, day 0 and its own "no earlier than" allow. */
	for (size_t t = 0; t < n; t++) {
		out[t] = (cpm_result){0};
		out[t].es = tasks[t].not_before > 0 ? tasks[t].not_before : 0;
	}
	int32_t end = 0;
	for (size_t k = 0; k < n; k++) {
		int32_t t = order[k];
		cpm_result *r = &out[t];
		r->ef = r->es + tasks[t].duration;
		if (r->ef > end)
			end = r->ef;
		for (int32_t i = g.first[t]; i < g.first[t + 1]; i++) {
			const cpm_dep *d = &deps[g.edges[i]];
			int32_t b = start_bound(d, r->es, r->ef, tasks[d->succ].duration);
			if (b > out[d->succ].es)
				out[d->succ].es = b;
		}
	}
	/* Backward: each task as late as its successors and the project's finish allow. */
	for (size_t k = n; k-- > 0;) {
		int32_t t = order[k];
		cpm_result *r = &out[t];
		int32_t lf = end, free_float = end - r->ef;
		for (int32_t i = g.first[t]; i < g.first[t + 1]; i++) {
			const cpm_dep *d = &deps[g.edges[i]];
			const cpm_result *s = &out[d->succ];
			int32_t b = finish_bound(d, s->ls, s->lf, tasks[t].duration);
			if (b < lf)
				lf = b;
			int32_t slack = s->es - start_bound(d, r->es, r->ef, tasks[d->succ].duration);
			if (slack < free_float)
				free_float = slack;
		}
		r->lf = lf;
		r->ls = lf - tasks[t].duration;
		r->total_float = r->ls - r->es;
		r->free_float = free_float < r->total_float ? free_float : r->total_float;
		r->critical = r->total_float == 0;
	}
	free(order);
	graph_free(&g);
	*finish = end;
	return 0;
}

bool cpm_would_cycle(size_t n, const cpm_dep *deps, size_t m, int32_t pred, int32_t succ, int32_t *path, size_t max,
		     size_t *npath)
{
	*npath = 0;
	if (pred < 0 || succ < 0 || (size_t)pred >= n || (size_t)succ >= n)
		return false;
	if (pred == succ) {
		if (max)
			path[(*npath)++] = pred;
		return true;
	}
	graph g;
	if (!graph_build(&g, n, deps, m)) {
		graph_free(&g);
		return false;
	}
	/* Breadth first from succ along the dependencies: pred reached means succ already leads to pred. */
	int32_t *from = alloc(n, sizeof *from), *queue = alloc(n, sizeof *queue);
	for (size_t t = 0; t < n; t++)
		from[t] = -2; /* not seen */
	size_t head = 0, tail = 0;
	queue[tail++] = succ;
	from[succ] = -1;
	bool found = false;
	while (head < tail && !found) {
		int32_t t = queue[head++];
		for (int32_t i = g.first[t]; i < g.first[t + 1] && !found; i++) {
			int32_t s = deps[g.edges[i]].succ;
			if (from[s] != -2)
				continue;
			from[s] = t;
			queue[tail++] = s;
			found = s == pred;
		}
	}
	if (found) { /* pred, back to succ, then reversed: succ ... pred */
		size_t k = 0;
		for (int32_t t = pred; t >= 0; t = from[t])
			k++;
		size_t len = k < max ? k : max;
		size_t i = k;
		for (int32_t t = pred; t >= 0; t = from[t]) {
			i--;
			if (i < len)
				path[i] = t;
		}
		*npath = len;
	}
	free(from);
	free(queue);
	graph_free(&g);
	return found;
}
