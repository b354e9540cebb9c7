// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <linux/types.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "hist_index.h"
#include "stats.h"

static struct rp_stats *new_stats(void)
{
	struct rp_stats *s = malloc(sizeof(*s));

	assert_non_null(s);
	stats_init(s);
	return s;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t xorshift64(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Uniform in [0, 1). */
static double uniform(void)
{
	return (double)(xorshift64() >> 11) / 9007199254740992.0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void assert_near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.17g, want %.17g (+- %g)", got, want, tol);
}

static void assert_rel(double got, double want, double tol)
{
	double err = fabs(got - want) / fabs(want);

	if (err > tol)
		fail_msg("got %.17g, want %.17g: relative error %g > %g", got, want, err, tol);
}

static void test_one_to_ten(void **state)
{
	struct rp_stats *s = new_stats();
	struct rp_summary sum;

	(void)state;
	for (uint64_t v = 1; v <= 10; v++)
		stats_record(s, v);
	stats_summarize(s, 0, &sum);
	assert_int_equal(sum.n, 10);
	assert_int_equal(sum.min, 1);
	assert_int_equal(sum.max, 10);
	assert_near(sum.mean, 5.5, 1e-12);
	assert_near(sum.stddev, 2.8722813232690143, 1e-12);
	assert_int_equal(sum.p50, 5);
	assert_int_equal(sum.p90, 9);
	assert_int_equal(sum.p99, 10);
	assert_int_equal(sum.p999, 10);
	assert_int_equal(stats_percentile(s, 0), 1);
	assert_int_equal(stats_percentile(s, 100), 10);
	/* rank ceil(q/100 * n) without rounding noise: q = 70 is 7, not 8 */
	for (int q = 10; q <= 100; q += 10)
		assert_int_equal(stats_percentile(s, q), q / 10);
	assert_int_equal(stats_percentile(s, 10.5), 2);
	/* nothing lies outside 2 sigma: the exact figures stay */
	stats_summarize(s, 2.0, &sum);
	assert_int_equal(sum.n, 10);
	assert_near(sum.mean, 5.5, 1e-12);
	free(s);
}

static void test_empty(void **state)
{
	struct rp_stats *s = new_stats();
	struct rp_summary sum;

	(void)state;
	memset(&sum, 0xff, sizeof(sum));
	stats_summarize(s, 2.0, &sum);
	assert_int_equal(sum.n, 0);
	assert_int_equal(sum.min, 0);
	assert_int_equal(sum.max, 0);
	assert_true(sum.mean == 0 && !isnan(sum.mean));
	assert_true(sum.stddev == 0 && !isnan(sum.stddev));
	assert_int_equal(sum.p50 | sum.p90 | sum.p99 | sum.p999, 0);
	assert_int_equal(stats_percentile(s, 50), 0);
	assert_int_equal(stats_percentile(s, 0), 0);
	free(s);
}

static void test_single_and_constant(void **state)
{
	struct rp_stats *s = new_stats();
	struct rp_summary sum;

	(void)state;
	for (int i = 0; i < 5; i++)
		stats_record(s, 1000000);
	stats_summarize(s, 2.0, &sum);
	assert_int_equal(sum.n, 5);
	assert_int_equal(sum.min, 1000000);
	assert_int_equal(sum.max, 1000000);
	assert_near(sum.mean, 1e6, 1e-6);
	assert_true(sum.stddev == 0);
	/* the bucket midpoint is clamped to [min, max] */
	assert_int_equal(sum.p50, 1000000);
	assert_int_equal(sum.p999, 1000000);
	free(s);
}

/* The seed: numpy mean/std, drop |x - mean| > 2 std, report the rest. */
static void test_trim_seed_outlier(void **state)
{
	struct rp_stats *s = new_stats();
	struct rp_summary sum;

	(void)state;
	for (int i = 0; i < 20; i++)
		stats_record(s, 100);
	stats_record(s, 10000);
	stats_summarize(s, 0, &sum);
	assert_near(sum.mean, 571.4285714285714, 1e-9);
	assert_near(sum.stddev, 2108.292664499802, 1e-9);
	/* 2 sigma = 4216.6: [-3645.2, 4788.0] keeps the twenty 100s */
	stats_summarize(s, 2.0, &sum);
	assert_int_equal(sum.n, 20);
	assert_near(sum.mean, 100.0, 1e-12);
	assert_near(sum.stddev, 0.0, 1e-12);
	assert_int_equal(sum.min, 100);
	assert_int_equal(sum.max, 100);
	/* percentiles still describe every sample */
	assert_int_equal(stats_percentile(s, 100), 10000);
	free(s);
}

/* 20..40 and 120: mean 34.0909, std 19.6582, 120 is beyond 2 sigma; the
 * seed then reports mean 30, std 6.0553007081949835, min 20, max 40. */
static void test_trim_seed_spread(void **state)
{
	struct rp_stats *s = new_stats();
	struct rp_summary sum;

	(void)state;
	for (uint64_t v = 20; v <= 40; v++)
		stats_record(s, v);
	stats_record(s, 120);
	stats_summarize(s, 2.0, &sum);
	assert_int_equal(sum.n, 21);
	assert_near(sum.mean, 30.0, 1e-12);
	assert_near(sum.stddev, 6.0553007081949835, 1e-12);
	assert_int_equal(sum.min, 20);
	assert_int_equal(sum.max, 40);
	free(s);
}

/* Above 128 ns the filter works on buckets: close to the exact one. */
static void test_trim_large_values(void **state)
{
	struct rp_stats *s = new_stats();
	struct rp_summary sum;
	double v[2020], m = 0, sd = 0, km = 0, kmax = 0;
	int n = 2020, kept = 0;

	(void)state;
	for (int i = 0; i < n; i++) {
		v[i] = i < 2000 ? 5000 + floor(uniform() * 10000) : 5000000;
		stats_record(s, (uint64_t)v[i]);
		m += v[i] / n;
	}
	for (int i = 0; i < n; i++)
		sd += (v[i] - m) * (v[i] - m) / n;
	sd = sqrt(sd);
	for (int i = 0; i < n; i++) {
		if (fabs(v[i] - m) > 2 * sd)
			continue;
		km += v[i];
		kmax = fmax(kmax, v[i]);
		kept++;
	}
	km /= kept;
	stats_summarize(s, 2.0, &sum);
	assert_int_equal(kept, 2000);
	assert_int_equal(sum.n, 2000);
	assert_rel(sum.mean, km, 1.0 / 128);
	assert_int_equal(sum.min, s->min);
	/* max is the kept bucket's top: at most one bucket (1/64) above */
	assert_true((double)sum.max >= kmax && (double)sum.max <= kmax * (1 + 1.0 / 64));
	free(s);
}

static void test_merge_equals_single(void **state)
{
	struct rp_stats *a = new_stats(), *b = new_stats(), *all = new_stats();
	struct rp_stats *empty = new_stats(), *copy = new_stats();

	(void)state;
	for (int i = 0; i < 10000; i++) {
		uint64_t v = 100 + xorshift64() % (i < 3000 ? 1000 : 1000000);

		stats_record(i % 3 ? a : b, v);
		stats_record(all, v);
	}
	stats_merge(a, b);
	assert_int_equal(a->n, all->n);
	assert_int_equal(a->min, all->min);
	assert_int_equal(a->max, all->max);
	assert_rel(a->mean, all->mean, 1e-12);
	assert_rel(a->m2, all->m2, 1e-9);
	assert_memory_equal(a->hist, all->hist, sizeof(a->hist));
	/* empty on either side is the identity */
	memcpy(copy, all, sizeof(*copy));
	stats_merge(copy, empty);
	assert_memory_equal(copy, all, sizeof(*copy));
	stats_merge(empty, all);
	assert_int_equal(empty->n, all->n);
	assert_int_equal(empty->min, all->min);
	assert_rel(empty->mean, all->mean, 1e-15);
	assert_rel(empty->m2, all->m2, 1e-15);
	free(a), free(b), free(all), free(empty), free(copy);
}

/* 1e6 log-uniform samples over 50 ns .. 50 ms vs exact sorted ranks. */
static void test_percentile_error_bound(void **state)
{
	static const double qs[] = {50, 90, 99, 99.9};
	const size_t n = 1000000;
	uint64_t *v = malloc(n * sizeof(*v));
	struct rp_stats *s = new_stats();

	(void)state;
	assert_non_null(v);
	for (size_t i = 0; i < n; i++) {
		v[i] = (uint64_t)(50.0 * pow(1e6, uniform()));
		stats_record(s, v[i]);
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		size_t rank = (size_t)ceil(qs[i] / 100 * n);
		uint64_t got = stats_percentile(s, qs[i]);

		assert_rel((double)got, (double)v[rank - 1], 0.01);
		assert_rel((double)got, (double)v[rank - 1], 1.0 / 128);
	}
	assert_int_equal(stats_percentile(s, 0), v[0]);
	assert_rel((double)stats_percentile(s, 100), (double)v[n - 1], 1.0 / 128);
	/* constant memory: the struct is the same size after 1e6 samples */
	assert_int_equal(sizeof(*s), 5 * sizeof(uint64_t) + RP_HIST_BUCKETS * sizeof(uint64_t));
	free(v);
	free(s);
}

static void test_huge_values_clamp(void **state)
{
	struct rp_stats *s = new_stats();

	(void)state;
	stats_record(s, 1ULL << 50);
	stats_record(s, UINT64_MAX);
	assert_int_equal(s->hist[RP_HIST_BUCKETS - 1], 2);
	assert_int_equal(stats_percentile(s, 100), UINT64_MAX);
	assert_int_equal(stats_percentile(s, 50), UINT64_MAX);
	assert_int_equal(stats_percentile(s, 0), 1ULL << 50);
	free(s);
}

/* The kernel's histogram: 8 buckets per power of two, u64 counts. */
static void test_hist_percentile_kernel(void **state)
{
	uint64_t counts[320] = {0};
	struct rp_hist_view h = {counts, 320, 3};
	uint64_t vals[] = {1, 2, 3, 5, 7, 1000, 1000, 1000, 1000, 5000};
	uint64_t n = sizeof(vals) / sizeof(vals[0]);

	(void)state;
	for (uint64_t i = 0; i < n; i++)
		counts[rp_hist_index(vals[i], 3)]++;
	assert_int_equal(hist_percentile(&h, 0, 50), 0);
	assert_int_equal(hist_percentile(&h, n, 0), 1);
	assert_int_equal(hist_percentile(&h, n, 10), 1);
	assert_int_equal(hist_percentile(&h, n, 50), 7);
	/* 1000 is in [960, 1024), midpoint 992; 5000 in [4608, 5120) */
	assert_int_equal(hist_percentile(&h, n, 60), 992);
	assert_int_equal(hist_percentile(&h, n, 90), 992);
	assert_int_equal(hist_percentile(&h, n, 100), 4864);
	assert_rel((double)hist_percentile(&h, n, 100), 5000, 1.0 / 16);
}

static void test_hist_to_log2(void **state)
{
	static const uint64_t vals[] = {0, 1, 2, 3, 4, 7, 8, 1000, 1023, 1024, 1ULL << 45};
	struct rp_stats *s = new_stats();
	struct rp_hist_view v = {s->hist, RP_HIST_BUCKETS, RP_HIST_SUB_BITS};
	uint64_t k[320] = {0};
	struct rp_hist_view kv = {k, 320, 3};
	uint64_t log2[RP_LOG2_SLOTS], klog2[RP_LOG2_SLOTS];

	(void)state;
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		stats_record(s, vals[i]);
		if (vals[i] < (1ULL << 40))
			k[rp_hist_index(vals[i], 3)]++;
	}
	hist_to_log2(&v, log2);
	assert_int_equal(log2[0], 2);
	assert_int_equal(log2[1], 2);
	assert_int_equal(log2[2], 2);
	assert_int_equal(log2[3], 1);
	assert_int_equal(log2[9], 2);
	assert_int_equal(log2[10], 1);
	/* clamped into the last bucket, whose low bound is below 2^40 */
	assert_int_equal(log2[39], 1);
	hist_to_log2(&kv, klog2);
	assert_memory_equal(klog2, log2, 39 * sizeof(log2[0]));
	free(s);
}

/* The nearest rank the report's sorted-sample percentiles index with:
 * ceil(q/100 n), whatever the float rounding of q/100 * n, at least 1. */
static void test_rank(void **state)
{
	(void)state;
	assert_int_equal(stats_rank(10, 70), 7);
	assert_int_equal(stats_rank(10, 71), 8);
	assert_int_equal(stats_rank(100, 99), 99);
	assert_int_equal(stats_rank(3, 50), 2);
	assert_int_equal(stats_rank(1, 99), 1);
	assert_int_equal(stats_rank(5, 0), 1);
	assert_int_equal(stats_rank(5, 100), 5);
	assert_int_equal(stats_rank(5, 150), 5);
}

/* A growing array: doubles from its first size, stops at its limit with
 * the array intact, NULL with no limit only when out of memory. */
static void test_grow(void **state)
{
	size_t cap = 0, n;
	int *v = NULL, *p;

	(void)state;
	for (n = 0; n < 10; n++) {
		p = grow(v, &cap, n, sizeof(*v), 4, 10);
		assert_non_null(p);
		v = p;
		v[n] = (int)n;
		assert_true(cap == 4 || cap == 8 || cap == 10);
	}
	assert_int_equal(cap, 10);
	assert_null(grow(v, &cap, n, sizeof(*v), 4, 10));
	assert_int_equal(cap, 10);
	for (n = 0; n < 10; n++)
		assert_int_equal(v[n], (int)n);
	assert_null(grow(v, &cap, 10, SIZE_MAX / 4, 4, 0));
	assert_int_equal(cap, 10);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_to_ten),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_single_and_constant),
		cmocka_unit_test(test_trim_seed_outlier),
		cmocka_unit_test(test_trim_seed_spread),
		cmocka_unit_test(test_trim_large_values),
		cmocka_unit_test(test_merge_equals_single),
		cmocka_unit_test(test_percentile_error_bound),
		cmocka_unit_test(test_huge_values_clamp),
		cmocka_unit_test(test_hist_percentile_kernel),
		cmocka_unit_test(test_hist_to_log2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
