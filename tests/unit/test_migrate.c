/* Upgrading a store made by the previous release (tests/fixtures/stage1-store.sql: `liaison init --demo`
 * of the stage-1 release, then a request with two impact assessments and a draft, dumped as SQL): the
 * migrations bring it to the current schema with nothing lost, amounts converted exactly.  And the
 * migrations, rewritten since in one source for SQLite and PostgreSQL, still give a fresh SQLite store
 * exactly the schema such an upgraded store has. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/inbox.h"
#include "store/migrate.h"
#include "store/org.h"
#include "store/project.h"
#include "store/request.h"
#include "store/rows.h"
#include "util/log.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s (run the tests from the repository root)", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = 0;
	fclose(f);
	return s;
}

static int64_t count(db *d, const char *sql)
{
	return db_one_int(db_prepare(d, sql), -1);
}

static void remove_store(const char *path)
{
	char p[80];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* A store made by the stage-1 release (schema 2), at path, with the SQL of the fixture `more` on top (NULL for
 * none); not yet migrated. */
static db *open_stage1_with(const char *path, const char *more)
{
	remove_store(path);
	log_set_quiet(1);
	db *d;
	lerr e = {0};
	cr_assert_eq(db_open(&d, path, &e), 0, "%s", e.detail);
	char *dump = slurp("tests/fixtures/stage1-store.sql");
	/* The dump lists tables by name, before the ones they refer to. */
	cr_assert_eq(db_exec(d, "PRAGMA foreign_keys=OFF"), 0);
	cr_assert_eq(db_exec(d, dump), 0, "the previous release's store loads");
	free(dump);
	if (more) {
		char *extra = slurp(more);
		cr_assert_eq(db_exec(d, extra), 0, "%s loads", more);
		free(extra);
	}
	cr_assert_eq(db_exec(d, "PRAGMA foreign_keys=ON"), 0);
	return d;
}

static db *open_stage1(const char *path)
{
	return open_stage1_with(path, NULL);
}

Test(migrate, a_stage1_store_is_upgraded_with_nothing_lost)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/liaison-mig-%d.db", getpid());
	db *d = open_stage1(path);
	lerr e = {0};
	cr_assert_eq(db_schema_version(d), 2, "made by the stage-1 release");
	int64_t users = count(d, "SELECT count(*) FROM users"), audit = count(d, "SELECT count(*) FROM audit_events"),
		notes = count(d, "SELECT count(*) FROM notifications");
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
	cr_assert_eq(db_schema_version(d), db_schema_version_latest());
	cr_assert_eq(count(d, "SELECT count(*) FROM users"), users);
	cr_assert_eq(count(d, "SELECT count(*) FROM audit_events"), audit);
	cr_assert_eq(count(d, "SELECT count(*) FROM notifications"), notes);
	cr_assert_gt(users, 40);

	arena *a = arena_new();
	request rq;
	cr_assert_eq(rq_load(d, a, 1, &rq), DB_ROW);
	cr_assert_str_eq(rq.code, "REQ-2026-0001");
	cr_assert_eq(rq.status, RQ_ASSESSING);
	cr_assert_eq(rq.priority, RQP_HIGH);
	cr_assert_eq(rq.ninvolved, 2);
	cr_assert_str_eq(rq.criteria[0], "到场 200 人");
	assessment *as;
	size_t n;
	cr_assert_eq(assessment_list(d, a, 1, &as, &n), DB_DONE);
	cr_assert_eq(n, 2);
	/* 12.5 person-days and 30000.75 became exact hundredths; so did 0.1 and 0.3, which floating point
	 * cannot hold exactly. */
	cr_assert_eq(as[0].person_days_x100, 1250);
	cr_assert_eq(as[0].cost_cents, 3000075);
	cr_assert_eq(as[1].person_days_x100, 10);
	cr_assert_eq(as[1].cost_cents, 30);
	cr_assert_eq(as[0].verdict, RQV_CONDITIONAL);
	cr_assert_eq(rq_load(d, a, 2, &rq), DB_ROW);
	cr_assert_eq(rq.status, RQ_DRAFT);
	/* What the old release told but never had to deliver is not told again. */
	cr_assert_eq(outbox_pending_count(d), 0);
	arena_free(a);
	db_close(d);
	remove_store(path);
}

/* ------------------------------------------------------------------ follow-ups for projects made before */

