/* Departments, users and department liaisons in the store, as the records of src/domain/org.h.
 * Loads fill records whose strings and arrays live in the caller's arena; writes expect the caller's
 * transaction.  Functions answering an int answer DB_ROW (found) / DB_DONE (absent or written), 1 when
 * a versioned write found another version, or a negative DB_* error. */
#ifndef LIAISON_STORE_ORG_H
#define LIAISON_STORE_ORG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/org.h"
#include "store/db.h"
#include "util/arena.h"

/* --- departments --- */
int org_dept_load(db *d, arena *a, int64_t id, department *out);
/* Departments with id > after, in id order, at most limit (liaisons loaded in one more statement);
 * *next is the last id when more remain, else 0. */
int org_dept_list(db *d, arena *a, int64_t after, int limit, department **items, size_t *n, int64_t *next);
bool org_dept_exists(db *d, int64_t id);
int64_t org_dept_find_by_name(db *d, const char *name, int64_t parent_id); /* 0 when absent; parent 0 = top */
/* Departments of that name anywhere: how many (0, 1, or 2 meaning "several"), and the first in *id. */
int org_dept_count_by_name(db *d, const char *name, int64_t *id);
/* Fills chain with id and its ancestors (id first), at most max; returns how many. */
size_t org_dept_chain(db *d, int64_t id, int64_t *chain, size_t max);
int org_dept_insert(db *d, const department *dp, int64_t *id);
/* Writes name, parent and head when dp->version is current (the check is in the UPDATE). */
int org_dept_update(db *d, const department *dp);
int org_dept_set_liaisons(db *d, int64_t id, int64_t version, const int64_t *user_ids, size_t n);
/* Deletes the department when `version` is current (1 when stale). */
int org_dept_delete(db *d, int64_t id, int64_t version);
/* Keeps the department tree from changing under the caller's transaction (before checking a move). */
int org_tree_lock(db *d);
int64_t org_dept_child_count(db *d, int64_t id);
int64_t org_dept_member_count(db *d, int64_t id);

/* The reads below answer from the organisation in memory (store/cache.h): no statement of their own
 * beyond reading the organisation's version once per read transaction.  What they hand out is read-only
 * and lives as long as the arena. */
/* Every department (id, name, parent, head, liaisons), in id order: for walks and names. */
int org_dept_all(db *d, arena *a, const department **items, size_t *n);
/* Fills the liaisons of items[0..n) (by their ids; read-only arrays). */
int org_dept_liaisons(db *d, arena *a, department *items, size_t n);
/* The department of `id` in a list from org_dept_all (binary search); NULL when absent. */
const department *org_dept_find(const department *items, size_t n, int64_t id);
/* Departments the user heads or is a liaison of, ascending. */
int org_user_departments(db *d, arena *a, int64_t uid, const int64_t **out, size_t *n);
/* Names of users ids[0..n), in the same order (NULL for an unknown id). */
int org_user_names(db *d, arena *a, const int64_t *ids, size_t n, const char ***names);

/* Names for display; NULL when absent. */
const char *org_dept_name(db *d, arena *a, int64_t id);
const char *org_user_name(db *d, arena *a, int64_t id);

/* --- users --- */
int org_user_load(db *d, arena *a, int64_t id, user *out);
int64_t org_user_find_login(db *d, const char *login);   /* 0 when absent */
/* Users matching the filters (department 0 = any, q NULL = any), in id order after `after`. */
int org_user_list(db *d, arena *a, int64_t department_id, const char *q, int64_t after, int limit, user **items,
		  size_t *n, int64_t *next);
int org_user_insert(db *d, const user *u, const char *password_hash, int64_t *id);
/* Writes every column of u when u->version is current; password_hash NULL keeps the current one. */
int org_user_update(db *d, const user *u, const char *password_hash);
/* The stored hash of an active user with this login, and the id; NULL when none. Caller frees. */
char *org_user_password_hash(db *d, const char *login, int64_t *id);
char *org_user_password_hash_by_id(db *d, int64_t id);
int64_t org_user_count(db *d);
/* Ends the user's liaison roles in every department but keep_department (0: all). */
int org_user_drop_liaisons(db *d, int64_t user, int64_t keep_department);

/* 代理人: a person's delegation (DB_ROW, or DB_DONE when none; `active` against `today`, YYYY-MM-DD), set or
 * replaced, removed (1 when there was none); who delegated to `deputy` for today; a person's deputy today
 * (0 when none). */
int org_delegation_get(db *d, arena *a, int64_t uid, const char *today, delegation *out);
int org_delegation_put(db *d, const delegation *g);
int org_delegation_delete(db *d, int64_t uid);
int org_delegators(db *d, arena *a, int64_t deputy, const char *today, int64_t **out, size_t *n);
int64_t org_deputy_of(db *d, arena *a, int64_t uid, const char *today);

/* department_heads holds, for each department head, the departments they head and every one below them:
 * the visibility predicate (store/visibility.h) looks a head up there by key.  It is derived from
 * departments; migration 7 fills it and every change of a department here rebuilds it in the same
 * transaction.  This fills it from the tree. */
#define DEPT_HEADS_FILL                                                                                 \
	"INSERT INTO department_heads(user_id, department_id)"                                          \
	" WITH RECURSIVE below(head, id) AS ("                                                          \
	"  SELECT head_user_id, id FROM departments WHERE head_user_id IS NOT NULL"                     \
	"  UNION SELECT b.head, d.id FROM departments d JOIN below b ON d.parent_id = b.id)"            \
	" SELECT head, id FROM below;"

#endif
