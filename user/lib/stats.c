// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <linux/types.h>
#include <math.h>
#include <string.h>

#include "hist_index.h"
#include "stats.h"

static uint32_t hist_bucket(uint64_t ns)
{
	uint32_t idx = rp_hist_index(ns, RP_HIST_SUB_BITS);

	return idx < RP_HIST_BUCKETS ? idx : RP_HIST_BUCKETS - 1;
}

void stats_init(struct rp_stats *s)
{
	memset(s, 0, sizeof(*s));
}

void stats_record(struct rp_stats *s, uint64_t ns)
{
	double delta = (double)ns - s->mean;

	if (s->n == 0 || ns < s->min)
		s->min = ns;
	if (ns > s->max)
		s->max = ns;
	s->n++;
	s->mean += delta / (double)s->n;
	s->m2 += delta * ((double)ns - s->mean);
	s->hist[hist_bucket(ns)]++;
}

/* Chan et al.'s pairwise update: exact for any split of the samples. */
void stats_merge(struct rp_stats *dst, const struct rp_stats *src)
{
	double na = (double)dst->n, nb = (double)src->n, n = na + nb;
	double delta = src->mean - dst->mean;

	if (src->n == 0)
		return;
	if (dst->n == 0 || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->mean += delta * nb / n;
	dst->m2 += src->m2 + delta * delta * na * nb / n;
	dst->n += src->n;
	for (uint32_t i = 0; i < RP_HIST_BUCKETS; i++)
		dst->hist[i] += src->hist[i];
}

/* 1-based rank ceil(q/100 * n), in integers so that q = 70 of 10 samples
 * is rank 7 whatever the rounding; q has a resolution of 0.001. */
uint64_t stats_rank(uint64_t n, double q)
{
	unsigned __int128 milli, rank;

	if (!(q > 0))
		return 1;
	milli = (unsigned __int128)llround((q > 100 ? 100 : q) * 1000);
	rank = (milli * n + 99999) / 100000;
	if (rank < 1)
		return 1;
	return rank < n ? (uint64_t)rank : n;
}

static uint64_t bucket_mid(uint32_t idx, uint32_t sub_bits)
{
	return rp_hist_low(idx, sub_bits) + rp_hist_width(idx, sub_bits) / 2;
}

uint64_t hist_percentile(const struct rp_hist_view *h, uint64_t total, double q)
{
	uint64_t rank, seen = 0;
	uint32_t last = 0;

	if (total == 0)
		return 0;
	rank = stats_rank(total, q);
	for (uint32_t i = 0; i < h->nbuckets; i++) {
		if (!h->counts[i])
			continue;
		seen += h->counts[i];
		last = i;
		if (seen >= rank)
			break;
	}
	if (seen == 0)
		return 0;
	return bucket_mid(last, h->sub_bits);
}

static void stats_view(const struct rp_stats *s, struct rp_hist_view *v)
{
	v->counts = s->hist;
	v->nbuckets = RP_HIST_BUCKETS;
	v->sub_bits = RP_HIST_SUB_BITS;
}

uint64_t stats_percentile(const struct rp_stats *s, double q)
{
	struct rp_hist_view v;
	uint64_t x;

	if (s->n == 0)
		return 0;
	if (!(q > 0))
		return s->min;
	stats_view(s, &v);
	x = hist_percentile(&v, s->n, q);
	/* the last bucket also holds everything beyond it: no midpoint */
	if (x >= rp_hist_low(RP_HIST_BUCKETS - 1, RP_HIST_SUB_BITS))
		return s->max;
	if (x < s->min)
		return s->min;
	return x > s->max ? s->max : x;
}

/* Bucket idx's value range, clamped to what was actually recorded. */
static void bucket_range(const struct rp_stats *s, uint32_t idx, uint64_t *lo, uint64_t *hi)
{
	uint64_t low = rp_hist_low(idx, RP_HIST_SUB_BITS);
	uint64_t high = low + rp_hist_width(idx, RP_HIST_SUB_BITS) - 1;

	if (idx == RP_HIST_BUCKETS - 1 || high > s->max)
		high = s->max;
	*lo = low < s->min ? s->min : low;
	*hi = high;
}

struct trim_acc {
	double lo, hi; /* kept range of values */
	uint64_t n, min, max;
	double sum;
};

static bool bucket_kept(const struct rp_stats *s, uint32_t idx, const struct trim_acc *t,
			uint64_t *lo, uint64_t *hi)
{
	if (!s->hist[idx])
		return false;
	bucket_range(s, idx, lo, hi);
	return (double)*lo >= t->lo && (double)*hi <= t->hi;
}

static double mid(uint64_t lo, uint64_t hi)
{
	return ((double)lo + (double)hi) / 2.0;
}

static void trim(const struct rp_stats *s, double k, struct rp_summary *out)
{
	struct trim_acc t = {.lo = out->mean - k * out->stddev, .hi = out->mean + k * out->stddev};
	double mean, sq = 0;
	uint64_t lo, hi;

	for (uint32_t i = 0; i < RP_HIST_BUCKETS; i++) {
		if (!bucket_kept(s, i, &t, &lo, &hi))
			continue;
		if (t.n == 0)
			t.min = lo;
		t.max = hi;
		t.n += s->hist[i];
		t.sum += mid(lo, hi) * (double)s->hist[i];
	}
	if (t.n == 0 || t.n == s->n)
		return;
	mean = t.sum / (double)t.n;
	for (uint32_t i = 0; i < RP_HIST_BUCKETS; i++) {
		if (!bucket_kept(s, i, &t, &lo, &hi))
			continue;
		sq += (mid(lo, hi) - mean) * (mid(lo, hi) - mean) * (double)s->hist[i];
	}
	out->n = t.n;
	out->mean = mean;
	out->stddev = sqrt(sq / (double)t.n);
	out->min = t.min;
	out->max = t.max;
}

void stats_summarize(const struct rp_stats *s, double trim_sigma, struct rp_summary *out)
{
	memset(out, 0, sizeof(*out));
	if (s->n == 0)
		return;
	out->n = s->n;
	out->min = s->min;
	out->max = s->max;
	out->mean = s->mean;
	out->stddev = s->m2 > 0 ? sqrt(s->m2 / (double)s->n) : 0;
	out->p50 = stats_percentile(s, 50);
	out->p90 = stats_percentile(s, 90);
	out->p99 = stats_percentile(s, 99);
	out->p999 = stats_percentile(s, 99.9);
	if (trim_sigma > 0 && out->stddev > 0)
		trim(s, trim_sigma, out);
}

void hist_to_log2(const struct rp_hist_view *h, uint64_t log2[RP_LOG2_SLOTS])
{
	memset(log2, 0, RP_LOG2_SLOTS * sizeof(log2[0]));
	for (uint32_t i = 0; i < h->nbuckets; i++) {
		uint64_t low;
		uint32_t slot;

		if (!h->counts[i])
			continue;
		low = rp_hist_low(i, h->sub_bits);
		slot = low ? rp_log2_u64(low) : 0;
		if (slot >= RP_LOG2_SLOTS)
			slot = RP_LOG2_SLOTS - 1;
		log2[slot] += h->counts[i];
	}
}
