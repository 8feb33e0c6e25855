/* Operations on the organisation: departments (the tree, heads, liaisons) and users. */
#ifndef LIAISON_OPS_ORG_H
#define LIAISON_OPS_ORG_H
#include "domain/org.h"
#include "ops/ops.h"

/* A department's fields; `set` says which were given (DEPT_IN_*). */
typedef struct dept_in {
	unsigned set;
	const char *name;
	int64_t parent_id;     /* 0: the top */
	int64_t head_user_id;  /* 0: none */
} dept_in;
enum { DEPT_IN_NAME = 1, DEPT_IN_PARENT = 2, DEPT_IN_HEAD = 4 };

typedef struct liaisons_in {
	unsigned set;
	int64_t *user_ids;
	size_t n;
} liaisons_in;

/* Administrators: a new department under a parent, with an optional head.  *out is the department. */
int op_dept_create(op_ctx *c, const dept_in *in, department *out, lerr *e);
/* Administrators: rename, move (the tree stays a tree: 422 cycle) or change the head, at `version`. */
int op_dept_update(op_ctx *c, int64_t id, int64_t version, const dept_in *in, department *out, lerr *e);
/* Administrators and the department's head: replace its liaisons (members of the department). */
int op_dept_set_liaisons(op_ctx *c, int64_t id, int64_t version, const liaisons_in *in, department *out, lerr *e);
/* Administrators: delete a department without sub-departments or members, at `version`. */
int op_dept_delete(op_ctx *c, int64_t id, int64_t version, lerr *e);

/* A user's fields; `set` says which were given (USER_IN_*). */
typedef struct user_in {
	unsigned set;
	const char *login, *name, *email;
	int64_t department_id;
	const char *password;          /* plain text, hashed by the operation */
	bool is_admin, is_coordinator;
	int clearance;                 /* enum clearance; -1 when given as null */
	bool active;
	const char *current_password;  /* people changing their own password prove they know it */
	const char *password_hash;     /* an argon2id hash computed by the caller (the demo company) */
} user_in;
enum {
	USER_IN_LOGIN = 1 << 0,
	USER_IN_NAME = 1 << 1,
	USER_IN_EMAIL = 1 << 2,
	USER_IN_DEPARTMENT = 1 << 3,
	USER_IN_PASSWORD = 1 << 4,
	USER_IN_ADMIN = 1 << 5,
	USER_IN_COORDINATOR = 1 << 6,
	USER_IN_CLEARANCE = 1 << 7,
	USER_IN_ACTIVE = 1 << 8,
	USER_IN_CURRENT_PASSWORD = 1 << 9,
	USER_IN_PASSWORD_HASH = 1 << 10,
};

/* Administrators: a new user. */
int op_user_create(op_ctx *c, const user_in *in, user *out, lerr *e);
/* Administrators change every field; people their own name, e-mail and password.  Moving or
 * deactivating someone ends their liaison roles; deactivation or a reset by someone else ends their
 * sessions, a change of one's own password their other sessions. */
int op_user_update(op_ctx *c, int64_t id, int64_t version, const user_in *in, user *out, lerr *e);

/* Administrators: changes an organisation-wide setting (the caller has checked the value). */
int op_setting_set(op_ctx *c, const char *key, const char *value, lerr *e);

/* 代理人: the caller's deputy while away. */
typedef struct delegation_in {
	unsigned set; /* jsonv_decode's presence bits */
	int64_t deputy_id;
	const char *from, *to; /* YYYY-MM-DD, inclusive */
} delegation_in;
/* Sets or replaces the caller's delegation (422 for oneself, someone unknown or inactive, bad dates). */
int op_delegation_set(op_ctx *c, const delegation_in *in, delegation *out, lerr *e);
/* The caller's delegation (404 when none). */
int op_delegation_get(op_ctx *c, delegation *out, lerr *e);
/* Ends it (404 when none). */
int op_delegation_delete(op_ctx *c, lerr *e);
/* Today's date in the organisation's time zone, YYYY-MM-DD (the day delegations are active on). */
void op_today(char out[11]);

#endif
