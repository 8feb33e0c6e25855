/* Rules of the organisation: names, logins, clearances, the department tree, passwords, sign-in throttling. */
#ifndef LIAISON_DOMAIN_ORG_H
#define LIAISON_DOMAIN_ORG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/record.h"

/* Confidentiality levels, ordered: a clearance reaches every level at or below it. */
enum clearance { CLEAR_PUBLIC = 0, CLEAR_INTERNAL = 1, CLEAR_CONFIDENTIAL = 2, CLEAR_SECRET = 3 };

extern const char *const clearance_names[]; /* NULL-terminated, index = enum clearance */

/* A department of the organisation tree, as stored.  Arrays and strings belong to whoever loaded it. */
typedef struct department {
	int64_t id;
	const char *name;
	int64_t parent_id;     /* 0 for the top */
	int64_t head_user_id;  /* 0 when none (部门负责人) */
	int64_t *liaisons;     /* 部门联络人, ascending ids */
	size_t nliaisons;
	int64_t version, created_at, updated_at;
} department;
extern const rdesc department_desc;

/* A person.  The password hash never leaves the store. */
typedef struct user {
	int64_t id;
	const char *login, *name, *email;
	int64_t department_id; /* 0 when none */
	bool is_admin, is_coordinator, active;
	int clearance;         /* enum clearance */
	int64_t version, created_at, updated_at;
	bool password_changed; /* set by an operation that changed it, for the audit trail only */
} user;
extern const rdesc user_desc;

/* An organisation-wide setting (the time zone, ...). */
typedef struct setting {
	const char *key, *value;
} setting;
extern const rdesc setting_desc;

/* A person's deputy while away (代理人): from..to inclusive, local dates "YYYY-MM-DD".  While it is active,
 * the steps that wait on the person wait on the deputy as well — for what the deputy may see. */
typedef struct delegation {
	int64_t user_id, deputy_id;
	const char *deputy_name;
	const char *from, *to;
	bool active;           /* today is within from..to */
	int64_t created_at;
} delegation;
extern const rdesc delegation_desc;
/* The dates of a delegation: real dates, from <= to, and to not before today (days since 1970). */
int dlg_check_dates(const char *from, const char *to, int64_t today, lerr *e);

/* Parses "public|internal|confidential|secret"; -1 when unknown. */
int clearance_parse(const char *s);
const char *clearance_name(int level);

enum {
	ORG_NAME_MAX = 100,     /* characters in a department name */
	USER_NAME_MAX = 100,    /* characters in a person's name */
	USER_LOGIN_MIN = 2,
	USER_LOGIN_MAX = 64,
	USER_EMAIL_MAX = 254,
	PASSWORD_MIN = 8,
	PASSWORD_MAX = 256,
};

/* A shown name: 1..max characters after trimming, no control characters. `field` names it in e. */
int org_check_name(const char *s, size_t max, const char *field, lerr *e);
/* A login: USER_LOGIN_MIN..MAX characters of a-z 0-9 . _ - starting with a letter or digit. */
int org_check_login(const char *s, lerr *e);
/* An e-mail address: empty, or local@domain with a dot in the domain and no spaces. */
int org_check_email(const char *s, lerr *e);
int org_check_password(const char *s, lerr *e);

/* Whether moving department `dept` under `new_parent` keeps the tree a tree.  `chain` lists
 * new_parent and its ancestors up to the root (new_parent first).  Fails with 422 "cycle". */
int org_check_parent(int64_t dept, int64_t new_parent, const int64_t *chain, size_t n, lerr *e);

/* Sign-in throttling over a fixed window.  Given the failures so far (count since first_at), says
 * whether another attempt is allowed at `now`; when not, fills *retry_after_s.  Used per address: at
 * most THROTTLE_ADDR_LIMIT failed sign-ins, whatever the logins, from one address in the window. */
enum { THROTTLE_ADDR_LIMIT = 20 };
#define THROTTLE_WINDOW_MS (15 * 60 * 1000LL)
bool throttle_allows(int64_t count, int64_t first_at, int64_t now, int64_t limit, int64_t window_ms,
		     int *retry_after_s);

/* Sign-in throttling per (login, address): never a lock, a growing wait.  The first
 * THROTTLE_FREE_FAILURES failures in a row cost nothing; after that each attempt must wait
 * throttle_delay_ms(failures) after the last one: 1 s, doubling with each failure, at most
 * THROTTLE_DELAY_MAX_MS.  A success, or THROTTLE_FORGET_MS without an attempt, starts again from 0.
 * Only that login from that address waits: the owner signs in from anywhere else at once. */
enum { THROTTLE_FREE_FAILURES = 3 };
#define THROTTLE_DELAY_FIRST_MS 1000LL
#define THROTTLE_DELAY_MAX_MS (5 * 60 * 1000LL)
#define THROTTLE_FORGET_MS (24 * 3600 * 1000LL)
int64_t throttle_delay_ms(int64_t failures);
/* Whether an attempt is allowed at now after `failures` in a row, the last at last_at; when not, fills
 * *retry_after_s (>= 1).  Failures older than THROTTLE_FORGET_MS count as none. */
bool throttle_pair_allows(int64_t failures, int64_t last_at, int64_t now, int *retry_after_s);
/* The failures that still count at now: 0 once THROTTLE_FORGET_MS have passed since the last. */
int64_t throttle_pair_failures(int64_t failures, int64_t last_at, int64_t now);

#endif
