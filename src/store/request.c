/* Requests, assessments, projects, codes and the inbox: the SQL. */
#include "store/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/rows.h"
#include "util/clock.h"


int code_next(db *d, const char *prefix, char *out, size_t n)
{
	db_stmt *st = db_prepare(d, "INSERT INTO code_counters(prefix, last) VALUES (?, 1)"
				    " ON CONFLICT(prefix) DO UPDATE SET last = last + 1 RETURNING last");
	db_bind_text(st, 1, prefix);
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (!v)
		return DB_ERROR;
	snprintf(out, n, "%s-%04lld", prefix, (long long)v);
	return 0;
}

/* ------------------------------------------------------------------ visibility */

/* Departments the viewer heads, and everything below them (?1 = viewer id). */
#define HEADED_CTE                                                                                     \
	"WITH RECURSIVE headed(id) AS (SELECT id FROM departments WHERE head_user_id = ?1"             \
	" UNION SELECT dd.id FROM departments dd JOIN headed h ON dd.parent_id = h.id) "

/* Mirrors rq_visible(): ?1 viewer, ?2 viewer's department, ?3 clearance, ?4 admin, ?5 coordinator. */
#define VISIBLE(r)                                                                                     \
	"(" r ".conf_level <= 1 OR (?3 >= " r ".conf_level AND ("                                    \
	" " r ".initiator_id = ?1 OR ?4 = 1 OR ?5 = 1 OR " r ".initiating_department_id = ?2"        \
	" OR " r ".initiating_department_id IN (SELECT id FROM headed)"                               \
	" OR EXISTS (SELECT 1 FROM request_departments rdv WHERE rdv.request_id = " r ".id"           \
	"            AND (rdv.department_id = ?2 OR rdv.department_id IN (SELECT id FROM headed))))))"

static void bind_viewer(db_stmt *st, const principal *who)
{
	db_bind_int(st, 1, who->user_id);
	db_bind_int(st, 2, who->department_id > 0 ? who->department_id : -1);
	db_bind_int(st, 3, who->clearance);
	db_bind_int(st, 4, who->is_admin);
	db_bind_int(st, 5, who->is_coordinator);
}

/* ------------------------------------------------------------------ requests */

#define RQ_COLS                                                                                         \
	"r.id, r.code, r.title, r.status, r.priority, r.confidentiality, r.due_date, r.initiator_id, u.name," \
	" r.initiating_department_id, dp.name, r.project_id, r.submitted_at, r.status_changed_at, r.version," \
	" r.created_at, r.updated_at, r.background, r.goal, r.success_criteria, r.resources_needed,"         \
	" r.expected_outcome, r.risks, r.conf_level"
#define RQ_FROM " FROM requests r JOIN users u ON u.id = r.initiator_id JOIN departments dp ON dp.id = r.initiating_department_id"

static json_t *rq_departments(db *d, int64_t id)
{
	json_t *a = json_array();
	db_stmt *st = db_prepare(d, "SELECT department_id FROM request_departments WHERE request_id = ? ORDER BY department_id");
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(a, json_integer(db_col_int(st, 0)));
	db_done(st);
	return a;
}

static json_t *rq_row_json(db *d, db_stmt *st, bool full)
{
	int64_t id = db_col_int(st, 0);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "code", col_text(st, 1));
	json_object_set_new(o, "title", col_text(st, 2));
	json_object_set_new(o, "status", col_text(st, 3));
	json_object_set_new(o, "priority", col_text(st, 4));
	json_object_set_new(o, "confidentiality", col_text(st, 5));
	json_object_set_new(o, "due_date", col_text(st, 6));
	json_object_set_new(o, "initiator_id", col_id(st, 7));
	json_object_set_new(o, "initiator_name", col_text(st, 8));
	json_object_set_new(o, "initiating_department_id", col_id(st, 9));
	json_object_set_new(o, "initiating_department_name", col_text(st, 10));
	json_object_set_new(o, "involved_department_ids", rq_departments(d, id));
	json_object_set_new(o, "project_id", col_id(st, 11));
	json_object_set_new(o, "submitted_at", col_time(st, 12));
	json_object_set_new(o, "status_changed_at", col_time(st, 13));
	json_object_set_new(o, "version", json_integer(db_col_int(st, 14)));
	json_object_set_new(o, "created_at", col_time(st, 15));
	json_object_set_new(o, "updated_at", col_time(st, 16));
	if (full) {
		json_object_set_new(o, "background", col_text(st, 17));
		json_object_set_new(o, "goal", col_text(st, 18));
		json_t *c = json_loads(db_col_text(st, 19), 0, NULL);
		json_object_set_new(o, "success_criteria", c ? c : json_array());
		json_object_set_new(o, "resources_needed", col_text(st, 20));
		json_object_set_new(o, "expected_outcome", col_text(st, 21));
		json_object_set_new(o, "risks", col_text(st, 22));
	}
	return o;
}

