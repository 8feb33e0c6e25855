/* A small HTTP/1.1 keep-alive load generator for the benchmarks: THREADS threads, each driving its share of
 * CONNS connections to 127.0.0.1:PORT with one request repeated for SECONDS; prints requests/second and
 * the number of non-2xx answers.  Usage: load PORT PATH CONNS THREADS SECONDS [BEARER_TOKEN] */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port, conns, threads;
static double seconds;
static char request[1024];
static size_t request_len;

typedef struct { long done, bad; } result;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
		perror("connect");
		exit(1);
	}
	return fd;
}

/* Reads one response; returns its status or -1. */
static int read_response(int fd, char *buf, size_t cap)
{
	size_t have = 0;
	for (;;) {
		ssize_t n = read(fd, buf + have, cap - have - 1);
		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = 0;
		char *end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		char *cl = strcasestr(buf, "content-length:");
		size_t body = cl ? strtoul(cl + 15, NULL, 10) : 0;
		size_t total = (size_t)(end + 4 - buf) + body;
		while (have < total) {
			n = read(fd, buf + have, cap - have - 1 < total - have ? cap - have - 1 : total - have);
			if (n <= 0)
				return -1;
			have += (size_t)n;
		}
		return atoi(buf + 9);
	}
}

static void *worker(void *arg)
{
	result *res = arg;
	int n = conns / threads;
	int *fds = calloc((size_t)n, sizeof *fds);
	char *buf = malloc(1 << 20);
	for (int i = 0; i < n; i++)
		fds[i] = dial();
	double end = now() + seconds;
	while (now() < end) {
		/* Pipeline-free: one request in flight per connection, all connections at once. */
		for (int i = 0; i < n; i++)
			if (write(fds[i], request, request_len) != (ssize_t)request_len) {
				perror("write");
				exit(1);
			}
		for (int i = 0; i < n; i++) {
			int st = read_response(fds[i], buf, 1 << 20);
			if (st < 200 || st > 299)
				res->bad++;
			res->done++;
		}
	}
	for (int i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: load PORT PATH CONNS THREADS SECONDS [BEARER_TOKEN]\n");
		return 2;
	}
	port = atoi(argv[1]);
	conns = atoi(argv[3]);
	threads = atoi(argv[4]);
	seconds = atof(argv[5]);
	if (argc > 6)
		snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\n\r\n", argv[2], argv[6]);
	else
		snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: bench\r\n\r\n", argv[2]);
	request_len = strlen(request);
	pthread_t t[64];
	result r[64] = {{0, 0}};
	double t0 = now();
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, &r[i]);
	long done = 0, bad = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		done += r[i].done;
		bad += r[i].bad;
	}
	double el = now() - t0;
	printf("%.0f %ld\n", (double)done / el, bad);
	return 0;
}
