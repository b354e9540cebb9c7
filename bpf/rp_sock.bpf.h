/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Per-socket bookkeeping: tcp_sock counter snapshots read with CO-RE, the
 * socket map entry's life (created at connect or first call, folded into
 * its slot's closed sums at TCP_CLOSE).
 */
#ifndef REQPERF_SOCK_BPF_H
#define REQPERF_SOCK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "reqperf.h"
#include "rp_maps.bpf.h"

#define RP_SOCK_DONE_FALLBACK 1 /* enum sock_flags: SOCK_DEAD, SOCK_DONE, ... */

/* Hot-path reads of tcp_sock fields. direct: plain loads, for programs
 * whose socket pointer is typed by BTF (tp_btf, fentry; the JIT guards
 * the loads); else bpf_probe_read_kernel (kprobe). direct is a constant in
 * every inlined copy, so each program keeps only one of the two. */
#define RP_TCP(direct, tp, field) ((direct) ? (tp)->field : BPF_CORE_READ(tp, field))

/* Older kernels (6.1 included) have sk_flags in struct sock; newer ones
 * keep it in sock_common as skc_flags. */
struct sock___flags_old {
	unsigned long sk_flags;
} __attribute__((preserve_access_index));

/* The socket's flags word, wherever this kernel keeps it. direct: plain
 * loads (see RP_TCP). The pointer goes through barrier_var() inside each
 * branch so the compiler cannot hoist the load of the field this kernel
 * lacks above its CO-RE check: that load is a poisoned instruction, fine
 * only where the verifier sees it is dead. */
static __always_inline unsigned long rp_sock_flags(const struct tcp_sock *tp, bool direct)
{
	const struct sock___flags_old *o = (const struct sock___flags_old *)tp;
	const struct sock *sk = (const struct sock *)tp;

	if (!direct) {
		if (bpf_core_field_exists(struct sock___flags_old, sk_flags))
			return BPF_CORE_READ(o, sk_flags);
		return BPF_CORE_READ(sk, __sk_common.skc_flags);
	}
	if (bpf_core_field_exists(struct sock___flags_old, sk_flags)) {
		barrier_var(o);
		return o->sk_flags;
	}
	barrier_var(tp);
	return tp->inet_conn.icsk_inet.sk.__sk_common.skc_flags;
}

static __always_inline bool rp_is_tcp(const struct sock *sk)
{
	return BPF_CORE_READ(sk, sk_protocol) == IPPROTO_TCP &&
	       BPF_CORE_READ(sk, sk_type) == SOCK_STREAM;
}

/* sk as a TCP stream socket, or NULL. direct: a BTF-typed tcp_sock from
 * bpf_skc_to_tcp_sock() (it checks the protocol), for RP_TCP's loads. */
static __always_inline const struct tcp_sock *rp_tcp_sock(const struct sock *sk, bool direct)
{
	const struct tcp_sock *tp;

	if (!direct)
		return rp_is_tcp(sk) ? (const struct tcp_sock *)sk : NULL;
	tp = bpf_skc_to_tcp_sock((void *)sk);
	if (!tp || tp->inet_conn.icsk_inet.sk.sk_type != SOCK_STREAM)
		return NULL;
	return tp;
}

/* Bytes received but not yet read, as tcp_inq() counts them: a received
 * FIN advances rcv_nxt by one but is no byte to read. */
static __always_inline __u32 rp_sock_queued(const struct tcp_sock *tp, bool direct)
{
	__u32 done = RP_SOCK_DONE_FALLBACK;
	__u32 q;

	if (bpf_core_enum_value_exists(enum sock_flags, SOCK_DONE))
		done = bpf_core_enum_value(enum sock_flags, SOCK_DONE);
	q = RP_TCP(direct, tp, rcv_nxt) - RP_TCP(direct, tp, copied_seq);
	if (q && (rp_sock_flags(tp, direct) & (1UL << (done & 63))))
		q--;
	return q;
}

#define RP_S_IFMT 0170000
#define RP_S_IFSOCK 0140000

/* The current task's open file fd, or NULL. */
static __always_inline struct file *rp_fd_file(long fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;

	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

/* The TCP stream socket behind fd, checked (a socket inode, TCP), or NULL. */
static __always_inline const struct sock *rp_fd_tcp_sock(long fd)
{
	struct file *f = rp_fd_file(fd);
	struct socket *sock;
	const struct sock *sk;

	if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & RP_S_IFMT) != RP_S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	return sk && rp_is_tcp(sk) ? sk : NULL;
}

/* The 4-tuple, read when the entry is made (and at the first call's
 * return when the local port was not chosen yet). */
static __always_inline void rp_sock_tuple(struct rp_ksock *s, const struct sock *sk)
{
	s->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	s->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	s->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (s->family == 10 /* AF_INET6 */) {
		BPF_CORE_READ_INTO(&s->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&s->daddr, sk, __sk_common.skc_v6_daddr);
	} else {
		BPF_CORE_READ_INTO((__u32 *)s->saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)s->daddr, sk, __sk_common.skc_daddr);
	}
}

