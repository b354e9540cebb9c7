/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Link impairments from a tc ingress program (impair.bpf.c): the rules user
 * space writes into the program's read-only data, the counters it keeps,
 * and the one decision both sides compute the same way (so a unit test
 * knows which packet numbers a seed drops).
 */
#ifndef REQPERF_IMPAIR_BPF_H
#define REQPERF_IMPAIR_BPF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define RP_IMPAIR_LIST_MAX 32 /* packet numbers in one "at:" list */
#define RP_IMPAIR_MARK 0x52504455u /* skb->mark of our own duplicate ("RPDU") */

/* A direction is named after where its data goes; the program for one
 * direction runs at the ingress of the receiving end's veth. */
enum rp_impair_dir {
	RP_IMP_C2S = 0, /* client -> sink: the requests, ingress of rp-s */
	RP_IMP_S2C = 1, /* sink -> client: the responses, ingress of rp-c */
	RP_IMP_NDIRS = 2,
};

enum rp_impair_kind {
	RP_IMP_OFF = 0,
	RP_IMP_RANDOM = 1, /* each data packet with probability threshold / 2^32 */
	RP_IMP_EVERY = 2, /* data packets every, 2*every, ... */
	RP_IMP_AT = 3, /* the data packet numbers in at[] */
};

/* Which data packets one action (loss or duplication) hits. */
struct rp_impair_rule {
	__u32 kind; /* enum rp_impair_kind */
	__u32 threshold; /* RANDOM: hit when the packet's hash < threshold */
	__u32 every; /* EVERY: N */
	__u32 nat; /* AT: entries used in at[] */
	__u32 at[RP_IMPAIR_LIST_MAX]; /* AT: 1-based data packet numbers */
};

struct rp_impair_rules {
	__u64 seed;
	struct rp_impair_rule loss[RP_IMP_NDIRS];
	struct rp_impair_rule dup[RP_IMP_NDIRS];
};

/* Per direction, what the program saw and did. A "packet" is one skb as
 * it arrives (with TSO/GSO or GRO on, one skb carries gso_segs segments). */
struct rp_impair_count {
	__u64 tcp_pkts; /* TCP skbs seen (data, pure ACKs, SYN, FIN) */
	__u64 data_pkts; /* with payload: the numbered ones */
	__u64 data_segs; /* their segments (gso_segs, 1 when not GSO) */
	__u64 lost_pkts; /* dropped by the loss rule */
	__u64 lost_segs;
	__u64 lost_bytes; /* their TCP payload */
	__u64 dup_pkts; /* duplicated by the dup rule (one copy each) */
	__u64 dup_segs;
	__u64 dup_failed; /* bpf_clone_redirect() refused: not duplicated */
};

/* Retransmissions on the link, per connection and end, by the congestion
 * state the socket was in when tcp_retransmit_skb fired: Loss is an RTO
 * (the timer put it there), Recovery a fast retransmit (dupACKs/SACK/RACK),
 * Open/Disorder/CWR a tail-loss probe (the only retransmit sent outside
 * the two). */
enum rp_retrans_class {
	RP_RTX_FAST = 0,
	RP_RTX_RTO = 1,
	RP_RTX_PROBE = 2,
	RP_RTX_NCLASSES = 3,
};

struct rp_retrans_key {
	__u32 end; /* RP_LINK_CLIENT 0 or RP_LINK_SINK 1: the retransmitting side */
	__u16 lport, rport; /* host byte order */
};

struct rp_retrans_val {
	__u64 events[RP_RTX_NCLASSES];
	__u64 segs[RP_RTX_NCLASSES]; /* tcp_skb_pcount() of each */
};

#define RP_RETRANS_MAX_CONNS 4096

/* Salts keep loss and duplication, and the two directions, independent. */
#define RP_IMPAIR_SALT_LOSS 1u
#define RP_IMPAIR_SALT_DUP 2u

/* splitmix64 of (seed, salt, n): a pure function, so packet n's fate under
 * a seed is the same in every run and in the unit test. */
static inline __u32 rp_impair_hash(__u64 seed, __u32 salt, __u64 n)
{
	__u64 z = seed ^ ((__u64)salt << 56) ^ (n * 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (__u32)(z >> 32);
}

/* Does rule r hit data packet n (1-based)? salt: RP_IMPAIR_SALT_* | dir << 4 */
static inline int rp_impair_hit(const volatile struct rp_impair_rule *r, __u64 seed, __u32 salt,
				__u64 n)
{
	switch (r->kind) {
	case RP_IMP_RANDOM:
		return rp_impair_hash(seed, salt, n) < r->threshold;
	case RP_IMP_EVERY:
		return r->every && n % r->every == 0;
	case RP_IMP_AT:
		for (__u32 i = 0; i < RP_IMPAIR_LIST_MAX; i++) {
			if (i >= r->nat)
				break;
			if (r->at[i] == n)
				return 1;
		}
		return 0;
	}
	return 0;
}

#endif /* REQPERF_IMPAIR_BPF_H */
