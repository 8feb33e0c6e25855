/* The request list's rules (domain/request_list.h): sort and order, cursors under each sort, the due
 * range; and the CSV fields and Accept-Language of its export (util/csv.h). */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/request_list.h"
#include "util/csv.h"

static rq_order order_of(const char *sort, const char *order)
{
	rq_order o;
	lerr e = {0};
	cr_assert_eq(rq_order_parse(sort, order, &o, &e), 0, "%s %s: %s", sort, order, e.detail);
	return o;
}

static void order_refused(const char *sort, const char *order, const char *field)
{
	rq_order o;
	lerr e = {0};
	cr_assert_eq(rq_order_parse(sort, order, &o, &e), LERR_BAD_REQUEST, "%s %s", sort, order);
	cr_assert_str_eq(e.field, field);
}

Test(request_list, sort_and_order)
{
	rq_order o = order_of(NULL, NULL);
	cr_assert(o.sort == RQS_CREATED && !o.asc, "newest first by default");
	o = order_of("", NULL);
	cr_assert(o.sort == RQS_CREATED && !o.asc);
	o = order_of("due_date", NULL);
	cr_assert(o.sort == RQS_DUE_DATE && o.asc);
	o = order_of("-priority", NULL);
	cr_assert(o.sort == RQS_PRIORITY && !o.asc);
	o = order_of("status", "desc");
	cr_assert(o.sort == RQS_STATUS && !o.asc);
	o = order_of("-code", "desc");
	cr_assert(o.sort == RQS_CODE && !o.asc);
	o = order_of("created", "asc");
	cr_assert(o.sort == RQS_CREATED && o.asc);
	o = order_of(NULL, "asc");
	cr_assert(o.sort == RQS_CREATED && o.asc, "order alone turns the default");
	order_refused("title", NULL, "sort");
	order_refused("--code", NULL, "sort");
	order_refused("-", NULL, "sort");
	order_refused("Code", NULL, "sort");
	order_refused("code", "up", "order");
	order_refused("-code", "asc", "order");
}

/* A request with the fields the keys read. */
static request rq_of(int64_t id, const char *due, int priority, int status, const char *code)
{
	return (request){.id = id, .due_date = due, .priority = priority, .status = status, .code = code};
}

/* Every sort: the cursor made after a request reads back as its key and id. */
Test(request_list, cursors_round_trip)
{
	request rqs[] = {rq_of(7, "2030-06-12", RQP_URGENT, RQ_ASSESSING, "REQ-2030-0007"),
			 rq_of(12, "", RQP_LOW, RQ_DRAFT, "REQ-2030-0012")};
	for (size_t i = 0; i < sizeof rqs / sizeof rqs[0]; i++)
		for (int sort = 0; sort < RQS_COUNT; sort++)
			for (int asc = 0; asc < 2; asc++) {
				rq_order o = {sort, asc};
				char text[RQ_KEY_MAX + 24], key[RQ_KEY_MAX];
				rq_cursor_make(&rqs[i], o, text, sizeof text);
				rq_cursor c;
				lerr e = {0};
				cr_assert_eq(rq_cursor_parse(text, o, &c, &e), 0, "%s: %s", text, e.detail);
				cr_assert_eq(c.id, rqs[i].id, "%s", text);
				rq_sort_key(&rqs[i], o, key, sizeof key);
				cr_assert_str_eq(c.key, key, "%s (sort %d, asc %d)", text, sort, asc);
			}
	char text[64];
	rq_cursor_make(&rqs[0], (rq_order){RQS_PRIORITY, false}, text, sizeof text);
	cr_assert_str_eq(text, "urgent~7", "readable: the priority's name");
	rq_cursor_make(&rqs[0], (rq_order){RQS_CREATED, false}, text, sizeof text);
	cr_assert_str_eq(text, "7", "the default's cursor is the id, as before");
	rq_cursor_make(&rqs[1], (rq_order){RQS_DUE_DATE, true}, text, sizeof text);
	cr_assert_str_eq(text, "~12", "a blank due date");
}

Test(request_list, blank_due_dates_sort_last_both_ways)
{
	request none = rq_of(1, "", 0, 0, "X"), some = rq_of(2, "9999-12-31", 0, 0, "Y");
	char a[RQ_KEY_MAX], b[RQ_KEY_MAX];
	rq_sort_key(&none, (rq_order){RQS_DUE_DATE, true}, a, sizeof a);
	rq_sort_key(&some, (rq_order){RQS_DUE_DATE, true}, b, sizeof b);
	cr_assert_gt(strcmp(a, b), 0, "ascending: after the latest date");
	rq_sort_key(&none, (rq_order){RQS_DUE_DATE, false}, a, sizeof a);
	rq_sort_key(&some, (rq_order){RQS_DUE_DATE, false}, b, sizeof b);
	cr_assert_lt(strcmp(a, b), 0, "descending: below every date");
}

static void cursor_refused(const char *text, rq_order o)
{
	rq_cursor c;
	lerr e = {0};
	cr_assert_eq(rq_cursor_parse(text, o, &c, &e), LERR_BAD_REQUEST, "%s", text);
	cr_assert_str_eq(e.field, "cursor");
}