static __always_inline void rp_sock_first(struct rp_ksock *s, const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	s->first_data_segs_in = BPF_CORE_READ(tp, data_segs_in);
	s->first_data_segs_out = BPF_CORE_READ(tp, data_segs_out);
	s->first_segs_in = BPF_CORE_READ(tp, segs_in);
	s->first_segs_out = BPF_CORE_READ(tp, segs_out);
	s->last_data_segs_in = s->first_data_segs_in;
	s->last_data_segs_out = s->first_data_segs_out;
	s->last_segs_in = s->first_segs_in;
	s->last_segs_out = s->first_segs_out;
	s->mss_cache = BPF_CORE_READ(tp, mss_cache);
	rp_sock_tuple(s, sk);
}

static __always_inline void rp_sock_last(struct rp_ksock *s, const struct tcp_sock *tp, bool direct)
{
	s->last_data_segs_in = RP_TCP(direct, tp, data_segs_in);
	s->last_data_segs_out = RP_TCP(direct, tp, data_segs_out);
	s->last_segs_in = RP_TCP(direct, tp, segs_in);
	s->last_segs_out = RP_TCP(direct, tp, segs_out);
	s->mss_cache = RP_TCP(direct, tp, mss_cache);
	/* At a call's return as the last segment left them: the same values
	 * a per-segment tcp_probe program would record, without running one
	 * for every segment of every TCP socket on the machine. */
	s->snd_cwnd = RP_TCP(direct, tp, snd_cwnd);
	s->srtt_us = RP_TCP(direct, tp, srtt_us) >> 3;
	/* An entry made at SYN_SENT predates the local port (connect()
	 * picks it after the state change): read the tuple again once. */
	if (!s->sport)
		rp_sock_tuple(s, (const struct sock *)tp);
}

/* Adds a closed socket's deltas to its slot; softirq may close sockets
 * concurrently with another CPU, hence the atomic adds. */
static __always_inline void rp_sock_fold(const struct rp_ksock *s)
{
	__u32 slot = s->slot;
	struct rp_ksum *c = bpf_map_lookup_elem(&rp_closed, &slot);

	if (!c) {
		rp_drop(RP_DROP_BAD_SLOT);
		return;
	}
	__sync_fetch_and_add(&c->sockets, 1);
	if (!s->exact)
		__sync_fetch_and_add(&c->inexact, 1);
#define RP_FOLD_DELTA(f) __sync_fetch_and_add(&c->f, s->last_##f - s->first_##f);
	RP_KSOCK_DELTAS(RP_FOLD_DELTA)
#undef RP_FOLD_DELTA
	__sync_fetch_and_add(&c->retransmits, s->retransmits);
	__sync_fetch_and_add(&c->calls[RP_SEND], s->calls[RP_SEND]);
	__sync_fetch_and_add(&c->calls[RP_RECV], s->calls[RP_RECV]);
	__sync_fetch_and_add(&c->bytes[RP_SEND], s->bytes[RP_SEND]);
	__sync_fetch_and_add(&c->bytes[RP_RECV], s->bytes[RP_RECV]);
	c->snd_cwnd = s->snd_cwnd;
	c->srtt_us = s->srtt_us;
	c->mss_cache = s->mss_cache;
}

static __always_inline void rp_sock_unlisted(__u32 slot)
{
	struct rp_ksum *c = bpf_map_lookup_elem(&rp_closed, &slot);

	if (c)
		__sync_fetch_and_add(&c->unlisted, 1);
}

/* Removes sk's entry (if any) and folds it into its slot; only the CPU
 * whose delete succeeded folds, so a socket is never counted twice. */
static __always_inline void rp_sock_close(const struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct rp_ksock copy;
	struct rp_ksock *s;

	s = bpf_map_lookup_elem(&rp_socks, &key);
	if (!s)
		return;
	__builtin_memcpy(&copy, s, sizeof(copy));
	if (bpf_map_delete_elem(&rp_socks, &key))
		return;
	rp_sock_fold(&copy);
	key = __sync_fetch_and_add(&rp_done_seq, 1);
	if (bpf_map_update_elem(&rp_socks_done, &key, &copy, BPF_NOEXIST))
		rp_sock_unlisted(copy.slot);
}

/* A fresh entry for sk with its first snapshot taken now. */
static __always_inline struct rp_ksock *rp_sock_create(const struct sock *sk, __u32 slot,
						       __u32 exact)
{
	struct rp_ksock n = {};
	__u64 key = (__u64)sk;
	struct rp_ksock *s;

	n.slot = slot;
	n.exact = exact;
	n.tgid = bpf_get_current_pid_tgid() >> 32;
	rp_sock_first(&n, sk);
	/* The embedded sink accepts every socket while traced: its counters
	 * count from zero, so the socket's whole life is in the deltas. */
	if (slot == rp_fresh_slot) {
		n.first_data_segs_in = n.first_data_segs_out = 0;
		n.first_segs_in = n.first_segs_out = 0;
		n.exact = 1;
	}
	bpf_map_update_elem(&rp_socks, &key, &n, BPF_NOEXIST);
	/* On -EEXIST another CPU created it first: use that one. */
	s = bpf_map_lookup_elem(&rp_socks, &key);
	if (!s)
		rp_drop(RP_DROP_SOCK_FULL);
	return s;
}

static __always_inline struct rp_ksock *rp_sock_track(const struct sock *sk, __u32 slot,
						      __u32 exact)
{
	__u64 key = (__u64)sk;
	struct rp_ksock *s;

	s = bpf_map_lookup_elem(&rp_socks, &key);
	if (s)
		return s;
	return rp_sock_create(sk, slot, exact);
}

#endif /* REQPERF_SOCK_BPF_H */