static int rq_write_departments(db *d, int64_t id, const int64_t *ids, size_t n)
{
	db_stmt *st = db_prepare(d, "DELETE FROM request_departments WHERE request_id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < n; i++) {
		st = db_prepare(d, "INSERT INTO request_departments(request_id, department_id) VALUES (?, ?)");
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, ids[i]);
		rc = db_step(st);
		db_done(st);
	}
	return rc;
}

static void bind_fields(db_stmt *st, int first, const rq_row *row, char **criteria)
{
	*criteria = json_dumps(row->success_criteria, JSON_COMPACT);
	db_bind_text(st, first + 0, row->title);
	db_bind_text(st, first + 1, row->background);
	db_bind_text(st, first + 2, row->goal);
	db_bind_text(st, first + 3, *criteria);
	db_bind_text(st, first + 4, row->resources_needed ? row->resources_needed : "");
	db_bind_text(st, first + 5, row->expected_outcome ? row->expected_outcome : "");
	db_bind_text(st, first + 6, row->due_date);
	db_bind_text(st, first + 7, row->risks ? row->risks : "");
	db_bind_text(st, first + 8, row->confidentiality);
	db_bind_int(st, first + 9, row->conf_level);
	db_bind_text(st, first + 10, row->priority);
}

int rq_insert(db *d, const char *code, const rq_row *row, int64_t initiator, int64_t department, int64_t *id)
{
	int64_t now = clock_now_ms();
	char *criteria;
	db_stmt *st = db_prepare(d, "INSERT INTO requests(title, background, goal, success_criteria, resources_needed,"
				    " expected_outcome, due_date, risks, confidentiality, conf_level, priority, code,"
				    " initiator_id, initiating_department_id, status_changed_at, created_at, updated_at)"
				    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	bind_fields(st, 1, row, &criteria);
	db_bind_text(st, 12, code);
	db_bind_int(st, 13, initiator);
	db_bind_int(st, 14, department);
	db_bind_int(st, 15, now);
	db_bind_int(st, 16, now);
	db_bind_int(st, 17, now);
	int rc = db_step(st);
	db_done(st);
	free(criteria);
	*id = rc == DB_DONE ? db_last_id(d) : 0;
	if (rc == DB_DONE)
		rc = rq_write_departments(d, *id, row->departments, row->ndepartments);
	return rc;
}

int rq_update(db *d, int64_t id, int64_t version, const rq_row *row)
{
	char *criteria;
	db_stmt *st = db_prepare(d, "UPDATE requests SET title = ?, background = ?, goal = ?, success_criteria = ?,"
				    " resources_needed = ?, expected_outcome = ?, due_date = ?, risks = ?,"
				    " confidentiality = ?, conf_level = ?, priority = ?, version = version + 1, updated_at = ?"
				    " WHERE id = ? AND version = ?");
	bind_fields(st, 1, row, &criteria);
	db_bind_int(st, 12, clock_now_ms());
	db_bind_int(st, 13, id);
	db_bind_int(st, 14, version);
	int rc = db_step(st);
	db_done(st);
	free(criteria);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	if (rc == DB_DONE)
		rc = rq_write_departments(d, id, row->departments, row->ndepartments);
	return rc;
}

int rq_set_status(db *d, int64_t id, int64_t version, const char *status)
{
	int64_t now = clock_now_ms();
	db_stmt *st = db_prepare(d, "UPDATE requests SET status = ?1, status_changed_at = ?2, updated_at = ?2,"
				    " version = version + 1,"
				    " submitted_at = CASE WHEN ?1 = 'submitted' AND submitted_at IS NULL THEN ?2 ELSE submitted_at END"
				    " WHERE id = ?3 AND (?4 = 0 OR version = ?4)");
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	db_bind_int(st, 4, version);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		return 1;
	return rc;
}

int rq_set_project(db *d, int64_t id, int64_t project_id)
{
	db_stmt *st = db_prepare(d, "UPDATE requests SET project_id = ? WHERE id = ?");
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, id);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

json_t *rq_get(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT " RQ_COLS RQ_FROM " WHERE r.id = ?");
	db_bind_int(st, 1, id);
	json_t *o = db_step(st) == DB_ROW ? rq_row_json(d, st, true) : NULL;
	db_done(st);
	return o;
}

bool rq_visible_to(db *d, int64_t id, const principal *who)
{
	db_stmt *st = db_prepare(d, HEADED_CTE "SELECT 1 FROM requests r WHERE r.id = ?6 AND " VISIBLE("r"));
	bind_viewer(st, who);
	db_bind_int(st, 6, id);
	return db_one_int(st, 0) == 1;
}

static json_t *rq_row_json_fn(db *d, db_stmt *st, void *ctx)
{
	(void)ctx;
	return rq_row_json(d, st, false);
}

json_t *rq_list(db *d, const principal *who, const rq_filter *f, int64_t before, int limit, int64_t *next)
{
	db_stmt *st = db_prepare(
		d, HEADED_CTE "SELECT " RQ_COLS RQ_FROM " WHERE " VISIBLE("r")
		" AND (?6 = 0 OR r.id < ?6)"
		" AND (?7 IS NULL OR r.status = ?7)"
		" AND (?8 = 0 OR r.initiating_department_id = ?8"
		"      OR EXISTS (SELECT 1 FROM request_departments x WHERE x.request_id = r.id AND x.department_id = ?8))"
		" AND (?9 = 0 OR r.initiator_id = ?9)"
		" AND (?10 IS NULL OR instr(lower(r.code), lower(?10)) > 0 OR instr(lower(r.title), lower(?10)) > 0"
		"      OR instr(lower(r.goal), lower(?10)) > 0 OR instr(lower(r.background), lower(?10)) > 0)"
		" AND (?12 = 0 OR r.initiating_department_id IN (SELECT id FROM headed))"
		" AND (?13 = 0 OR EXISTS (SELECT 1 FROM request_departments y WHERE y.request_id = r.id"
		"      AND (y.department_id IN (SELECT department_id FROM department_liaisons WHERE user_id = ?1)"
		"           OR y.department_id IN (SELECT id FROM departments WHERE head_user_id = ?1))))"
		" ORDER BY r.id DESC LIMIT ?11");
	bind_viewer(st, who);
	db_bind_int(st, 6, before);
	db_bind_text(st, 7, f->status);
	db_bind_int(st, 8, f->department_id);
	db_bind_int(st, 9, f->initiator_id);
	db_bind_int(st, 12, f->under_my_headship);
	db_bind_int(st, 13, f->my_departments);
	db_bind_text(st, 10, f->q);
	db_bind_int(st, 11, limit + 1);
	return rows_page(d, st, limit, next, rq_row_json_fn, NULL);
}

/* ------------------------------------------------------------------ people */

size_t dept_heads_up(db *d, int64_t dept, int64_t *heads, size_t max)
{
	size_t n = 0;
	db_stmt *st = db_prepare(d, "SELECT parent_id, head_user_id FROM departments WHERE id = ?");
	while (dept > 0 && n < max) {
		db_bind_int(st, 1, dept);
		if (db_step(st) != DB_ROW)
			break;
		heads[n++] = db_col_null(st, 1) ? 0 : db_col_int(st, 1);
		dept = db_col_null(st, 0) ? 0 : db_col_int(st, 0);
		db_reset(st);
	}
	db_done(st);
	return n;
}

size_t dept_liaisons(db *d, int64_t dept, int64_t *out, size_t max)
{
	size_t n = 0;
	db_stmt *st = db_prepare(d, "SELECT l.user_id FROM department_liaisons l JOIN users u ON u.id = l.user_id"
				    " WHERE l.department_id = ? AND u.active = 1 ORDER BY l.user_id");
	db_bind_int(st, 1, dept);
	while (n < max && db_step(st) == DB_ROW)
		out[n++] = db_col_int(st, 0);
	db_done(st);
	return n;
}

bool dept_is_liaison_or_head(db *d, int64_t dept, int64_t user)
{
	db_stmt *st = db_prepare(d, "SELECT (SELECT count(*) FROM departments WHERE id = ?1 AND head_user_id = ?2)"
				    " + (SELECT count(*) FROM department_liaisons WHERE department_id = ?1 AND user_id = ?2)");
	db_bind_int(st, 1, dept);
	db_bind_int(st, 2, user);
	return db_one_int(st, 0) > 0;
}


/* ------------------------------------------------------------------ assessments */

#define AS_COLS                                                                                      \
	"a.id, a.request_id, a.department_id, dp.name, a.impact, a.person_days, a.cost, a.materials,"  \
	" a.schedule_impact_days, a.verdict, a.conditions, a.assessor_id, u.name, a.version, a.created_at, a.updated_at"
#define AS_FROM " FROM assessments a JOIN departments dp ON dp.id = a.department_id JOIN users u ON u.id = a.assessor_id"

static json_t *assessment_json(db_stmt *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
	json_object_set_new(o, "request_id", json_integer(db_col_int(st, 1)));
	json_object_set_new(o, "department_id", json_integer(db_col_int(st, 2)));
	json_object_set_new(o, "department_name", col_text(st, 3));
	json_object_set_new(o, "impact", col_text(st, 4));
	json_object_set_new(o, "person_days", json_real(db_col_double(st, 5)));
	json_object_set_new(o, "cost", json_real(db_col_double(st, 6)));
	json_object_set_new(o, "materials", col_text(st, 7));
	json_object_set_new(o, "schedule_impact_days", json_integer(db_col_int(st, 8)));
	json_object_set_new(o, "verdict", col_text(st, 9));
	json_object_set_new(o, "conditions", col_text(st, 10));
	json_object_set_new(o, "assessor_id", json_integer(db_col_int(st, 11)));
	json_object_set_new(o, "assessor_name", col_text(st, 12));
	json_object_set_new(o, "version", json_integer(db_col_int(st, 13)));
	json_object_set_new(o, "created_at", col_time(st, 14));
	json_object_set_new(o, "updated_at", col_time(st, 15));
	return o;
}

int assessment_put(db *d, int64_t request, int64_t dept, int64_t assessor, const assessment_row *a, bool *created)
{
	json_t *old = assessment_get(d, request, dept);
	*created = old == NULL;
	json_decref(old);
	int64_t now = clock_now_ms();
	db_stmt *st = db_prepare(d, "INSERT INTO assessments(request_id, department_id, impact, person_days, cost, materials,"
				    " schedule_impact_days, verdict, conditions, assessor_id, created_at, updated_at)"
				    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?11)"
				    " ON CONFLICT(request_id, department_id) DO UPDATE SET impact = ?3, person_days = ?4,"
				    " cost = ?5, materials = ?6, schedule_impact_days = ?7, verdict = ?8, conditions = ?9,"
				    " assessor_id = ?10, updated_at = ?11, version = assessments.version + 1");
	db_bind_int(st, 1, request);
	db_bind_int(st, 2, dept);
	db_bind_text(st, 3, a->impact);
	db_bind_double(st, 4, a->person_days);
	db_bind_double(st, 5, a->cost);
	db_bind_text(st, 6, a->materials ? a->materials : "");
	db_bind_int(st, 7, a->schedule_impact_days);
	db_bind_text(st, 8, a->verdict);
	db_bind_text(st, 9, a->conditions ? a->conditions : "");
	db_bind_int(st, 10, assessor);
	db_bind_int(st, 11, now);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

json_t *assessment_get(db *d, int64_t request, int64_t dept)
{
	db_stmt *st = db_prepare(d, "SELECT " AS_COLS AS_FROM " WHERE a.request_id = ? AND a.department_id = ?");
	db_bind_int(st, 1, request);
	db_bind_int(st, 2, dept);
	json_t *o = db_step(st) == DB_ROW ? assessment_json(st) : NULL;
	db_done(st);
	return o;
}

json_t *assessment_list(db *d, int64_t request)
{
	json_t *items = json_array();
	db_stmt *st = db_prepare(d, "SELECT " AS_COLS AS_FROM " WHERE a.request_id = ? ORDER BY a.department_id");
	db_bind_int(st, 1, request);
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, assessment_json(st));
	db_done(st);
	return items;
}

