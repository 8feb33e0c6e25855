/* The request list (GET /api/v1/requests) and its export (GET /api/v1/requests/export): the same
 * filters and order, one answering pages of JSON, the other every row as CSV or XLSX.  The export's
 * words (column names, statuses, priorities...) are the web UI's, from the i18n files built into the
 * binary, so a spreadsheet says what the page says. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "api/api.h"
#include "domain/org.h"
#include "domain/request_list.h"
#include "http/assets.h"
#include "ops/request.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/log.h"

typedef struct requests_query {
	unsigned set;
	unsigned statuses, priorities;
	int64_t department_id;
	bool mine;
	const char *q, *due_from, *due_to, *sort;
	int order, waiting_on, format, lang;
} requests_query;

static const char *const order_values[] = {"asc", "desc", NULL};
static const char *const waiting_values[] = {"me", NULL};
static const char *const format_values[] = {"csv", "xlsx", NULL};
static const char *const lang_values[] = {"zh-CN", "en", NULL};

enum { Q_ORDER = 1 << 8, Q_WAITING = 1 << 9, Q_FORMAT = 1 << 10, Q_LANG = 1 << 11 };

#define LIST_QUERY                                                                                                     \
	{"status",                                                                                                     \
	 JF_ENUMS,                                                                                                     \
	 0,                                                                                                            \
	 0,                                                                                                            \
	 0,                                                                                                            \
	 AT(requests_query, statuses),                                                                                 \
	 .bit = 1,                                                                                                     \
	 .values = rq_status_names,                                                                                    \
	 .doc = "request status; several: status=a,b or status=a&status=b"},                                           \
	    {"priority",                                                                                               \
	     JF_ENUMS,                                                                                                 \
	     0,                                                                                                        \
	     0,                                                                                                        \
	     0,                                                                                                        \
	     AT(requests_query, priorities),                                                                           \
	     .bit = 2,                                                                                                 \
	     .values = rq_priority_names,                                                                              \
	     .doc = "low, normal, high, urgent; several as for status"},                                               \
	    {"department_id",                                                                                          \
	     JF_INT,                                                                                                   \
	     0,                                                                                                        \
	     0,                                                                                                        \
	     0,                                                                                                        \
	     AT(requests_query, department_id),                                                                        \
	     .bit = 4,                                                                                                 \
	     .doc = "initiating or involved department"},                                                              \
	    {"mine", JF_BOOL, 0, 0, 0, AT(requests_query, mine), .bit = 8, .doc = "1: only those the caller raised"},  \
	    {"q", JF_STRING, 0, 0, 0, AT(requests_query, q), .bit = 16, .doc = "in code, title, goal and background"}, \
	    {"due_from", JF_STRING,                                                                                    \
	     0,          0,                                                                                            \
	     10,         AT(requests_query, due_from),                                                                 \
	     .bit = 32,  .doc = "YYYY-MM-DD: due on or after"},                                                        \
	    {"due_to",  JF_STRING,                                                                                     \
	     0,         0,                                                                                             \
	     10,        AT(requests_query, due_to),                                                                    \
	     .bit = 64, .doc = "YYYY-MM-DD: due on or before"},                                                        \
	    {"waiting_on",                                                                                             \
	     JF_ENUM,                                                                                                  \
	     0,                                                                                                        \
	     0,                                                                                                        \
	     0,                                                                                                        \
	     AT(requests_query, waiting_on),                                                                           \
	     .bit = Q_WAITING,                                                                                         \
	     .values = waiting_values,                                                                                 \
	     .doc = "me: those whose current step waits on the caller (My work but what waits on others)"},            \
	    {"sort",                                                                                                   \
	     JF_STRING,                                                                                                \
	     0,                                                                                                        \
	     0,                                                                                                        \
	     0,                                                                                                        \
	     AT(requests_query, sort),                                                                                 \
	     .bit = 128,                                                                                               \
	     .doc = "created (default -created: newest first), due_date, priority, status, code; -key descending"},    \
	{                                                                                                              \
		"order", JF_ENUM, 0, 0, 0, AT(requests_query, order), .bit = Q_ORDER, .values = order_values,          \
		                                                      .doc = "asc or desc (instead of the - of sort)"  \
	}

static const jfield list_query[] = {LIST_QUERY};
static const jfield export_query[] = {
    LIST_QUERY,
    {"format", JF_ENUM, 0, 0, 0, AT(requests_query, format), .bit = Q_FORMAT, .values = format_values,
     .doc = "csv (the default) or xlsx"},
    {"lang", JF_ENUM, 0, 0, 0, AT(requests_query, lang), .bit = Q_LANG, .values = lang_values,
     .doc = "zh-CN or en: the language of the header and the values (default: Accept-Language)"},
};

/* The operation's query from the route's. */
static request_query query_of(req *r)
{
	const requests_query *q = r->q;
	return (request_query){
	    .f = {.statuses = q->statuses,
	          .priorities = q->priorities,
	          .department_id = q->department_id,
	          .initiator_id = q->mine ? r->who.user_id : 0,
	          .q = q->q,
	          .due_from = q->due_from,
	          .due_to = q->due_to,
	          .waiting = (q->set & Q_WAITING) != 0},
	    .sort = q->sort,
	    .order = (q->set & Q_ORDER) ? order_values[q->order] : NULL,
	    .cursor = r->cursor_text,
	    .limit = r->limit,
	};
}

