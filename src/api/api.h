/* Operations on resources, shared by the HTTP handlers and the command line: each validates its JSON
 * input, applies the rules of src/domain, writes through src/store and records the audit event, all
 * inside the caller's transaction (tx_begin ... tx_end). */
#ifndef LIAISON_API_API_H
#define LIAISON_API_API_H
#include <jansson.h>
#include <stdint.h>

#include "store/auth.h"
#include "store/db.h"
#include "util/err.h"

/* Opens a write transaction; LERR_INTERNAL when the store is busy past its timeout. */
int tx_begin(db *d, lerr *e);
/* Commits when rc == 0, else rolls back; returns rc, or LERR_INTERNAL when the commit failed. */
int tx_end(db *d, int rc, lerr *e);

/* The principal the command line acts as: an administrator with no user id. */
extern const principal cli_principal;

/* --- departments (src/api/departments.c); *out is a new department object the caller owns --- */
int dept_create(db *d, const principal *who, json_t *in, json_t **out, lerr *e);
int dept_update(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e);
int dept_set_liaisons(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e);
int dept_delete(db *d, const principal *who, int64_t id, int64_t version, lerr *e);

/* --- users (src/api/users.c) --- */
int user_create(db *d, const principal *who, json_t *in, json_t **out, lerr *e);
int user_update(db *d, const principal *who, int64_t id, int64_t version, json_t *in, json_t **out, lerr *e);

#endif
