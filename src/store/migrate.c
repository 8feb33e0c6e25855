/* Numbered schema migrations.  To change the schema, append a migration; never edit a released one.
 * Each table's columns are explained where they are created. */
#include "store/migrate.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "store/org.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"

/* A migration: its one-line summary (a comment in `liaison schema`), the SQL every store runs, then
 * what only one dialect runs (features that differ: SQLite's FTS5 search, PostgreSQL's pg_trgm, ...).
 *
 * The SQL is written once for both dialects; db_migration_ddl expands these tokens for each (see
 * docs/HACKING.md, "Add a migration"):
 *   {ID}     a key that is never reused: SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`, PostgreSQL an identity
 *   {ROWID}  a key: SQLite `INTEGER PRIMARY KEY` (exactly that type, so it is the rowid), PostgreSQL an identity
 *   {LATE_FK REFERENCES t(c) ...}  a foreign key to a table this migration creates further down: SQLite
 *            declares it in place (it cannot add one later); PostgreSQL needs the table first, so the
 *            migration's .pg part adds it with ALTER TABLE ... ADD CONSTRAINT once the table exists.
 * Other types are written as they are: BIGINT for what can pass 2^31 (UTC-millisecond instants, ids, money
 * in cents) — PostgreSQL's INTEGER is 32 bits, and SQLite gives BIGINT the same INTEGER affinity — and
 * INTEGER for small numbers (flags, versions, counts, levels).
 *
 * Migrations 1-3 were released with INTEGER where they now say BIGINT, {ID} or {ROWID}; for SQLite they
 * render to the same schema (tests/unit/test_migrate.c compares a fresh store with one upgraded from the
 * stage-1 release), so stores made before keep theirs. */
/* Migration 14's triggers: bump cache_versions.<what> after every change of `table` — for sessions and
 * tokens, only a change of the columns `of` names (a token's last-use stamp changes nothing cached).
 * SQLite runs row triggers; PostgreSQL one per statement. */
#define BUMP_SQLITE(table, event, of, what)                                                             \
	"CREATE TRIGGER " table "_bump_" what "_" event " AFTER " event of " ON " table                 \
	" BEGIN UPDATE cache_versions SET " what " = " what " + 1; END;"
#define BUMP_PG(table, events, what)                                                                    \
	"CREATE TRIGGER " table "_bump_" what " AFTER " events " ON " table                             \
	" FOR EACH STATEMENT EXECUTE FUNCTION liaison_bump_" what "();"
#define SESSION_KEYS " OF token_hash, user_id, csrf_token, expires_at"
#define TOKEN_KEYS " OF token_hash, user_id"

