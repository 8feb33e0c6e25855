/* The working-day calendar's operations (ops/calendar.h). */
#include "ops/calendar.h"

#include "store/calendar.h"
#include "store/org.h"
#include "util/clock.h"

/* Only administrators change the calendar (the routes say so too: this holds for every caller). */
static int admin_only(op_ctx *c, lerr *e)
{
	return c->who.is_admin ? 0
			       : lerr_set(e, LERR_FORBIDDEN, "forbidden", NULL, "only administrators change the calendar");
}

static int known_department(op_ctx *c, int64_t id, lerr *e)
{
	if (id == 0 || org_dept_exists(c->db, id))
		return 0;
	return lerr_set(e, LERR_NOT_FOUND, "not_found", "department_id", "department %lld does not exist", (long long)id);
}

int op_calendar_put(op_ctx *c, const char *date, const calendar_in *in, calendar_day *out, lerr *e)
{
	int rc = admin_only(c, e) || cal_check_date(date, e) || known_department(c, in->department_id, e);
	if (rc)
		return e->kind;
	if (!(in->set & CAL_IN_KIND))
		return lerr_set(e, LERR_INVALID, "required", "kind", "kind is required: holiday or workday");
	int64_t day;
	date_valid(date, &day);
	if ((rc = op_begin(c, e)))
		return rc;
	calendar_day before;
	int had = store_calendar_get(c->db, c->a, in->department_id, date, &before);
	*out = (calendar_day){.date = arena_strdup(c->a, date), .kind = in->kind,
			      .name = arena_strdup(c->a, in->name ? in->name : ""), .department_id = in->department_id};
	if ((had != DB_ROW && had != DB_DONE) || store_calendar_put(c->db, out) != DB_DONE)
		rc = op_fail("calendar", e);
	else
		rc = op_audit(c, "calendar_day", day, "put", &calendar_day_desc, had == DB_ROW ? &before : NULL, out, NULL, e);
	return op_end(c, rc, e);
}

int op_calendar_delete(op_ctx *c, const char *date, int64_t department_id, lerr *e)
{
	int rc = admin_only(c, e) || cal_check_date(date, e) || known_department(c, department_id, e);
	if (rc)
		return e->kind;
	int64_t day;
	date_valid(date, &day);
	if ((rc = op_begin(c, e)))
		return rc;
	calendar_day before;
	int had = store_calendar_get(c->db, c->a, department_id, date, &before);
	if (had == DB_DONE)
		rc = lerr_set(e, LERR_NOT_FOUND, "not_found", NULL, "the calendar has nothing for %s", date);
	else if (had != DB_ROW || store_calendar_delete(c->db, department_id, date) != DB_DONE)
		rc = op_fail("calendar", e);
	else
		rc = op_audit(c, "calendar_day", day, "delete", &calendar_day_desc, &before, NULL, NULL, e);
	return op_end(c, rc, e);
}
