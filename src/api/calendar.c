/* The working-day calendar (stage 2): the dates that differ from "Monday to Friday work" — routes. */
#include "api/api.h"
#include "ops/calendar.h"
#include "store/calendar.h"
#include "util/clock.h"

typedef struct calendar_query {
	unsigned set;
	const char *from, *to;
	int64_t department_id;
} calendar_query;

static const jfield calendar_query_fields[] = {
	{"from", JF_STRING, JF_REQUIRED, 0, 10, AT(calendar_query, from), .bit = 1, .doc = "YYYY-MM-DD, the first date"},
	{"to", JF_STRING, JF_REQUIRED, 0, 10, AT(calendar_query, to), .bit = 2,
	 .doc = "YYYY-MM-DD, the last date (at most 2 years after from)"},
	{"department_id", JF_ID, 0, 0, 0, AT(calendar_query, department_id), .bit = 4,
	 .doc = "with this department's own dates in place of the organisation's"},
};

typedef struct delete_query {
	unsigned set;
	int64_t department_id;
} delete_query;

static const jfield delete_query_fields[] = {
	{"department_id", JF_ID, 0, 0, 0, AT(delete_query, department_id), .bit = 1,
	 .doc = "a department's own date; the organisation's when absent"},
};

static const jfield day_fields[] = {
	{"kind", JF_ENUM, JF_REQUIRED, 0, 0, AT(calendar_in, kind), .bit = CAL_IN_KIND, .values = cal_kind_names,
	 .doc = "holiday (a weekday that rests) or workday (a weekend day that works, 调休)"},
	{"name", JF_STRING, 0, 0, CAL_NAME_MAX, AT(calendar_in, name), .bit = CAL_IN_NAME, .doc = "春节, 国庆节调休, ..."},
	{"department_id", JF_ID, JF_NULLABLE, 0, 0, AT(calendar_in, department_id), .bit = CAL_IN_DEPARTMENT,
	 .doc = "this department's own date; null or absent: the organisation's"},
};

static void calendar_list(req *r)
{
	const calendar_query *q = r->q;
	lerr e = {0};
	int64_t a, b;
	const char *bad = cal_check_date(q->from, &e) ? "from" : cal_check_date(q->to, &e) ? "to" : NULL;
	if (bad) { /* the parameter, not "date" */
		snprintf(e.field, sizeof e.field, "%s", bad);
		return reply_err(r, &e);
	}
	date_valid(q->from, &a);
	date_valid(q->to, &b);
	if (b < a || b - a > 731)
		return reply_problem(r, 422, "invalid_value", "to", "to must be on or after from, and at most 2 years later");
	calendar_day *items;
	size_t n;
	if (store_calendar_list(r->db, r->a, q->department_id, q->from, q->to, &items, &n) != DB_DONE)
		return reply_problem(r, 500, "internal", NULL, "the calendar could not be read");
	reply_records(r, &calendar_day_desc, items, n, sizeof *items, RV_FULL, 0);
}

static void calendar_put(req *r)
{
	calendar_day out;
	lerr e = {0};
	if (op_calendar_put(api_ctx(r), r->seg[0], r->in, &out, &e))
		return reply_err(r, &e);
	reply_record(r, 200, &calendar_day_desc, &out, RV_FULL);
}

static void calendar_delete(req *r)
{
	const delete_query *q = r->q;
	lerr e = {0};
	if (op_calendar_delete(api_ctx(r), r->seg[0], q->department_id, &e))
		return reply_err(r, &e);
	reply_empty(r, 204);
}

const route calendar_routes[] = {
	{"GET", "/api/v1/calendar", calendar_list, "calendar_list", AUTH_USER,
	 "The dates from..to that differ from Monday-to-Friday working (holidays, make-up workdays), in date order",
	 QUERY(calendar_query_fields, calendar_query), .response = &calendar_day_desc},
	{"PUT", "/api/v1/calendar/days/{date}", calendar_put, "calendar_day_put", AUTH_ADMIN,
	 "Set a date of the calendar: a holiday or a make-up workday, the organisation's or a department's",
	 BODY(day_fields, calendar_in), .response = &calendar_day_desc},
	{"DELETE", "/api/v1/calendar/days/{date}", calendar_delete, "calendar_day_delete", AUTH_ADMIN,
	 "Remove a date from the calendar (it then works or rests as its weekday says)",
	 QUERY(delete_query_fields, delete_query), .status = 204},
};
const size_t calendar_routes_n = API_ROUTES_N(calendar_routes);
