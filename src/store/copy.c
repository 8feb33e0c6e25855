/* Copying a whole SQLite store into an empty PostgreSQL database, and proving the copy (store/copy.h). */
#include "store/copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrate.h"
#include "util/log.h"

enum { MAX_TABLES = 128, MAX_COLS = 64 };

typedef struct table {
	char name[64];
	char cols[MAX_COLS][64];
	int ncols;
	bool pk[MAX_COLS];     /* part of the primary key (SQLite) */
	int self_fk[MAX_COLS]; /* 1: a key to the same table that PostgreSQL checks at once: copied NULL, then set */
	bool has_id;           /* an "id" column: its identity sequence is moved past the copied ids */
	int64_t rows;
} table;

/* A name from a catalogue, for SQL: only letters, digits and '_' (every name of our schema). */
static bool plain_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* The tables of a SQLite store, but SQLite's own and the FTS5 search tables (PostgreSQL searches its own
 * way), with their columns. */
static int source_tables(db *from, table *t, int *n, lerr *e)
{
	*n = 0;
	db_stmt *st = db_prepare(from, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
				       " AND name NOT LIKE 'requests_fts%' ORDER BY name");
	if (!st)
		return lerr_set(e, LERR_INTERNAL, "copy", "from", "cannot read the tables of the source store");
	while (db_step(st) == DB_ROW && *n < MAX_TABLES) {
		const char *name = db_col_text(st, 0);
		if (!plain_name(name) || strlen(name) >= sizeof t->name) {
			db_done(st);
			return lerr_set(e, LERR_INTERNAL, "copy", "from", "the source store has a table named '%s'", name);
		}
		memset(&t[*n], 0, sizeof *t);
		snprintf(t[*n].name, sizeof t[*n].name, "%s", name);
		(*n)++;
	}
	db_done(st);
	for (int i = 0; i < *n; i++) {
		if (!(st = db_prepare(from, "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid")))
			return lerr_set(e, LERR_INTERNAL, "copy", "from", "cannot read the columns of %s", t[i].name);
		db_bind_text(st, 1, t[i].name);
		while (db_step(st) == DB_ROW && t[i].ncols < MAX_COLS) {
			const char *c = db_col_text(st, 0);
			if (!plain_name(c) || strlen(c) >= sizeof t[i].cols[0]) {
				db_done(st);
				return lerr_set(e, LERR_INTERNAL, "copy", "from", "%s has a column named '%s'", t[i].name, c);
			}
			snprintf(t[i].cols[t[i].ncols], sizeof t[i].cols[0], "%s", c);
			t[i].pk[t[i].ncols] = db_col_int(st, 1) > 0;
			t[i].has_id |= strcmp(c, "id") == 0;
			t[i].ncols++;
		}
		db_done(st);
	}
	return 0;
}

/* The order to fill the tables in: a table after every table its keys point to, counting the keys
 * PostgreSQL checks at once (a deferrable key — the department's head — is checked at the commit). Keys to
 * the same table are copied NULL and set once the table is full (self_fk). */
static int fill_order(db *to, table *t, int n, int *order, lerr *e)
{
	bool dep[MAX_TABLES][MAX_TABLES];
	memset(dep, 0, sizeof dep);
	db_stmt *st = db_prepare(to, "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text, a.attname"
				     " FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
				     " WHERE c.contype = 'f' AND NOT c.condeferrable");
	if (!st)
		return lerr_set(e, LERR_INTERNAL, "copy", "to", "cannot read the keys of the new schema");
	while (db_step(st) == DB_ROW) {
		int a = -1, b = -1;
		for (int i = 0; i < n; i++) {
			if (strcmp(t[i].name, db_col_text(st, 0)) == 0)
				a = i;
			if (strcmp(t[i].name, db_col_text(st, 1)) == 0)
				b = i;
		}
		if (a < 0 || b < 0)
			continue;
		if (a != b) {
			dep[a][b] = true;
			continue;
		}
		for (int k = 0; k < t[a].ncols; k++)
			if (strcmp(t[a].cols[k], db_col_text(st, 2)) == 0)
				t[a].self_fk[k] = 1;
	}
	db_done(st);
	bool placed[MAX_TABLES] = {false};
	for (int m = 0; m < n; m++) {
		int pick = -1;
		for (int i = 0; i < n && pick < 0; i++) {
			if (placed[i])
				continue;
			bool ready = true;
			for (int j = 0; j < n; j++)
				ready &= !dep[i][j] || placed[j];
			if (ready)
				pick = i;
		}
		if (pick < 0)
			return lerr_set(e, LERR_INTERNAL, "copy", "to", "the tables' keys form a circle PostgreSQL checks at once");
		placed[pick] = true;
		order[m] = pick;
	}
	return 0;
}

/* "a, b, c" of t's columns. */
static void col_list(const table *t, char *out, size_t cap)
{
	size_t k = 0;
	out[0] = 0;
	for (int i = 0; i < t->ncols && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? ", " : "", t->cols[i]);
}

