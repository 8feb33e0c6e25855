/* liaison user|dept: add and list people and departments from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/org.h"
#include "cli/cli.h"
#include "store/org.h"
#include "util/log.h"

/* A department given by id or by name; 0 when there is none, -1 when several share the name. */
static int64_t dept_ref(db *d, const char *ref)
{
	char *end;
	long long id = strtoll(ref, &end, 10);
	if (!*end && id > 0)
		return org_dept_exists(d, id) ? id : 0;
	int64_t found;
	int n = org_dept_count_by_name(d, ref, &found);
	return n > 1 ? -1 : found;
}

/* Runs one create operation as the command line, printing what it made or why it could not. */
static int run_op(const char *cmd, db *d, const void *in, bool is_user)
{
	lerr e = {0};
	arena *a = arena_new();
	op_ctx c;
	op_init(&c, d, &op_cli_principal, a);
	user u;
	department dp;
	int rc = is_user ? op_user_create(&c, in, &u, &e) : op_dept_create(&c, in, &dp, &e);
	if (rc)
		fprintf(stderr, "liaison %s: %s%s%s\n", cmd, e.field, e.field[0] ? ": " : "", e.detail);
	else
		printf("created %s %lld\n", is_user ? u.login : dp.name, (long long)(is_user ? u.id : dp.id));
	op_release(&c);
	arena_free(a);
	return rc ? 1 : 0;
}

/* liaison user passwd: a new password for someone, from $LIAISON_PASSWORD or the terminal. */
static int user_passwd(int argc, char **argv)
{
	const char *url = NULL, *login = NULL;
	bool bad = false;
	for (int i = 2; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad) || cli_opt(argc, argv, &i, "--login", &login, &bad))
			continue;
		return cli_fail("user", "unknown argument '%s'", argv[i]);
	}
	if (bad)
		return 2;
	if (!login)
		return cli_fail("user", "--login is required");
	db *d;
	int rc = cli_open("user", cli_db_url(url), &d);
	if (rc)
		return rc;
	int64_t id = org_user_find_login(d, login);
	arena *a = arena_new();
	user u;
	bool found = id && org_user_load(d, a, id, &u) == DB_ROW;
	const char *env = getenv("LIAISON_PASSWORD");
	char *pw = NULL;
	if (!found) {
		rc = cli_fail("user", "--login: no user '%s'", login);
	} else if (!(pw = env && *env ? strdup(env) : cli_ask_password("new password: "))) {
		rc = cli_fail("user", "set LIAISON_PASSWORD to the new password (no terminal to ask on)");
	} else {
		user_in in = {USER_IN_PASSWORD, .password = pw};
		lerr e = {0};
		op_ctx c;
		op_init(&c, d, &op_cli_principal, a);
		rc = op_user_update(&c, id, u.version, &in, &u, &e);
		op_release(&c);
		if (rc) {
			fprintf(stderr, "liaison user: %s%s%s\n", e.field, e.field[0] ? ": " : "", e.detail);
			rc = 1;
		} else {
			printf("new password set for %s; their sessions have ended\n", login);
		}
	}
	free(pw);
	arena_free(a);
	db_close(d);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	if (cli_help("user", argc, argv))
		return 0;
	if (argc < 2 || (strcmp(argv[1], "add") && strcmp(argv[1], "list") && strcmp(argv[1], "passwd")))
		return cli_fail("user", "say 'add', 'passwd' or 'list'; see liaison user --help");
	if (strcmp(argv[1], "passwd") == 0)
		return user_passwd(argc, argv);
	bool add = strcmp(argv[1], "add") == 0, bad = false, admin = false, coord = false;
	const char *url = NULL, *login = NULL, *name = NULL, *email = NULL, *dept = NULL, *pw = NULL, *clr = NULL;
	for (int i = 2; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad))
			continue;
		if (add && (cli_opt(argc, argv, &i, "--login", &login, &bad) || cli_opt(argc, argv, &i, "--name", &name, &bad) ||
			    cli_opt(argc, argv, &i, "--email", &email, &bad) ||
			    cli_opt(argc, argv, &i, "--department", &dept, &bad) ||
			    cli_opt(argc, argv, &i, "--password", &pw, &bad) ||
			    cli_opt(argc, argv, &i, "--clearance", &clr, &bad)))
			continue;
		if (add && strcmp(argv[i], "--admin") == 0)
			admin = true;
		else if (add && strcmp(argv[i], "--coordinator") == 0)
			coord = true;
		else
			return cli_fail("user", "unknown argument '%s'", argv[i]);
	}
	if (bad)
		return 2;
	if (add && !login)
		return cli_fail("user", "--login is required");
	if (add && !name)
		return cli_fail("user", "--name is required");
	db *d;
	int rc = cli_open("user", cli_db_url(url), &d);
	if (rc)
		return rc;
	log_set_quiet(1);
	if (add) {
		user_in in = {USER_IN_LOGIN | USER_IN_NAME | USER_IN_ADMIN | USER_IN_COORDINATOR, .login = login,
			      .name = name, .is_admin = admin, .is_coordinator = coord};
		if (email) {
			in.set |= USER_IN_EMAIL;
			in.email = email;
		}
		if (pw) {
			in.set |= USER_IN_PASSWORD;
			in.password = pw;
		}
		if (clr) {
			in.set |= USER_IN_CLEARANCE;
			if ((in.clearance = clearance_parse(clr)) < 0) {
				rc = cli_fail("user", "--clearance must be one of public, internal, confidential, secret");
				goto out;
			}
		}
		if (dept) {
			int64_t id = dept_ref(d, dept);
			if (id <= 0) {
				rc = cli_fail("user", id ? "--department: several departments are named '%s'; give its id"
							 : "--department: no department '%s'", dept);
				goto out;
			}
			in.set |= USER_IN_DEPARTMENT;
			in.department_id = id;
		}
		rc = run_op("user", d, &in, true);
	} else {
		int64_t next = 0;
		do {
			arena *a = arena_new();
			user *items;
			size_t n;
			org_user_list(d, a, 0, NULL, next, 1000, &items, &n, &next);
			for (size_t i = 0; i < n; i++)
				printf("%5lld  %-16s %-12s %-24s %s%s\n", (long long)items[i].id, items[i].login, items[i].name,
				       items[i].email, items[i].is_admin ? "admin " : "",
				       items[i].is_coordinator ? "coordinator" : "");
			arena_free(a);
		} while (next);
	}