/* ------------------------------------------------------------------ projects */

int project_create_from_request(db *d, int64_t request, const char *code, const char *name, int64_t lead,
				const int64_t *assisting, size_t n, const char *confidentiality, int conf_level,
				int64_t *id)
{
	int64_t now = clock_now_ms();
	db_stmt *st = db_prepare(d, "INSERT INTO projects(code, name, request_id, lead_department_id, confidentiality,"
				    " conf_level, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, name);
	db_bind_int(st, 3, request);
	db_bind_int(st, 4, lead);
	db_bind_text(st, 5, confidentiality);
	db_bind_int(st, 6, conf_level);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now);
	int rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	*id = db_last_id(d);
	for (size_t i = 0; rc == DB_DONE && i <= n; i++) {
		int64_t dept = i == 0 ? lead : assisting[i - 1];
		if (i > 0 && dept == lead)
			continue;
		int64_t liaison = 0;
		dept_liaisons(d, dept, &liaison, 1);
		st = db_prepare(d, "INSERT INTO project_departments(project_id, department_id, role, liaison_user_id)"
				   " VALUES (?, ?, ?, ?)");
		db_bind_int(st, 1, *id);
		db_bind_int(st, 2, dept);
		db_bind_text(st, 3, i == 0 ? "lead" : "assisting");
		db_bind_id(st, 4, liaison);
		rc = db_step(st);
		db_done(st);
	}
	return rc;
}