/* The rows of t in a fixed order (its primary key, else every column), for copying and for checksums. */
static db_stmt *rows_of(db *d, const table *t)
{
	char cols[4096], keys[4096], sql[9000];
	col_list(t, cols, sizeof cols);
	size_t k = 0;
	keys[0] = 0;
	for (int i = 0; i < t->ncols; i++)
		if (t->pk[i])
			k += (size_t)snprintf(keys + k, sizeof keys - k, "%s%s", k ? ", " : "", t->cols[i]);
	snprintf(sql, sizeof sql, "SELECT %s FROM %s ORDER BY %s", cols, t->name, k ? keys : cols);
	return db_prepare_uncached(d, sql);
}

static int copy_table(db *from, db *to, table *t, store_progress_fn progress, void *ctx, lerr *e)
{
	char cols[4096], sql[9000];
	col_list(t, cols, sizeof cols);
	snprintf(sql, sizeof sql, "DELETE FROM %s", t->name); /* what the migrations put there (settings, ...) */
	if (db_exec(to, sql))
		return lerr_set(e, LERR_INTERNAL, "copy", "to", "cannot empty %s: %s", t->name, db_errmsg(to));
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", t->name);
	int64_t total = db_one_int(db_prepare_uncached(from, sql), 0);
	size_t k = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (", t->name, cols);
	for (int i = 0; i < t->ncols; i++)
		k += (size_t)snprintf(sql + k, sizeof sql - k, "%s?", i ? ", " : "");
	snprintf(sql + k, sizeof sql - k, ")");
	db_stmt *ins = db_prepare_uncached(to, sql), *src = rows_of(from, t);
	if (!ins || !src) {
		db_done(ins);
		db_done(src);
		return lerr_set(e, LERR_INTERNAL, "copy", NULL, "cannot copy %s", t->name);
	}
	int rc;
	t->rows = 0;
	while ((rc = db_step(src)) == DB_ROW) {
		for (int i = 0; i < t->ncols; i++)
			db_bind_text(ins, i + 1, t->self_fk[i] ? NULL : db_col_text(src, i));
		if (db_step(ins) != DB_DONE) {
			db_done(ins);
			db_done(src);
			return lerr_set(e, LERR_INTERNAL, "copy", "to", "row %lld of %s: %s", (long long)t->rows + 1, t->name,
					db_errmsg(to));
		}
		db_reset(ins);
		if (++t->rows % 500 == 0 && progress)
			progress(ctx, t->name, t->rows, total);
	}
	db_done(ins);
	db_done(src);
	if (rc != DB_DONE)
		return lerr_set(e, LERR_INTERNAL, "copy", "from", "cannot read %s", t->name);
	if (progress)
		progress(ctx, t->name, t->rows, total);
	return 0;
}

/* The keys to the same table, copied NULL: set now that every row is there. */
static int set_self_keys(db *from, db *to, const table *t, lerr *e)
{
	for (int c = 0; c < t->ncols; c++) {
		if (!t->self_fk[c])
			continue;
		char sql[512];
		snprintf(sql, sizeof sql, "SELECT id, %s FROM %s WHERE %s IS NOT NULL", t->cols[c], t->name, t->cols[c]);
		db_stmt *src = db_prepare_uncached(from, sql);
		snprintf(sql, sizeof sql, "UPDATE %s SET %s = ? WHERE id = ?", t->name, t->cols[c]);
		db_stmt *up = db_prepare_uncached(to, sql);
		int rc = src && up ? DB_ROW : DB_ERROR;
		while (rc == DB_ROW && (rc = db_step(src)) == DB_ROW) {
			db_bind_text(up, 1, db_col_text(src, 1));
			db_bind_text(up, 2, db_col_text(src, 0));
			if (db_step(up) != DB_DONE)
				rc = DB_ERROR;
			db_reset(up);
		}
		db_done(src);
		db_done(up);
		if (rc != DB_DONE)
			return lerr_set(e, LERR_INTERNAL, "copy", "to", "cannot set %s.%s: %s", t->name, t->cols[c], db_errmsg(to));
	}
	return 0;
}

/* A checksum of t's rows in the fixed order: FNV-1a over each value's text, NULL and the row ends marked. */
static int checksum(db *d, const table *t, uint64_t *sum, int64_t *rows)
{
	db_stmt *st = rows_of(d, t);
	if (!st)
		return -1;
	uint64_t h = 0xcbf29ce484222325ull;
	*rows = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		for (int i = 0; i < t->ncols; i++) {
			const char *v = db_col_null(st, i) ? "\x01NULL" : db_col_text(st, i);
			for (const char *p = v; *p; p++)
				h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
			h = (h ^ 0x1f) * 0x100000001b3ull; /* the end of a value */
		}
		h = (h ^ 0x1e) * 0x100000001b3ull; /* the end of a row */
		(*rows)++;
	}
	db_done(st);
	*sum = h;
	return rc == DB_DONE ? 0 : -1;
}

/* After a failed copy: the tables and functions the migrations made in the target, which was empty, are
 * dropped again, so that it is empty for the next try. */
