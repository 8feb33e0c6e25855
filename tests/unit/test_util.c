/* Unit tests for src/util: UTF-8, buffers, arena, dates and instants, JSON input checks. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <string.h>

#include "util/arena.h"
#include "util/clock.h"
#include "util/jsonv.h"
#include "util/record.h"
#include "util/str.h"

Test(utf8, accepts_ascii_and_chinese)
{
	cr_assert(utf8_valid("hello", 5));
	const char *zh = "跨部门协作需求单";
	cr_assert(utf8_valid(zh, strlen(zh)));
	cr_assert_eq(utf8_count(zh), 8);
	cr_assert(utf8_valid("\xF0\x9F\x98\x80", 4)); /* emoji, 4 bytes */
}

Test(utf8, refuses_malformed)
{
	cr_assert_not(utf8_valid("\xff", 1));
	cr_assert_not(utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
	cr_assert_not(utf8_valid("\xE0\x80\xAF", 3));     /* overlong */
	cr_assert_not(utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
	cr_assert_not(utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
	cr_assert_not(utf8_valid("\xE8\xB7", 2));         /* truncated */
	cr_assert_not(utf8_valid("\xE8\x41\x41", 3));     /* bad continuation */
	cr_assert_not(utf8_valid("\xC4\xE3\xBA\xC3", 4)); /* 你好 in GBK */
}

Test(utf8, bom)
{
	cr_assert_eq(utf8_bom_len("\xEF\xBB\xBFx", 4), 3);
	cr_assert_eq(utf8_bom_len("x", 1), 0);
	cr_assert_eq(utf8_bom_len("\xEF\xBB", 2), 0);
}

Test(str, buffer_and_trim)
{
	sbuf b;
	sbuf_init(&b);
	for (int i = 0; i < 1000; i++)
		sbuf_printf(&b, "%d,", i);
	cr_assert(str_starts_with(b.p, "0,1,2,"));
	cr_assert_eq(b.len, strlen(b.p));
	char *p = sbuf_detach(&b);
	cr_assert_null(b.p);
	free(p);
	char s[] = "  部门 \t\n";
	cr_assert_str_eq(str_trim(s), "部门");
	cr_assert(str_ieq("Content-Type", "content-type"));
	cr_assert_not(str_ieq("abc", "abcd"));
}

Test(arena, many_allocations_and_big_ones)
{
	arena *a = arena_new();
	for (int i = 0; i < 10000; i++) {
		char *p = arena_alloc(a, 24);
		cr_assert_eq((uintptr_t)p % 16, 0);
		cr_assert_eq(p[0], 0);
	}
	char *big = arena_alloc(a, 100000);
	memset(big, 1, 100000);
	cr_assert_str_eq(arena_printf(a, "%s-%d", "REQ", 7), "REQ-7");
	cr_assert_str_eq(arena_strndup(a, "abcdef", 3), "abc");
	arena_free(a);
}

Test(clock, dates)
{
	int64_t d;
	cr_assert(date_valid("1970-01-01", &d));
	cr_assert_eq(d, 0);
	cr_assert(date_valid("2026-11-27", &d));
	cr_assert_eq(d, 20784);
	cr_assert(date_valid("2024-02-29", NULL));
	cr_assert_not(date_valid("2026-02-29", NULL));
	cr_assert_not(date_valid("2026-13-01", NULL));
	cr_assert_not(date_valid("2026-1-01", NULL));
	cr_assert_not(date_valid("2026-01-01x", NULL));
	cr_assert_not(date_valid("", NULL));
	cr_assert_not(date_valid(NULL, NULL));
}

Test(clock, rfc3339_round_trip_and_offsets)
{
	int64_t ms;
	char buf[40];
	cr_assert_eq(time_parse_rfc3339("2026-12-01T09:00:00+08:00", &ms), 0);
	time_format_rfc3339(ms, buf, sizeof buf);
	cr_assert_str_eq(buf, "2026-12-01T01:00:00.000Z");
	cr_assert_eq(time_parse_rfc3339("2026-12-01T01:00:00.250Z", &ms), 0);
	time_format_rfc3339(ms, buf, sizeof buf);
	cr_assert_str_eq(buf, "2026-12-01T01:00:00.250Z");
	cr_assert_eq(time_parse_rfc3339("1969-12-31T23:59:59Z", &ms), 0);
	cr_assert_eq(ms, -1000);
	time_format_rfc3339(-1, buf, sizeof buf);
	cr_assert_str_eq(buf, "1969-12-31T23:59:59.999Z");
	cr_assert_neq(time_parse_rfc3339("2026-12-01T09:00:00", &ms), 0); /* no offset */
	cr_assert_neq(time_parse_rfc3339("2026-12-01 09:00", &ms), 0);
	cr_assert_neq(time_parse_rfc3339("2026-12-01T25:00:00Z", &ms), 0);
}

Test(clock, local_dates_in_the_organisation_time_zone)
{
	int64_t ms, d;
	cr_assert_eq(clock_set_timezone("Asia/Shanghai"), 0);
	cr_assert_eq(time_parse_rfc3339("2026-11-27T15:59:59Z", &ms), 0); /* 23:59:59 in Shanghai */
	clock_set_ms(ms);
	date_valid("2026-11-27", &d);
	int64_t today = clock_local_today();
	cr_assert(today == d || today == d + 1); /* a second may pass */
	cr_assert_eq(time_parse_rfc3339("2026-12-31T16:30:00Z", &ms), 0); /* 00:30 on 1 January in Shanghai */
	clock_set_ms(ms);
	date_valid("2027-01-01", &d);
	cr_assert_eq(clock_local_today(), d);
	cr_assert_eq(clock_local_year(), 2027);
	cr_assert_eq(clock_set_timezone("UTC"), 0);
	cr_assert_eq(clock_local_year(), 2026);
	cr_assert_eq(clock_set_timezone("Mars/Olympus"), -1);
	cr_assert_eq(clock_set_timezone("../etc/passwd"), -1);
}

Test(clock, settable)
{
	int64_t target = 1800000000000LL;
	clock_set_ms(target);
	int64_t now = clock_now_ms();
	cr_assert(now >= target && now < target + 5000);
}

static const jfield spec[] = {
	{"name", JF_STRING, JF_REQUIRED, 0, 5, .doc = NULL},
	{"n", JF_INT, 0, 1, 5, .doc = NULL},
	{"id", JF_ID, JF_NULLABLE, 0, 0, .doc = NULL},
	{"ids", JF_IDS, 0, 0, 3, .doc = NULL},
	{"flag", JF_BOOL, 0, 0, 0, .doc = NULL},
};

static void expect(const char *json, const char *code, const char *field)
{
	json_t *in = json_loads(json, 0, NULL);
	cr_assert_not_null(in, "bad test JSON %s", json);
	lerr e = {0};
	int rc = JSONV_CHECK(in, spec, &e);
	json_decref(in);
	if (!code) {
		cr_assert_eq(rc, 0, "%s: unexpected %s on %s", json, e.code, e.field);
		return;
	}
	cr_assert_eq(rc, LERR_INVALID, "%s accepted", json);
	cr_assert_str_eq(e.code, code, "%s: code %s", json, e.code);
	cr_assert_str_eq(e.field, field, "%s: field %s", json, e.field);
}

Test(jsonv, fields)
{
	expect("{\"name\":\"ok\"}", NULL, NULL);
	expect("{\"name\":\"部门名称五\",\"n\":5,\"id\":null,\"ids\":[1,2,3],\"flag\":true}", NULL, NULL);
	expect("{}", "required", "name");
	expect("{\"name\":\"  \"}", "required", "name");
	expect("{\"name\":null}", "required", "name");
	expect("{\"name\":\"六个字的名称\"}", "too_long", "name");
	expect("{\"name\":1}", "invalid_type", "name");
	expect("{\"name\":\"a\",\"x\":1}", "unknown_field", "x");
	expect("{\"name\":\"a\",\"n\":0}", "invalid_value", "n");
	expect("{\"name\":\"a\",\"n\":1.5}", "invalid_type", "n");
	expect("{\"name\":\"a\",\"id\":0}", "invalid_value", "id");
	expect("{\"name\":\"a\",\"id\":\"3\"}", "invalid_type", "id");
	expect("{\"name\":\"a\",\"ids\":[1,1]}", "duplicate", "ids");
	expect("{\"name\":\"a\",\"ids\":[1,2,3,4]}", "too_long", "ids");
	expect("{\"name\":\"a\",\"ids\":[-1]}", "invalid_type", "ids");
	expect("{\"name\":\"a\",\"flag\":1}", "invalid_type", "flag");
	expect("{\"name\":\"a\",\"flag\":null}", "invalid_type", "flag");
}

Test(jsonv, not_an_object)
{
	json_t *in = json_loads("[1]", 0, NULL);
	lerr e = {0};
	cr_assert_eq(JSONV_CHECK(in, spec, &e), LERR_INVALID);
	json_decref(in);
}

Test(jsonv, depth_and_longest)
{
	cr_assert_eq(json_text_depth("{\"a\":[1,{\"b\":\"[[[[\"}]}", 22), 3);
	cr_assert_eq(json_text_depth("\"\\\"[\"", 5), 0);
	json_t *v = json_loads("{\"k\":[\"abc\",\"跨部门协作\"]}", 0, NULL);
	cr_assert_eq(json_longest_string(v), 5);
	json_decref(v);
}

Test(clock, rfc3339_by_hand_matches_the_calendar)
{
	char buf[40];
	time_format_rfc3339(0, buf, sizeof buf);
	cr_assert_str_eq(buf, "1970-01-01T00:00:00.000Z");
	time_format_rfc3339(1796291666573LL, buf, sizeof buf);
	cr_assert_str_eq(buf, "2026-12-03T09:54:26.573Z");
	time_format_rfc3339(951782400000LL + 86399999LL, buf, sizeof buf); /* the last ms of 2000-02-29 */
	cr_assert_str_eq(buf, "2000-02-29T23:59:59.999Z");
	int64_t back;
	cr_assert_eq(time_parse_rfc3339("2026-12-03T09:54:26.573Z", &back), 0);
	cr_assert_eq(back, 1796291666573LL);
}

typedef struct probe {
	int64_t id, version, when, cents;
	const char *text;
	int64_t *ids;
	size_t nids;
	bool flag;
} probe;

static const rfield probe_fields[] = {
	{"id", RK_INT, .off = offsetof(probe, id)},
	{"text", RK_STR, .off = offsetof(probe, text)},
	{"when", RK_TIME, .off = offsetof(probe, when)},
	{"cents", RK_CENTS, .off = offsetof(probe, cents)},
	{"ids", RK_IDS, .off = offsetof(probe, ids), .count_off = offsetof(probe, nids)},
	{"flag", RK_BOOL, .off = offsetof(probe, flag)},
	{"version", RK_INT, .off = offsetof(probe, version)},
};
static const rdesc probe_desc = RDESC("Probe", probe_fields, NULL);

/* The text writer (what answers use) says exactly what the jansson tree says. */
Test(record, written_text_equals_the_json_tree)
{
	int64_t ids[] = {3, -4, 9007199254740993LL};
	static const char *const texts[] = {"plain", "引号\"与\\反斜杠", "控制\x01\x1f\n\t\r\b\f字符", "", "é 🎉 \xe2\x80\xa8", NULL};
	static const int64_t cents[] = {0, 5, 10, 1250, 3000075, -199, 100};
	for (size_t t = 0; t < 6; t++)
		for (size_t c = 0; c < sizeof cents / sizeof *cents; c++) {
			probe p = {.id = 7, .version = 3, .when = c ? 1796291666573LL : 0, .cents = cents[c], .text = texts[t],
				   .ids = ids, .nids = t % 2 ? 3 : 0, .flag = c % 2};
			sbuf b;
			sbuf_init(&b);
			rec_write(&b, &probe_desc, &p, RV_FULL);
			json_error_t je;
			json_t *parsed = json_loadb(b.p, b.len, 0, &je), *tree = rec_json(&probe_desc, &p, RV_FULL);
			cr_assert_not_null(parsed, "%s: %s", b.p, je.text);
			cr_assert(json_equal(parsed, tree), "%s", b.p);
			cr_assert_eq(rec_version(&probe_desc, &p), 3);
			json_decref(parsed);
			json_decref(tree);
			sbuf_release(&b);
		}
}
