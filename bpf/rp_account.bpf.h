/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one place a finished send or recv call is counted, whichever backend
 * saw it start and end.
 */
#ifndef REQPERF_ACCOUNT_BPF_H
#define REQPERF_ACCOUNT_BPF_H

#define RP_EINTR 4
#define RP_EAGAIN 11
#define RP_MSG_PEEK 2

/* x * x as a 128-bit value. */
static __always_inline void rp_square(__u64 x, __u64 *lo, __u64 *hi)
{
	__u64 a = x & 0xffffffffULL, b = x >> 32;
	__u64 aa = a * a, ab = a * b, bb = b * b;
	__u64 mid_lo = ab << 33, mid_hi = ab >> 31; /* 2 * ab * 2^32 */

	*lo = aa + mid_lo;
	*hi = bb + mid_hi + (*lo < aa);
}

static __always_inline void rp_record_ns(struct rp_kdir *d, struct rp_khist *h, __u64 ns)
{
	__u64 lo, hi, idx;

	d->ns_sum += ns;
	rp_square(ns, &lo, &hi);
	d->ns_sq_lo += lo;
	d->ns_sq_hi += hi + (d->ns_sq_lo < lo);
	/* 0 marks "no sample yet", so a 0 ns sample counts as 1 ns there. */
	if (!d->ns_min || (ns ? ns : 1) < d->ns_min)
		d->ns_min = ns ? ns : 1;
	if (ns > d->ns_max)
		d->ns_max = ns;
	/* 64-bit, so the bound checked is the register used as index (a
	 * 32-bit idx gets zero-extended again after its check). */
	idx = rp_hist_index(ns, RP_KHIST_SUB_BITS);
	if (idx >= RP_KHIST_BUCKETS)
		idx = RP_KHIST_BUCKETS - 1;
	barrier_var(idx);
	__sync_fetch_and_add(&h->ns[idx], 1);
}

static __always_inline void rp_record_recv(struct rp_kdir *d, const struct rp_call *c, long ret,
					   __u32 queued)
{
	d->queued_sum += queued;
	/* A peek leaves the data queued: it says nothing about buffer size. */
	if (ret <= 0 || c->len == RP_LEN_UNKNOWN || (c->flags & RP_MSG_PEEK))
		return;
	if ((__u64)ret >= c->len) {
		if (queued)
			d->full_queued++;
	} else if (queued) {
		d->short_queued++;
	} else {
		d->short_empty++;
	}
}

/* Per-CPU counters of the call's slot, plain adds: only this thread's
 * context writes them on this CPU; the slot's histograms, atomic adds. */
static __always_inline void rp_account(const struct rp_call *c, long ret, __u64 ns, __u32 queued)
{
	__u32 slot = c->slot;
	__u64 skbs = c->skbs;
	struct rp_khists *kh;
	struct rp_kslot *ks;
	struct rp_khist *h;
	struct rp_kdir *d;

	ks = bpf_map_lookup_elem(&rp_slots, &slot);
	kh = bpf_map_lookup_elem(&rp_hists, &slot);
	if (!ks || !kh) {
		rp_drop(RP_DROP_BAD_SLOT);
		return;
	}
	d = c->dir == RP_SEND ? &ks->dir[RP_SEND] : &ks->dir[RP_RECV];
	h = c->dir == RP_SEND ? &kh->dir[RP_SEND] : &kh->dir[RP_RECV];
	d->calls++;
	if (ret > 0)
		d->bytes += ret;
	else if (ret == -RP_EAGAIN)
		d->eagain++;
	else if (ret < 0 && ret != -RP_EINTR) /* interrupted: retried, no error */
		d->errors++;
	if (ret > 0 && c->len != RP_LEN_UNKNOWN && (__u64)ret < c->len)
		d->short_calls++;
	rp_record_ns(d, h, ns);
	d->skbs += skbs;
	if (skbs >= RP_SKB_SLOTS)
		skbs = RP_SKB_SLOTS - 1;
	barrier_var(skbs);
	__sync_fetch_and_add(&h->skbs[skbs], 1);
	if (c->dir == RP_SEND)
		d->size_goal_sum += c->size_goal;
	else
		rp_record_recv(d, c, ret, queued);
}

/* Counts t's finished call on sk (tp: sk as a tcp_sock, see RP_TCP) and
 * refreshes the socket's last snapshot. exact: the socket's first
 * snapshot, if taken now, is exact. */
static __always_inline void rp_finish(struct rp_task *t, const struct sock *sk,
				      const struct tcp_sock *tp, bool direct, long ret, __u64 now,
				      __u32 exact)
{
	const struct rp_call *c = &t->call;
	struct rp_ksock *s = rp_sock_track(sk, c->slot, exact);
	/* Bytes still queued after a recv: read once, for counters and event. */
	__u32 queued = c->dir == RP_RECV ? rp_sock_queued(tp, direct) : 0;

	rp_account(c, ret, now - c->start_ns, queued);
	if (s)
		rp_sock_last(s, tp, direct);
	rp_event_emit(t, sk, s, ret, now, queued);
}

#endif /* REQPERF_ACCOUNT_BPF_H */
