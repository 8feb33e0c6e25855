/* Small commands: backup, migrate, migrate-store, schema, routes, version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "http/http.h"
#include "ops/org.h"
#include "store/copy.h"
#include "store/migrate.h"
#include "store/settings.h"
#include "util/clock.h"
#include "version.h"


int cmd_backup(int argc, char **argv)
{
	const char *url = NULL, *outp = NULL;
	bool bad = false;
	if (cli_help("backup", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad))
			continue;
		if (argv[i][0] == '-' || outp)
			return cli_fail("backup", "unknown argument '%s'", argv[i]);
		outp = argv[i];
	}
	if (bad)
		return 2;
	if (!outp)
		return cli_fail("backup", "name the file to write, e.g. liaison backup --db data/liaison.db backup.db");
	db *d;
	int rc = cli_open("backup", cli_db_url(url), &d);
	if (rc)
		return rc;
	lerr e = {0};
	if (db_backup(d, outp, &e)) {
		fprintf(stderr, "liaison backup: %s\n", e.detail);
		rc = 1;
	} else {
		printf("backed up to %s\n", outp);
	}
	db_close(d);
	return rc;
}

int cmd_migrate(int argc, char **argv)
{
	const char *url = NULL;
	bool bad = false;
	if (cli_help("migrate", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++)
		if (!cli_opt(argc, argv, &i, "--db", &url, &bad))
			return cli_fail("migrate", "unknown argument '%s'", argv[i]);
	if (bad)
		return 2;
	db *d;
	int rc = cli_open("migrate", cli_db_url(url), &d);
	if (!rc)
		printf("schema version %d\n", db_schema_version(d));
	db_close(d);
	return rc;
}

/* Prints one migration's SQL a statement per line and a column per line: a line break after each `;` and
 * before each run of two spaces (how migrate.c starts a column), outside quoted strings.  Whitespace only,
 * so what is printed runs exactly as what the store runs. */
static void print_ddl(const char *sql)
{
	char quote = 0;
	bool fresh = true; /* at the start of a line, where spaces are dropped */
	for (const char *p = sql; *p; p++) {
		if (!quote && *p == ' ') {
			if (p[1] == ' ' && !fresh) {
				fputs("\n  ", stdout);
				fresh = true;
			} else if (!fresh) {
				putchar(' ');
			}
			continue;
		}
		fresh = false;
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		}
		putchar(*p);
		if (*p == ';' && !quote) {
			putchar('\n');
			fresh = true;
		}
	}
	if (!fresh)
		putchar('\n');
}

