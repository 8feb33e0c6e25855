/* Numbered schema migrations.  To change the schema, append a migration; never edit a released one.
 * Each table's columns are explained where they are created. */
#include "store/migrate.h"

#include <stddef.h>

#include "store/org.h"
#include "util/clock.h"
#include "util/log.h"

/* A migration: portable SQL for every store, then what only one dialect runs (indexes and features
 * that differ: SQLite's FTS5 search, PostgreSQL's pg_trgm, ...). */
static const struct migration {
	const char *sql;
	const char *sqlite;
} migrations[] = {
	/* 1: organisation, sign-in, audit */
	{.sql = "CREATE TABLE departments ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"           /* never reused, so history stays with its department */
	"  name TEXT NOT NULL,"                        /* shown name, unique among siblings */
	"  parent_id INTEGER REFERENCES departments(id)," /* NULL for the company itself */
	"  head_user_id INTEGER REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED," /* 部门负责人 */
	"  version INTEGER NOT NULL DEFAULT 1,"         /* grows with each change; ETag */
	"  created_at INTEGER NOT NULL,"               /* UTC ms */
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE UNIQUE INDEX departments_sibling_name ON departments(coalesce(parent_id, 0), name);"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL UNIQUE,"                /* a-z 0-9 . _ - */
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL DEFAULT '',"
	"  department_id INTEGER REFERENCES departments(id),"
	"  password_hash TEXT NOT NULL DEFAULT '',"     /* argon2id string; '' = cannot sign in */
	"  is_admin INTEGER NOT NULL DEFAULT 0,"
	"  is_coordinator INTEGER NOT NULL DEFAULT 0,"  /* designated coordinator (协调人) */
	"  clearance TEXT NOT NULL DEFAULT 'internal' CHECK (clearance IN ('public','internal','confidential','secret')),"
	"  active INTEGER NOT NULL DEFAULT 1,"          /* 0: cannot sign in, kept for history */
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE INDEX users_department ON users(department_id);"
	"CREATE TABLE department_liaisons ("          /* 部门联络人 */
	"  department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  PRIMARY KEY (department_id, user_id)"
	");"
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY,"                /* hex BLAKE2b of the cookie value; the value itself is never stored */
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf_token TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL"
	");"
	"CREATE TABLE api_tokens ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  token_hash TEXT NOT NULL UNIQUE,"            /* hex BLAKE2b of the token */
	"  created_at INTEGER NOT NULL,"
	"  last_used_at INTEGER"
	");"
	"CREATE TABLE login_failures ("                /* sign-in throttling, per login and per address */
	"  key TEXT PRIMARY KEY,"                       /* 'login:NAME' or 'addr:IP' */
	"  count INTEGER NOT NULL,"
	"  first_at INTEGER NOT NULL"                  /* start of the current window, UTC ms */
	");"
	"CREATE TABLE audit_events ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"                        /* UTC ms */
	"  actor_id INTEGER,"                           /* NULL for the system or the CLI */
	"  entity TEXT NOT NULL,"                       /* 'department', 'user', ... */
	"  entity_id INTEGER NOT NULL,"
	"  action TEXT NOT NULL,"                       /* 'create', 'update', 'liaisons', ... */
	"  before TEXT,"                                /* JSON snapshot, NULL on create */
	"  after TEXT"                                  /* JSON snapshot, NULL on delete */
	");"
	"CREATE INDEX audit_entity ON audit_events(entity, entity_id, id);"
	"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO settings(key, value) VALUES ('timezone', 'Asia/Shanghai');"},

	/* 2: stage 1 — requests, impact assessments, projects, the in-app inbox */
	{.sql = "ALTER TABLE audit_events ADD COLUMN note TEXT;"      /* the comment or reason given with an action */
	"CREATE TABLE code_counters ("                        /* human codes like REQ-2026-0001, never reused */
	"  prefix TEXT PRIMARY KEY,"                          /* 'REQ-2026' */
	"  last INTEGER NOT NULL"
	");"
	"CREATE TABLE projects ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"                        /* PRJ-YYYY-NNNN */
	"  name TEXT NOT NULL,"
	"  request_id INTEGER UNIQUE,"                        /* the accepted request it came from */
	"  status TEXT NOT NULL DEFAULT 'planning' CHECK (status IN ('planning','executing','closing','closed','on_hold','cancelled')),"
	"  lead_department_id INTEGER NOT NULL REFERENCES departments(id)," /* 主办部门 */
	"  coordinator_id INTEGER REFERENCES users(id),"
	"  confidentiality TEXT NOT NULL DEFAULT 'internal',"
	"  conf_level INTEGER NOT NULL DEFAULT 1,"             /* 0 public .. 3 secret, for comparisons */
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE TABLE project_departments ("
	"  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
	"  department_id INTEGER NOT NULL REFERENCES departments(id),"
	"  role TEXT NOT NULL CHECK (role IN ('lead','assisting')),"  /* 主办 / 配合 */
	"  liaison_user_id INTEGER REFERENCES users(id),"     /* the department's liaison for this project */
	"  PRIMARY KEY (project_id, department_id)"
	");"
	"CREATE TABLE requests ("                             /* 跨部门协作需求单 */
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"                        /* REQ-YYYY-NNNN */
	"  title TEXT NOT NULL,"
	"  background TEXT NOT NULL,"                         /* 协作背景 */
	"  goal TEXT NOT NULL,"                               /* 目标 */
	"  success_criteria TEXT NOT NULL,"                   /* JSON array of measurable criteria */
	"  resources_needed TEXT NOT NULL DEFAULT '',"        /* 所需资源 */
	"  expected_outcome TEXT NOT NULL DEFAULT '',"        /* 期望成果 */
	"  due_date TEXT NOT NULL,"                           /* 时间节点, YYYY-MM-DD */
	"  risks TEXT NOT NULL DEFAULT '',"                   /* 潜在风险 */
	"  confidentiality TEXT NOT NULL DEFAULT 'internal',"
	"  conf_level INTEGER NOT NULL DEFAULT 1,"
	"  priority TEXT NOT NULL DEFAULT 'normal',"
	"  status TEXT NOT NULL DEFAULT 'draft',"
	"  initiator_id INTEGER NOT NULL REFERENCES users(id),"
	"  initiating_department_id INTEGER NOT NULL REFERENCES departments(id),"
	"  project_id INTEGER REFERENCES projects(id),"       /* set when accepted */
	"  submitted_at INTEGER,"                             /* first submission */
	"  status_changed_at INTEGER NOT NULL,"               /* when it entered its current status */
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE INDEX requests_status ON requests(status, id);"
	"CREATE INDEX requests_initiator ON requests(initiator_id, id);"
	"CREATE TABLE request_departments ("                  /* involved departments */
	"  request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,"
	"  department_id INTEGER NOT NULL REFERENCES departments(id),"
	"  PRIMARY KEY (request_id, department_id)"
	");"
	"CREATE INDEX request_departments_dept ON request_departments(department_id, request_id);"
	"CREATE TABLE assessments ("                          /* 影响评估与资源预估, one per involved department */
	"  id INTEGER PRIMARY KEY,"
	"  request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,"
	"  department_id INTEGER NOT NULL REFERENCES departments(id),"
	"  impact TEXT NOT NULL,"                             /* 影响范围 */
	"  person_days REAL NOT NULL,"
	"  cost REAL NOT NULL,"                               /* money, in the organisation's currency */
	"  materials TEXT NOT NULL DEFAULT '',"
	"  schedule_impact_days INTEGER NOT NULL,"            /* working days of delay to the department's own work */
	"  verdict TEXT NOT NULL CHECK (verdict IN ('feasible','conditional','infeasible')),"
	"  conditions TEXT NOT NULL DEFAULT '',"
	"  assessor_id INTEGER NOT NULL REFERENCES users(id),"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  UNIQUE (request_id, department_id)"
	");"
	"CREATE TABLE notifications ("                        /* the in-app inbox */
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  kind TEXT NOT NULL,"                               /* stable code, e.g. 'request.submitted' */
	"  entity TEXT NOT NULL,"
	"  entity_id INTEGER NOT NULL,"
	"  actor_id INTEGER REFERENCES users(id),"
	"  created_at INTEGER NOT NULL,"
	"  read_at INTEGER"
	");"
	"CREATE INDEX notifications_user ON notifications(user_id, id);"},

	/* 3: exact amounts — person-days and money as integer hundredths instead of floating point */
	{.sql = "ALTER TABLE assessments ADD COLUMN person_days_x100 INTEGER NOT NULL DEFAULT 0;" /* person-days × 100 */
	"ALTER TABLE assessments ADD COLUMN cost_cents INTEGER NOT NULL DEFAULT 0;"       /* money in cents */
	"UPDATE assessments SET person_days_x100 = CAST(round(person_days * 100) AS INTEGER),"
	"  cost_cents = CAST(round(cost * 100) AS INTEGER);"
	"ALTER TABLE assessments DROP COLUMN person_days;"
	"ALTER TABLE assessments DROP COLUMN cost;"},

	/* 4: the outbox — what a change will tell, written in the change's transaction and delivered after
	 * it commits (to the in-app inbox today; e-mail and IM channels in stage 3) */
	{.sql = "CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"                            /* the order of telling */
	"  channel TEXT NOT NULL DEFAULT 'inbox',"             /* inbox; later email, dingtalk, feishu, ... */
	"  user_id INTEGER NOT NULL REFERENCES users(id),"     /* who is told */
	"  kind TEXT NOT NULL,"                                /* stable code, e.g. 'request.submitted' */
	"  entity TEXT NOT NULL,"                              /* what it is about: 'request', 'project', ... */
	"  entity_id INTEGER NOT NULL,"
	"  actor_id INTEGER REFERENCES users(id),"             /* who made the change; NULL for the system */
	"  created_at INTEGER NOT NULL,"                       /* UTC ms, when the change committed */
	"  delivered_at INTEGER"                               /* UTC ms; NULL until delivered */
	");"
	"CREATE INDEX outbox_pending ON outbox(id) WHERE delivered_at IS NULL;"},

	/* 5: search over requests' code, title, goal and background — an index, not a scan of every row.
	 * SQLite: an external-content FTS5 table with the liaison_ngram tokenizer (store/db_sqlite.c), which
	 * answers substring queries of any length, one- and two-character Chinese words included. */
	{.sql = "", .sqlite =
	"CREATE VIRTUAL TABLE requests_fts USING fts5(code, title, goal, background,"
	"  content='requests', content_rowid='id', tokenize='liaison_ngram');"
	"CREATE TRIGGER requests_fts_insert AFTER INSERT ON requests BEGIN"
	"  INSERT INTO requests_fts(rowid, code, title, goal, background)"
	"  VALUES (new.id, new.code, new.title, new.goal, new.background);"
	" END;"
	"CREATE TRIGGER requests_fts_delete AFTER DELETE ON requests BEGIN"
	"  INSERT INTO requests_fts(requests_fts, rowid, code, title, goal, background)"
	"  VALUES ('delete', old.id, old.code, old.title, old.goal, old.background);"
	" END;"
	"CREATE TRIGGER requests_fts_update AFTER UPDATE OF code, title, goal, background ON requests BEGIN"
	"  INSERT INTO requests_fts(requests_fts, rowid, code, title, goal, background)"
	"  VALUES ('delete', old.id, old.code, old.title, old.goal, old.background);"
	"  INSERT INTO requests_fts(rowid, code, title, goal, background)"
	"  VALUES (new.id, new.code, new.title, new.goal, new.background);"
	" END;"
	"INSERT INTO requests_fts(requests_fts) VALUES ('rebuild');"},

	/* 6: indexes the visibility predicate walks: the tree below a head, and a person's liaison roles (without
	 * them every list built a temporary index of the departments on each run) */
	{.sql = "CREATE INDEX departments_parent ON departments(parent_id);"
		"CREATE INDEX departments_head ON departments(head_user_id);"
		"CREATE INDEX department_liaisons_user ON department_liaisons(user_id, department_id);"},

	/* 7: one person's requests in a status (My work's drafts and in-progress lists), without walking all
	 * of that person's requests; and who heads what, kept as rows, so the visibility predicate looks a
	 * head up by key instead of walking the tree below them in every statement (store/visibility.h) */
	{.sql = "CREATE INDEX requests_initiator_status ON requests(initiator_id, status, id);"
		"CREATE TABLE department_heads ("         /* derived from departments; store/org.c rebuilds it on each change */
		"  user_id BIGINT NOT NULL,"              /* a department head */
		"  department_id BIGINT NOT NULL,"        /* a department they head, or one below it */
		"  PRIMARY KEY (user_id, department_id)"
		");"
		DEPT_HEADS_FILL},

	/* 8: an inbox item that asks for an action is done once the step is taken, by anyone, or the request
	 * leaves it: it no longer counts as unread (the bell) and shows as done */
	{.sql = "ALTER TABLE notifications ADD COLUMN done_at BIGINT;"   /* UTC ms; NULL while the step waits */
		"ALTER TABLE outbox ADD COLUMN done_at BIGINT;"},        /* done before delivery: delivered as done */
};

int db_schema_version_latest(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

int db_schema_version(db *d)
{
	if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"))
		return -1;
	return (int)db_one_int(db_prepare(d, "SELECT max(version) FROM schema_migrations"), 0);
}

int db_migrate(db *d, lerr *e)
{
	int have = db_schema_version(d);
	if (have < 0)
		return lerr_set(e, LERR_INTERNAL, "migrate", NULL, "cannot read the schema version: %s", db_errmsg(d));
	if (have > db_schema_version_latest())
		return lerr_set(e, LERR_INTERNAL, "migrate", NULL,
				"the store is at schema %d, newer than this binary (%d): upgrade liaison", have,
				db_schema_version_latest());
	for (int v = have + 1; v <= db_schema_version_latest(); v++) {
		const struct migration *m = &migrations[v - 1];
		if (db_begin(d) || (*m->sql && db_exec(d, m->sql)) ||
		    (m->sqlite && db_dialect_of(d) == DB_SQLITE && db_exec(d, m->sqlite))) {
			db_rollback(d);
			return lerr_set(e, LERR_INTERNAL, "migrate", NULL, "migration %d failed: %s", v, db_errmsg(d));
		}
		db_stmt *st = db_prepare(d, "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)");
		db_bind_int(st, 1, v);
		db_bind_int(st, 2, clock_now_ms());
		int rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE || db_commit(d)) {
			db_rollback(d);
			return lerr_set(e, LERR_INTERNAL, "migrate", NULL, "migration %d failed: %s", v, db_errmsg(d));
		}
		log_info("applied migration %d", v);
	}
	return 0;
}
