/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one place a finished send or recv call is counted, whichever backend
 * saw it start and end.
 */
#ifndef REQPERF_ACCOUNT_BPF_H
#define REQPERF_ACCOUNT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "reqperf.h"
#include "hist_index.h"
#include "rp_maps.bpf.h"
#include "rp_sock.bpf.h"
#include "rp_events.bpf.h"
#include "rp_hold.bpf.h"

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

enum rp_recv_class {
	RP_RC_NONE = 0,
	RP_RC_FULL_QUEUED, /* filled the buffer with bytes left queued */
	RP_RC_SHORT_QUEUED, /* short, with bytes queued */
	RP_RC_SHORT_EMPTY, /* short, nothing queued */
};

static __always_inline int rp_recv_class(const struct rp_call *c, long ret, __u32 queued)
{
	/* A peek leaves the data queued: it says nothing about buffer size. */
	if (ret <= 0 || c->len == RP_LEN_UNKNOWN || (c->flags & RP_MSG_PEEK))
		return RP_RC_NONE;
	if ((__u64)ret >= c->len)
		return queued ? RP_RC_FULL_QUEUED : RP_RC_NONE;
	return queued ? RP_RC_SHORT_QUEUED : RP_RC_SHORT_EMPTY;
}

static __always_inline void rp_record_recv(struct rp_kdir *d, const struct rp_call *c, long ret,
					   __u32 queued)
{
	int k = rp_recv_class(c, ret, queued);

	d->queued_sum += queued;
	d->full_queued += k == RP_RC_FULL_QUEUED;
	d->short_queued += k == RP_RC_SHORT_QUEUED;
	d->short_empty += k == RP_RC_SHORT_EMPTY;
}

/* The slot's per-CPU counters of direction dir, NULL (and counted) when
 * the slot is outside the map. */
static __always_inline struct rp_kdir *rp_kdir_of(__u32 slot, __u32 dir)
{
	struct rp_kslot *ks = bpf_map_lookup_elem(&rp_slots, &slot);

	if (!ks) {
		rp_drop(RP_DROP_BAD_SLOT);
		return NULL;
	}
	return dir == RP_SEND ? &ks->dir[RP_SEND] : &ks->dir[RP_RECV];
}

/* What every call counts, timed or not: the call, its bytes or error. */
static __always_inline void rp_count_ret(struct rp_kdir *d, long ret)
{
	d->calls++;
	if (ret > 0)
		d->bytes += ret;
	else if (ret == -RP_EAGAIN)
		d->eagain++;
	else if (ret < 0 && ret != -RP_EINTR) /* interrupted: retried, no error */
		d->errors++;
}

/* The socket's own call counters (NULL s: socket not tracked). */
static __always_inline void rp_sock_count(struct rp_ksock *s, __u32 dir, long ret, bool untimed)
{
	if (!s)
		return;
	dir = dir == RP_SEND ? RP_SEND : RP_RECV;
	__sync_fetch_and_add(&s->calls[dir], 1);
	if (ret > 0)
		__sync_fetch_and_add(&s->bytes[dir], ret);
	else if (ret == -RP_EAGAIN)
		s->eagain[dir]++;
	if (untimed)
		s->untimed[dir]++;
}

/* A return whose start was not seen: counted as a call with its bytes,
 * exactly, and as untimed; no time, skbs or class. */
static __always_inline void rp_account_untimed(__u32 slot, __u32 dir, long ret, struct rp_ksock *s)
{
	struct rp_kdir *d = rp_kdir_of(slot, dir);
	struct rp_khists *kh = bpf_map_lookup_elem(&rp_hists, &slot);
	struct rp_khist *h;

	rp_sock_count(s, dir, ret, true);
	if (!d || !kh)
		return;
	rp_count_ret(d, ret);
	h = dir == RP_SEND ? &kh->dir[RP_SEND] : &kh->dir[RP_RECV];
	__sync_fetch_and_add(&h->untimed, 1);
	if (ret > 0)
		__sync_fetch_and_add(&h->untimed_bytes, ret);
}

/* Per-CPU counters of the call's slot, plain adds: only this thread's
 * context writes them on this CPU; the slot's histograms, atomic adds.
 * queued: unread bytes after a recv, unsent bytes after a send. */
static __always_inline void rp_account(const struct rp_call *c, const struct tcp_sock *tp,
				       bool direct, long ret, __u64 ns, __u32 queued)
{
	__u32 slot = c->slot;
	__u64 skbs = c->skbs;
	struct rp_kdir *d = rp_kdir_of(slot, c->dir);
	struct rp_khists *kh = bpf_map_lookup_elem(&rp_hists, &slot);
	struct rp_khist *h;

	if (!d)
		return;
	if (!kh) {
		rp_drop(RP_DROP_BAD_SLOT);
		return;
	}
	h = c->dir == RP_SEND ? &kh->dir[RP_SEND] : &kh->dir[RP_RECV];
	rp_count_ret(d, ret);
	if (ret > 0 && c->len != RP_LEN_UNKNOWN && (__u64)ret < c->len)
		d->short_calls++;
	rp_record_ns(d, h, ns);
	d->skbs += skbs;
	if (skbs >= RP_SKB_SLOTS)
		skbs = RP_SKB_SLOTS - 1;
	barrier_var(skbs);
	__sync_fetch_and_add(&h->skbs[skbs], 1);
	if (c->dir == RP_RECV) {
		rp_record_recv(d, c, ret, queued);
		return;
	}
	d->size_goal_sum += c->size_goal;
	if (ret > 0)
		rp_record_hold(d, kh, tp, direct, queued, c->size_goal);
}

/* The recv classes of rp_record_recv, per socket. */
static __always_inline void rp_sock_class(struct rp_ksock *s, const struct rp_call *c, long ret,
					  __u32 queued)
{
	int k = rp_recv_class(c, ret, queued);

	s->full_queued += k == RP_RC_FULL_QUEUED;
	s->short_queued += k == RP_RC_SHORT_QUEUED;
	s->short_empty += k == RP_RC_SHORT_EMPTY;
}

/* Counts an untimed return on sk (tp: sk as a tcp_sock) for the current
 * task, traced by tgid or comm; t is its state if it has one. */
static __always_inline void rp_finish_untimed(const struct rp_task *t, __u32 tgid,
					      const struct sock *sk, const struct tcp_sock *tp,
					      bool direct, long ret, __u32 dir)
{
	struct rp_ksock *s = NULL;
	__u32 slot;

	if (t)
		slot = t->call.slot;
	else if (rp_lookup_slot(tgid, &slot))
		return;
	if (sk && tp) {
		s = rp_sock_track(sk, slot, 0);
		if (s)
			rp_sock_last(s, tp, direct);
	}
	rp_account_untimed(slot, dir, ret, s);
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
	/* Bytes still queued after the call (unread, unsent): read once, for
	 * counters and event. */
	__u32 queued = c->dir == RP_RECV ? rp_sock_queued(tp, direct) : rp_sock_unsent(tp, direct);

	rp_account(c, tp, direct, ret, now - c->start_ns, queued);
	rp_sock_count(s, c->dir, ret, false);
	if (s && c->dir == RP_RECV)
		rp_sock_class(s, c, ret, queued);
	if (s)
		rp_sock_last(s, tp, direct);
	rp_event_emit(t, sk, s, ret, now, queued);
}

#endif /* REQPERF_ACCOUNT_BPF_H */
