/* Scheduling speed (issue 9: a project of 100,000 tasks and 300,000 dependencies under 100 ms on one core).
 * A random plan — durations of 0 to 10 working days, one task in twenty with a "no earlier than", every
 * dependency from a lower task to a higher one (a plan has no cycles), of the four kinds, lags of -2 to 5 —
 * scheduled by cpm_schedule; the reference, in the same run, is one pass that reads every task and every
 * dependency once (the memory traffic no schedule can avoid).  Best of 7.
 * Usage: build/bench/cpm [TASKS [DEPENDENCIES]] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "domain/cpm.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static unsigned long long rng = 88172645463325252ull;
static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000, m = argc > 2 ? strtoul(argv[2], NULL, 10) : 300000;
	cpm_task *t = malloc(n * sizeof *t);
	cpm_dep *d = malloc(m * sizeof *d);
	cpm_result *r = malloc(n * sizeof *r);
	if (!t || !d || !r || n < 2)
		return 1;
	for (size_t i = 0; i < n; i++)
		t[i] = (cpm_task){(int32_t)(next() % 11), next() % 20 == 0 ? (int32_t)(next() % 500) : -1};
	for (size_t k = 0; k < m; k++) {
		/* mostly near neighbours, as in a real WBS, some far */
		size_t a = next() % (n - 1), span = next() % 4 == 0 ? n - 1 - a : (next() % 50) + 1;
		size_t b = a + 1 + next() % (span < n - 1 - a ? span : n - 1 - a);
		d[k] = (cpm_dep){(int32_t)a, (int32_t)b, (int32_t)(next() % 8) - 2, (uint8_t)(next() % 4)};
	}
	double best = 1e9, ref = 1e9;
	int32_t fin = 0;
	long long sink = 0;
	for (int rep = 0; rep < 7; rep++) {
		double t0 = now();
		for (size_t i = 0; i < n; i++)
			sink += t[i].duration + t[i].not_before;
		for (size_t k = 0; k < m; k++)
			sink += d[k].pred + d[k].succ + d[k].lag + d[k].type;
		double t1 = now();
		if (cpm_schedule(t, n, d, m, r, &fin))
			return 1;
		double t2 = now();
		if (t1 - t0 < ref)
			ref = t1 - t0;
		if (t2 - t1 < best)
			best = t2 - t1;
	}
	size_t critical = 0;
	for (size_t i = 0; i < n; i++)
		critical += r[i].critical;
	printf("cpm: %zu tasks, %zu dependencies: schedule %.1f ms (target < 100 ms); reference pass %.2f ms; ratio %.0f; "
	       "finish day %d, %zu critical (%lld)\n",
	       n, m, best * 1e3, ref * 1e3, best / ref, fin, critical, sink % 10);
	free(t);
	free(d);
	free(r);
	return 0;
}
