/* Unit tests for sign-in throttling per (login, address): how long to wait after n failures. */
#include <criterion/criterion.h>

#include "domain/org.h"

Test(throttle, delay_after_n_failures)
{
	/* the table written out: free, free, free, then 1 s doubling, capped at 5 minutes */
	static const int64_t want[] = {0,     0,     0,     1000,   2000,   4000,   8000,
	                               16000, 32000, 64000, 128000, 256000, 300000, 300000};
	for (int64_t n = 0; n < (int64_t)(sizeof want / sizeof want[0]); n++)
		cr_assert_eq(throttle_delay_ms(n), want[n], "after %lld failures: %lld", (long long)n,
		             (long long)throttle_delay_ms(n));
	cr_assert_eq(throttle_delay_ms(-1), 0);
	cr_assert_eq(throttle_delay_ms(1000000), THROTTLE_DELAY_MAX_MS);
	cr_assert_eq(throttle_delay_ms(INT64_MAX), THROTTLE_DELAY_MAX_MS);
}

Test(throttle, delay_never_shrinks)
{
	for (int64_t n = 0; n < 200; n++)
		cr_assert_leq(throttle_delay_ms(n), throttle_delay_ms(n + 1));
}

Test(throttle, pair_allows_after_the_delay)
{
	const int64_t t = 1700000000000LL;
	int retry = -1;
	cr_assert(throttle_pair_allows(0, 0, t, &retry));
	cr_assert(throttle_pair_allows(2, t, t, &retry)); /* the first three cost nothing */
	cr_assert_not(throttle_pair_allows(3, t, t, &retry));
	cr_assert_eq(retry, 1);
	cr_assert_not(throttle_pair_allows(3, t, t + 999, &retry));
	cr_assert_eq(retry, 1);
	cr_assert(throttle_pair_allows(3, t, t + 1000, &retry));
	cr_assert_not(throttle_pair_allows(5, t, t + 1000, &retry)); /* 4 s after the fifth */
	cr_assert_eq(retry, 3);
	cr_assert(throttle_pair_allows(5, t, t + 4000, &retry));
	cr_assert_not(throttle_pair_allows(50, t, t + 1, &retry));
	cr_assert_eq(retry, 300); /* rounded up, never more than the cap */
	cr_assert(throttle_pair_allows(50, t, t + THROTTLE_DELAY_MAX_MS, &retry));
}

Test(throttle, pair_forgets_and_survives_a_clock_going_back)
{
	const int64_t t = 1700000000000LL;
	int retry = -1;
	cr_assert(throttle_pair_allows(1000, t, t + THROTTLE_FORGET_MS, &retry));
	cr_assert_not(throttle_pair_allows(4, t, t - 3600 * 1000LL, &retry)); /* clock moved back an hour */
	cr_assert_eq(retry, 2, "waits the delay, not the hour: %d", retry);
}
