/* Unit tests for src/domain/org.c: names, logins, e-mails, passwords, clearances, the tree, throttling. */
#include <criterion/criterion.h>

#include "domain/org.h"

Test(org, clearance_order_and_names)
{
	cr_assert_eq(clearance_parse("public"), CLEAR_PUBLIC);
	cr_assert_eq(clearance_parse("secret"), CLEAR_SECRET);
	cr_assert_eq(clearance_parse("Secret"), -1);
	cr_assert_eq(clearance_parse(NULL), -1);
	cr_assert(CLEAR_PUBLIC < CLEAR_INTERNAL && CLEAR_INTERNAL < CLEAR_CONFIDENTIAL && CLEAR_CONFIDENTIAL < CLEAR_SECRET);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(clearance_parse(clearance_name(i)), i);
}

Test(org, names)
{
	lerr e = {0};
	cr_assert_eq(org_check_name("研发中心", ORG_NAME_MAX, "name", &e), 0);
	cr_assert_eq(org_check_name("", ORG_NAME_MAX, "name", &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "required");
	cr_assert_eq(org_check_name("a\tb", ORG_NAME_MAX, "name", &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "invalid_value");
	cr_assert_eq(org_check_name(" lead", ORG_NAME_MAX, "name", &e), LERR_INVALID);
	cr_assert_eq(org_check_name("部门部门部门", 5, "title", &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "too_long");
	cr_assert_str_eq(e.field, "title");
	cr_assert_eq(org_check_name("部门部门部", 5, "title", &e), 0);
}

Test(org, logins)
{
	lerr e = {0};
	cr_assert_eq(org_check_login("wangfang", &e), 0);
	cr_assert_eq(org_check_login("li.qiang_2-b", &e), 0);
	cr_assert_eq(org_check_login("9lives", &e), 0);
	cr_assert_eq(org_check_login("Wang", &e), LERR_INVALID);
	cr_assert_eq(org_check_login("_x", &e), LERR_INVALID);
	cr_assert_eq(org_check_login("a", &e), LERR_INVALID);
	cr_assert_eq(org_check_login("王芳", &e), LERR_INVALID);
	cr_assert_eq(org_check_login("a b", &e), LERR_INVALID);
	cr_assert_eq(org_check_login("", &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "required");
	char longest[USER_LOGIN_MAX + 2];
	memset(longest, 'a', sizeof longest);
	longest[USER_LOGIN_MAX] = 0;
	cr_assert_eq(org_check_login(longest, &e), 0);
	longest[USER_LOGIN_MAX] = 'a';
	longest[USER_LOGIN_MAX + 1] = 0;
	cr_assert_eq(org_check_login(longest, &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "too_long");
}

Test(org, emails)
{
	lerr e = {0};
	cr_assert_eq(org_check_email("", &e), 0);
	cr_assert_eq(org_check_email("wang.fang@xinghe.example.com", &e), 0);
	const char *bad[] = {"wang", "@x.com", "a@b", "a@@b.com", "a b@c.com", "a@.com", "a@b.com."};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(org_check_email(bad[i], &e), LERR_INVALID, "%s accepted", bad[i]);
		cr_assert_str_eq(e.field, "email");
	}
}

Test(org, passwords)
{
	lerr e = {0};
	cr_assert_eq(org_check_password("12345678", &e), 0);
	cr_assert_eq(org_check_password("1234567", &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "weak_password");
	cr_assert_eq(org_check_password("密码密码密码密码", &e), 0); /* 8 characters, 24 bytes */
	cr_assert_eq(org_check_password("", &e), LERR_INVALID);
	cr_assert_str_eq(e.code, "required");
}

Test(org, tree_has_no_cycles)
{
	lerr e = {0};
	/* tree: 1 > 2 > 3 > 4 */
	int64_t chain_of_4[] = {4, 3, 2, 1};
	int64_t chain_of_1[] = {1};
	cr_assert_eq(org_check_parent(2, 0, NULL, 0, &e), 0);              /* to the top */
	cr_assert_eq(org_check_parent(4, 1, chain_of_1, 1, &e), 0);        /* up the tree */
	cr_assert_eq(org_check_parent(2, 2, NULL, 0, &e), LERR_INVALID);   /* itself */
	cr_assert_str_eq(e.code, "cycle");
	cr_assert_str_eq(e.field, "parent_id");
	cr_assert_eq(org_check_parent(2, 4, chain_of_4, 4, &e), LERR_INVALID); /* below itself */
	cr_assert_str_eq(e.code, "cycle");
	cr_assert_eq(org_check_parent(5, 4, chain_of_4, 4, &e), 0);        /* another branch */
}

Test(org, throttle_window)
{
	int retry = 0;
	int64_t w = THROTTLE_WINDOW_MS, t0 = 1000000;
	cr_assert(throttle_allows(0, 0, t0, 5, w, &retry));
	cr_assert(throttle_allows(4, t0, t0 + 10, 5, w, &retry));
	cr_assert_not(throttle_allows(5, t0, t0 + 10, 5, w, &retry));
	cr_assert_eq(retry, (int)((w - 10 + 999) / 1000));
	cr_assert_not(throttle_allows(5, t0, t0 + w - 1, 5, w, &retry));
	cr_assert_eq(retry, 1);
	cr_assert(throttle_allows(5, t0, t0 + w, 5, w, &retry)); /* the window has passed */
}
