/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Log-linear histogram indexing shared by the eBPF programs and user space.
 * With S sub-bits, values below 2^S get a bucket each; above, every power of
 * two is split into 2^S equal buckets, so a bucket is at most 1/2^S of its
 * lower bound wide. Branch-light and loop-free so the verifier accepts it.
 */
#ifndef REQPERF_HIST_INDEX_H
#define REQPERF_HIST_INDEX_H

static inline __u32 rp_log2_u64(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5;
	v >>= shift;
	r |= shift;
	shift = (v > 0xffff) << 4;
	v >>= shift;
	r |= shift;
	shift = (v > 0xff) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xf) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

/* Bucket of v; the caller clamps to its bucket count. */
static inline __u32 rp_hist_index(__u64 v, __u32 sub_bits)
{
	__u32 p;

	if (v < (1ULL << sub_bits))
		return (__u32)v;
	p = rp_log2_u64(v);
	return ((p - sub_bits + 1) << sub_bits) +
	       (__u32)((v >> (p - sub_bits)) - (1ULL << sub_bits));
}

/* Smallest value that lands in bucket idx. */
static inline __u64 rp_hist_low(__u32 idx, __u32 sub_bits)
{
	__u32 p, sub;

	if (idx < (1U << sub_bits))
		return idx;
	p = (idx >> sub_bits) + sub_bits - 1;
	sub = idx & ((1U << sub_bits) - 1);
	return ((1ULL << sub_bits) + sub) << (p - sub_bits);
}

/* Width of bucket idx (1 for the exact low buckets). */
static inline __u64 rp_hist_width(__u32 idx, __u32 sub_bits)
{
	if (idx < (2U << sub_bits))
		return 1;
	return 1ULL << ((idx >> sub_bits) - 1);
}

#endif /* REQPERF_HIST_INDEX_H */
