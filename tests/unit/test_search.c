/* Request search (store/request.c over the liaison_ngram FTS5 index of store/db_sqlite.c) answers exactly
 * what a substring test answers: for random texts over a small alphabet of Chinese characters, letters in
 * both cases, a space and a dash, every query of one to eight characters finds exactly the requests whose
 * code, title, goal or background contains it (ASCII case ignored) — one- and two-character Chinese
 * queries included, and longer ones, which take another path — before and after edits. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "domain/org.h"
#include "store/migrate.h"
#include "store/org.h"
#include "store/request.h"
#include "util/log.h"

static const char *const alphabet[] = {"部", "门", "协", "作", "a", "B", " ", "-"};
enum { NA = 8, NRQ = 120 };

static char *random_text(arena *a, unsigned *seed, int max)
{
	int n = rand_r(seed) % (max + 1);
	char *s = arena_alloc(a, (size_t)n * 3 + 1), *p = s;
	for (int i = 0; i < n; i++) {
		const char *c = alphabet[rand_r(seed) % NA];
		size_t k = strlen(c);
		memcpy(p, c, k);
		p += k;
	}
	*p = 0;
	return s;
}

/* The last k characters of s, or NULL when it has fewer. */
static const char *tail_chars(const char *s, int k)
{
	const char *p = s + strlen(s);
	while (k > 0 && p > s) {
		p--;
		if (((unsigned char)*p & 0xC0) != 0x80)
			k--;
	}
	return k == 0 ? p : NULL;
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

static bool contains(const char *hay, const char *needle)
{
	char h[256], n[64];
	snprintf(h, sizeof h, "%s", hay ? hay : "");
	snprintf(n, sizeof n, "%s", needle);
	lower_ascii(h);
	lower_ascii(n);
	return strstr(h, n) != NULL;
}

Test(search, finds_exactly_the_substrings)
{
	char path[256];
	test_store_new(path, sizeof path, "search");
	log_set_quiet(1);
	db *d;
	lerr e = {0};
	cr_assert_eq(db_open(&d, path, &e), 0, "%s", e.detail);
	cr_assert_eq(db_migrate(d, &e), 0, "%s", e.detail);
	arena *a = arena_new();
	department dp = {.name = "D"};
	int64_t dept, other, uid;
	cr_assert_eq(org_dept_insert(d, &dp, &dept), DB_DONE);
	dp.name = "E";
	cr_assert_eq(org_dept_insert(d, &dp, &other), DB_DONE);
	user u = {.login = "u", .name = "u", .email = "", .department_id = dept, .clearance = 3};
	cr_assert_eq(org_user_insert(d, &u, "", &uid), DB_DONE);
	principal me = {.user_id = uid, .department_id = dept, .clearance = 3};

	unsigned seed = 20261203;
	static const char *crit[] = {"c"};
	request rqs[NRQ];
	int64_t ids[NRQ];
	for (int i = 0; i < NRQ; i++) {
		char *code = arena_printf(a, "REQ-T-%04d", i);
		rqs[i] = (request){.code = code, .title = random_text(a, &seed, 6), .background = random_text(a, &seed, 10),
				   .goal = random_text(a, &seed, 8), .criteria = crit, .ncriteria = 1, .due_date = "2099-01-01",
				   .confidentiality = 1, .priority = 1, .initiator_id = uid, .initiating_department_id = dept,
				   .involved = &other, .ninvolved = 1};
		cr_assert_eq(rq_insert(d, &rqs[i], &ids[i]), DB_DONE);
		rqs[i].id = ids[i];
	}
	for (int round = 0; round < 2; round++) {
		if (round == 1) /* edits keep the index in step */
			for (int i = 0; i < NRQ; i += 3) {
				rqs[i].title = random_text(a, &seed, 6);
				rqs[i].goal = random_text(a, &seed, 8);
				rqs[i].version = round;
				request cur;
				cr_assert_eq(rq_load(d, a, ids[i], &cur), DB_ROW);
				rqs[i].version = cur.version;
				cr_assert_eq(rq_update(d, &rqs[i]), DB_DONE);
			}
		int queries = 0, hits = 0;
		for (unsigned q = 0; q < 300; q++) {
			unsigned qs = q * 7919u + (unsigned)round;
			/* Mostly one to four characters.  Every third is longer, which search looks up by its last
			 * characters and then checks whole: some request's last five characters after one to
			 * three random ones, so that the lookup finds candidates that the check must turn down. */
			char *query = random_text(a, &qs, 4);
			const char *tail = q % 3 == 0 ? tail_chars(rqs[rand_r(&qs) % NRQ].background, 5) : NULL;
			if (tail) {
				char *head = random_text(a, &qs, 3);
				query = arena_printf(a, "%s%s%s", *head ? head : "协", "", tail);
			}
			if (!*query)
				continue;
			rq_filter f = {.q = query};
			request *found;
			size_t n;
			bool more;
			cr_assert_eq(rq_list(d, a, &me, &f, NULL, 1000, &found, &n, &more), DB_DONE);
			for (int i = 0; i < NRQ; i++) {
				bool expect = contains(rqs[i].code, query) || contains(rqs[i].title, query) ||
					      contains(rqs[i].goal, query) || contains(rqs[i].background, query);
				bool got = false;
				for (size_t k = 0; k < n; k++)
					got |= found[k].id == ids[i];
				cr_assert_eq(got, expect, "query \"%s\", request %d (title \"%s\", goal \"%s\", background \"%s\")",
					     query, i, rqs[i].title, rqs[i].goal, rqs[i].background);
				hits += expect;
			}
			queries++;
		}
		cr_assert_gt(queries, 200);
		cr_assert(hits > 100 && hits < queries * NRQ / 2, "the queries cover both answers (%d hits)", hits);
	}
	arena_free(a);
	db_close(d);
	test_store_drop(path);
}
