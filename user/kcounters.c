// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Kernel counters to report figures: sums a slot's per-CPU values and turns
 * the sums (moments with a 128-bit sum of squares, log-linear histogram)
 * into the same struct rp_calls the user side fills. Pure: no maps, no I/O.
 */
#include <math.h>
#include <string.h>

#include "rp_sched.h"
#include "stats.h"
#include "tracer.h"

void tracer_sum_kdir(struct rp_kdir_sum *sum, const struct rp_kdir *cpu)
{
	struct rp_kdir *c = &sum->c;

	c->calls += cpu->calls;
	c->bytes += cpu->bytes;
	c->eagain += cpu->eagain;
	c->errors += cpu->errors;
	c->short_calls += cpu->short_calls;
	c->ns_sum += cpu->ns_sum;
	c->ns_sq_lo += cpu->ns_sq_lo;
	c->ns_sq_hi += cpu->ns_sq_hi + (c->ns_sq_lo < cpu->ns_sq_lo);
	if (cpu->ns_min && (!c->ns_min || cpu->ns_min < c->ns_min))
		c->ns_min = cpu->ns_min;
	if (cpu->ns_max > c->ns_max)
		c->ns_max = cpu->ns_max;
	c->skbs += cpu->skbs;
	c->size_goal_sum += cpu->size_goal_sum;
	c->queued_sum += cpu->queued_sum;
	c->full_queued += cpu->full_queued;
	c->short_empty += cpu->short_empty;
	c->short_queued += cpu->short_queued;
}

void tracer_sum_khist(struct rp_kdir_sum *sum, const struct rp_khist *h)
{
	int i;

	for (i = 0; i < RP_KHIST_BUCKETS; i++)
		sum->hist_ns[i] += h->ns[i];
	for (i = 0; i < RP_SKB_SLOTS; i++)
		sum->hist_skbs[i] += h->skbs[i];
}

/* Per-CPU values are stored rounded up to 8 bytes, one per possible CPU. */
static uint64_t percpu(uint64_t size, uint64_t ncpus)
{
	return ncpus * ((size + 7) / 8 * 8);
}

uint64_t tracer_map_bytes(uint64_t nslots, uint64_t ncpus, bool sched)
{
	uint64_t b = nslots * percpu(sizeof(struct rp_kslot), ncpus) /* rp_slots */
		     + nslots * sizeof(struct rp_khists) /* rp_hists */
		     + nslots * sizeof(struct rp_ksum); /* rp_closed */

	if (sched) /* rp_sched and rp_sched_wins: index 0 plus one per slot */
		b += (nslots + 1) *
		     (percpu(sizeof(struct rp_ksched), ncpus) + sizeof(struct rp_sched_win));
	return b;
}

static uint64_t clamp_u64(uint64_t x, uint64_t lo, uint64_t hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static void fill_summary(const struct rp_kdir_sum *sum, struct rp_summary *ns)
{
	const struct rp_kdir *c = &sum->c;
	struct rp_hist_view v = {sum->hist_ns, RP_KHIST_BUCKETS, RP_KHIST_SUB_BITS};
	long double sq, var;
	uint64_t total = 0;
	int i;

	memset(ns, 0, sizeof(*ns));
	if (!c->calls)
		return;
	for (i = 0; i < RP_KHIST_BUCKETS; i++)
		total += sum->hist_ns[i];
	ns->n = c->calls;
	ns->min = c->ns_min;
	ns->max = c->ns_max;
	ns->mean = (double)c->ns_sum / (double)c->calls;
	sq = (long double)c->ns_sq_hi * 18446744073709551616.0L + (long double)c->ns_sq_lo;
	var = sq / (long double)c->calls - (long double)ns->mean * (long double)ns->mean;
	ns->stddev = var > 0 ? (double)sqrtl(var) : 0;
	ns->p50 = clamp_u64(hist_percentile(&v, total, 50), ns->min, ns->max);
	ns->p90 = clamp_u64(hist_percentile(&v, total, 90), ns->min, ns->max);
	ns->p99 = clamp_u64(hist_percentile(&v, total, 99), ns->min, ns->max);
	ns->p999 = clamp_u64(hist_percentile(&v, total, 99.9), ns->min, ns->max);
}

void tracer_fill_calls(const struct rp_kdir_sum *sum, struct rp_calls *out)
{
	const struct rp_kdir *c = &sum->c;
	struct rp_hist_view v = {sum->hist_ns, RP_KHIST_BUCKETS, RP_KHIST_SUB_BITS};

	memset(out, 0, sizeof(*out));
	out->calls = c->calls;
	out->bytes = c->bytes;
	out->eagain = c->eagain;
	out->short_calls = c->short_calls;
	out->errors = c->errors;
	fill_summary(sum, &out->ns);
	hist_to_log2(&v, out->log2);
	out->skbs = c->skbs;
	memcpy(out->skb_hist, sum->hist_skbs, sizeof(out->skb_hist));
	out->size_goal_sum = c->size_goal_sum;
	out->queued_sum = c->queued_sum;
	out->full_queued = c->full_queued;
	out->short_empty = c->short_empty;
	out->short_queued = c->short_queued;
}
