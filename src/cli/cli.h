/* What every command shares: the command table, option parsing, opening the store.
 *
 * Every command has the same shape: a usage string, a loop over its arguments with cli_opt, one
 * `goto out` exit that closes the store; bad arguments print one line naming the argument and exit 2. */
#ifndef LIAISON_CLI_CLI_H
#define LIAISON_CLI_CLI_H
#include <stdbool.h>

#include "store/db.h"

typedef struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);  /* argv[0] is the command name */
	const char *summary;
	const char *usage;                  /* printed by --help */
} cli_command;

extern const cli_command cli_commands[];

/* Matches argv[*i] against "--name VALUE" or "--name=VALUE"; advances *i past the value. On a missing
 * value prints an error and sets *bad. */
bool cli_opt(int argc, char **argv, int *i, const char *name, const char **out, bool *bad);
/* Prints "liaison CMD: MESSAGE" to stderr and returns 2. */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the command's usage when argv holds --help or -h; returns true then. */
bool cli_help(const char *cmd, int argc, char **argv);
/* The --db value, else $LIAISON_DB, else NULL. */
const char *cli_db_url(const char *given);
/* Reads a password from the terminal without echo, after printing prompt; NULL when there is no
 * terminal.  The caller frees it. */
char *cli_ask_password(const char *prompt);
/* Opens and migrates the store; prints the reason and returns non-zero on failure. */
/* The store's URL for a message: a PostgreSQL URL's password as *** (never printed or logged). */
const char *cli_db_shown(const char *url);
int cli_open(const char *cmd, const char *url, db **out);

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_dept(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_migrate_store(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* The demo organisation (src/cli/demo.c), added by `init --demo`. */
int demo_populate(db *d);

#endif
