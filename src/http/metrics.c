/* Prometheus metrics: requests by route and status, latency histograms by route, open connections. */
#include <stdatomic.h>
#include <stdio.h>

#include "http/http.h"

enum { MAX_ROUTES = 512 };
static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 500, 503};
#define NSTATUS (int)(sizeof statuses / sizeof statuses[0])
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBOUNDS (int)(sizeof bounds / sizeof bounds[0])

/* Slot MAX_ROUTES holds what matched no route (static files, 404s). */
static _Atomic unsigned long long counts[MAX_ROUTES + 1][NSTATUS + 1];
static _Atomic unsigned long long buckets[MAX_ROUTES + 1][NBOUNDS + 1];
static _Atomic unsigned long long sum_us[MAX_ROUTES + 1];
static _Atomic long connections;
static _Atomic unsigned long long statements[MAX_ROUTES + 1];

static const route_table *table;

void metrics_init(const route_table *t)
{
	table = t;
}

void metrics_observe(int route_index, int status, uint64_t micros)
{
	int ri = route_index >= 0 && route_index < MAX_ROUTES ? route_index : MAX_ROUTES;
	int si = NSTATUS;
	for (int i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			si = i;
	atomic_fetch_add(&counts[ri][si], 1);
	double s = (double)micros / 1e6;
	int b = NBOUNDS;
	for (int i = 0; i < NBOUNDS; i++)
		if (s <= bounds[i]) {
			b = i;
			break;
		}
	atomic_fetch_add(&buckets[ri][b], 1);
	atomic_fetch_add(&sum_us[ri], micros);
}

void metrics_statements(int route_index, long n)
{
	int ri = route_index >= 0 && route_index < MAX_ROUTES ? route_index : MAX_ROUTES;
	if (n > 0)
		atomic_fetch_add(&statements[ri], (unsigned long long)n);
}

void metrics_connections(int delta)
{
	atomic_fetch_add(&connections, delta);
}

static void route_label(int ri, char *out, size_t n)
{
	if (ri == MAX_ROUTES)
		snprintf(out, n, "other");
	else
		snprintf(out, n, "%s %s", table->routes[ri].method, table->routes[ri].pattern);
}

void metrics_render(sbuf *o)
{
	char label[300];
	sbuf_adds(o, "# HELP liaison_http_requests_total HTTP requests by route and status.\n"
		     "# TYPE liaison_http_requests_total counter\n");
	for (int ri = 0; ri <= MAX_ROUTES; ri++) {
		if (ri < MAX_ROUTES && (!table || ri >= table->n))
			continue;
		route_label(ri, label, sizeof label);
		for (int si = 0; si <= NSTATUS; si++) {
			unsigned long long c = atomic_load(&counts[ri][si]);
			if (!c)
				continue;
			if (si < NSTATUS)
				sbuf_printf(o, "liaison_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n", label,
					    statuses[si], c);
			else
				sbuf_printf(o, "liaison_http_requests_total{route=\"%s\",status=\"other\"} %llu\n", label, c);
		}
	}
	sbuf_adds(o, "# HELP liaison_http_request_duration_seconds Time to answer, by route.\n"
		     "# TYPE liaison_http_request_duration_seconds histogram\n");
	for (int ri = 0; ri <= MAX_ROUTES; ri++) {
		if (ri < MAX_ROUTES && (!table || ri >= table->n))
			continue;
		unsigned long long total = 0;
		for (int b = 0; b <= NBOUNDS; b++)
			total += atomic_load(&buckets[ri][b]);
		if (!total)
			continue;
		route_label(ri, label, sizeof label);
		unsigned long long cum = 0;
		for (int b = 0; b < NBOUNDS; b++) {
			cum += atomic_load(&buckets[ri][b]);
			sbuf_printf(o, "liaison_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n", label,
				    bounds[b], cum);
		}
		sbuf_printf(o, "liaison_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", label, total);
		sbuf_printf(o, "liaison_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", label,
			    (double)atomic_load(&sum_us[ri]) / 1e6);
		sbuf_printf(o, "liaison_http_request_duration_seconds_count{route=\"%s\"} %llu\n", label, total);
	}
	sbuf_adds(o, "# HELP liaison_db_statements_total Store statements run, by route.\n"
		     "# TYPE liaison_db_statements_total counter\n");
	for (int ri = 0; ri <= MAX_ROUTES; ri++) {
		if (ri < MAX_ROUTES && (!table || ri >= table->n))
			continue;
		unsigned long long n = atomic_load(&statements[ri]);
		if (!n)
			continue;
		route_label(ri, label, sizeof label);
		sbuf_printf(o, "liaison_db_statements_total{route=\"%s\"} %llu\n", label, n);
	}
	sbuf_printf(o, "# HELP liaison_http_connections Open HTTP connections.\n# TYPE liaison_http_connections gauge\n"
		       "liaison_http_connections %ld\n", atomic_load(&connections));
}