/* The comment and the decider of a request's acceptance, as the audit trail has them. */
static void acceptance_of(db *d, arena *a, int64_t request_id, const char **note, int64_t *decider)
{
	db_stmt *st = db_prepare_uncached(d, "SELECT note, actor_id FROM audit_events WHERE entity = 'request'"
					     " AND entity_id = ? AND action = 'accept' ORDER BY id DESC LIMIT 1");
	db_bind_int(st, 1, request_id);
	cr_assert_eq(db_step(st), DB_ROW);
	*note = col_str(a, st, 0);
	*decider = db_col_int(st, 1);
	db_done(st);
}

Test(migrate, projects_made_before_get_the_follow_ups_of_their_acceptance)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/liaison-mig-fu-%d.db", getpid());
	db *d = open_stage1_with(path, "tests/fixtures/stage1-accepted.sql");
	lerr e = {0};
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
	arena *a = arena_new();
	follow_up *f;
	size_t n;
	int64_t next;
	/* REQ-2026-0001: 平台部's conditions, then 李强's comment (the acceptance carried a condition). */
	cr_assert_eq(fu_list(d, a, 1, -1, 0, 100, &f, &n, &next), DB_DONE);
	cr_assert_eq(n, 2);
	cr_assert_eq(f[0].source, FU_ASSESSMENT);
	cr_assert_eq(f[0].department_id, 4);
	cr_assert_str_eq(f[0].department_name, "平台部");
	cr_assert_str_eq(f[0].text, "延后一周");
	cr_assert_eq(f[0].raised_by, 11);
	cr_assert_str_eq(f[0].raised_by_name, "陈静");
	cr_assert_eq(f[0].status, FU_OPEN);
	cr_assert_eq(f[0].task_id, 0);
	cr_assert_eq(f[0].created_at, 1796291670000, "as old as the project");
	cr_assert_eq(f[1].source, FU_DECISION);
	cr_assert_eq(f[1].department_id, 0);
	cr_assert_str_eq(f[1].text, "预算另行报批");
	cr_assert_eq(f[1].raised_by, 20);
	/* REQ-2026-0002, forced before 平台部 assessed: the decision's comment alone. */
	cr_assert_eq(fu_list(d, a, 2, -1, 0, 100, &f, &n, &next), DB_DONE);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(f[0].text, "时间紧，先立项");
	cr_assert_eq(f[0].raised_by, 5);
	/* REQ-2026-0003, a plain acceptance: none. */
	cr_assert_eq(fu_list(d, a, 3, -1, 0, 100, &f, &n, &next), DB_DONE);
	cr_assert_eq(n, 0);
	int64_t ids[] = {1, 2, 3}, open[3];
	cr_assert_eq(fu_open_counts(d, ids, 3, open), DB_DONE);
	cr_assert_eq(open[0], 2);
	cr_assert_eq(open[1], 1);
	cr_assert_eq(open[2], 0);

	/* The migration's SQL and the rule of src/domain (what an acceptance creates today) agree on every project. */
	for (int64_t p = 1; p <= 3; p++) {
		request rq;
		assessment *as;
		size_t nas;
		const char *note;
		int64_t decider;
		cr_assert_eq(rq_load(d, a, p, &rq), DB_ROW);
		cr_assert_eq(rq.project_id, p);
		cr_assert_eq(assessment_list(d, a, p, &as, &nas), DB_DONE);
		acceptance_of(d, a, p, &note, &decider);
		follow_up want[8];
		size_t k = fu_of_acceptance(as, nas, rq.ninvolved, note, decider, want);
		cr_assert_eq(fu_list(d, a, p, -1, 0, 100, &f, &n, &next), DB_DONE);
		cr_assert_eq(n, k, "project %lld", (long long)p);
		for (size_t i = 0; i < k; i++) {
			cr_assert_eq(f[i].source, want[i].source);
			cr_assert_eq(f[i].department_id, want[i].department_id);
			cr_assert_str_eq(f[i].text, want[i].text);
			cr_assert_eq(f[i].raised_by, want[i].raised_by);
		}
	}
	arena_free(a);
	db_close(d);
	remove_store(path);
}

/* ------------------------------------------------------------------ the same schema, fresh or upgraded */

/* The affinity SQLite gives a declared type (https://sqlite.org/datatype3.html, 3.1): what decides how a
 * column stores its values, whatever the type's spelling (INTEGER and BIGINT alike are INTEGER). */