static const struct migration {
	const char *about;
	const char *sql;
	const char *sqlite;
	const char *pg;
} migrations[] = {
	{.about = "organisation, sign-in, audit",
	 .sql = "CREATE TABLE departments ("
	"  id {ID},"                                   /* never reused, so history stays with its department */
	"  name TEXT NOT NULL,"                        /* shown name, unique among siblings */
	"  parent_id BIGINT REFERENCES departments(id)," /* NULL for the company itself */
	"  head_user_id BIGINT {LATE_FK REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED}," /* 部门负责人 */
	"  version INTEGER NOT NULL DEFAULT 1,"         /* grows with each change; ETag */
	"  created_at BIGINT NOT NULL,"                /* UTC ms */
	"  updated_at BIGINT NOT NULL"
	");"
	"CREATE UNIQUE INDEX departments_sibling_name ON departments(coalesce(parent_id, 0), name);"
	"CREATE TABLE users ("
	"  id {ROWID},"
	"  login TEXT NOT NULL UNIQUE,"                /* a-z 0-9 . _ - */
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL DEFAULT '',"
	"  department_id BIGINT REFERENCES departments(id),"
	"  password_hash TEXT NOT NULL DEFAULT '',"     /* argon2id string; '' = cannot sign in */
	"  is_admin INTEGER NOT NULL DEFAULT 0,"
	"  is_coordinator INTEGER NOT NULL DEFAULT 0,"  /* designated coordinator (协调人) */
	"  clearance TEXT NOT NULL DEFAULT 'internal' CHECK (clearance IN ('public','internal','confidential','secret')),"
	"  active INTEGER NOT NULL DEFAULT 1,"          /* 0: cannot sign in, kept for history */
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL"
	");"
	"CREATE INDEX users_department ON users(department_id);"
	"CREATE TABLE department_liaisons ("          /* 部门联络人 */
	"  department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,"
	"  user_id BIGINT NOT NULL REFERENCES users(id),"
	"  PRIMARY KEY (department_id, user_id)"
	");"
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY,"                /* hex BLAKE2b of the cookie value; the value itself is never stored */
	"  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf_token TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  expires_at BIGINT NOT NULL"
	");"
	"CREATE TABLE api_tokens ("
	"  id {ID},"
	"  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  token_hash TEXT NOT NULL UNIQUE,"            /* hex BLAKE2b of the token */
	"  created_at BIGINT NOT NULL,"
	"  last_used_at BIGINT"
	");"
	"CREATE TABLE login_failures ("                /* sign-in throttling, per login and per address */
	"  key TEXT PRIMARY KEY,"                       /* 'login:NAME' or 'addr:IP' */
	"  count INTEGER NOT NULL,"
	"  first_at BIGINT NOT NULL"                   /* start of the current window, UTC ms */
	");"
	"CREATE TABLE audit_events ("
	"  id {ROWID},"
	"  at BIGINT NOT NULL,"                         /* UTC ms */
	"  actor_id BIGINT,"                            /* NULL for the system or the CLI */
	"  entity TEXT NOT NULL,"                       /* 'department', 'user', ... */
	"  entity_id BIGINT NOT NULL,"
	"  action TEXT NOT NULL,"                       /* 'create', 'update', 'liaisons', ... */
	"  before TEXT,"                                /* JSON snapshot, NULL on create */
	"  after TEXT"                                  /* JSON snapshot, NULL on delete */
	");"
	"CREATE INDEX audit_entity ON audit_events(entity, entity_id, id);"
	"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO settings(key, value) VALUES ('timezone', 'Asia/Shanghai');",
	 /* The department head's key ({LATE_FK} above), now that users exists. */
	 .pg = "ALTER TABLE departments ADD CONSTRAINT departments_head_user_id_fkey FOREIGN KEY (head_user_id)"
	       " REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED;"},

	{.about = "stage 1: requests, impact assessments, projects, the in-app inbox",
	 .sql = "ALTER TABLE audit_events ADD COLUMN note TEXT;"      /* the comment or reason given with an action */
	"CREATE TABLE code_counters ("                        /* human codes like REQ-2026-0001, never reused */
	"  prefix TEXT PRIMARY KEY,"                          /* 'REQ-2026' */
	"  last INTEGER NOT NULL"
	");"
	"CREATE TABLE projects ("
	"  id {ROWID},"
	"  code TEXT NOT NULL UNIQUE,"                        /* PRJ-YYYY-NNNN */
	"  name TEXT NOT NULL,"
	"  request_id BIGINT UNIQUE,"                         /* the accepted request it came from */
	"  status TEXT NOT NULL DEFAULT 'planning' CHECK (status IN ('planning','executing','closing','closed','on_hold','cancelled')),"
	"  lead_department_id BIGINT NOT NULL REFERENCES departments(id)," /* 主办部门 */
	"  coordinator_id BIGINT REFERENCES users(id),"
	"  confidentiality TEXT NOT NULL DEFAULT 'internal',"
	"  conf_level INTEGER NOT NULL DEFAULT 1,"             /* 0 public .. 3 secret, for comparisons */
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL"
	");"
	"CREATE TABLE project_departments ("
	"  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
	"  department_id BIGINT NOT NULL REFERENCES departments(id),"
	"  role TEXT NOT NULL CHECK (role IN ('lead','assisting')),"  /* 主办 / 配合 */
	"  liaison_user_id BIGINT REFERENCES users(id),"      /* the department's liaison for this project */
	"  PRIMARY KEY (project_id, department_id)"
	");"
	"CREATE TABLE requests ("                             /* 跨部门协作需求单 */
	"  id {ROWID},"
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
	"  initiator_id BIGINT NOT NULL REFERENCES users(id),"
	"  initiating_department_id BIGINT NOT NULL REFERENCES departments(id),"
	"  project_id BIGINT REFERENCES projects(id),"        /* set when accepted */
	"  submitted_at BIGINT,"                              /* first submission */
	"  status_changed_at BIGINT NOT NULL,"                /* when it entered its current status */
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL"
	");"
	"CREATE INDEX requests_status ON requests(status, id);"
	"CREATE INDEX requests_initiator ON requests(initiator_id, id);"
	"CREATE TABLE request_departments ("                  /* involved departments */
	"  request_id BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,"
	"  department_id BIGINT NOT NULL REFERENCES departments(id),"
	"  PRIMARY KEY (request_id, department_id)"
	");"
	"CREATE INDEX request_departments_dept ON request_departments(department_id, request_id);"
	"CREATE TABLE assessments ("                          /* 影响评估与资源预估, one per involved department */
	"  id {ROWID},"
	"  request_id BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,"
	"  department_id BIGINT NOT NULL REFERENCES departments(id),"
	"  impact TEXT NOT NULL,"                             /* 影响范围 */
	"  person_days REAL NOT NULL,"                        /* replaced by exact hundredths in migration 3 */
	"  cost REAL NOT NULL,"                               /* money, in the organisation's currency */
	"  materials TEXT NOT NULL DEFAULT '',"
	"  schedule_impact_days INTEGER NOT NULL,"            /* working days of delay to the department's own work */
	"  verdict TEXT NOT NULL CHECK (verdict IN ('feasible','conditional','infeasible')),"
	"  conditions TEXT NOT NULL DEFAULT '',"
	"  assessor_id BIGINT NOT NULL REFERENCES users(id),"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL,"
	"  UNIQUE (request_id, department_id)"
	");"
	"CREATE TABLE notifications ("                        /* the in-app inbox */
	"  id {ROWID},"
	"  user_id BIGINT NOT NULL REFERENCES users(id),"
	"  kind TEXT NOT NULL,"                               /* stable code, e.g. 'request.submitted' */
	"  entity TEXT NOT NULL,"
	"  entity_id BIGINT NOT NULL,"
	"  actor_id BIGINT REFERENCES users(id),"
	"  created_at BIGINT NOT NULL,"
	"  read_at BIGINT"
	");"
	"CREATE INDEX notifications_user ON notifications(user_id, id);"},

	/* On PostgreSQL this runs on an empty table (no PostgreSQL store held the REAL columns), so that its
	 * round() of a double rounds halves to even, unlike SQLite's, changes nothing. */
	{.about = "exact amounts: person-days and money as integer hundredths instead of floating point",
	 .sql = "ALTER TABLE assessments ADD COLUMN person_days_x100 INTEGER NOT NULL DEFAULT 0;" /* person-days × 100 */
	"ALTER TABLE assessments ADD COLUMN cost_cents BIGINT NOT NULL DEFAULT 0;"        /* money in cents */
	"UPDATE assessments SET person_days_x100 = CAST(round(person_days * 100) AS INTEGER),"
	"  cost_cents = CAST(round(cost * 100) AS BIGINT);"
	"ALTER TABLE assessments DROP COLUMN person_days;"
	"ALTER TABLE assessments DROP COLUMN cost;"},

	{.about = "the outbox: what a change will tell, written in the change's transaction and delivered after it"
		  " commits (to the in-app inbox today; e-mail and IM channels in stage 3)",
	 .sql = "CREATE TABLE outbox ("
	"  id {ROWID},"                                        /* the order of telling */
	"  channel TEXT NOT NULL DEFAULT 'inbox',"             /* inbox; later email, dingtalk, feishu, ... */
	"  user_id BIGINT NOT NULL REFERENCES users(id),"      /* who is told */
	"  kind TEXT NOT NULL,"                                /* stable code, e.g. 'request.submitted' */
	"  entity TEXT NOT NULL,"                              /* what it is about: 'request', 'project', ... */
	"  entity_id BIGINT NOT NULL,"
	"  actor_id BIGINT REFERENCES users(id),"              /* who made the change; NULL for the system */
	"  created_at BIGINT NOT NULL,"                        /* UTC ms, when the change committed */
	"  delivered_at BIGINT"                                /* UTC ms; NULL until delivered */
	");"
	"CREATE INDEX outbox_pending ON outbox(id) WHERE delivered_at IS NULL;"},

	/* SQLite: an external-content FTS5 table with the liaison_ngram tokenizer (store/db_sqlite.c), which
	 * answers substring queries of any length, one- and two-character Chinese words included.
	 * PostgreSQL: trigram (pg_trgm) GIN indexes on the same four columns, which serve LIKE/ILIKE '%...%' of
	 * three characters or more; shorter queries are the PostgreSQL driver's to answer (issue 8).  pg_trgm is
	 * a trusted extension (PostgreSQL 13+): the database's owner may create it, no superuser needed. */
	{.about = "search over requests' code, title, goal and background: an index, not a scan of every row",
	 .sql = "", .sqlite =
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
	"INSERT INTO requests_fts(requests_fts) VALUES ('rebuild');",
	 .pg = "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
	"CREATE INDEX requests_code_trgm ON requests USING gin (code gin_trgm_ops);"
	"CREATE INDEX requests_title_trgm ON requests USING gin (title gin_trgm_ops);"
	"CREATE INDEX requests_goal_trgm ON requests USING gin (goal gin_trgm_ops);"
	"CREATE INDEX requests_background_trgm ON requests USING gin (background gin_trgm_ops);"},

	{.about = "indexes the visibility predicate walks: the tree below a head, and a person's liaison roles"
		  " (without them every list built a temporary index of the departments on each run)",
	 .sql = "CREATE INDEX departments_parent ON departments(parent_id);"
		"CREATE INDEX departments_head ON departments(head_user_id);"
		"CREATE INDEX department_liaisons_user ON department_liaisons(user_id, department_id);"},

	/* 7: one person's requests in a status (My work's drafts and in-progress lists), without walking all
	 * of that person's requests; and who heads what, kept as rows, so the visibility predicate looks a
	 * head up by key instead of walking the tree below them in every statement (store/visibility.h) */
	{.about = "a person's requests by status, and who heads what as rows (department_heads)",
	 .sql = "CREATE INDEX requests_initiator_status ON requests(initiator_id, status, id);"
		"CREATE TABLE department_heads ("         /* derived from departments; store/org.c rebuilds it on each change */
		"  user_id BIGINT NOT NULL,"              /* a department head */
		"  department_id BIGINT NOT NULL,"        /* a department they head, or one below it */
		"  PRIMARY KEY (user_id, department_id)"
		");"
		DEPT_HEADS_FILL},

	/* 8: an inbox item that asks for an action is done once the step is taken, by anyone, or the request
	 * leaves it: it no longer counts as unread (the bell) and shows as done */
	{.about = "inbox items that ask for an action are done once the step is taken",
	 .sql = "ALTER TABLE notifications ADD COLUMN done_at BIGINT;"   /* UTC ms; NULL while the step waits */
		"ALTER TABLE outbox ADD COLUMN done_at BIGINT;"},        /* done before delivery: delivered as done */

	/* 9: people copied in on a request (抄送): told, and they may read it (store/visibility.h) */
	{.about = "people copied in on a request (抄送)",
	 .sql = "CREATE TABLE request_cc ("
		"  request_id BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,"
		"  user_id BIGINT NOT NULL REFERENCES users(id),"   /* who may now read it */
		"  added_by BIGINT REFERENCES users(id),"           /* the initiator or the decider */
		"  added_at BIGINT NOT NULL,"                       /* UTC ms */
		"  PRIMARY KEY (request_id, user_id)"
		");"
		"CREATE INDEX request_cc_user ON request_cc(user_id, request_id);"},

	/* 10: 转交 — whoever a step waits on hands it to another person: the review and the decision (the
	 * reviewer's part) on the request, one department's assessment on that department's row */
	{.about = "transfers (转交): who reviews and decides instead, who assesses for a department instead",
	 .sql = "ALTER TABLE requests ADD COLUMN reviewer_override_id BIGINT REFERENCES users(id);"  /* NULL: the head, as rq_reviewer says */
		"ALTER TABLE request_departments ADD COLUMN assignee_id BIGINT REFERENCES users(id);"},  /* NULL: the liaisons or the head */

	/* 11: 加签 — approvers the decider adds before deciding, and their answers */
	{.about = "approvers added by the decider (加签) and their answers",
	 .sql = "CREATE TABLE request_countersigns ("
		"  request_id BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,"
		"  user_id BIGINT NOT NULL REFERENCES users(id),"   /* the added approver */
		"  added_by BIGINT REFERENCES users(id),"           /* the decider */
		"  added_at BIGINT NOT NULL,"                       /* UTC ms */
		"  decision TEXT CHECK (decision IN ('approve','reject')),"  /* NULL until answered */
		"  comment TEXT,"
		"  answered_at BIGINT,"
		"  PRIMARY KEY (request_id, user_id)"
		");"
		"CREATE INDEX request_countersigns_user ON request_countersigns(user_id, request_id);"},

	/* 12: the conditions attached to an acceptance become follow-ups the plan must cover (domain/project.h);
	 * projects accepted before get theirs by the same rule, FU-1..FU-3, read from their assessments and from
	 * the comment of the acceptance as the audit trail recorded it (test_migrate.c checks the two agree) */
	{.about = "follow-ups (跟进事项): the conditions of each accepted request, for the project's plan to cover",
	 .sql = "CREATE TABLE follow_ups ("
		"  id {ID},"                                                   /* never reused: stage-2 tasks will point here */
		"  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
		"  source TEXT NOT NULL CHECK (source IN ('assessment','decision')),"  /* where the condition came from */
		"  department_id BIGINT REFERENCES departments(id),"           /* the assessing department; NULL for the decision */
		"  text TEXT NOT NULL,"                                        /* the conditions, or the decision's comment */
		"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','covered')),"
		"  task_id BIGINT,"                                            /* stage 2: the task that covers it (its table comes then) */
		"  raised_by BIGINT REFERENCES users(id),"                     /* the assessor, or the decider */
		"  version INTEGER NOT NULL DEFAULT 1,"
		"  created_at BIGINT NOT NULL,"                                /* UTC ms: when the project was created */
		"  updated_at BIGINT NOT NULL"
		");"
		"CREATE INDEX follow_ups_project ON follow_ups(project_id, id);"
		/* FU-1, FU-2: every assessment that is not plainly feasible, with its conditions, in department order */
		"INSERT INTO follow_ups(project_id, source, department_id, text, status, raised_by, created_at, updated_at)"
		" SELECT p.id, 'assessment', a.department_id, a.conditions, 'open', a.assessor_id, p.created_at, p.created_at"
		" FROM projects p JOIN assessments a ON a.request_id = p.request_id"
		" WHERE a.verdict <> 'feasible' AND trim(a.conditions, ' \t\r\n') <> ''"
		" ORDER BY p.id, a.department_id;"
		/* FU-3: the comment of the acceptance, when it carried conditions or needed force */
		"INSERT INTO follow_ups(project_id, source, department_id, text, status, raised_by, created_at, updated_at)"
		" SELECT p.id, 'decision', NULL, ev.note, 'open', ev.actor_id, p.created_at, p.created_at"
		" FROM projects p JOIN audit_events ev ON ev.entity = 'request' AND ev.entity_id = p.request_id"
		" AND ev.action = 'accept'"
		" WHERE ev.id = (SELECT max(x.id) FROM audit_events x WHERE x.entity = 'request'"
		"               AND x.entity_id = p.request_id AND x.action = 'accept')"
		" AND ev.note IS NOT NULL AND trim(ev.note, ' \t\r\n') <> ''"
		" AND (EXISTS (SELECT 1 FROM assessments a WHERE a.request_id = p.request_id AND a.verdict <> 'feasible')"
		"      OR (SELECT count(*) FROM assessments a WHERE a.request_id = p.request_id)"
		"         < (SELECT count(*) FROM request_departments rd WHERE rd.request_id = p.request_id))"
		" ORDER BY p.id;"},
	/* 13: 代理人 — a person's deputy while away */
	{.about = "deputies while away (代理人)",
	 .sql = "CREATE TABLE user_delegations ("
		"  user_id BIGINT PRIMARY KEY REFERENCES users(id)," /* who is away: one delegation each */
		"  deputy_id BIGINT NOT NULL REFERENCES users(id),"
		"  from_date TEXT NOT NULL,"                       /* local dates, YYYY-MM-DD, inclusive */
		"  to_date TEXT NOT NULL,"
		"  created_at BIGINT NOT NULL"
		");"
		"CREATE INDEX user_delegations_deputy ON user_delegations(deputy_id, from_date, to_date);"},
	/* 14: what the servers keep in memory (store/cache.h) — the organisation, and which sessions and
	 * tokens are whose — says what version of it it is; the store's own triggers bump the version in the
	 * transaction of every change, whoever makes it (a server, another server, the CLI, an administrator's
	 * SQL), so no writer can forget it */
	{.about = "versions of what servers keep in memory (the organisation, sign-ins), bumped by triggers",
	 .sql = "CREATE TABLE cache_versions ("
		"  id INTEGER PRIMARY KEY CHECK (id = 1),"  /* one row */
		"  org BIGINT NOT NULL,"                     /* departments, liaisons, people, deputies */
		"  auth BIGINT NOT NULL"                     /* sessions and API tokens ended or changed */
		");"
		"INSERT INTO cache_versions(id, org, auth) VALUES (1, 1, 1);",
	 .sqlite = BUMP_SQLITE("departments", "INSERT", "", "org") BUMP_SQLITE("departments", "UPDATE", "", "org")
		   BUMP_SQLITE("departments", "DELETE", "", "org")
		   BUMP_SQLITE("department_liaisons", "INSERT", "", "org")
		   BUMP_SQLITE("department_liaisons", "UPDATE", "", "org")
		   BUMP_SQLITE("department_liaisons", "DELETE", "", "org") BUMP_SQLITE("users", "INSERT", "", "org")
		   BUMP_SQLITE("users", "UPDATE", "", "org") BUMP_SQLITE("users", "DELETE", "", "org")
		   BUMP_SQLITE("user_delegations", "INSERT", "", "org")
		   BUMP_SQLITE("user_delegations", "UPDATE", "", "org")
		   BUMP_SQLITE("user_delegations", "DELETE", "", "org") BUMP_SQLITE("sessions", "DELETE", "", "auth")
		   BUMP_SQLITE("sessions", "UPDATE", SESSION_KEYS, "auth") BUMP_SQLITE("api_tokens", "DELETE", "", "auth")
		   BUMP_SQLITE("api_tokens", "UPDATE", TOKEN_KEYS, "auth"),
	 .pg = "CREATE FUNCTION liaison_bump_org() RETURNS trigger LANGUAGE plpgsql AS"
	       " 'BEGIN UPDATE cache_versions SET org = org + 1; RETURN NULL; END';"
	       "CREATE FUNCTION liaison_bump_auth() RETURNS trigger LANGUAGE plpgsql AS"
	       " 'BEGIN UPDATE cache_versions SET auth = auth + 1; RETURN NULL; END';"
	       BUMP_PG("departments", "INSERT OR UPDATE OR DELETE", "org")
	       BUMP_PG("department_liaisons", "INSERT OR UPDATE OR DELETE", "org")
	       BUMP_PG("users", "INSERT OR UPDATE OR DELETE", "org")
	       BUMP_PG("user_delegations", "INSERT OR UPDATE OR DELETE", "org")
	       BUMP_PG("sessions", "DELETE OR UPDATE" SESSION_KEYS, "auth")
	       BUMP_PG("api_tokens", "DELETE OR UPDATE" TOKEN_KEYS, "auth")},
	/* 15: a page of requests reads its involved departments with their assignees (转交) from the index
	 * alone, without a lookup in the table per row */
	{.about = "a request's involved departments and their assignees read from one index",
	 .sql = "CREATE INDEX request_departments_assignee ON request_departments(request_id, department_id, assignee_id);"},
	/* 16: the working-day calendar (stage 2): the dates that differ from "Monday to Friday work" — public
	 * holidays and make-up workdays (调休) — for the organisation (department 0) or one department.  Seeded
	 * with mainland China's 2025 and 2026 days as the State Council's notices set them (国办发明电〔2024〕12号
	 * of 2024-11-12 for 2025; the notice of 2025-11-04 for 2026; checked against gov.cn's texts and two
	 * public datasets: ../shared/data/cn-2025.json and cn-2026.json name the sources). */
	{.about = "the working-day calendar: holidays and make-up workdays (调休), China's 2025 and 2026 to begin with",
	 .sql = "CREATE TABLE calendar_days ("
		"  department_id BIGINT NOT NULL DEFAULT 0," /* 0: the organisation's; else that department's own */
		"  date TEXT NOT NULL,"                      /* YYYY-MM-DD */
		"  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),"
		"  name TEXT NOT NULL DEFAULT '',"           /* 春节, 国庆节调休, ... */
		"  PRIMARY KEY (department_id, date)"
		");"
	"INSERT INTO calendar_days(department_id, date, kind, name) VALUES (0,'2025-01-01','holiday','元旦'),(0,'2025-01-26','workday','春节调休'),(0,'2025-01-28','holiday','春节'),(0,'2025-01-29','holiday','春节'),"
	"(0,'2025-01-30','holiday','春节'),(0,'2025-01-31','holiday','春节'),(0,'2025-02-01','holiday','春节'),(0,'2025-02-02','holiday','春节'),"
	"(0,'2025-02-03','holiday','春节'),(0,'2025-02-04','holiday','春节'),(0,'2025-02-08','workday','春节调休'),(0,'2025-04-04','holiday','清明节'),"
	"(0,'2025-04-05','holiday','清明节'),(0,'2025-04-06','holiday','清明节'),(0,'2025-04-27','workday','劳动节调休'),(0,'2025-05-01','holiday','劳动节'),"
	"(0,'2025-05-02','holiday','劳动节'),(0,'2025-05-03','holiday','劳动节'),(0,'2025-05-04','holiday','劳动节'),(0,'2025-05-05','holiday','劳动节'),"
	"(0,'2025-05-31','holiday','端午节'),(0,'2025-06-01','holiday','端午节'),(0,'2025-06-02','holiday','端午节'),(0,'2025-09-28','workday','国庆节、中秋节调休'),"
	"(0,'2025-10-01','holiday','国庆节、中秋节'),(0,'2025-10-02','holiday','国庆节、中秋节'),(0,'2025-10-03','holiday','国庆节、中秋节'),(0,'2025-10-04','holiday','国庆节、中秋节'),"
	"(0,'2025-10-05','holiday','国庆节、中秋节'),(0,'2025-10-06','holiday','国庆节、中秋节'),(0,'2025-10-07','holiday','国庆节、中秋节'),(0,'2025-10-08','holiday','国庆节、中秋节'),"
	"(0,'2025-10-11','workday','国庆节、中秋节调休'),(0,'2026-01-01','holiday','元旦'),(0,'2026-01-02','holiday','元旦'),(0,'2026-01-03','holiday','元旦'),"
	"(0,'2026-01-04','workday','元旦调休'),(0,'2026-02-14','workday','春节调休'),(0,'2026-02-15','holiday','春节'),(0,'2026-02-16','holiday','春节'),"
	"(0,'2026-02-17','holiday','春节'),(0,'2026-02-18','holiday','春节'),(0,'2026-02-19','holiday','春节'),(0,'2026-02-20','holiday','春节'),"
	"(0,'2026-02-21','holiday','春节'),(0,'2026-02-22','holiday','春节'),(0,'2026-02-23','holiday','春节'),(0,'2026-02-28','workday','春节调休'),"
	"(0,'2026-04-04','holiday','清明节'),(0,'2026-04-05','holiday','清明节'),(0,'2026-04-06','holiday','清明节'),(0,'2026-05-01','holiday','劳动节'),"
	"(0,'2026-05-02','holiday','劳动节'),(0,'2026-05-03','holiday','劳动节'),(0,'2026-05-04','holiday','劳动节'),(0,'2026-05-05','holiday','劳动节'),"
	"(0,'2026-05-09','workday','劳动节调休'),(0,'2026-06-19','holiday','端午节'),(0,'2026-06-20','holiday','端午节'),(0,'2026-06-21','holiday','端午节'),"
	"(0,'2026-09-20','workday','国庆节调休'),(0,'2026-09-25','holiday','中秋节'),(0,'2026-09-26','holiday','中秋节'),(0,'2026-09-27','holiday','中秋节'),"
	"(0,'2026-10-01','holiday','国庆节'),(0,'2026-10-02','holiday','国庆节'),(0,'2026-10-03','holiday','国庆节'),(0,'2026-10-04','holiday','国庆节'),"
	"(0,'2026-10-05','holiday','国庆节'),(0,'2026-10-06','holiday','国庆节'),(0,'2026-10-07','holiday','国庆节'),(0,'2026-10-10','workday','国庆节调休');"},
	/* 17: My work of someone who heads and speaks for no department: what was handed to them (转交) and the
	 * approvals added for them (加签), each found by key instead of walking every request under way */
	{.about = "requests handed to a person, and involved departments handed to one, found by key",
	 .sql = "CREATE INDEX requests_override ON requests(reviewer_override_id, status, id)"
		" WHERE reviewer_override_id IS NOT NULL;"
		"CREATE INDEX request_departments_assigned ON request_departments(assignee_id, request_id)"
		" WHERE assignee_id IS NOT NULL;"},
};

