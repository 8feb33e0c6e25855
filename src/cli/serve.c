/* liaison serve: the web application. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "api/api.h"
#include "cli/cli.h"
#include "http/http.h"
#include "domain/org.h"
#include "jobs/jobs.h"
#include "store/auth.h"
#include "util/clock.h"
#include "util/log.h"

/* A whole number from min to max for option `name`; false after printing why not. */
static bool number_opt(const char *name, const char *s, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (!*s || *end || n < (long)min || n > (long)max) {
		cli_fail("serve", "%s must be a number from %u to %u, got '%s'", name, min, max, s);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

/* A server frees and reallocates the same working memory on every request (SQLite's page caches for the
 * temporary tables of a query, the request's arena).  glibc would hand the top of each thread's heap back
 * to the kernel after each request and fault it in again on the next, and map larger blocks afresh each
 * time: that cost a third of the time of a My work page (page faults, and TLB shootdowns across the worker
 * threads).  Keep up to 32 MB per heap and serve blocks below 4 MB from it; docs/performance.md. */
static void keep_working_memory(void)
{
#ifdef __GLIBC__
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
}

int cmd_serve(int argc, char **argv)
{
	http_config cfg = {.listen = "127.0.0.1:8080"};
	const char *url = NULL, *threads = NULL, *max_conn = NULL, *per_ip = NULL, *header_timeout = NULL,
		   *streams = NULL, *token_file = NULL;
	bool bad = false;
	if (cli_help("serve", argc, argv))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad) || cli_opt(argc, argv, &i, "--listen", &cfg.listen, &bad) ||
		    cli_opt(argc, argv, &i, "--web-dir", &cfg.web_dir, &bad) ||
		    cli_opt(argc, argv, &i, "--threads", &threads, &bad) ||
		    cli_opt(argc, argv, &i, "--max-connections", &max_conn, &bad) ||
		    cli_opt(argc, argv, &i, "--max-connections-per-ip", &per_ip, &bad) ||
		    cli_opt(argc, argv, &i, "--header-timeout", &header_timeout, &bad) ||
		    cli_opt(argc, argv, &i, "--max-streams-per-user", &streams, &bad) ||
		    cli_opt(argc, argv, &i, "--metrics-listen", &cfg.metrics_listen, &bad) ||
		    cli_opt(argc, argv, &i, "--metrics-token-file", &token_file, &bad))
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
	/* Limits against clients that hold connections (docs/admin.md).  Behind a proxy every connection
	 * comes from the proxy's address, so the per-address cap is off there unless asked for. */
	cfg.max_connections = 1000;
	cfg.max_per_ip = cfg.trust_proxy ? 0 : 100;
	cfg.header_timeout = 15;
	cfg.max_streams = 10;
	if ((max_conn && !number_opt("--max-connections", max_conn, 1, 100000, &cfg.max_connections)) ||
	    (per_ip && !number_opt("--max-connections-per-ip", per_ip, 0, 100000, &cfg.max_per_ip)) ||
	    (header_timeout && !number_opt("--header-timeout", header_timeout, 0, 3600, &cfg.header_timeout)) ||
	    (streams && !number_opt("--max-streams-per-user", streams, 0, 1000, &cfg.max_streams)))
		return 2;
	/* Who may read /metrics besides administrators: the holder of this token (never logged). */
	char token[256] = "";
	if (token_file) {
		FILE *f = fopen(token_file, "r");
		if (!f)
			return cli_fail("serve", "--metrics-token-file: cannot read '%s'", token_file);
		if (!fgets(token, sizeof token, f))
			token[0] = 0;
		fclose(f);
	} else if (getenv("LIAISON_METRICS_TOKEN")) {
		snprintf(token, sizeof token, "%s", getenv("LIAISON_METRICS_TOKEN"));
	}
	str_trim(token);
	if ((token_file || getenv("LIAISON_METRICS_TOKEN")) && strlen(token) < 16)
		return cli_fail("serve", "the metrics token (--metrics-token-file or $LIAISON_METRICS_TOKEN) must have at "
					 "least 16 characters");
	cfg.metrics_token = token[0] ? token : NULL;
	/* Open and migrate once before serving, so a bad --db fails here and not on the first request. */
	db *d;
	int rc = cli_open("serve", cli_db_url(url), &d);
	if (rc)
		return rc;
	/* A store that cannot be written would serve pages and fail every change: refuse to start. */
	if (auth_write_probe(d)) {
		fprintf(stderr, "liaison serve: the store %s cannot be written; the file and its folder must be "
				"writable by this user\n", cli_db_shown(cli_db_url(url)));
		db_close(d);
		return 1;
	}
	log_set_quiet(0);
	log_buffered(50); /* a line per request: written together, not one system call each */
	jobs_purge(d); /* then every few minutes, by the background worker */
	db_close(d);
	cfg.db_url = cli_db_url(url);
	api_live_init();
	keep_working_memory();
	if (jobs_start(cfg.db_url, api_delivered, api_event))
		return cli_fail("serve", "cannot start the background worker");
	rc = http_serve(&cfg, api_routes());
	jobs_stop();
	log_flush();
	return rc;
}
