/* liaison init: create or migrate the store, the first administrator, and optionally the demo company. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/org.h"
#include "cli/cli.h"
#include "store/org.h"
#include "util/log.h"

int cmd_init(int argc, char **argv)
{
	const char *url = NULL;
	bool demo = false, bad = false;
	if (cli_help("init", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad))
			continue;
		if (strcmp(argv[i], "--demo") == 0)
			demo = true;
		else
			return cli_fail("init", "unknown argument '%s'", argv[i]);
	}
	if (bad)
		return 2;
	db *d = NULL;
	int rc = cli_open("init", cli_db_url(url), &d);
	if (rc)
		return rc;
	log_set_quiet(1);
	if (!org_user_find_login(d, "admin")) {
		const char *env = getenv("LIAISON_ADMIN_PASSWORD");
		char *pw = env && *env ? strdup(env) : cli_ask_password("password for admin: ");
		if (!pw) {
			rc = cli_fail("init", "set LIAISON_ADMIN_PASSWORD to the first administrator's password");
			goto out;
		}
		user_in in = {USER_IN_LOGIN | USER_IN_NAME | USER_IN_PASSWORD | USER_IN_ADMIN | USER_IN_CLEARANCE,
			      .login = "admin", .name = "Administrator", .password = pw, .is_admin = true,
			      .clearance = CLEAR_SECRET};
		user created;
		lerr e = {0};
		arena *a = arena_new();
		op_ctx c;
		op_init(&c, d, &op_cli_principal, a);
		int r = op_user_create(&c, &in, &created, &e);
		op_release(&c);
		arena_free(a);
		free(pw);
		if (r) {
			fprintf(stderr, "liaison init: admin: %s%s%s\n", e.field, e.field[0] ? ": " : "", e.detail);
			rc = 1;
			goto out;
		}
		printf("created administrator 'admin'\n");
	}
	if (demo) {
		if (org_user_count(d) > 1) {
			printf("the store already has people; demo data not added\n");
		} else if ((rc = demo_populate(d))) {
			goto out;
		} else {
			printf("added the demo company; demo users sign in with password demo1234\n");
		}
	}
	printf("store ready: %s\n", cli_db_shown(cli_db_url(url)));
out:
	db_close(d);
	return rc;
}