static void requests_list(req *r)
{
	request_query q = query_of(r);
	request_view *items;
	size_t n;
	const char *next;
	lerr e = {0};
	if (op_request_list(api_ctx(r), &q, &items, &n, &next, &e))
		return reply_err(r, &e);
	reply_records_cursor(r, &request_view_desc, items, n, sizeof *items, RV_LIST, next);
}

/* ------------------------------------------------------------------ export */

/* At most this many rows in one file; more answers 413 (the filter must be narrowed), never a file
 * silently cut short. */
enum { EXPORT_MAX = 100000 };

/* The UI's words in one language: web/i18n/<lang>.json as built into the binary. */
static json_t *words_load(const char *lang)
{
	char path[32];
	snprintf(path, sizeof path, "i18n/%s.json", lang);
	for (size_t i = 0; i < web_assets_count; i++)
		if (strcmp(web_assets[i].path, path) == 0)
			return json_loadb((const char *)web_assets[i].data, web_assets[i].len, 0, NULL);
	return NULL;
}

/* The word for key, or the key itself when there is none. */
static const char *word(json_t *words, const char *key)
{
	const char *w = json_string_value(json_object_get(words, key));
	return w ? w : key;
}

static const char *word2(json_t *words, arena *a, const char *prefix, const char *name)
{
	return word(words, arena_printf(a, "%s.%s", prefix, name ? name : ""));
}

/* The columns, in order: their header's i18n key and their width in an XLSX sheet (characters). */
enum col {
	C_CODE,
	C_TITLE,
	C_STATUS,
	C_PRIORITY,
	C_CONF,
	C_DEPT,
	C_INITIATOR,
	C_DUE,
	C_STEP,
	C_WAITING_ON,
	C_SUBMITTED,
	C_CREATED,
	C_COUNT
};
static const struct {
	const char *key;
	double width;
} cols[C_COUNT] = {
    {"requests.col.code", 15},        {"field.title", 40},
    {"requests.status", 10},          {"field.priority", 8},
    {"field.confidentiality", 8},     {"requests.col.department", 16},
    {"field.initiator", 10},          {"field.due_date", 12},
    {"requests.export.col.step", 18}, {"requests.export.col.waiting_on", 24},
    {"field.submitted_at", 17},       {"field.created_at", 17},
};

/* An instant in the organisation's time zone. */
static struct tm local_tm(int64_t ms)
{
	time_t t = (time_t)((ms + (int64_t)clock_local_offset_s(ms) * 1000) / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm;
}

static const char *local_time_text(arena *a, int64_t ms)
{
	if (!ms)
		return "";
	struct tm tm = local_tm(ms);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	                    tm.tm_min);
}

/* The cells of one request as text, in the language of words. */
static void row_texts(json_t *words, arena *a, const request_view *v, const char *cells[C_COUNT])
{
	const request *rq = &v->rq;
	cells[C_CODE] = rq->code;
	cells[C_TITLE] = rq->title;
	cells[C_STATUS] = word2(words, a, "status", rq_status_name((enum rq_status)rq->status));
	cells[C_PRIORITY] = word2(words, a, "priority", enum_name(rq_priority_names, rq->priority));
	cells[C_CONF] = word2(words, a, "clearance", clearance_name(rq->confidentiality));
	cells[C_DEPT] = rq->initiating_department_name;
	cells[C_INITIATOR] = rq->initiator_name;
	cells[C_DUE] = rq->due_date ? rq->due_date : "";
	cells[C_STEP] = v->waiting ? word2(words, a, "waiting.step", v->waiting->step) : word(words, "requests.closed");
	sbuf on;
	sbuf_init(&on);
	const char *sep = word(words, "requests.export.separator");
	for (size_t i = 0; v->waiting && i < v->waiting->non; i++) {
		if (i)
			sbuf_adds(&on, sep);
		sbuf_adds(&on, v->waiting->on[i].name ? v->waiting->on[i].name : "");
	}
	cells[C_WAITING_ON] = arena_strdup(a, on.p ? on.p : "");
	sbuf_release(&on);
	cells[C_SUBMITTED] = local_time_text(a, rq->submitted_at);
	cells[C_CREATED] = local_time_text(a, rq->created_at);
}

