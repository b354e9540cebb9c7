/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Constant-memory statistics of nanosecond samples: Welford moments, min,
 * max and a log-linear histogram (64 buckets per power of two, so a
 * percentile read at a bucket's midpoint is within 0.8 % of the truth).
 * Pure: no I/O, no allocation.
 */
#ifndef REQPERF_STATS_H
#define REQPERF_STATS_H

#include <stdbool.h>
#include <stdint.h>

#define RP_HIST_SUB_BITS 6
#define RP_HIST_BUCKETS 2240 /* values below 2^40 ns; larger ones clamp */
#define RP_LOG2_SLOTS 41 /* log2 histogram of ns for --hist */

struct rp_stats {
	uint64_t n;
	uint64_t min;
	uint64_t max;
	double mean;
	double m2; /* Welford: sum of squared deviations from the mean */
	uint64_t hist[RP_HIST_BUCKETS];
};

/* What a report shows of one sample set; all times in ns. */
struct rp_summary {
	uint64_t n;
	uint64_t min;
	uint64_t max;
	double mean;
	double stddev; /* population standard deviation, as numpy.std */
	uint64_t p50;
	uint64_t p90;
	uint64_t p99;
	uint64_t p999;
};

void stats_init(struct rp_stats *s);
void stats_record(struct rp_stats *s, uint64_t ns);
void stats_merge(struct rp_stats *dst, const struct rp_stats *src);
/*
 * q in [0, 100] (steps of 0.001): the sample of rank ceil(q/100 * n),
 * q = 0 the minimum, read at its bucket's midpoint and clamped to
 * [min, max]. Exact below 128 ns, otherwise within 1/128 of the true
 * sample; a rank in the last bucket (2^40 ns and beyond) reads as max.
 * 0 when empty.
 */
uint64_t stats_percentile(const struct rp_stats *s, double q);
/*
 * Fills out; all zeros (no NaN) when s is empty.
 *
 * trim_sigma > 0 applies the seed's filter: keep samples within
 * mean +- trim_sigma * stddev (bounds inclusive), then report n, mean,
 * stddev, min and max of those. The samples themselves are gone, so this
 * is computed from the histogram: a bucket is kept when its whole range
 * (clamped to [min, max]) lies inside the bounds, and each kept sample
 * counts as its bucket's midpoint. Buckets below 128 ns hold one value
 * each, so there the result equals the exact filter; above, a bucket that
 * straddles a bound is dropped whole, and means are within 1/128. When
 * the filter would keep every sample (or none), the exact untrimmed
 * figures are reported. Percentiles always describe all samples.
 */
void stats_summarize(const struct rp_stats *s, double trim_sigma, struct rp_summary *out);

/* A log-linear histogram of any resolution (rp_hist_index with sub_bits),
 * as the kernel side delivers it (RP_KHIST_SUB_BITS, counts widened). */
struct rp_hist_view {
	const uint64_t *counts;
	uint32_t nbuckets;
	uint32_t sub_bits;
};
/* The nearest rank of percentile q (0..100) among n sorted samples,
 * 1-based: ceil(q/100 * n) in integers, at least 1 (resolution 0.001). */
uint64_t stats_rank(uint64_t n, double q);
/* Same rank rule as stats_percentile over total samples, read at the
 * bucket's midpoint (no min/max to clamp to). 0 when total is 0. */
uint64_t hist_percentile(const struct rp_hist_view *h, uint64_t total, double q);
/* Collapses h into log2 slots: slot i counts [2^i, 2^(i+1)) ns, slot 0
 * also holds 0, the last slot everything above. */
void hist_to_log2(const struct rp_hist_view *h, uint64_t log2[RP_LOG2_SLOTS]);

#endif /* REQPERF_STATS_H */