out:
	db_close(d);
	return rc;
}

static void print_tree(db *d, arena *a, const department *all, size_t n, int64_t parent, int depth)
{
	for (size_t i = 0; i < n; i++) {
		const department *o = &all[i];
		if (o->parent_id != parent)
			continue;
		const char *head = o->head_user_id ? org_user_name(d, a, o->head_user_id) : NULL;
		printf("%5lld  %*s%s%s%s\n", (long long)o->id, depth * 2, "", o->name, head ? "  — head: " : "",
		       head ? head : "");
		print_tree(d, a, all, n, o->id, depth + 1);
	}
}

int cmd_dept(int argc, char **argv)
{
	if (cli_help("dept", argc, argv))
		return 0;
	if (argc < 2 || (strcmp(argv[1], "add") && strcmp(argv[1], "list")))
		return cli_fail("dept", "say 'add' or 'list'; see liaison dept --help");
	bool add = strcmp(argv[1], "add") == 0, bad = false;
	const char *url = NULL, *name = NULL, *parent = NULL, *head = NULL;
	for (int i = 2; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad))
			continue;
		if (add && (cli_opt(argc, argv, &i, "--name", &name, &bad) || cli_opt(argc, argv, &i, "--parent", &parent, &bad) ||
			    cli_opt(argc, argv, &i, "--head", &head, &bad)))
			continue;
		return cli_fail("dept", "unknown argument '%s'", argv[i]);
	}
	if (bad)
		return 2;
	if (add && !name)
		return cli_fail("dept", "--name is required");
	db *d;
	int rc = cli_open("dept", cli_db_url(url), &d);
	if (rc)
		return rc;
	log_set_quiet(1);
	if (add) {
		dept_in in = {DEPT_IN_NAME, .name = name};
		if (parent) {
			int64_t id = dept_ref(d, parent);
			if (id <= 0) {
				rc = cli_fail("dept", id ? "--parent: several departments are named '%s'; give its id"
						       : "--parent: no department '%s'", parent);
				goto out;
			}
			in.set |= DEPT_IN_PARENT;
			in.parent_id = id;
		}
		if (head) {
			int64_t uid = org_user_find_login(d, head);
			if (!uid) {
				rc = cli_fail("dept", "--head: no user with login '%s'", head);
				goto out;
			}
			in.set |= DEPT_IN_HEAD;
			in.head_user_id = uid;
		}
		rc = run_op("dept", d, &in, false);
	} else {
		int64_t next;
		arena *a = arena_new();
		department *all;
		size_t n;
		org_dept_list(d, a, 0, 1000000, &all, &n, &next);
		print_tree(d, a, all, n, 0, 0);
		arena_free(a);
	}
out:
	db_close(d);
	return rc;
}
