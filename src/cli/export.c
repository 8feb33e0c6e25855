/* liaison export org: the organisation as a CSV file in the import format, so it round-trips through Excel. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/org.h"

/* Writes one CSV field, quoted when it needs to be. */
static void field(FILE *f, const char *s, bool last)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

static const char *name_of(json_t *depts, int64_t id)
{
	size_t i;
	json_t *d;
	json_array_foreach(depts, i, d) if (json_integer_value(json_object_get(d, "id")) == id) return json_string_value(
		json_object_get(d, "name"));
	return "";
}

static bool is_liaison(json_t *dept, int64_t uid)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(dept, "liaison_user_ids"), i, x) if (json_integer_value(x) == uid) return true;
	return false;
}

/* Departments parents first, so the file reads top-down. */
static void write_tree(db *d, FILE *f, json_t *depts, int64_t parent, long *nd, long *nu)
{
	size_t i;
	json_t *dept;
	json_array_foreach(depts, i, dept) {
		if (json_integer_value(json_object_get(dept, "parent_id")) != parent)
			continue;
		int64_t id = json_integer_value(json_object_get(dept, "id"));
		const char *name = json_string_value(json_object_get(dept, "name"));
		const char *pname = parent ? name_of(depts, parent) : "";
		int64_t head = json_integer_value(json_object_get(dept, "head_user_id")), next = 0;
		json_t *members = org_user_list(d, id, NULL, 0, 100000, &next);
		size_t k;
		json_t *u;
		(*nd)++;
		if (json_array_size(members) == 0) {
			field(f, name, false), field(f, pname, false);
			for (int c = 0; c < 7; c++)
				field(f, "", false);
			field(f, "", true);
		}
		json_array_foreach(members, k, u) {
			if (!json_is_true(json_object_get(u, "active")))
				continue;
			int64_t uid = json_integer_value(json_object_get(u, "id"));
			field(f, name, false);
			field(f, pname, false);
			field(f, json_string_value(json_object_get(u, "login")), false);
			field(f, json_string_value(json_object_get(u, "name")), false);
			field(f, json_string_value(json_object_get(u, "email")), false);
			field(f, uid == head ? "1" : "", false);
			field(f, is_liaison(dept, uid) ? "1" : "", false);
			field(f, json_is_true(json_object_get(u, "is_coordinator")) ? "1" : "", false);
			field(f, json_is_true(json_object_get(u, "is_admin")) ? "1" : "", false);
			field(f, json_string_value(json_object_get(u, "clearance")), true);
			(*nu)++;
		}
		json_decref(members);
		write_tree(d, f, depts, id, nd, nu);
	}
}

int cmd_export(int argc, char **argv)
{
	const char *url = NULL, *what = NULL, *outp = NULL;
	bool bad = false;
	if (cli_help("export", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad))
			continue;
		if (argv[i][0] == '-' && strcmp(argv[i], "-") != 0)
			return cli_fail("export", "unknown argument '%s'", argv[i]);
		if (!what)
			what = argv[i];
		else if (!outp)
			outp = argv[i];
		else
			return cli_fail("export", "unexpected argument '%s'", argv[i]);
	}
	if (bad)
		return 2;
	if (!what || strcmp(what, "org") != 0)
		return cli_fail("export", "say what to export: 'org'");
	db *d;
	int rc = cli_open("export", cli_db_url(url), &d);
	if (rc)
		return rc;
	FILE *f = outp && strcmp(outp, "-") != 0 ? fopen(outp, "wb") : stdout;
	if (!f) {
		db_close(d);
		return cli_fail("export", "cannot write '%s'", outp);
	}
	fputs("\xEF\xBB\xBF", f); /* a BOM, so Excel opens the UTF-8 correctly */
	const char *cols[] = {"department", "parent_department", "login", "name", "email",
			      "is_head", "is_liaison", "is_coordinator", "is_admin", "clearance"};
	for (int c = 0; c < 10; c++)
		field(f, cols[c], c == 9);
	int64_t next;
	json_t *depts = org_dept_list(d, 0, 100000, &next);
	long nd = 0, nu = 0;
	write_tree(d, f, depts, 0, &nd, &nu);
	json_decref(depts);
	if (f != stdout)
		fclose(f);
	fprintf(stderr, "exported %ld departments, %ld users (people in no department and inactive people are left out)\n",
		nd, nu);
	db_close(d);
	return 0;
}
