/* The command table and what every command shares: options, errors, help, opening the store. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrate.h"
#include "store/settings.h"
#include "util/clock.h"
#include "util/log.h"

#include <termios.h>
#include <unistd.h>

const cli_command cli_commands[] = {
	{"init", cmd_init, "create or migrate the store; --demo adds a sample company",
	 "usage: liaison init --db PATH [--demo]\n"
	 "  Creates the store (or migrates an existing one) and the first administrator, login \"admin\",\n"
	 "  whose password comes from $LIAISON_ADMIN_PASSWORD (asked on the terminal when unset).\n"
	 "  --demo adds a sample company: departments, heads, liaisons, a coordinator and about 40 people\n"
	 "  who all sign in with the password demo1234.\n"},
	{"serve", cmd_serve, "run the web application",
	 "usage: liaison serve --db PATH [--listen HOST:PORT] [--threads N] [--web-dir DIR] [--trust-proxy] [--dev-clock]\n"
	 "                     [--max-connections N] [--max-connections-per-ip N] [--header-timeout S]\n"
	 "                     [--max-streams-per-user N] [--metrics-listen HOST:PORT] [--metrics-token-file PATH]\n"
	 "  --listen       address to listen on (default 127.0.0.1:8080)\n"
	 "  --threads      worker threads (default 4)\n"
	 "  --web-dir      serve the UI from this folder instead of the copy built in (for development)\n"
	 "  --trust-proxy  trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy\n"
	 "  --dev-clock    enable the test routes PUT /api/v1/admin/clock and POST /api/v1/admin/tick (for\n"
	 "                 administrators)\n"
	 "  --max-connections         open connections in all (default 1000)\n"
	 "  --max-connections-per-ip  open connections from one address (default 100; 0 no limit, the default\n"
	 "                            with --trust-proxy)\n"
	 "  --header-timeout          seconds a connection has to send a complete request head, from when it\n"
	 "                            opens or its last answer (default 15; 0 no deadline)\n"
	 "  --max-streams-per-user    live event streams one user may have open (default 10; 0 no limit)\n"
	 "  --metrics-listen          serve GET /metrics only at this address (not on --listen)\n"
	 "  --metrics-token-file      a file holding a token that may read /metrics as a bearer token\n"
	 "                            (or $LIAISON_METRICS_TOKEN); otherwise only administrators may\n"},
	{"user", cmd_user, "add or list users, or set a new password",
	 "usage: liaison user add --db PATH --login LOGIN --name NAME [--email E] [--department NAME|ID]\n"
	 "                        [--password P] [--admin] [--coordinator] [--clearance LEVEL]\n"
	 "       liaison user passwd --db PATH --login LOGIN\n"
	 "       liaison user list --db PATH\n"
	 "  passwd sets a new password (from $LIAISON_PASSWORD, or asked on the terminal) and signs the\n"
	 "  person out everywhere: the way back in for an administrator who forgot theirs.\n"},
	{"dept", cmd_dept, "add or list departments",
	 "usage: liaison dept add --db PATH --name NAME [--parent NAME|ID] [--head LOGIN]\n"
	 "       liaison dept list --db PATH\n"},
	{"import", cmd_import, "import the organisation from a CSV file",
	 "usage: liaison import org --db PATH FILE.csv\n"
	 "  Columns (first row is the header; see docs/import-format.md): department, parent_department, login,\n"
	 "  name, email, is_head, is_liaison, is_coordinator, is_admin, clearance, password.\n"
	 "  UTF-8 with or without BOM, or GBK as saved by Excel. One bad row stops the import: nothing is kept.\n"},
	{"export", cmd_export, "write the organisation to a CSV file (the import format)",
	 "usage: liaison export org --db PATH [FILE.csv]\n"
	 "  Writes departments, people, heads, liaisons, roles and clearances as UTF-8 CSV (with a BOM and\n"
	 "  CRLF, as Excel likes it) to FILE.csv or standard output; `liaison import org` reads it back.\n"
	 "  Passwords are never exported.\n"},
	{"backup", cmd_backup, "copy the store to a file while it is in use",
	 "usage: liaison backup --db PATH OUT.db\n"},
	{"settings", cmd_settings, "show or change organisation settings (the time zone)",
	 "usage: liaison settings --db PATH [timezone [ZONE]]\n"
	 "  Without a value shows the setting. timezone is the organisation's IANA time zone (default\n"
	 "  Asia/Shanghai): it decides what \"today\" is for due dates and the year in codes like REQ-2026-0001.\n"
	 "  Restart `serve` after changing it.\n"},
	{"migrate", cmd_migrate, "apply pending schema migrations",
	 "usage: liaison migrate --db PATH\n"},
	{"migrate-store", cmd_migrate_store, "copy a SQLite store into an empty PostgreSQL database, and verify it",
	 "usage: liaison migrate-store --from PATH --to postgres://USER[:PASSWORD]@HOST[:PORT]/NAME\n"
	 "  Brings the SQLite store to the latest schema, creates the schema in the PostgreSQL database (which\n"
	 "  must be empty: a database with any table is refused), copies every table in one transaction, and\n"
	 "  verifies the copy: each table's row count and a checksum of every value, on both sides. Shows a\n"
	 "  progress bar on a terminal. A server may keep running on the SQLite store meanwhile (the copy reads\n"
	 "  one snapshot of it); stop it and start the servers on PostgreSQL afterwards (docs/deployment.md).\n"},
	{"schema", cmd_schema, "print the SQL of every migration, for SQLite or PostgreSQL",
	 "usage: liaison schema [--dialect sqlite|postgres]\n"
	 "  Prints the schema as `liaison migrate` creates it on a store of that dialect (default sqlite):\n"
	 "  every migration, rendered from the one source for both, with a comment line before each.\n"
	 "  Needs no store. For review, and for tools/pg-check.sh, which applies it to PostgreSQL 15.\n"},
	{"routes", cmd_routes, "list the HTTP routes (--markdown writes docs/api.md)",
	 "usage: liaison routes [--markdown]\n"},
	{"version", cmd_version, "print the version", "usage: liaison version\n"},
	{"help", cmd_help, "show this list, or a command's usage", "usage: liaison help [COMMAND]\n"},
	{NULL, NULL, NULL, NULL},
};

bool cli_opt(int argc, char **argv, int *i, const char *name, const char **out, bool *bad)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return false;
	if (a[n] == '=') {
		*out = a + n + 1;
		return true;
	}
	if (a[n] != 0)
		return false;
	if (*i + 1 >= argc) {
		fprintf(stderr, "liaison %s: %s needs a value\n", argv[0], name);
		*bad = true;
		return true;
	}
	*out = argv[++*i];
	return true;
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "liaison %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

bool cli_help(const char *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			for (const cli_command *c = cli_commands; c->name; c++)
				if (strcmp(c->name, cmd) == 0)
					fputs(c->usage, stdout);
			return true;
		}
	return false;
}

const char *cli_db_url(const char *given)
{
	if (given && *given)
		return given;
	const char *env = getenv("LIAISON_DB");
	return env && *env ? env : NULL;
}

const char *cli_db_shown(const char *url)
{
	static char buf[512];
	const char *scheme = url ? strstr(url, "://") : NULL, *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	if (!colon) /* no password in it */
		return url;
	snprintf(buf, sizeof buf, "%.*s:***%s", (int)(colon - url), url, at);
	return buf;
}

