/* The organisation in memory, at the version the store says (see cache.h for why it cannot go stale). */
#include "store/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/rows.h"
#include "util/log.h"

/* A snapshot with the arena that holds it and its references: one for being the current snapshot, one
 * for each arena it was handed to.  The last one gone frees it. */
typedef struct snap_box {
	org_snap s;
	arena *a;
	atomic_int refs;
} snap_box;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static snap_box *current; /* the newest snapshot a read transaction loaded */

/* What this thread's current read transaction has read: the versions, and the snapshot handed to an
 * arena (the arena holds its reference, so it lives as long as the memo may answer with it). */
static __thread struct memo {
	db *d;
	uint64_t serial; /* db_read_serial: the transaction it belongs to */
	int64_t org, auth;
	snap_box *box;
	arena *holder;
} memo;

static void box_release(void *p)
{
	snap_box *b = p;
	if (atomic_fetch_sub(&b->refs, 1) == 1)
		arena_free(b->a); /* b lives in it */
}

/* The versions for d's transaction: memoised in a read transaction, read again otherwise. */
static int versions(db *d, int64_t *org, int64_t *auth)
{
	uint64_t serial = db_read_serial(d);
	if (serial && memo.d == d && memo.serial == serial) {
		*org = memo.org;
		*auth = memo.auth;
		return 0;
	}
	db_stmt *st = db_prepare(d, "SELECT org, auth FROM cache_versions WHERE id = 1");
	if (!st)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*org = db_col_int(st, 0);
		*auth = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW) {
		log_error("cache: the store has no cache_versions row");
		return -1;
	}
	if (serial)
		memo = (struct memo){.d = d, .serial = serial, .org = *org, .auth = *auth};
	return 0;
}

int64_t cache_auth_version(db *d)
{
	int64_t org, auth;
	return versions(d, &org, &auth) ? -1 : auth;
}

/* ------------------------------------------------------------------ loading a snapshot */

typedef struct pair {
	int64_t uid, dept;
} pair;

static int pair_cmp(const void *x, const void *y)
{
	const pair *a = x, *b = y;
	return a->uid != b->uid ? (a->uid < b->uid ? -1 : 1) : a->dept != b->dept ? (a->dept < b->dept ? -1 : 1) : 0;
}

static int load_depts(db *d, arena *a, org_snap *s)
{
	department *depts = NULL;
	size_t n = 0, cap = 0;
	db_stmt *st = db_prepare(d, "SELECT id, name, parent_id, head_user_id FROM departments ORDER BY id");
	if (!st)
		return DB_ERROR;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		depts = rows_grow(a, depts, n, &cap, sizeof *depts);
		depts[n++] = (department){.id = db_col_int(st, 0), .name = col_str(a, st, 1),
					  .parent_id = col_opt_id(st, 2), .head_user_id = col_opt_id(st, 3)};
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	s->depts = depts;
	s->ndepts = n;
	if (!(st = db_prepare(d, "SELECT department_id, user_id FROM department_liaisons ORDER BY department_id, user_id")))
		return DB_ERROR;
	size_t lcap = 0;
	department *dp = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t dept = db_col_int(st, 0);
		if (!dp || dp->id != dept) {
			dp = (department *)org_snap_dept(s, dept);
			lcap = 0;
		}
		if (dp) {
			dp->liaisons = rows_grow(a, dp->liaisons, dp->nliaisons, &lcap, sizeof *dp->liaisons);
			dp->liaisons[dp->nliaisons++] = db_col_int(st, 1);
		}
	}
	db_done(st);
	return rc;
}

static int load_people(db *d, arena *a, org_snap *s)
{
	org_person *people = NULL;
	size_t n = 0, cap = 0;
	db_stmt *st = db_prepare(d, "SELECT id, name, department_id, is_admin, is_coordinator,"
				    " CASE clearance WHEN 'public' THEN 0 WHEN 'internal' THEN 1 WHEN 'confidential' THEN 2"
				    " ELSE 3 END, active FROM users ORDER BY id");
	if (!st)
		return DB_ERROR;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		people = rows_grow(a, people, n, &cap, sizeof *people);
		people[n++] = (org_person){.id = db_col_int(st, 0), .name = col_str(a, st, 1),
					   .department_id = col_opt_id(st, 2), .is_admin = db_col_int(st, 3) != 0,
					   .is_coordinator = db_col_int(st, 4) != 0, .clearance = (int)db_col_int(st, 5),
					   .active = db_col_int(st, 6) != 0};
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	s->people = people;
	s->npeople = n;
	/* The departments each person speaks for: (person, department) pairs of heads and liaisons. */
	size_t np = 0;
	for (size_t i = 0; i < s->ndepts; i++)
		np += (s->depts[i].head_user_id > 0) + s->depts[i].nliaisons;
	pair *pairs = malloc((np ? np : 1) * sizeof *pairs);
	if (!pairs)
		abort();
	np = 0;
	for (size_t i = 0; i < s->ndepts; i++) {
		const department *dp = &s->depts[i];
		if (dp->head_user_id > 0)
			pairs[np++] = (pair){dp->head_user_id, dp->id};
		for (size_t k = 0; k < dp->nliaisons; k++)
			pairs[np++] = (pair){dp->liaisons[k], dp->id};
	}
	qsort(pairs, np, sizeof *pairs, pair_cmp);
	for (size_t i = 0; i < np;) {
		size_t j = i;
		while (j < np && pairs[j].uid == pairs[i].uid)
			j++;
		org_person *p = (org_person *)org_snap_person(s, pairs[i].uid);
		if (p) {
			p->depts = arena_alloc(a, (j - i) * sizeof *p->depts);
			for (size_t k = i; k < j; k++)
				if (!p->ndepts || p->depts[p->ndepts - 1] != pairs[k].dept)
					p->depts[p->ndepts++] = pairs[k].dept;
		}
		i = j;
	}
	free(pairs);
	return DB_DONE;
}

