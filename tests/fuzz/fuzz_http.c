/* libFuzzer target: raw HTTP bytes into the real server.
 *
 * One liaison server runs in-process (http_start with no listening socket) on a temporary store with
 * the demo company, dev clock on.  Each input is written, as it is, into one end of a socketpair whose
 * other end was handed to the server with MHD_add_connection, so libmicrohttpd parses the request line,
 * headers and body, and our routing, authentication, static files and handlers run on what it makes of
 * them.  The input may hold several pipelined requests.  Known credentials let inputs reach signed-in
 * routes: the cookie `liaison_session=fuzz-admin-session` (CSRF token `fuzz-csrf-token`) is the
 * administrator's session, `Authorization: Bearer fuzz-user-token` is wangfang's API token.
 *
 * A finding is a crash or sanitizer report, an answer with status 500, or a server that no longer
 * answers GET /healthz with 200 after the input.  tests/fuzz/replay.c runs the same function over the
 * checked-in corpus in `make test`. */
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "http/http.h"
#include "store/auth.h"
#include "store/org.h"
#include "util/crypto.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct MHD_Daemon *daemon_;
static char dir[64], dbpath[128];
static http_config cfg;

static void cleanup(void)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (dir[0] && system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

static void credentials(void)
{
	db *d;
	lerr e = {0};
	if (db_open(&d, dbpath, &e))
		fail(e.detail);
	char h[80];
	token_hash("fuzz-admin-session", h, sizeof h);
	if (auth_session_insert(d, h, org_user_find_login(d, "admin"), "fuzz-csrf-token", INT64_MAX / 2) != DB_DONE)
		fail("cannot insert the session");
	int64_t id;
	token_hash("fuzz-user-token", h, sizeof h);
	if (auth_token_insert(d, org_user_find_login(d, "wangfang"), "fuzz", h, &id) != DB_DONE)
		fail("cannot insert the token");
	db_close(d);
}

static void start(void)
{
	snprintf(dir, sizeof dir, "%s/liaison-fuzz-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		fail("mkdtemp failed");
	atexit(cleanup);
	snprintf(dbpath, sizeof dbpath, "%s/liaison.db", dir);
	setenv("LIAISON_PWHASH", "min", 1);
	setenv("LIAISON_ADMIN_PASSWORD", "fuzz-admin-password", 1);
	crypto_init();
	char *argv[] = {"init", "--db", dbpath, "--demo", NULL};
	int out = dup(STDOUT_FILENO);
	if (!freopen("/dev/null", "w", stdout))
		fail("cannot silence stdout");
	if (cmd_init(4, argv))
		fail("init failed");
	fflush(stdout);
	dup2(out, STDOUT_FILENO);
	close(out);
	credentials();
	/* The access log would flood the fuzzer's output; LIAISON_FUZZ_LOG=1 keeps it. */
	log_set_quiet(!getenv("LIAISON_FUZZ_LOG"));
	signal(SIGPIPE, SIG_IGN);
	cfg.db_url = dbpath;
	cfg.dev_clock = true;
	cfg.threads = 2;
	cfg.quiet = !getenv("LIAISON_FUZZ_LOG");
	cfg.header_timeout = 5;
	cfg.max_streams = 5;
	api_live_init();
	daemon_ = http_start(&cfg, api_routes(), -1);
	if (!daemon_)
		fail("the server did not start");
}

/* Sends data on a new connection and reads the answer into out (at most cap bytes) until the server
 * closes, a stream of events starts, or nothing arrives for a while.  Answers the bytes read. */
static size_t exchange(const uint8_t *data, size_t size, char *out, size_t cap)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		fail("socketpair failed");
	struct sockaddr_in peer = {
	    .sin_family = AF_INET, .sin_port = htons(40000), .sin_addr.s_addr = htonl(0x7f000001)};
	if (MHD_add_connection(daemon_, sv[1], (struct sockaddr *)&peer, sizeof peer) != MHD_YES)
		fail("MHD_add_connection failed");
	size_t sent = 0, got = 0;
	bool wr_open = true;
	int idle = 0;
	for (;;) {
		bool sending = wr_open && sent < size;
		struct pollfd p = {.fd = sv[0], .events = POLLIN | (sending ? POLLOUT : 0)};
		int n = poll(&p, 1, sending ? 1000 : 20);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			if (wr_open && !sending) {
				/* All sent and nothing back for a moment: end the stream.  (Not at once after the last
				 * byte: MHD reads edge-triggered and may take data and end of stream in one read, then
				 * never look again.) */
				shutdown(sv[0], SHUT_WR);
				wr_open = false;
				continue;
			}
			if (++idle >= 100) /* 2 s without a byte after the end: the server holds the connection */
				break;
			continue;
		}
		idle = 0;
		if (sending && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = send(sv[0], data + sent, size - sent, MSG_NOSIGNAL);
			if (w > 0)
				sent += (size_t)w;
			if (w < 0) {
				shutdown(sv[0], SHUT_WR);
				wr_open = false;
			}
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			char buf[16384];
			ssize_t r = recv(sv[0], buf, sizeof buf, 0);
			if (r <= 0)
				break;
			size_t k = (size_t)r < cap - 1 - got ? (size_t)r : cap - 1 - got;
			memcpy(out + got, buf, k);
			got += k;
			out[got] = 0;
			if (strstr(out, "text/event-stream")) /* a live stream never ends by itself */
				break;
		}
	}
	out[got] = 0;
	close(sv[0]);
	return got;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 20];
	if (!daemon_)
		start();
	exchange(data, size, out, sizeof out);
	/* Every answer in the reply (pipelined requests give several): none may be a 500. */
	for (const char *p = out; (p = strstr(p, "HTTP/1.")) != NULL; p += 7)
		if ((p == out || p[-1] == '\n') && strncmp(p + 8, " 500", 4) == 0)
			fail("the server answered 500");
	static const char health[] = "GET /healthz HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n";
	exchange((const uint8_t *)health, sizeof health - 1, out, sizeof out);
	if (strncmp(out, "HTTP/1.1 200", 12) != 0)
		fail("the server no longer answers GET /healthz with 200");
	return 0;
}
