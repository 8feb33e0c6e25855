/* The demo company: placeholder until the data lands. */
#include "cli/cli.h"

int demo_populate(db *d)
{
	(void)d;
	return 0;
}
