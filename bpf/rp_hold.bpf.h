/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What held a send's bytes: read from the kernel at the send call's return
 * (the socket lock released, its backlog processed), when bytes written are
 * still unsent (write_seq - snd_nxt > 0). The tcp_sock state is checked in
 * the order the kernel decides: autocork (tcp_push, before any transmit),
 * then tcp_write_xmit's cwnd, peer window and Nagle/cork tests, then TCP
 * small queues. The fields exist unchanged from 4.15 to 6.18 (6.1, 6.12
 * and 6.18 checked); docs/segments.md has the table.
 */
#ifndef REQPERF_HOLD_BPF_H
#define REQPERF_HOLD_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "reqperf.h"
#include "rp_sock.bpf.h"

#define RP_NAGLE_CORK 2 /* tcp_sock.nonagle: TCP_CORK or MSG_MORE */

/* Bytes the application wrote that TCP has not sent yet. */
static __always_inline __u32 rp_sock_unsent(const struct tcp_sock *tp, bool direct)
{
	return RP_TCP(direct, tp, write_seq) - RP_TCP(direct, tp, snd_nxt);
}

/* seq a after seq b (before(b, a) of include/net/tcp.h). */
static __always_inline bool rp_after(__u32 a, __u32 b)
{
	return (__s32)(b - a) < 0;
}

/* Why a send left unsent bytes behind (enum rp_hold), unsent > 0.
 * size_goal: the call's last skb goal (0: not seen, the MSS stands in). */
static __always_inline __u32 rp_send_hold(const struct tcp_sock *tp, bool direct, __u32 unsent,
					  __u32 size_goal)
{
	const struct sock *sk = (const struct sock *)tp;
	__u32 throttled = 0, mss = RP_TCP(direct, tp, mss_cache);
	__u32 in_flight, nonagle, head_len, tail_len, sml, una, nxt;
	struct sk_buff *head, *tail;

	if (bpf_core_enum_value_exists(enum tsq_enum, TSQ_THROTTLED))
		throttled = bpf_core_enum_value(enum tsq_enum, TSQ_THROTTLED);
	throttled = (BPF_CORE_READ(sk, sk_tsq_flags) >> (throttled & 63)) & 1;
	head = BPF_CORE_READ(sk, sk_write_queue.next);
	tail = BPF_CORE_READ(sk, sk_write_queue.prev);
	head_len = BPF_CORE_READ(head, len);
	tail_len = BPF_CORE_READ(tail, len);
	/* tcp_should_autocork(): a tail shorter than its goal, held while
	 * earlier skbs are still in the qdisc or device. */
	if (throttled && tail_len < (size_goal ? size_goal : mss))
		return RP_HOLD_AUTOCORK;
	in_flight = RP_TCP(direct, tp, packets_out) -
		    (RP_TCP(direct, tp, sacked_out) + RP_TCP(direct, tp, lost_out)) +
		    RP_TCP(direct, tp, retrans_out);
	if (in_flight >= RP_TCP(direct, tp, snd_cwnd))
		return RP_HOLD_CWND;
	una = RP_TCP(direct, tp, snd_una);
	nxt = RP_TCP(direct, tp, snd_nxt);
	/* tcp_snd_wnd_test(): the next segment ends beyond the peer's window. */
	if (rp_after(nxt + (unsent < mss ? unsent : mss), una + RP_TCP(direct, tp, snd_wnd)))
		return RP_HOLD_RWND;
	nonagle = direct ? BPF_CORE_READ_BITFIELD(tp, nonagle)
			 : BPF_CORE_READ_BITFIELD_PROBED(tp, nonagle);
	/* tcp_nagle_check(): a partial head segment. */
	if (head_len < mss && (nonagle & RP_NAGLE_CORK))
		return RP_HOLD_CORK;
	sml = RP_TCP(direct, tp, snd_sml);
	if (head_len < mss && !nonagle && RP_TCP(direct, tp, packets_out) && rp_after(sml, una) &&
	    !rp_after(sml, nxt))
		return RP_HOLD_NAGLE;
	if (throttled)
		return RP_HOLD_TSQ;
	return RP_HOLD_OTHER;
}

/* Counts one send that wrote bytes: its unsent bytes (per CPU) and its
 * hold (RP_HOLD_NONE when nothing stayed unsent; per slot). */
static __always_inline void rp_record_hold(struct rp_kdir *d, struct rp_khists *kh,
					   const struct tcp_sock *tp, bool direct, __u32 unsent,
					   __u32 size_goal)
{
	__u32 h = unsent ? rp_send_hold(tp, direct, unsent, size_goal) : RP_HOLD_NONE;

	d->queued_sum += unsent;
	if (h >= RP_NHOLDS)
		h = RP_HOLD_OTHER;
	barrier_var(h);
	__sync_fetch_and_add(&kh->held[h], 1);
}

#endif /* REQPERF_HOLD_BPF_H */