#define PRJ_COLS "p.id, p.code, p.name, p.request_id, p.status, p.lead_department_id, p.coordinator_id," \
		 " p.confidentiality, p.version, p.created_at, p.updated_at"

static json_t *project_json(db *d, db_stmt *st)
{
	int64_t id = db_col_int(st, 0);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "code", col_text(st, 1));
	json_object_set_new(o, "name", col_text(st, 2));
	json_object_set_new(o, "request_id", col_id(st, 3));
	json_object_set_new(o, "status", col_text(st, 4));
	json_object_set_new(o, "lead_department_id", col_id(st, 5));
	json_object_set_new(o, "coordinator_id", col_id(st, 6));
	json_object_set_new(o, "confidentiality", col_text(st, 7));
	json_object_set_new(o, "version", json_integer(db_col_int(st, 8)));
	json_object_set_new(o, "created_at", col_time(st, 9));
	json_object_set_new(o, "updated_at", col_time(st, 10));
	json_t *deps = json_array(), *liaisons = json_object();
	db_stmt *q = db_prepare(d, "SELECT department_id, role, liaison_user_id FROM project_departments"
				   " WHERE project_id = ? ORDER BY role DESC, department_id");
	db_bind_int(q, 1, id);
	while (db_step(q) == DB_ROW) {
		json_array_append_new(deps, json_pack("{s:I, s:s}", "department_id", (json_int_t)db_col_int(q, 0), "role",
						      db_col_text(q, 1)));
		if (!db_col_null(q, 2)) {
			char k[24];
			snprintf(k, sizeof k, "%lld", (long long)db_col_int(q, 0));
			json_object_set_new(liaisons, k, json_integer(db_col_int(q, 2)));
		}
	}
	db_done(q);
	json_object_set_new(o, "departments", deps);
	json_object_set_new(o, "liaisons", liaisons);
	return o;
}

