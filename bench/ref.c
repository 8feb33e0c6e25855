/* The reference server of the benchmarks: libmicrohttpd with the same threading as liaison, answering a
 * fixed 300-byte JSON body to every request.  What liaison adds on top of this is what we measure.
 * Usage: ref PORT THREADS */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char body[301];

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *data, size_t *size, void **ctx)
{
	(void)cls, (void)url, (void)method, (void)version, (void)data, (void)size;
	static int first;
	if (*ctx == NULL) {
		*ctx = &first;
		return MHD_YES;
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(300, body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	memset(body, ' ', 300);
	body[0] = '{';
	body[299] = '}';
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)atoi(argv[1]),
						 NULL, NULL, answer, NULL, MHD_OPTION_THREAD_POOL_SIZE,
						 (unsigned)atoi(argv[2]), MHD_OPTION_END);
	if (!d)
		return 1;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int sig;
	sigwait(&s, &sig);
	MHD_stop_daemon(d);
	return 0;
}