typedef struct export_ctx {
	json_t *words;
	arena *a;         /* the request's: words2 and the cells of a page (small) */
	sbuf csv;         /* format csv */
	lxw_workbook *wb; /* format xlsx */
	lxw_worksheet *ws;
	lxw_format *date, *datetime;
	lxw_row_t row;
} export_ctx;

static int csv_rows(void *ctx, const request_view *items, size_t n)
{
	export_ctx *x = ctx;
	for (size_t i = 0; i < n; i++) {
		const char *cells[C_COUNT];
		arena *a = arena_new();
		row_texts(x->words, a, &items[i], cells);
		for (int c = 0; c < C_COUNT; c++)
			csv_field(&x->csv, cells[c], c == 0);
		csv_end(&x->csv);
		arena_free(a);
	}
	return 0;
}

static int xlsx_fail(lxw_error err, lerr *e)
{
	log_error("export: libxlsxwriter: %s", lxw_strerror(err));
	return lerr_set(e, LERR_INTERNAL, "internal", NULL, "the spreadsheet could not be written");
}

/* A date or an instant as a spreadsheet date (a number the cell's format shows as a date). */
static lxw_error xlsx_time(export_ctx *x, int col, int64_t ms)
{
	if (!ms)
		return worksheet_write_blank(x->ws, x->row, (lxw_col_t)col, NULL);
	struct tm tm = local_tm(ms);
	lxw_datetime dt = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, 0};
	return worksheet_write_datetime(x->ws, x->row, (lxw_col_t)col, &dt, x->datetime);
}

static int xlsx_rows(void *ctx, const request_view *items, size_t n)
{
	export_ctx *x = ctx;
	for (size_t i = 0; i < n; i++) {
		const char *cells[C_COUNT];
		arena *a = arena_new();
		row_texts(x->words, a, &items[i], cells);
		x->row++;
		lxw_error err = LXW_NO_ERROR;
		for (int c = 0; c < C_COUNT && !err; c++) {
			int y, m, d;
			if (c == C_DUE && sscanf(cells[c], "%4d-%2d-%2d", &y, &m, &d) == 3) {
				lxw_datetime dt = {y, m, d, 0, 0, 0};
				err = worksheet_write_datetime(x->ws, x->row, (lxw_col_t)c, &dt, x->date);
			} else if (c == C_SUBMITTED || c == C_CREATED) {
				err = xlsx_time(x, c,
				                c == C_SUBMITTED ? items[i].rq.submitted_at : items[i].rq.created_at);
			} else if (cells[c] && *cells[c]) {
				/* Text stays text: a string cell is never evaluated, whatever it starts with. */
				err = worksheet_write_string(x->ws, x->row, (lxw_col_t)c, cells[c], NULL);
			}
		}
		arena_free(a);
		if (err)
			return (int)err;
	}
	return 0;
}