static const char *affinity(const char *type)
{
	char up[64];
	size_t n = 0;
	for (; type && type[n] && n + 1 < sizeof up; n++)
		up[n] = (char)(type[n] >= 'a' && type[n] <= 'z' ? type[n] - 32 : type[n]);
	up[n] = 0;
	if (strstr(up, "INT"))
		return "INTEGER";
	if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
		return "TEXT";
	if (!n || strstr(up, "BLOB"))
		return "BLOB";
	if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
		return "REAL";
	return "NUMERIC";
}

typedef struct text {
	char *s;
	size_t n;
} text;

static void add(text *t, const char *fmt, const char *v)
{
	char line[4096];
	int k = snprintf(line, sizeof line, fmt, v ? v : "NULL");
	t->s = realloc(t->s, t->n + (size_t)k + 1);
	memcpy(t->s + t->n, line, (size_t)k + 1);
	t->n += (size_t)k;
}

/* Every row of sql, its columns joined with '|', one line each. */
static void rows_of(db *d, text *t, const char *title, const char *sql)
{
	add(t, "-- %s\n", title);
	db_stmt *st = db_prepare_uncached(d, sql);
	cr_assert_not_null(st, "%s", sql);
	while (db_step(st) == DB_ROW) {
		for (int c = 0; c < db_col_count(st); c++)
			add(t, c ? "|%s" : "%s", db_col_text(st, c));
		add(t, "%s\n", "");
	}
	db_done(st);
}

/* The schema of d as text: tables and their columns (name, affinity, NOT NULL, default, key), the declared
 * type of a one-column key (only exactly INTEGER makes it the rowid), AUTOINCREMENT, indexes and their columns,
 * foreign keys, triggers, and each object's SQL with BIGINT read as INTEGER and spaces collapsed (which
 * covers what no pragma shows: CHECK constraints, DEFERRABLE). */
