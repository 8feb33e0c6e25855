/* The work breakdown structure (WBS, stage 2): a project's tasks as a tree, numbered 1, 1.2, 1.2.3 by their
 * place — a task's code is its parent's code, a dot, and its rank among its siblings.  Codes are derived,
 * never stored by hand: an insert, a move or a delete numbers the tree again (wbs_number), so they are
 * always right.  Pure functions over plain arrays.
 *
 * WBS-1 every task has exactly one code, and no two tasks share one; WBS-2 siblings are numbered 1..k in
 * the order of their position (then id); WBS-3 a task is never moved under itself or a task below it. */
#ifndef LIAISON_DOMAIN_WBS_H
#define LIAISON_DOMAIN_WBS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wbs_node {
	int64_t id;
	int64_t parent_id; /* 0: at the top */
	int64_t position;  /* order among its siblings (ties: by id) */
} wbs_node;

enum { WBS_CODE_MAX = 64 }; /* bytes of a code, its NUL included: a tree 20 levels deep */

/* Numbers nodes[0..n) (any order): codes[i] (WBS_CODE_MAX bytes each) is the code of nodes[i].  Answers
 * 0; or -1 when a parent is missing, the parents form a loop, or a code would not fit. */
int wbs_number(const wbs_node *nodes, size_t n, char (*codes)[WBS_CODE_MAX]);
/* WBS-3: whether moving task `id` under `new_parent` (0: the top) keeps the tree a tree. */
bool wbs_move_ok(const wbs_node *nodes, size_t n, int64_t id, int64_t new_parent);

#endif
