/* WBS codes from the tree (wbs.h). */
#include "domain/wbs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of the node with this id in an array sorted by id (idx), or -1. */
static long find(const wbs_node *nodes, const size_t *by_id, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t v = nodes[by_id[mid]].id;
		if (v == id)
			return (long)by_id[mid];
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int cmp_id(const void *a, const void *b, void *ctx)
{
	const wbs_node *nodes = ctx;
	int64_t x = nodes[*(const size_t *)a].id, y = nodes[*(const size_t *)b].id;
	return x < y ? -1 : x > y;
}

/* Siblings together (by parent), each family by position then id. */
static int cmp_family(const void *a, const void *b, void *ctx)
{
	const wbs_node *nodes = ctx;
	const wbs_node *x = &nodes[*(const size_t *)a], *y = &nodes[*(const size_t *)b];
	if (x->parent_id != y->parent_id)
		return x->parent_id < y->parent_id ? -1 : 1;
	if (x->position != y->position)
		return x->position < y->position ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int wbs_number(const wbs_node *nodes, size_t n, char (*codes)[WBS_CODE_MAX])
{
	size_t *by_id = malloc((n ? n : 1) * sizeof *by_id), *fam = malloc((n ? n : 1) * sizeof *fam);
	int *rank = malloc((n ? n : 1) * sizeof *rank), *state = calloc(n ? n : 1, sizeof *state);
	if (!by_id || !fam || !rank || !state)
		abort();
	for (size_t i = 0; i < n; i++)
		by_id[i] = fam[i] = i;
	qsort_r(by_id, n, sizeof *by_id, cmp_id, (void *)nodes);
	qsort_r(fam, n, sizeof *fam, cmp_family, (void *)nodes);
	int rc = 0;
	for (size_t k = 0; k < n; k++) /* rank among siblings: 1, 2, ... */
		rank[fam[k]] = k && nodes[fam[k - 1]].parent_id == nodes[fam[k]].parent_id ? rank[fam[k - 1]] + 1 : 1;
	/* Each code from its parent's: a node's parent is numbered first (state 2), a loop is met on the
	 * way up (state 1). */
	long *stack = malloc((n ? n : 1) * sizeof *stack);
	if (!stack)
		abort();
	for (size_t i = 0; i < n && !rc; i++) {
		size_t depth = 0;
		for (long j = (long)i; j >= 0 && state[j] != 2;) {
			if (state[j] == 1) {
				rc = -1; /* a loop */
				break;
			}
			state[j] = 1;
			stack[depth++] = j;
			if (nodes[j].parent_id == 0)
				break;
			long p = find(nodes, by_id, n, nodes[j].parent_id);
			if (p < 0) {
				rc = -1; /* a parent that is not in the tree */
				break;
			}
			j = p;
		}
		while (!rc && depth) { /* from the highest unnumbered ancestor down */
			long j = stack[--depth];
			int len;
			if (nodes[j].parent_id == 0)
				len = snprintf(codes[j], WBS_CODE_MAX, "%d", rank[j]);
			else {
				char up[WBS_CODE_MAX]; /* the parent's code: another row of codes */
				memcpy(up, codes[find(nodes, by_id, n, nodes[j].parent_id)], WBS_CODE_MAX);
				len = snprintf(codes[j], WBS_CODE_MAX, "%s.%d", up, rank[j]);
			}
			if (len < 0 || len >= WBS_CODE_MAX)
				rc = -1;
			state[j] = 2;
		}
	}
	free(stack);
	free(by_id);
	free(fam);
	free(rank);
	free(state);
	return rc;
}

bool wbs_move_ok(const wbs_node *nodes, size_t n, int64_t id, int64_t new_parent)
{
	/* Walk up from the new parent: meeting the task itself means moving it under itself. */
	for (size_t steps = 0; new_parent != 0 && steps <= n; steps++) {
		if (new_parent == id)
			return false;
		int64_t up = -1;
		for (size_t i = 0; i < n; i++)
			if (nodes[i].id == new_parent)
				up = nodes[i].parent_id;
		if (up < 0)
			return false; /* a parent that does not exist */
		new_parent = up;
	}
	return new_parent == 0;
}
