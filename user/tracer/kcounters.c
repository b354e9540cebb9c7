// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Kernel counters to report figures: sums a slot's per-CPU values and turns
 * the sums (moments with a 128-bit sum of squares, log-linear histogram)
 * into the same struct rp_calls the user side fills. Pure: no maps, no I/O.
 */
#include <math.h>
#include <string.h>

#include "rp_sched.h"
#include "schema.h"
#include "stats.h"
#include "tracer.h"

void tracer_sum_kdir(struct rp_kdir_sum *sum, const struct rp_kdir *cpu)
{
	family_merge(&rp_kdir_family, &sum->c, cpu);
}

void tracer_sum_khist(struct rp_kdir_sum *sum, const struct rp_khist *h)
{
	int i;

	for (i = 0; i < RP_KHIST_BUCKETS; i++)
		sum->hist_ns[i] += h->ns[i];
	for (i = 0; i < RP_SKB_SLOTS; i++)
		sum->hist_skbs[i] += h->skbs[i];
	sum->untimed += h->untimed;
	sum->untimed_bytes += h->untimed_bytes;
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

	/* Untimed calls are in calls but not in the time figures. */
	uint64_t timed = c->calls > sum->untimed ? c->calls - sum->untimed : 0;

	memset(ns, 0, sizeof(*ns));
	if (!timed)
		return;
	for (i = 0; i < RP_KHIST_BUCKETS; i++)
		total += sum->hist_ns[i];
	ns->n = timed;
	ns->min = c->ns_min;
	ns->max = c->ns_max;
	ns->mean = (double)c->ns_sum / (double)timed;
	sq = (long double)c->ns_sq_hi * 18446744073709551616.0L + (long double)c->ns_sq_lo;
	var = sq / (long double)timed - (long double)ns->mean * (long double)ns->mean;
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
	/* Every rp_kdir counter named as an rp_calls field is copied there. */
	for (size_t i = 0; i < rp_kdir_family.n; i++) {
		const struct rp_field *k = &rp_kdir_family.fields[i];
		const struct rp_field *f = family_field(&rp_calls_family, k->name);

		if (f)
			field_set_u64(out, f, field_u64(c, k));
	}
	fill_summary(sum, &out->ns);
	hist_to_log2(&v, out->log2);
	memcpy(out->skb_hist, sum->hist_skbs, sizeof(out->skb_hist));
	out->untimed = sum->untimed;
	out->untimed_bytes = sum->untimed_bytes;
}