int cli_open(const char *cmd, const char *url, db **out)
{
	lerr e = {0};
	*out = NULL;
	if (!url)
		return cli_fail(cmd, "--db is required (or set $LIAISON_DB)");
	if (db_open(out, url, &e) || db_migrate(*out, &e)) {
		fprintf(stderr, "liaison %s: %s\n", cmd, e.detail);
		db_close(*out);
		*out = NULL;
		return 1;
	}
	/* Dates ("today", the year in codes) are the organisation's, in its time zone. */
	char tz[64];
	if (settings_get(*out, "timezone", tz, sizeof tz) && clock_set_timezone(tz) != 0)
		fprintf(stderr, "liaison %s: unknown time zone '%s' in settings; using UTC\n", cmd, tz);
	return 0;
}

int cmd_help(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		argv[1] = "help";
	if (argc > 1) {
		for (const cli_command *c = cli_commands; c->name; c++)
			if (strcmp(c->name, argv[1]) == 0) {
				fputs(c->usage, stdout);
				return 0;
			}
		return cli_fail("help", "unknown command '%s'", argv[1]);
	}
	printf("liaison — cross-department collaboration, from the request to the evaluation\n\n"
	       "usage: liaison COMMAND [ARGS]   (every command takes --help)\n\n");
	for (const cli_command *c = cli_commands; c->name; c++)
		printf("  %-9s %s\n", c->name, c->summary);
	printf("\nThe store is named with --db PATH or $LIAISON_DB.\n");
	return 0;
}

/* Reads a password from the terminal without echo; NULL when there is no terminal. Caller frees. */
char *cli_ask_password(const char *prompt)
{
	if (!isatty(STDIN_FILENO))
		return NULL;
	struct termios old, quiet;
	fputs(prompt, stderr);
	tcgetattr(STDIN_FILENO, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	char buf[300];
	char *ok = fgets(buf, sizeof buf, stdin);
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	fputc('\n', stderr);
	if (!ok)
		return NULL;
	buf[strcspn(buf, "\r\n")] = 0;
	return strdup(buf);
}
