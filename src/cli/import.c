/* liaison import org: placeholder until the CSV importer lands. */
#include "cli/cli.h"

int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("import", "not available yet");
}
