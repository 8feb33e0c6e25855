/* liaison serve: the web application. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "util/log.h"

int cmd_serve(int argc, char **argv)
{
	http_config cfg = {.listen = "127.0.0.1:8080"};
	const char *url = NULL, *threads = NULL;
	bool bad = false;
	if (cli_help("serve", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad) || cli_opt(argc, argv, &i, "--listen", &cfg.listen, &bad) ||
		    cli_opt(argc, argv, &i, "--web-dir", &cfg.web_dir, &bad) ||
		    cli_opt(argc, argv, &i, "--threads", &threads, &bad))
			continue;
		if (strcmp(argv[i], "--dev-clock") == 0)
			cfg.dev_clock = true;
		else if (strcmp(argv[i], "--trust-proxy") == 0)
			cfg.trust_proxy = true;
		else
			return cli_fail("serve", "unknown argument '%s'", argv[i]);
	}
	if (bad)
		return 2;
	if (threads) {
		char *end;
		long n = strtol(threads, &end, 10);
		if (*end || n < 1 || n > 64)
			return cli_fail("serve", "--threads must be a number from 1 to 64, got '%s'", threads);
		cfg.threads = (unsigned)n;
	}
	/* Open and migrate once before serving, so a bad --db fails here and not on the first request. */
	db *d;
	int rc = cli_open("serve", cli_db_url(url), &d);
	if (rc)
		return rc;
	db_close(d);
	cfg.db_url = cli_db_url(url);
	log_set_quiet(0);
	api_live_init();
	if (jobs_start(cfg.db_url, api_delivered))
		return cli_fail("serve", "cannot start the background worker");
	rc = http_serve(&cfg, api_routes());
	jobs_stop();
	return rc;
}
