/* WBS codes (domain/wbs.h): numbering by place, renumbering after a move, loops and missing parents
 * refused, WBS-3 on moves, and WBS-1/WBS-2 on random trees. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/wbs.h"

static char codes[256][WBS_CODE_MAX];

Test(wbs, codes_follow_the_tree_and_the_order_of_siblings)
{
	/* 1 设计 (2: 原型, 3: 评审), 4 开发 (5: 接口) — given out of order, positions not dense */
	wbs_node t[] = {{5, 4, 7}, {3, 1, 20}, {1, 0, 1}, {2, 1, 10}, {4, 0, 2}};
	cr_assert_eq(wbs_number(t, 5, codes), 0);
	cr_assert_str_eq(codes[2], "1");
	cr_assert_str_eq(codes[3], "1.1");
	cr_assert_str_eq(codes[1], "1.2");
	cr_assert_str_eq(codes[4], "2");
	cr_assert_str_eq(codes[0], "2.1");
	t[1].position = 5; /* 评审 before 原型 */
	t[0].parent_id = 1; /* 接口 moved under 设计, last */
	t[0].position = 99;
	cr_assert_eq(wbs_number(t, 5, codes), 0);
	cr_assert_str_eq(codes[1], "1.1");
	cr_assert_str_eq(codes[3], "1.2");
	cr_assert_str_eq(codes[0], "1.3");
	cr_assert_str_eq(codes[4], "2");
}

Test(wbs, ties_in_position_go_by_id)
{
	wbs_node t[] = {{9, 0, 1}, {3, 0, 1}};
	cr_assert_eq(wbs_number(t, 2, codes), 0);
	cr_assert_str_eq(codes[1], "1");
	cr_assert_str_eq(codes[0], "2");
}

Test(wbs, loops_and_missing_parents_are_refused)
{
	wbs_node loop[] = {{1, 2, 1}, {2, 1, 1}};
	cr_assert_eq(wbs_number(loop, 2, codes), -1);
	wbs_node orphan[] = {{1, 0, 1}, {2, 7, 1}};
	cr_assert_eq(wbs_number(orphan, 2, codes), -1);
	wbs_node deep[40]; /* "1.1. ... .1", 79 bytes */
	for (int i = 0; i < 40; i++)
		deep[i] = (wbs_node){i + 1, i, 1};
	cr_assert_eq(wbs_number(deep, 32, codes), 0, "32 levels fit");
	cr_assert_eq(wbs_number(deep, 40, codes), -1, "40 levels do not");
	cr_assert_eq(wbs_number(NULL, 0, codes), 0);
}

Test(wbs, a_task_never_moves_under_itself_or_below_itself)
{
	wbs_node t[] = {{1, 0, 1}, {2, 1, 1}, {3, 2, 1}, {4, 0, 2}};
	cr_assert_not(wbs_move_ok(t, 4, 1, 1));
	cr_assert_not(wbs_move_ok(t, 4, 1, 3), "under its grandchild");
	cr_assert(wbs_move_ok(t, 4, 3, 4));
	cr_assert(wbs_move_ok(t, 4, 2, 0), "to the top");
	cr_assert_not(wbs_move_ok(t, 4, 2, 42), "under a task that does not exist");
}

Test(wbs, random_trees_get_one_code_each_and_siblings_count_from_one)
{
	srand(7);
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + (size_t)(rand() % 200);
		wbs_node t[200];
		for (size_t i = 0; i < n; i++) /* a parent among the tasks made before: a tree */
			t[i] = (wbs_node){(int64_t)i + 1, i && rand() % 4 ? 1 + rand() % (int)i : 0, rand() % 5};
		for (size_t i = n; i > 1; i--) { /* in any order */
			size_t j = (size_t)rand() % i;
			wbs_node x = t[i - 1];
			t[i - 1] = t[j];
			t[j] = x;
		}
		cr_assert_eq(wbs_number(t, n, codes), 0);
		for (size_t i = 0; i < n; i++) {
			for (size_t j = i + 1; j < n; j++)
				cr_assert_str_neq(codes[i], codes[j], "WBS-1, round %d", round);
			const char *dot = strrchr(codes[i], '.');
			int rank = atoi(dot ? dot + 1 : codes[i]);
			int before = 0;
			for (size_t j = 0; j < n; j++)
				before += t[j].parent_id == t[i].parent_id &&
					  (t[j].position < t[i].position || (t[j].position == t[i].position && t[j].id < t[i].id));
			cr_assert_eq(rank, before + 1, "WBS-2, round %d", round);
			for (size_t j = 0; j < n; j++) /* a child's code starts with its parent's */
				if (t[j].id == t[i].parent_id)
					cr_assert(strncmp(codes[i], codes[j], strlen(codes[j])) == 0 && codes[i][strlen(codes[j])] == '.');
		}
	}
}
