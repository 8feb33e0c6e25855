/* Departments, users and department liaisons in the store.  Reads answer JSON objects in the API's
 * shape (the caller owns them); writes expect a transaction opened by the caller (see audit_commit). */
#ifndef LIAISON_STORE_ORG_H
#define LIAISON_STORE_ORG_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* --- departments --- */
json_t *org_dept_get(db *d, int64_t id);                 /* NULL when absent */
/* Departments with id > after, in id order, at most limit; *next is the last id when more remain. */
json_t *org_dept_list(db *d, int64_t after, int limit, int64_t *next);
int64_t org_dept_find_by_name(db *d, const char *name, int64_t parent_id); /* 0 when absent; parent 0 = top */
/* Fills chain with id and its ancestors (id first), at most max; returns how many. */
size_t org_dept_chain(db *d, int64_t id, int64_t *chain, size_t max);
int org_dept_insert(db *d, const char *name, int64_t parent_id, int64_t head_user_id, int64_t *id);
/* Updates the row when its version is `version`; DB_DONE, or 1 when the version did not match. */
int org_dept_update(db *d, int64_t id, int64_t version, const char *name, int64_t parent_id, int64_t head_user_id);
int org_dept_set_liaisons(db *d, int64_t id, int64_t version, const int64_t *user_ids, size_t n);
int org_dept_delete(db *d, int64_t id);
int64_t org_dept_child_count(db *d, int64_t id);
int64_t org_dept_member_count(db *d, int64_t id);

/* The name of a department or user into a new JSON string, or JSON null when absent. */
json_t *org_dept_name(db *d, int64_t id);
json_t *org_user_name(db *d, int64_t id);

/* --- users --- */
json_t *org_user_get(db *d, int64_t id);                 /* NULL when absent; never the password hash */
int64_t org_user_find_login(db *d, const char *login);   /* 0 when absent */
/* Users matching the filters (department 0 = any, q NULL = any), in id order after `after`. */
json_t *org_user_list(db *d, int64_t department_id, const char *q, int64_t after, int limit, int64_t *next);
int org_user_insert(db *d, const char *login, const char *name, const char *email, int64_t department_id,
		    const char *password_hash, bool is_admin, bool is_coordinator, const char *clearance, int64_t *id);
/* Writes every column from `u` (a user object as org_user_get answers it) when the version matches.
 * password_hash NULL keeps the current one.  DB_DONE, or 1 when the version did not match. */
int org_user_update(db *d, int64_t id, int64_t version, json_t *u, const char *password_hash);
/* The stored hash of an active user with this login, and the id; NULL when none. Caller frees. */
char *org_user_password_hash(db *d, const char *login, int64_t *id);
char *org_user_password_hash_by_id(db *d, int64_t id);
int64_t org_user_count(db *d);
/* Ends the user's liaison roles in every department but keep_department (0: all). */
int org_user_drop_liaisons(db *d, int64_t user, int64_t keep_department);

#endif