/* The table that records which migrations a store has applied; the same SQL on both dialects.  Stores
 * made before it said BIGINT have applied_at INTEGER: the same affinity in SQLite. */
static const char schema_migrations_ddl[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";

/* ------------------------------------------------------------------ rendering for a dialect */

static const struct token {
	const char *name;
	const char *sqlite, *pg;
} tokens[] = {
	{"ID", "INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
	{"ROWID", "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
};

/* Appends sql to b with its tokens expanded for dialect; -1 (and a log line) for an unknown or unclosed
 * token, which only a new migration can have (test_migrate.c renders every one). */
static int render(sbuf *b, const char *sql, enum db_dialect dialect)
{
	for (const char *p = sql; *p;) {
		const char *open = strchr(p, '{');
		if (!open) {
			sbuf_add(b, p, strlen(p));
			break;
		}
		sbuf_add(b, p, (size_t)(open - p));
		const char *close = strchr(open, '}');
		if (!close) {
			log_error("migrate: unclosed token in: %s", open);
			return -1;
		}
		const char *name = open + 1;
		size_t len = (size_t)(close - name);
		static const char late[] = "LATE_FK ";
		if (len > sizeof late - 1 && strncmp(name, late, sizeof late - 1) == 0) {
			if (dialect == DB_SQLITE)
				sbuf_add(b, name + sizeof late - 1, len - (sizeof late - 1));
			else /* the migration's .pg part adds it */
				sbuf_add(b, "/* foreign key added below */", 29);
		} else {
			size_t i = 0, n = sizeof tokens / sizeof tokens[0];
			while (i < n && !(strlen(tokens[i].name) == len && strncmp(tokens[i].name, name, len) == 0))
				i++;
			if (i == n) {
				log_error("migrate: unknown token {%.*s}", (int)len, name);
				return -1;
			}
			const char *v = dialect == DB_SQLITE ? tokens[i].sqlite : tokens[i].pg;
			sbuf_add(b, v, strlen(v));
		}
		p = close + 1;
	}
	return 0;
}

char *db_migration_ddl(int v, enum db_dialect dialect)
{
	if (v < 1 || v > db_schema_version_latest())
		return NULL;
	const struct migration *m = &migrations[v - 1];
	const char *own = dialect == DB_SQLITE ? m->sqlite : m->pg;
	sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, "", 0);
	if (render(&b, m->sql, dialect) || (own && render(&b, own, dialect))) {
		sbuf_release(&b);
		return NULL;
	}
	return sbuf_detach(&b);
}

const char *db_migration_about(int v)
{
	return v >= 1 && v <= db_schema_version_latest() ? migrations[v - 1].about : NULL;
}

const char *db_migrations_table_ddl(void)
{
	return schema_migrations_ddl;
}

int db_schema_version_latest(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

int db_schema_version(db *d)
{
	if (db_exec(d, schema_migrations_ddl))
		return -1;
	return (int)db_one_int(db_prepare(d, "SELECT max(version) FROM schema_migrations"), 0);
}

/* Several servers may start together on one PostgreSQL store: each migration runs in a write transaction
 * (one at a time on the whole store: the PostgreSQL driver's lock, SQLite's BEGIN IMMEDIATE), which first
 * reads the version again, so a migration another server applied meanwhile is skipped, never run twice. */
int db_migrate(db *d, lerr *e)
{
	if (db_begin(d)) /* the version table, created under the lock as well */
		return lerr_set(e, LERR_INTERNAL, "migrate", NULL, "cannot start a transaction: %s", db_errmsg(d));
	int have = db_schema_version(d);
	if (have < 0 || db_commit(d)) {
		db_rollback(d);
		return lerr_set(e, LERR_INTERNAL, "migrate", NULL, "cannot read the schema version: %s", db_errmsg(d));
	}
	if (have > db_schema_version_latest())
		return lerr_set(e, LERR_INTERNAL, "migrate", NULL,
				"the store is at schema %d, newer than this binary (%d): upgrade liaison", have,
				db_schema_version_latest());
	for (int v = have + 1; v <= db_schema_version_latest(); v++) {
		char *ddl = db_migration_ddl(v, db_dialect_of(d));
		if (!ddl)
			return lerr_set(e, LERR_INTERNAL, "migrate", NULL, "migration %d cannot be rendered", v);
		if (db_begin(d)) {
			free(ddl);
			return lerr_set(e, LERR_INTERNAL, "migrate", NULL, "migration %d failed: %s", v, db_errmsg(d));
		}
		int now = (int)db_one_int(db_prepare(d, "SELECT max(version) FROM schema_migrations"), 0);
		if (now >= v) { /* another server applied it */
			free(ddl);
			db_commit(d);
			continue;
		}
		if (*ddl && db_exec(d, ddl)) {
			free(ddl);
			db_rollback(d);
			return lerr_set(e, LERR_INTERNAL, "migrate", NULL, "migration %d failed: %s", v, db_errmsg(d));
		}
		free(ddl);
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