static int load_deputies(db *d, arena *a, org_snap *s)
{
	org_deputy *g = NULL;
	size_t n = 0, cap = 0;
	db_stmt *st = db_prepare(d, "SELECT deputy_id, user_id, from_date, to_date FROM user_delegations"
				    " ORDER BY deputy_id, user_id");
	if (!st)
		return DB_ERROR;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		g = rows_grow(a, g, n, &cap, sizeof *g);
		g[n] = (org_deputy){.deputy_id = db_col_int(st, 0), .user_id = db_col_int(st, 1)};
		const char *from = db_col_text(st, 2), *to = db_col_text(st, 3);
		snprintf(g[n].from, sizeof g[n].from, "%s", from ? from : "");
		snprintf(g[n].to, sizeof g[n].to, "%s", to ? to : "");
		n++;
	}
	db_done(st);
	s->deputies = g;
	s->ndeputies = n;
	return rc;
}

static snap_box *load(db *d, int64_t version)
{
	arena *a = arena_new();
	snap_box *b = arena_alloc(a, sizeof *b);
	b->a = a;
	atomic_init(&b->refs, 1);
	b->s.version = version;
	if (load_depts(d, a, &b->s) != DB_DONE || load_people(d, a, &b->s) != DB_DONE ||
	    load_deputies(d, a, &b->s) != DB_DONE) {
		arena_free(a);
		return NULL;
	}
	return b;
}

/* Makes b the current snapshot when it is newer than the current one. */
static void publish(snap_box *b)
{
	snap_box *old = NULL;
	pthread_mutex_lock(&mu);
	if (!current || current->s.version < b->s.version) {
		old = current;
		atomic_fetch_add(&b->refs, 1);
		current = b;
	}
	pthread_mutex_unlock(&mu);
	if (old)
		box_release(old);
}

const org_snap *org_snapshot(db *d, arena *a)
{
	int64_t org, auth;
	if (versions(d, &org, &auth))
		return NULL;
	uint64_t serial = db_read_serial(d);
	bool memo_here = serial && memo.d == d && memo.serial == serial;
	if (memo_here && memo.box && memo.holder == a)
		return &memo.box->s;
	snap_box *b = NULL;
	pthread_mutex_lock(&mu);
	if (current && current->s.version == org) {
		b = current;
		atomic_fetch_add(&b->refs, 1);
	}
	pthread_mutex_unlock(&mu);
	if (!b) {
		if (!(b = load(d, org)))
			return NULL;
		/* Only a read transaction's load is shared: one snapshot for all its statements, and nothing a
		 * write transaction has not committed (outside a transaction the version and the rows are
		 * read by different statements, so they might not match). */
		if (serial)
			publish(b);
	}
	arena_defer(a, box_release, b);
	if (memo_here) {
		memo.box = b;
		memo.holder = a;
	}
	return &b->s;
}

const department *org_snap_dept(const org_snap *s, int64_t id)
{
	size_t lo = 0, hi = s->ndepts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->depts[mid].id == id)
			return &s->depts[mid];
		if (s->depts[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const org_person *org_snap_person(const org_snap *s, int64_t id)
{
	size_t lo = 0, hi = s->npeople;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->people[mid].id == id)
			return &s->people[mid];
		if (s->people[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool org_snap_speaks_for(const org_snap *s, int64_t dept, int64_t uid)
{
	const department *dp = org_snap_dept(s, dept);
	if (!dp)
		return false;
	if (dp->head_user_id == uid)
		return true;
	for (size_t i = 0; i < dp->nliaisons; i++)
		if (dp->liaisons[i] == uid)
			return true;
	return false;
}
