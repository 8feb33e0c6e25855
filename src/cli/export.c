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

static const char *name_of(const department *depts, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (depts[i].id == id)
			return depts[i].name;
	return "";
}

static bool is_liaison(const department *dept, int64_t uid)
{
	for (size_t i = 0; i < dept->nliaisons; i++)
		if (dept->liaisons[i] == uid)
			return true;
	return false;
}

/* Departments parents first, so the file reads top-down. */
static void write_tree(db *d, arena *a, FILE *f, const department *depts, size_t n, int64_t parent, long *nd, long *nu)
{
	for (size_t i = 0; i < n; i++) {
		const department *dept = &depts[i];
		if (dept->parent_id != parent)
			continue;
		const char *pname = parent ? name_of(depts, n, parent) : "";
		user *members = NULL;
		size_t nm = 0;
		int64_t next = 0;
		org_user_list(d, a, dept->id, NULL, 0, 1000000, &members, &nm, &next);
		(*nd)++;
		if (nm == 0) {
			field(f, dept->name, false), field(f, pname, false);
			for (int c = 0; c < 7; c++)
				field(f, "", false);
			field(f, "", true);
		}
		for (size_t k = 0; k < nm; k++) {
			const user *u = &members[k];
			if (!u->active)
				continue;
			field(f, dept->name, false);
			field(f, pname, false);
			field(f, u->login, false);
			field(f, u->name, false);
			field(f, u->email, false);
			field(f, u->id == dept->head_user_id ? "1" : "", false);
			field(f, is_liaison(dept, u->id) ? "1" : "", false);
			field(f, u->is_coordinator ? "1" : "", false);
			field(f, u->is_admin ? "1" : "", false);
			field(f, clearance_name(u->clearance), true);
			(*nu)++;
		}
		write_tree(d, a, f, depts, n, dept->id, nd, nu);
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
	arena *a = arena_new();
	department *depts = NULL;
	size_t n = 0;
	org_dept_list(d, a, 0, 1000000, &depts, &n, &next);
	long nd = 0, nu = 0;
	write_tree(d, a, f, depts, n, 0, &nd, &nu);
	arena_free(a);
	if (f != stdout)
		fclose(f);
	fprintf(stderr, "exported %ld departments, %ld users (people in no department and inactive people are left out)\n",
		nd, nu);
	db_close(d);
	return 0;
}
