/* liaison: the entry point; finds the command and runs it (src/cli/). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/crypto.h"
#include "util/log.h"

int main(int argc, char **argv)
{
	if (crypto_init()) {
		fprintf(stderr, "liaison: libsodium cannot start\n");
		return 1;
	}
	log_set_quiet(1); /* commands speak on stdout; `serve` turns the log on */
	if (argc < 2)
	{
		cmd_help(argc - 1, argv + 1);
		return 2;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		return cmd_help(argc - 1, argv + 1);
	if (strcmp(name, "--version") == 0)
		name = "version";
	for (const cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "liaison: unknown command '%s'; see 'liaison help'\n", name);
	return 2;
}