static char *schema_facts(db *d)
{
	text t = {0};
	add(&t, "%s", "");
	db_stmt *st = db_prepare_uncached(d, "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk,"
					     " (SELECT count(*) FROM pragma_table_info(m.name) k WHERE k.pk > 0)"
					     " FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table'"
					     " ORDER BY m.name, p.cid");
	add(&t, "%s\n", "-- columns: table|column|affinity|notnull|default|pk|declared type of a one-column key");
	while (db_step(st) == DB_ROW) {
		add(&t, "%s", db_col_text(st, 0));
		add(&t, "|%s", db_col_text(st, 1));
		add(&t, "|%s", affinity(db_col_text(st, 2)));
		add(&t, "|%s", db_col_text(st, 3));
		add(&t, "|%s", db_col_text(st, 4));
		add(&t, "|%s", db_col_text(st, 5));
		add(&t, "|%s\n", db_col_int(st, 5) && db_col_int(st, 6) == 1 ? db_col_text(st, 2) : "");
	}
	db_done(st);
	rows_of(d, &t, "AUTOINCREMENT tables",
		"SELECT name FROM sqlite_schema WHERE type = 'table' AND upper(sql) LIKE '%AUTOINCREMENT%' ORDER BY name");
	rows_of(d, &t, "indexes: table|index|unique|origin|partial|seqno|cid|column|desc|collation|key",
		"SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, ix.seqno, ix.cid, ix.name, ix.\"desc\","
		" ix.coll, ix.key FROM sqlite_schema m, pragma_index_list(m.name) il, pragma_index_xinfo(il.name) ix"
		" WHERE m.type = 'table' ORDER BY m.name, il.name, ix.seqno");
	rows_of(d, &t, "foreign keys: table|id|seq|to table|from|to|on update|on delete|match",
		"SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete, f.\"match\""
		" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq");
	add(&t, "%s\n", "-- objects: type|name|table|SQL");
	st = db_prepare_uncached(d, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name");
	while (db_step(st) == DB_ROW) {
		add(&t, "%s", db_col_text(st, 0));
		add(&t, "|%s", db_col_text(st, 1));
		add(&t, "|%s|", db_col_text(st, 2));
		const char *sql = db_col_text(st, 3);
		/* BIGINT (6 characters) becomes INTEGER (7): room for twice the text is plenty. */
		char *norm = malloc(sql ? 2 * strlen(sql) + 1 : 1), *o = norm;
		for (const char *p = sql ? sql : ""; *p; p++) {
			if (strncmp(p, "BIGINT", 6) == 0) {
				memcpy(o, "INTEGER", 7);
				o += 7;
				p += 5;
			} else if (!(*p == ' ' && o > norm && o[-1] == ' ')) {
				*o++ = *p;
			}
		}
		*o = 0;
		add(&t, "%s\n", norm);
		free(norm);
	}
	db_done(st);
	return t.s;
}

/* Whether a department may name a head who does not exist until the transaction ends (the head's key is
 * DEFERRABLE INITIALLY DEFERRED), and is refused when it never does. */
static bool head_key_is_deferred(db *d)
{
	cr_assert_eq(db_begin(d), 0);
	db_stmt *st = db_prepare_uncached(d, "INSERT INTO departments(name, parent_id, head_user_id, created_at, updated_at)"
					     " VALUES ('deferred?', NULL, 999999, 0, 0)");
	bool deferred = db_step(st) == DB_DONE;
	db_done(st);
	bool refused = db_commit(d) != 0;
	db_rollback(d);
	return deferred && refused;
}

Test(migrate, a_fresh_store_has_the_schema_of_an_upgraded_one)
{
	char fresh_path[64], old_path[64];
	snprintf(fresh_path, sizeof fresh_path, "/tmp/liaison-mig-fresh-%d.db", getpid());
	snprintf(old_path, sizeof old_path, "/tmp/liaison-mig-old-%d.db", getpid());
	remove_store(fresh_path);
	log_set_quiet(1);
	lerr e = {0};
	db *fresh, *old = open_stage1(old_path);
	cr_assert_eq(db_open(&fresh, fresh_path, &e), 0, "%s", e.detail);
	cr_assert_eq(db_migrate(fresh, &e), 0, "%s", e.detail);
	cr_assert_eq(db_migrate(old, &e), 0, "%s", e.detail);
	char *a = schema_facts(fresh), *b = schema_facts(old);
	cr_assert_str_eq(a, b, "a fresh store:\n%s\nan upgraded stage-1 store:\n%s", a, b);
	/* What the comparison must have seen: the rowid keys, AUTOINCREMENT, the deferred key. */
	cr_assert_not_null(strstr(a, "users|id|INTEGER|0|NULL|1|INTEGER\n"), "%s", a);
	cr_assert_not_null(strstr(a, "-- AUTOINCREMENT tables\napi_tokens\ndepartments\n"), "%s", a);
	cr_assert_not_null(strstr(a, "departments|head_user_id|INTEGER|0|NULL|0|\n"), "%s", a);
	cr_assert(head_key_is_deferred(fresh));
	cr_assert(head_key_is_deferred(old));
	free(a);
	free(b);
	db_close(fresh);
	db_close(old);
	remove_store(fresh_path);
	remove_store(old_path);
}

Test(migrate, every_migration_renders_for_both_dialects)
{
	for (int v = 1; v <= db_schema_version_latest(); v++) {
		for (int dl = DB_SQLITE; dl <= DB_POSTGRES; dl++) {
			char *sql = db_migration_ddl(v, (enum db_dialect)dl);
			cr_assert_not_null(sql, "migration %d renders", v);
			cr_assert_null(strchr(sql, '{'), "migration %d: a token is left: %s", v, sql);
			/* PostgreSQL's INTEGER is 32 bits: keys are identities there, and an autoincrement is SQLite's. */
			if (dl == DB_POSTGRES)
				cr_assert_null(strstr(sql, "AUTOINCREMENT"), "migration %d", v);
			free(sql);
		}
		cr_assert_not_null(db_migration_about(v));
	}
	cr_assert_null(db_migration_ddl(0, DB_SQLITE));
	cr_assert_null(db_migration_ddl(db_schema_version_latest() + 1, DB_SQLITE));
	char *m1 = db_migration_ddl(1, DB_SQLITE), *p1 = db_migration_ddl(1, DB_POSTGRES);
	cr_assert_not_null(strstr(m1, "id INTEGER PRIMARY KEY AUTOINCREMENT,"));
	cr_assert_not_null(strstr(m1, "head_user_id BIGINT REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED,"));
	cr_assert_not_null(strstr(p1, "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"));
	cr_assert_not_null(strstr(p1, "ALTER TABLE departments ADD CONSTRAINT departments_head_user_id_fkey FOREIGN KEY"));
	free(m1);
	free(p1);
}