json_t *project_get(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT " PRJ_COLS " FROM projects p WHERE p.id = ?");
	db_bind_int(st, 1, id);
	json_t *o = db_step(st) == DB_ROW ? project_json(d, st) : NULL;
	db_done(st);
	return o;
}

bool project_visible_to(db *d, int64_t id, const principal *who)
{
	db_stmt *st = db_prepare(d, HEADED_CTE "SELECT 1 FROM projects p JOIN requests r ON r.id = p.request_id"
					       " WHERE p.id = ?6 AND " VISIBLE("r"));
	bind_viewer(st, who);
	db_bind_int(st, 6, id);
	return db_one_int(st, 0) == 1;
}

static json_t *project_json_fn(db *d, db_stmt *st, void *ctx)
{
	(void)ctx;
	return project_json(d, st);
}

json_t *project_list(db *d, const principal *who, int64_t before, int limit, int64_t *next)
{
	db_stmt *st = db_prepare(d, HEADED_CTE "SELECT " PRJ_COLS " FROM projects p JOIN requests r ON r.id = p.request_id"
					       " WHERE " VISIBLE("r") " AND (?6 = 0 OR p.id < ?6) ORDER BY p.id DESC LIMIT ?7");
	bind_viewer(st, who);
	db_bind_int(st, 6, before);
	db_bind_int(st, 7, limit + 1);
	return rows_page(d, st, limit, next, project_json_fn, NULL);
}

