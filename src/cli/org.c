/* liaison user|dept: add and list people and departments from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "store/org.h"
#include "util/log.h"

/* A department given by id or by name; 0 when there is none, -1 when several share the name. */
static int64_t dept_ref(db *d, const char *ref)
{
	char *end;
	long long id = strtoll(ref, &end, 10);
	if (!*end && id > 0) {
		json_t *o = org_dept_get(d, id);
		json_decref(o);
		return o ? id : 0;
	}
	int64_t next, found = 0;
	json_t *all = org_dept_list(d, 0, 100000, &next);
	size_t i;
	json_t *o;
	json_array_foreach(all, i, o) if (strcmp(json_string_value(json_object_get(o, "name")), ref) == 0) found =
		found ? -1 : json_integer_value(json_object_get(o, "id"));
	json_decref(all);
	return found;
}

static int run_op(const char *cmd, db *d, json_t *in, int (*op)(db *, const principal *, json_t *, json_t **, lerr *))
{
	lerr e = {0};
	json_t *out = NULL;
	int rc = tx_begin(d, &e);
	if (!rc)
		rc = tx_end(d, op(d, &cli_principal, in, &out, &e), &e);
	if (rc) {
		fprintf(stderr, "liaison %s: %s%s%s\n", cmd, e.field, e.field[0] ? ": " : "", e.detail);
		return 1;
	}
	printf("created %s %lld\n", json_string_value(json_object_get(out, json_object_get(out, "login") ? "login" : "name")),
	       (long long)json_integer_value(json_object_get(out, "id")));
	json_decref(out);
	return 0;
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
	json_t *u = id ? org_user_get(d, id) : NULL;
	const char *env = getenv("LIAISON_PASSWORD");
	char *pw = NULL;
	if (!u) {
		rc = cli_fail("user", "--login: no user '%s'", login);
	} else if (!(pw = env && *env ? strdup(env) : cli_ask_password("new password: "))) {
		rc = cli_fail("user", "set LIAISON_PASSWORD to the new password (no terminal to ask on)");
	} else {
		json_t *in = json_pack("{s:s}", "password", pw), *out = NULL;
		lerr e = {0};
		rc = tx_begin(d, &e);
		if (!rc)
			rc = tx_end(d, user_update(d, &cli_principal, id, json_integer_value(json_object_get(u, "version")), in, &out, &e),
				    &e);
		json_decref(in);
		json_decref(out);
		if (rc) {
			fprintf(stderr, "liaison user: %s%s%s\n", e.field, e.field[0] ? ": " : "", e.detail);
			rc = 1;
		} else {
			printf("new password set for %s; their sessions have ended\n", login);
		}
	}
	free(pw);
	json_decref(u);
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
		json_t *in = json_pack("{s:s, s:s, s:b, s:b}", "login", login, "name", name, "is_admin", admin,
				       "is_coordinator", coord);
		if (email)
			json_object_set_new(in, "email", json_string(email));
		if (pw)
			json_object_set_new(in, "password", json_string(pw));
		if (clr)
			json_object_set_new(in, "clearance", json_string(clr));
		if (dept) {
			int64_t id = dept_ref(d, dept);
			if (id <= 0) {
				json_decref(in);
				rc = cli_fail("user", id ? "--department: several departments are named '%s'; give its id"
							 : "--department: no department '%s'", dept);
				goto out;
			}
			json_object_set_new(in, "department_id", json_integer(id));
		}
		rc = run_op("user", d, in, user_create);
		json_decref(in);
	} else {
		int64_t next = 0;
		do {
			json_t *items = org_user_list(d, 0, NULL, next, 1000, &next);
			size_t i;
			json_t *u;
			json_array_foreach(items, i, u) {
				printf("%5lld  %-16s %-12s %-24s %s%s\n", (long long)json_integer_value(json_object_get(u, "id")),
				       json_string_value(json_object_get(u, "login")), json_string_value(json_object_get(u, "name")),
				       json_string_value(json_object_get(u, "email")),
				       json_is_true(json_object_get(u, "is_admin")) ? "admin " : "",
				       json_is_true(json_object_get(u, "is_coordinator")) ? "coordinator" : "");
			}
			json_decref(items);
		} while (next);
	}
out:
	db_close(d);
	return rc;
}

static void print_tree(db *d, json_t *all, int64_t parent, int depth)
{
	size_t i;
	json_t *o;
	json_array_foreach(all, i, o) {
		if (json_integer_value(json_object_get(o, "parent_id")) != parent)
			continue;
		int64_t id = json_integer_value(json_object_get(o, "id"));
		int64_t head = json_integer_value(json_object_get(o, "head_user_id"));
		json_t *h = head ? org_user_get(d, head) : NULL;
		printf("%5lld  %*s%s%s%s\n", (long long)id, depth * 2, "", json_string_value(json_object_get(o, "name")),
		       h ? "  — head: " : "", h ? json_string_value(json_object_get(h, "name")) : "");
		json_decref(h);
		print_tree(d, all, id, depth + 1);
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
		json_t *in = json_pack("{s:s}", "name", name);
		if (parent) {
			int64_t id = dept_ref(d, parent);
			if (id <= 0) {
				json_decref(in);
				rc = cli_fail("dept", id ? "--parent: several departments are named '%s'; give its id"
						       : "--parent: no department '%s'", parent);
				goto out;
			}
			json_object_set_new(in, "parent_id", json_integer(id));
		}
		if (head) {
			int64_t uid = org_user_find_login(d, head);
			if (!uid) {
				json_decref(in);
				rc = cli_fail("dept", "--head: no user with login '%s'", head);
				goto out;
			}
			json_object_set_new(in, "head_user_id", json_integer(uid));
		}
		rc = run_op("dept", d, in, dept_create);
		json_decref(in);
	} else {
		int64_t next;
		json_t *all = org_dept_list(d, 0, 100000, &next);
		print_tree(d, all, 0, 0);
		json_decref(all);
	}
out:
	db_close(d);
	return rc;
}