static void disposition(req *r, const char *ext)
{
	char today[16], header[96];
	time_t t = (time_t)((clock_now_ms() + (int64_t)clock_local_offset_s(clock_now_ms()) * 1000) / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	snprintf(header, sizeof header, "attachment; filename=\"requests-%s.%s\"", today, ext);
	reply_header(r, "Content-Disposition", header);
}

static void export_csv(req *r, const request_query *q, export_ctx *x)
{
	lerr e = {0};
	sbuf_init(&x->csv);
	sbuf_adds(&x->csv, CSV_BOM);
	for (int c = 0; c < C_COUNT; c++)
		csv_field(&x->csv, word(x->words, cols[c].key), c == 0);
	csv_end(&x->csv);
	if (op_request_export(api_ctx(r), q, EXPORT_MAX, csv_rows, x, &e)) {
		sbuf_release(&x->csv);
		return reply_err(r, &e);
	}
	size_t n = x->csv.len;
	reply_owned(r, 200, "text/csv; charset=utf-8", sbuf_detach(&x->csv), n);
	disposition(r, "csv");
}

static void export_xlsx(req *r, const request_query *q, export_ctx *x)
{
	lerr e = {0};
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[512];
	snprintf(path, sizeof path, "%s/liaison-export-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		log_error("export: no temporary file in %s: %s", dir, strerror(errno));
		return reply_problem(r, 500, "internal", NULL, "the spreadsheet could not be written");
	}
	/* constant_memory: each row goes to the file as it is written, so a long export holds one row. */
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)dir};
	x->wb = workbook_new_opt(path, &opt);
	lxw_error err = LXW_NO_ERROR;
	int rc = 0;
	if (!x->wb) {
		rc = lerr_set(&e, LERR_INTERNAL, "internal", NULL, "the spreadsheet could not be written");
		goto out;
	}
	x->ws = workbook_add_worksheet(x->wb, word(x->words, "requests.title"));
	lxw_format *bold = workbook_add_format(x->wb);
	format_set_bold(bold);
	x->date = workbook_add_format(x->wb);
	format_set_num_format(x->date, "yyyy-mm-dd");
	x->datetime = workbook_add_format(x->wb);
	format_set_num_format(x->datetime, "yyyy-mm-dd hh:mm");
	for (int c = 0; c < C_COUNT && !err; c++)
		err = worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL);
	for (int c = 0; c < C_COUNT && !err; c++)
		err = worksheet_write_string(x->ws, 0, (lxw_col_t)c, word(x->words, cols[c].key), bold);
	worksheet_freeze_panes(x->ws, 1, 0); /* the header stays in view */
	if (err) {
		rc = xlsx_fail(err, &e);
		goto out;
	}
	rc = op_request_export(api_ctx(r), q, EXPORT_MAX, xlsx_rows, x, &e);
	if (rc > 0) /* a libxlsxwriter error from xlsx_rows */
		rc = xlsx_fail((lxw_error)rc, &e);
	if (!rc && x->row > 0)
		err = worksheet_autofilter(x->ws, 0, 0, x->row, C_COUNT - 1);
	if (!rc && err)
		rc = xlsx_fail(err, &e);
out:
	if (x->wb) {
		err = workbook_close(x->wb); /* writes the file (and frees the workbook) */
		if (!rc && err)
			rc = xlsx_fail(err, &e);
	}
	/* The file is read through fd, which mkstemp opened on it before the workbook replaced its
	 * contents under the same name: reopen it, then let the name go. */
	int in = rc ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	close(fd);
	unlink(path);
	struct stat sb;
	if (!rc && (in < 0 || fstat(in, &sb) != 0)) {
		if (in >= 0)
			close(in);
		rc = lerr_set(&e, LERR_INTERNAL, "internal", NULL, "the spreadsheet could not be read back");
	}
	if (rc)
		return reply_err(r, &e);
	reply_fd(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", in, (uint64_t)sb.st_size);
	disposition(r, "xlsx");
}

static void requests_export(req *r)
{
	const requests_query *rq = r->q;
	request_query q = query_of(r);
	q.cursor = NULL;
	const char *lang = (rq->set & Q_LANG) ? lang_values[rq->lang]
	                                      : accept_language_pick(req_header(r, "Accept-Language"), lang_values);
	export_ctx x = {.words = words_load(lang), .a = r->a};
	if (!x.words) {
		log_error("export: the words of %s are not built in", lang);
		return reply_problem(r, 500, "internal", NULL, "the export's words are missing");
	}
	if ((rq->set & Q_FORMAT) && rq->format == 1)
		export_xlsx(r, &q, &x);
	else
		export_csv(r, &q, &x);
	json_decref(x.words);
}

const route request_lists_routes[] = {
    {"GET", "/api/v1/requests", requests_list, "requests_list", AUTH_USER,
     "Requests the caller may see; filters status, priority, due_from/due_to, waiting_on=me, department_id, mine=1, q; sort by created, due_date, priority, status or code",
     QUERY(list_query, requests_query), .paged = true, .cursor_text = true, .response = &request_view_desc},
    {"GET", "/api/v1/requests/export", requests_export, "requests_export", AUTH_USER,
     "Every request the same filters select, in the same order, as CSV (UTF-8 with BOM) or XLSX; more than 100000 → 413",
     QUERY(export_query, requests_query),
     .response_schema = "{\"type\":\"string\",\"description\":\"text/csv or an XLSX workbook, as an attachment\"}"},
};
const size_t request_lists_routes_n = API_ROUTES_N(request_lists_routes);