int cmd_schema(int argc, char **argv)
{
	const char *dialect = "sqlite";
	bool bad = false;
	if (cli_help("schema", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++)
		if (!cli_opt(argc, argv, &i, "--dialect", &dialect, &bad))
			return cli_fail("schema", "unknown argument '%s'", argv[i]);
	if (bad)
		return 2;
	enum db_dialect dl;
	if (strcmp(dialect, "sqlite") == 0)
		dl = DB_SQLITE;
	else if (strcmp(dialect, "postgres") == 0 || strcmp(dialect, "postgresql") == 0)
		dl = DB_POSTGRES;
	else
		return cli_fail("schema", "--dialect is sqlite or postgres, not '%s'", dialect);
	printf("-- liaison %s, schema %d, for %s: the migrations as `liaison migrate` applies them, each in its own\n"
	       "-- transaction, after creating the table that records them.\n",
	       LIAISON_VERSION, db_schema_version_latest(), dl == DB_SQLITE ? "SQLite" : "PostgreSQL 15");
	printf("%s;\n", db_migrations_table_ddl());
	for (int v = 1; v <= db_schema_version_latest(); v++) {
		char *ddl = db_migration_ddl(v, dl);
		if (!ddl) {
			fprintf(stderr, "liaison schema: migration %d cannot be rendered\n", v);
			return 1;
		}
		printf("\n-- migration %d: %s\n", v, db_migration_about(v));
		if (*ddl)
			print_ddl(ddl);
		else
			printf("-- (nothing for %s)\n", dl == DB_SQLITE ? "SQLite" : "PostgreSQL");
		free(ddl);
	}
	return 0;
}

int cmd_routes(int argc, char **argv)
{
	bool md = false, json = false;
	if (cli_help("routes", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--markdown") == 0)
			md = true;
		else if (strcmp(argv[i], "--openapi") == 0)
			json = true;
		else
			return cli_fail("routes", "unknown argument '%s'", argv[i]);
	}
	if (json) {
		json_t *doc = openapi_document();
		json_dumpf(doc, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(doc);
		return 0;
	}
	if (md)
		printf("# API reference\n\nGenerated from the route tables of `src/api/` by `make docs`; do not edit by hand.\n"
		       "The rules every route follows (errors, lists, versions, CSRF) are in\n"
		       "[api-conventions.md](api-conventions.md). The same list is served as OpenAPI at\n"
		       "`GET /api/v1/openapi.json`.\n\n| method | path | who | what |\n|---|---|---|---|\n");
	const route_table *t = api_routes();
	for (int i = 0; i < t->n; i++) {
		const route *r = &t->routes[i];
		if (md)
			printf("| %s | `%s` | %s | %s |\n", r->method, r->pattern, route_auth_text(r->auth), r->help);
		else
			printf("%-6s %-45s %-16s %s\n", r->method, r->pattern, route_auth_text(r->auth), r->help);
	}
	return 0;
}

int cmd_version(int argc, char **argv)
{
	if (cli_help("version", argc, argv))
		return 0;
	printf("liaison %s (schema %d)\n", LIAISON_VERSION, db_schema_version_latest());
	return 0;
}

int cmd_settings(int argc, char **argv)
{
	const char *url = NULL, *key = NULL, *value = NULL;
	bool bad = false;
	if (cli_help("settings", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad))
			continue;
		if (argv[i][0] == '-')
			return cli_fail("settings", "unknown argument '%s'", argv[i]);
		if (!key)
			key = argv[i];
		else if (!value)
			value = argv[i];
		else
			return cli_fail("settings", "unexpected argument '%s'", argv[i]);
	}
	if (bad)
		return 2;
	if (key && strcmp(key, "timezone") != 0)
		return cli_fail("settings", "unknown setting '%s'; known: timezone", key);
	if (value && clock_set_timezone(value) != 0)
		return cli_fail("settings", "timezone: '%s' is not a time zone this system knows (e.g. Asia/Shanghai)", value);
	db *d;
	int rc = cli_open("settings", cli_db_url(url), &d);
	if (rc)
		return rc;
	char v[256];
	if (value) {
		arena *a = arena_new();
		op_ctx c;
		op_init(&c, d, &op_cli_principal, a);
		lerr e = {0};
		if (op_setting_set(&c, key, value, &e))
			rc = cli_fail("settings", "cannot save %s: %s", key, e.detail);
		else
			printf("%s = %s\n", key, value);
		op_release(&c);
		arena_free(a);
	} else {
		settings_get(d, "timezone", v, sizeof v);
		printf("timezone = %s\n", v);
	}
	db_close(d);
	return rc;
}

/* migrate-store's progress: a bar on a terminal, one line per table otherwise. */
static void copy_progress(void *ctx, const char *table, int64_t done, int64_t total)
{
	bool tty = *(bool *)ctx;
	if (!tty) {
		if (done == total)
			fprintf(stderr, "copied %-24s %lld rows\n", table, (long long)done);
		return;
	}
	int width = 30, filled = total > 0 ? (int)(done * width / total) : width;
	char bar[64];
	for (int i = 0; i < width; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[width] = 0;
	fprintf(stderr, "\r%-24s [%s] %lld/%lld", table, bar, (long long)done, (long long)total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

int cmd_migrate_store(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	bool bad = false;
	if (cli_help("migrate-store", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++)
		if (!cli_opt(argc, argv, &i, "--from", &from, &bad) && !cli_opt(argc, argv, &i, "--to", &to, &bad))
			return cli_fail("migrate-store", "unknown argument '%s'", argv[i]);
	if (bad)
		return 2;
	if (!from || !to)
		return cli_fail("migrate-store", "name both stores, e.g. liaison migrate-store --from data/liaison.db --to "
						 "postgres://liaison@db.internal/liaison");
	if (db_url_is_postgres(from) || !db_url_is_postgres(to))
		return cli_fail("migrate-store", "--from is a SQLite file and --to a postgres:// URL");
	db *src = NULL, *dst = NULL;
	lerr e = {0};
	if (db_open(&src, from, &e) || db_open(&dst, to, &e)) {
		fprintf(stderr, "liaison migrate-store: %s\n", e.detail);
		db_close(src);
		return 1;
	}
	bool tty = isatty(STDERR_FILENO);
	static store_verified v[128];
	size_t n;
	int rc = store_copy(src, dst, copy_progress, &tty, v, &n, &e);
	if (rc) {
		if (tty)
			fputc('\n', stderr);
		fprintf(stderr, "liaison migrate-store: %s\n", e.detail);
	} else {
		int64_t rows = 0;
		for (size_t i = 0; i < n; i++)
			rows += v[i].rows_to;
		printf("copied %lld rows in %zu tables from %s to %s; verified: every table's row count and checksum match\n",
		       (long long)rows, n, from, cli_db_shown(to));
	}
	db_close(dst);
	db_close(src);
	return rc ? 1 : 0;
}