static void undo_schema(db *to)
{
	db_stmt *st = db_prepare(to, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
	char sql[8192] = "DROP TABLE IF EXISTS ";
	size_t k = strlen(sql);
	bool any = false;
	while (st && db_step(st) == DB_ROW)
		if (plain_name(db_col_text(st, 0)) && k + 80 < sizeof sql) {
			k += (size_t)snprintf(sql + k, sizeof sql - k, "%s%.63s", any ? ", " : "", db_col_text(st, 0));
			any = true;
		}
	db_done(st);
	if (any) {
		snprintf(sql + k, sizeof sql - k, " CASCADE");
		db_exec(to, sql);
	}
	db_exec(to, "DROP FUNCTION IF EXISTS liaison_bump_org(), liaison_bump_auth()");
}

int store_copy(db *from, db *to, store_progress_fn progress, void *ctx, store_verified *out, size_t *nout, lerr *e)
{
	*nout = 0;
	if (db_dialect_of(from) != DB_SQLITE || db_dialect_of(to) != DB_POSTGRES)
		return lerr_set(e, LERR_BAD_REQUEST, "bad_argument", NULL,
				"migrate-store copies a SQLite store (--from PATH) into PostgreSQL (--to postgres://...)");
	int64_t there = db_one_int(db_prepare(to, "SELECT count(*) FROM information_schema.tables"
						  " WHERE table_schema = current_schema()"), -1);
	if (there < 0)
		return lerr_set(e, LERR_INTERNAL, "copy", "to", "cannot read the target database: %s", db_errmsg(to));
	if (there > 0)
		return lerr_set(e, LERR_CONFLICT, "not_empty", "to",
				"the target database is not empty (it has %lld tables): migrate-store copies into an empty"
				" database only", (long long)there);
	static table t[MAX_TABLES];
	int n, order[MAX_TABLES];
	int rc = db_migrate(from, e) || source_tables(from, t, &n, e);
	if (rc)
		return e->kind ? e->kind : LERR_INTERNAL;
	if (db_migrate(to, e)) {
		undo_schema(to);
		return e->kind ? e->kind : LERR_INTERNAL;
	}
	if (db_begin_read(from) || db_begin(to)) {
		db_rollback(from);
		undo_schema(to);
		return lerr_set(e, LERR_INTERNAL, "copy", NULL, "cannot start the copy: %s", db_errmsg(to));
	}
	rc = fill_order(to, t, n, order, e);
	for (int m = 0; !rc && m < n; m++)
		rc = copy_table(from, to, &t[order[m]], progress, ctx, e);
	for (int m = 0; !rc && m < n; m++)
		rc = set_self_keys(from, to, &t[order[m]], e);
	/* What the store's own triggers write as the rows above went in (cache_versions): copied again, last. */
	for (int i = 0; !rc && i < n; i++)
		if (strcmp(t[i].name, "cache_versions") == 0)
			rc = copy_table(from, to, &t[i], NULL, NULL, e);
	for (int i = 0; !rc && i < n; i++) {
		if (!t[i].has_id)
			continue;
		char sql[768];
		snprintf(sql, sizeof sql,
			 "SELECT setval(pg_get_serial_sequence('%.63s', 'id'), coalesce((SELECT max(id) FROM %.63s), 0) + 1, false)"
			 " WHERE pg_get_serial_sequence('%.63s', 'id') IS NOT NULL",
			 t[i].name, t[i].name, t[i].name);
		if (db_exec(to, sql))
			rc = lerr_set(e, LERR_INTERNAL, "copy", "to", "cannot move the ids of %s on: %s", t[i].name, db_errmsg(to));
	}
	/* The proof, before the commit (a copy that differs is never kept): each table's rows counted and summed
	 * on both sides, the source from the snapshot it was copied from. */
	for (int i = 0; !rc && i < n; i++) {
		store_verified *v = &out[(*nout)++];
		memset(v, 0, sizeof *v);
		snprintf(v->table, sizeof v->table, "%.63s", t[i].name);
		if (checksum(from, &t[i], &v->sum_from, &v->rows_from) || checksum(to, &t[i], &v->sum_to, &v->rows_to))
			rc = lerr_set(e, LERR_INTERNAL, "copy", NULL, "cannot read %s to verify it", t[i].name);
		else if (v->rows_from != v->rows_to || v->sum_from != v->sum_to)
			rc = lerr_set(e, LERR_INTERNAL, "verify", v->table,
				      "the copy of %s differs: %lld rows (checksum %016llx) in the source, %lld (%016llx) in"
				      " PostgreSQL; nothing was kept",
				      v->table, (long long)v->rows_from, (unsigned long long)v->sum_from, (long long)v->rows_to,
				      (unsigned long long)v->sum_to);
	}
	db_rollback(from); /* it only read */
	if (rc || db_commit(to)) {
		db_rollback(to);
		undo_schema(to);
		return rc ? rc : lerr_set(e, LERR_INTERNAL, "copy", "to", "the copy could not be saved: %s", db_errmsg(to));
	}
	return 0;
}