/* ------------------------------------------------------------------ inbox */

int inbox_add(db *d, int64_t user, const char *kind, const char *entity, int64_t entity_id, int64_t actor)
{
	db_stmt *st = db_prepare(d, "INSERT INTO notifications(user_id, kind, entity, entity_id, actor_id, created_at)"
				    " VALUES (?, ?, ?, ?, ?, ?)");
	db_bind_int(st, 1, user);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, entity);
	db_bind_int(st, 4, entity_id);
	db_bind_id(st, 5, actor);
	db_bind_int(st, 6, clock_now_ms());
	int rc = db_step(st);
	db_done(st);
	return rc;
}

/* Notifications about requests the user may no longer see are left out. */
#define INBOX_VISIBLE                                                                                   \
	" n.user_id = ?1 AND (n.entity <> 'request' OR EXISTS (SELECT 1 FROM requests r WHERE r.id = n.entity_id" \
	" AND " VISIBLE("r") "))"

static json_t *inbox_row(db *d, db_stmt *st, void *ctx)
{
	(void)d, (void)ctx;
	const char *entity = db_col_text(st, 2);
	int64_t eid = db_col_int(st, 3);
	char link[64];
	snprintf(link, sizeof link, "/%ss/%lld", entity, (long long)eid);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
	json_object_set_new(o, "kind", col_text(st, 1));
	json_object_set_new(o, "entity", json_string(entity));
	json_object_set_new(o, "entity_id", json_integer(eid));
	json_object_set_new(o, "actor_id", col_id(st, 4));
	json_object_set_new(o, "actor_name", col_text(st, 5));
	json_object_set_new(o, "created_at", col_time(st, 6));
	json_object_set_new(o, "read_at", col_time(st, 7));
	json_object_set_new(o, "code", col_text(st, 8));
	json_object_set_new(o, "title", col_text(st, 9));
	json_object_set_new(o, "link", json_string(link));
	return o;
}

json_t *inbox_list(db *d, const principal *who, bool unread_only, int64_t before, int limit, int64_t *next)
{
	db_stmt *st = db_prepare(d, HEADED_CTE "SELECT n.id, n.kind, n.entity, n.entity_id, n.actor_id, a.name, n.created_at,"
					       " n.read_at, r.code, r.title FROM notifications n"
					       " LEFT JOIN users a ON a.id = n.actor_id"
					       " LEFT JOIN requests r ON n.entity = 'request' AND r.id = n.entity_id"
					       " WHERE" INBOX_VISIBLE " AND (?6 = 0 OR n.read_at IS NULL)"
					       " AND (?7 = 0 OR n.id < ?7) ORDER BY n.id DESC LIMIT ?8");
	bind_viewer(st, who);
	db_bind_int(st, 6, unread_only);
	db_bind_int(st, 7, before);
	db_bind_int(st, 8, limit + 1);
	return rows_page(d, st, limit, next, inbox_row, NULL);
}

int64_t inbox_unread(db *d, const principal *who)
{
	db_stmt *st = db_prepare(d, HEADED_CTE "SELECT count(*) FROM notifications n WHERE" INBOX_VISIBLE
					       " AND n.read_at IS NULL");
	bind_viewer(st, who);
	return db_one_int(st, 0);
}

bool inbox_mark_read(db *d, int64_t user, int64_t id)
{
	db_stmt *st = db_prepare(d, "UPDATE notifications SET read_at = coalesce(read_at, ?1)"
				    " WHERE user_id = ?2 AND (?3 = 0 OR id = ?3)");
	db_bind_int(st, 1, clock_now_ms());
	db_bind_int(st, 2, user);
	db_bind_int(st, 3, id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE && (id == 0 || db_changes(d) > 0);
}
