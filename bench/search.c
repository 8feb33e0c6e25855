/* Search benchmark: a store of N requests (default 200,000) with Chinese titles, goals and backgrounds
 * made of common words, then random queries — one character, one word (two characters), a longer
 * phrase, an English word, a code — through the list query exactly as GET /api/v1/requests?q= runs it
 * (visibility applied), for a viewer who may see most of them.  Prints latency percentiles of the index
 * and, as the reference measured in the same run, of the scan that search used before (LIKE on every row).
 * Usage: search [N] [QUERIES] [STORE_PATH]   (the store is made once and reused when it exists) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/migrate.h"
#include "store/org.h"
#include "store/request.h"
#include "util/clock.h"
#include "util/log.h"

static const char *const words[] = {
	"部门", "协作", "需求", "项目", "发布", "新品", "市场", "预算", "财务", "平台", "测试", "生产", "采购", "法务",
	"合同", "客户", "渠道", "推广", "活动", "会议", "评审", "上线", "系统", "升级", "数据", "报表", "流程", "优化",
	"培训", "招聘", "绩效", "考核", "供应", "物流", "仓储", "质量", "安全", "审计", "风险", "合规", "品牌", "设计",
	"官网", "改版", "直播", "媒体", "展会", "样品", "成本", "定价", "库存", "交付", "验收", "运维", "服务", "支持",
	"研发", "架构", "接口", "性能", "容量", "扩容", "迁移", "备份", "监控", "告警", "版本", "计划", "目标", "指标",
};
enum { NWORDS = sizeof words / sizeof words[0] };
static const char *const latin[] = {"Launch", "budget", "Plan", "event", "API", "report", "Q3", "beta"};

static unsigned seed = 42;

static char *sentence(arena *a, int nwords, bool with_latin)
{
	sbuf b;
	sbuf_init(&b);
	for (int i = 0; i < nwords; i++) {
		sbuf_adds(&b, words[rand_r(&seed) % NWORDS]);
		if (with_latin && rand_r(&seed) % 7 == 0) {
			sbuf_adds(&b, " ");
			sbuf_adds(&b, latin[rand_r(&seed) % 8]);
			sbuf_adds(&b, " ");
		}
		if (rand_r(&seed) % 5 == 0)
			sbuf_adds(&b, "，");
	}
	char *s = arena_strdup(a, b.p ? b.p : "");
	sbuf_release(&b);
	return s;
}

static double ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static void report(const char *what, double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp);
	printf("%-34s p50 %8.2f ms   p90 %8.2f ms   p99 %8.2f ms   max %8.2f ms\n", what, t[n / 2], t[n * 9 / 10],
	       t[n * 99 / 100], t[n - 1]);
}

/* The scan search used before the index: LIKE over the four columns of every visible row. */
static int scan(db *d, const principal *who, const char *q, int *found)
{
	static const char *sql =
		"SELECT r.id FROM requests r WHERE (r.conf_level <= 1 OR ?3 >= r.conf_level) AND (lower(r.code) LIKE ?1"
		" OR lower(r.title) LIKE ?1 OR lower(r.goal) LIKE ?1 OR lower(r.background) LIKE ?1) ORDER BY r.id DESC LIMIT 21";
	char pattern[256];
	snprintf(pattern, sizeof pattern, "%%%s%%", q);
	db_stmt *st = db_prepare(d, sql);
	db_bind_text(st, 1, pattern);
	db_bind_int(st, 3, who->clearance);
	*found = 0;
	while (db_step(st) == DB_ROW)
		(*found)++;
	db_done(st);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200000, nq = argc > 2 ? atoi(argv[2]) : 400;
	const char *path = argc > 3 ? argv[3] : "build/bench/search.db";
	log_set_quiet(1);
	bool fresh = access(path, F_OK) != 0;
	db *d;
	lerr e = {0};
	if (db_open(&d, path, &e) || db_migrate(d, &e)) {
		fprintf(stderr, "search: %s\n", e.detail);
		return 1;
	}
	arena *a = arena_new();
	int64_t depts[6], uid = 0;
	if (fresh) {
		double t0 = ms_now();
		db_begin(d);
		for (int i = 0; i < 6; i++) {
			department dp = {.name = arena_printf(a, "部门%d", i)};
			org_dept_insert(d, &dp, &depts[i]);
		}
		user u = {.login = "viewer", .name = "viewer", .email = "", .department_id = depts[0], .clearance = 1};
		org_user_insert(d, &u, "", &uid);
		static const char *crit[] = {"按期完成"};
		for (int i = 0; i < n; i++) {
			arena *ra = arena_new();
			int64_t inv[2] = {depts[1 + rand_r(&seed) % 5], depts[1 + (rand_r(&seed) + 1) % 5]};
			if (inv[0] == inv[1])
				inv[1] = depts[0] == inv[0] ? depts[1] : depts[0];
			request rq = {.code = arena_printf(ra, "REQ-%04d-%06d", 2020 + i % 7, i), .title = sentence(ra, 3 + rand_r(&seed) % 3, true),
				      .background = sentence(ra, 20 + rand_r(&seed) % 20, false), .goal = sentence(ra, 8 + rand_r(&seed) % 8, true),
				      .criteria = crit, .ncriteria = 1, .due_date = "2099-01-01",
				      .confidentiality = rand_r(&seed) % 10 == 0 ? 2 : 1, .priority = 1, .status = 1,
				      .initiator_id = uid, .initiating_department_id = depts[1 + i % 5], .involved = inv, .ninvolved = 2};
			int64_t id;
			if (rq_insert(d, &rq, &id) != DB_DONE || rq_set_status(d, id, 0, RQ_SUBMITTED) != DB_DONE) {
				fprintf(stderr, "search: insert failed\n");
				return 1;
			}
			arena_free(ra);
			if (i % 20000 == 19999) {
				db_commit(d);
				db_begin(d);
				fprintf(stderr, "  %d requests\n", i + 1);
			}
		}
		db_commit(d);
		db_exec(d, "INSERT INTO requests_fts(requests_fts) VALUES ('optimize'); ANALYZE;");
		printf("made %d requests in %.1f s\n", n, (ms_now() - t0) / 1000);
	}
	uid = org_user_find_login(d, "viewer");
	principal me;
	principal_of(d, NULL, uid, &me);
	double *t_fts = calloc((size_t)nq, sizeof(double)), *t_scan = calloc((size_t)nq, sizeof(double));
	long total_found = 0;
	for (int i = 0; i < nq; i++) {
		const char *q;
		char buf[64];
		switch (i % 5) {
		case 0: /* one character */
			snprintf(buf, sizeof buf, "%.3s", words[rand_r(&seed) % NWORDS] + 3 * (rand_r(&seed) % 2));
			q = buf;
			break;
		case 1: q = words[rand_r(&seed) % NWORDS]; break; /* a word: two characters */
		case 2: /* a phrase of two words */
			snprintf(buf, sizeof buf, "%s%s", words[rand_r(&seed) % NWORDS], words[rand_r(&seed) % NWORDS]);
			q = buf;
			break;
		case 3: q = latin[rand_r(&seed) % 8]; break;
		default: snprintf(buf, sizeof buf, "REQ-2023-%06d", rand_r(&seed) % n); q = buf; break;
		}
		arena *qa = arena_new();
		rq_filter f = {.q = q};
		request *items;
		size_t k;
		bool more;
		double t0 = ms_now();
		rq_list(d, qa, &me, &f, NULL, 20, &items, &k, &more);
		t_fts[i] = ms_now() - t0;
		total_found += (long)k;
		int found;
		t0 = ms_now();
		scan(d, &me, q, &found);
		t_scan[i] = ms_now() - t0;
		arena_free(qa);
	}
	printf("%d requests, %d queries (1 char, 2-char word, 4-char phrase, English word, code), %ld results\n", n, nq,
	       total_found);
	static const char *const kinds[] = {"  1 character", "  a word (2 characters)", "  two words (4 characters)",
					    "  an English word", "  a code"};
	for (int k = 0; k < 5; k++) {
		double part[4096];
		int m = 0;
		for (int i = k; i < nq && m < 4096; i += 5)
			part[m++] = t_fts[i];
		if (m)
			report(kinds[k], part, m);
	}
	report("reference: LIKE scan (before)", t_scan, nq);
	report("index: FTS5 liaison_ngram + list", t_fts, nq);
	printf("ratio of p99 (reference / index): %.1f\n", t_scan[nq * 99 / 100] / t_fts[nq * 99 / 100]);
	arena_free(a);
	db_close(d);
	return 0;
}