Test(request_list, cursors_refused)
{
	rq_order created = {RQS_CREATED, false}, due = {RQS_DUE_DATE, true}, prio = {RQS_PRIORITY, false},
		 status = {RQS_STATUS, true}, code = {RQS_CODE, false};
	rq_cursor c;
	cr_assert_eq(rq_cursor_parse(NULL, prio, &c, NULL), 0);
	cr_assert_eq(c.id, 0, "no cursor: from the top");
	cr_assert_eq(rq_cursor_parse("", prio, &c, NULL), 0);
	const char *bad_created[] = {"abc", "-1", "0", "1~2", "12a", "99999999999999999999", " 1"};
	for (size_t i = 0; i < sizeof bad_created / sizeof bad_created[0]; i++)
		cursor_refused(bad_created[i], created);
	cursor_refused("123", prio);
	cursor_refused("highest~3", prio);
	cursor_refused("urgent~", prio);
	cursor_refused("urgent~0", prio);
	cursor_refused("urgent~-3", prio);
	cursor_refused("2030-02-30~3", due);
	cursor_refused("tomorrow~3", due);
	cursor_refused("open~3", status);
	cursor_refused("REQ 1~3", code);
	cursor_refused("REQ-\x01~3", code);
	char long_key[RQ_KEY_MAX + 10];
	memset(long_key, 'A', sizeof long_key);
	snprintf(long_key + RQ_KEY_MAX, 10, "~5");
	cursor_refused(long_key, code);
	cr_assert_eq(rq_cursor_parse("a~b~3", code, &c, NULL), 0, "the id follows the last ~");
	cr_assert_str_eq(c.key, "a~b");
}

Test(request_list, due_range)
{
	lerr e = {0};
	cr_assert_eq(rq_check_due_range(NULL, NULL, &e), 0);
	cr_assert_eq(rq_check_due_range("2030-01-01", "2030-01-01", &e), 0, "one day");
	cr_assert_eq(rq_check_due_range("2030-01-01", NULL, &e), 0);
	cr_assert_eq(rq_check_due_range(NULL, "2030-01-01", &e), 0);
	cr_assert_eq(rq_check_due_range("2030-13-01", NULL, &e), LERR_BAD_REQUEST);
	cr_assert_str_eq(e.field, "due_from");
	cr_assert_eq(rq_check_due_range("2030-01-01", "2030-02-29", &e), LERR_BAD_REQUEST);
	cr_assert_str_eq(e.field, "due_to");
	cr_assert_eq(rq_check_due_range("2030-01-02", "2030-01-01", &e), LERR_BAD_REQUEST, "backwards");
	cr_assert_str_eq(e.field, "due_to");
}

static const char *csv_of(const char *const *fields, size_t n)
{
	static char out[256];
	sbuf b;
	sbuf_init(&b);
	for (size_t i = 0; i < n; i++)
		csv_field(&b, fields[i], i == 0);
	csv_end(&b);
	snprintf(out, sizeof out, "%s", b.p);
	sbuf_release(&b);
	return out;
}

Test(csv, fields_quoted_and_formulas_defused)
{
	const char *plain[] = {"REQ-2030-0001", "新品发布会", "", NULL};
	cr_assert_str_eq(csv_of(plain, 4), "REQ-2030-0001,新品发布会,,\r\n");
	const char *quoted[] = {"a,b", "say \"hi\"", "two\nlines", "cr\r"};
	cr_assert_str_eq(csv_of(quoted, 4), "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n");
	const char *formulas[] = {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=1"};
	cr_assert_str_eq(csv_of(formulas, 7), "\"'=1+1\",\"'+1\",\"'-1\",\"'@SUM(A1)\",\"'\tx\",\"'\rx\",a=1\r\n");
	const char *both[] = {"=HYPERLINK(\"x\",\"y\")"};
	cr_assert_str_eq(csv_of(both, 1), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n");
}

Test(csv, accept_language)
{
	const char *const langs[] = {"zh-CN", "en", NULL};
	cr_assert_str_eq(accept_language_pick(NULL, langs), "zh-CN");
	cr_assert_str_eq(accept_language_pick("", langs), "zh-CN");
	cr_assert_str_eq(accept_language_pick("en", langs), "en");
	cr_assert_str_eq(accept_language_pick("en-US,en;q=0.9,zh-CN;q=0.8", langs), "en");
	cr_assert_str_eq(accept_language_pick("zh-TW,zh;q=0.9,en;q=0.8", langs), "zh-CN", "Chinese of any region");
	cr_assert_str_eq(accept_language_pick("en;q=0.4, zh;q=0.9", langs), "zh-CN", "the higher q");
	cr_assert_str_eq(accept_language_pick("fr, de;q=0.9", langs), "zh-CN", "none: the first");
	cr_assert_str_eq(accept_language_pick("fr, EN-gb;q=0.5", langs), "en", "case ignored");
	cr_assert_str_eq(accept_language_pick("en;q=0, zh;q=0.1", langs), "zh-CN", "q=0: not acceptable");
	cr_assert_str_eq(accept_language_pick(";;,, ,q=1,en-;q=abc,-", langs), "zh-CN", "garbage");
	cr_assert_str_eq(accept_language_pick("enx,en", langs), "en", "enx is not en");
}
