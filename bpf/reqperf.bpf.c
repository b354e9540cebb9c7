// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * reqperf's kernel side: three families of entry points (fentry, kprobe,
 * tracepoint) that time the traced workers' TCP send and recv calls, plus
 * optional tracepoints for skbs, cwnd, retransmits and connects. The loader
 * keeps exactly one family autoloaded; all share the handlers below.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "reqperf.h"
#include "hist_index.h"
#include "rp_maps.bpf.h"
#include "rp_sock.bpf.h"
#include "rp_events.bpf.h"
#include "rp_account.bpf.h"
#include "rp_syscall.bpf.h"
#include "rp_sched.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* ---- shared handlers ---- */

static __always_inline int rp_enter(const struct sock *sk, __u64 len, __u32 dir, __u32 flags)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct rp_call c = {};

	if (rp_lookup_slot(id >> 32, &c.slot))
		return 0;
	rp_sock_track(sk, c.slot, 1);
	c.sk = (__u64)sk;
	c.len = len;
	c.dir = dir;
	c.flags = flags;
	rp_event_begin(sk);
	c.start_ns = bpf_ktime_get_ns();
	if (!bpf_map_update_elem(&rp_calls, &id, &c, BPF_NOEXIST))
		return 0;
	/* An entry left by a call whose return was never seen (a missed
	 * kretprobe): that call is lost, and counted as unmatched. */
	if (bpf_map_lookup_elem(&rp_calls, &id))
		rp_drop(RP_DROP_UNMATCHED);
	if (bpf_map_update_elem(&rp_calls, &id, &c, BPF_ANY))
		rp_drop(RP_DROP_INFLIGHT_FULL);
	return 0;
}

/* Return of tcp_sendmsg/tcp_recvmsg (fexit, kretprobe). */
static __always_inline int rp_exit(long ret, __u32 dir)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 id = bpf_get_current_pid_tgid();
	struct rp_call *c;

	if (!rp_maybe_traced(id >> 32))
		return 0;
	c = bpf_map_lookup_elem(&rp_calls, &id);
	if (!c) {
		if (rp_current_traced())
			rp_drop(RP_DROP_UNMATCHED);
		return 0;
	}
	if (c->dir == dir)
		rp_finish(c, (const struct sock *)c->sk, ret, now, 1);
	bpf_map_delete_elem(&rp_calls, &id);
	return 0;
}

/* The socket layer's return (sock_send_length, sock_recv_length); the
 * call started at the syscall's entry. */
static __always_inline int rp_sock_exit(const struct sock *sk, long ret, __u32 flags, __u32 dir)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 id = bpf_get_current_pid_tgid();
	struct rp_call *c;

	if (!rp_maybe_traced(id >> 32))
		return 0;
	c = bpf_map_lookup_elem(&rp_calls, &id);
	if (!c) {
		if (rp_current_traced() && rp_is_tcp(sk))
			rp_drop(RP_DROP_UNMATCHED);
		return 0;
	}
	if (c->dir != dir || !rp_is_tcp(sk)) {
		bpf_map_delete_elem(&rp_calls, &id);
		return 0;
	}
	c->sk = (__u64)sk;
	c->flags = flags;
	rp_finish(c, sk, ret, now, 0);
	if (!c->multi) {
		bpf_map_delete_elem(&rp_calls, &id);
		return 0;
	}
	/* The next message of the same sendmmsg/recvmmsg starts now. */
	c->start_ns = bpf_ktime_get_ns();
	c->skbs = 0;
	return 0;
}

/* ---- fentry backend: entry to return of the TCP function ---- */

SEC("fentry/tcp_sendmsg")
int BPF_PROG(rp_fentry_send, struct sock *sk, struct msghdr *msg, size_t size)
{
	return rp_enter(sk, size, RP_SEND, 0);
}

SEC("fexit/tcp_sendmsg")
int BPF_PROG(rp_fexit_send, struct sock *sk, struct msghdr *msg, size_t size, int ret)
{
	return rp_exit(ret, RP_SEND);
}

/* tcp_recvmsg lost its nonblock argument in 5.19, so flags moved from the
 * fifth argument to the fourth; len is the third either way. */
static __always_inline __u32 rp_recvmsg_flags_arg(void)
{
	return rp_recvmsg_nargs == 6 ? 4 : 3;
}

SEC("fentry/tcp_recvmsg")
int BPF_PROG(rp_fentry_recv, struct sock *sk, struct msghdr *msg, size_t len)
{
	__u64 flags = 0;

	bpf_get_func_arg(ctx, rp_recvmsg_flags_arg(), &flags);
	return rp_enter(sk, len, RP_RECV, (__u32)flags);
}

SEC("fexit/tcp_recvmsg")
int BPF_PROG(rp_fexit_recv, struct sock *sk)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return rp_exit((int)ret, RP_RECV);
}

/* ---- kprobe backend: the same definition of kernel time ---- */

SEC("kprobe/tcp_sendmsg")
int BPF_KPROBE(rp_kp_send, struct sock *sk, struct msghdr *msg, size_t size)
{
	return rp_enter(sk, size, RP_SEND, 0);
}

SEC("kretprobe/tcp_sendmsg")
int BPF_KRETPROBE(rp_kret_send, int ret)
{
	return rp_exit(ret, RP_SEND);
}

SEC("kprobe/tcp_recvmsg")
int BPF_KPROBE(rp_kp_recv, struct sock *sk, struct msghdr *msg, size_t len, long a3, long a4)
{
	/* Both loads at fixed offsets: the verifier refuses a ctx pointer
	 * clang would otherwise compute from the rodata choice. */
	barrier_var(a3);
	barrier_var(a4);
	return rp_enter(sk, len, RP_RECV, (__u32)(rp_recvmsg_nargs == 6 ? a4 : a3));
}

SEC("kretprobe/tcp_recvmsg")
int BPF_KRETPROBE(rp_kret_recv, int ret)
{
	return rp_exit(ret, RP_RECV);
}

/* ---- tracepoint backend: syscall entry to the socket layer's return ---- */

SEC("tp_btf/sys_enter")
int BPF_PROG(rp_sys_enter, struct pt_regs *regs, long nr)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct rp_call c = {};
	int dir = rp_syscall_dir(nr);

	/* This runs for every syscall on the machine: other syscalls leave
	 * at once, with no map work. An entry left by a send/recv-family
	 * syscall that never reached a socket (a pipe write) is overwritten by
	 * the thread's next send/recv-family entry before any socket call can
	 * read it; only a socket reached by another syscall (sendfile,
	 * io_uring) could see it, and those are not timed. */
	if (dir < 0)
		return 0;
	if (rp_lookup_slot(id >> 32, &c.slot))
		return 0;
	c.dir = dir;
	c.len = rp_syscall_len(regs, nr);
	c.multi = rp_syscall_multi(nr);
	rp_event_begin_fd(PT_REGS_PARM1_CORE_SYSCALL(regs));
	c.start_ns = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&rp_calls, &id, &c, BPF_ANY))
		rp_drop(RP_DROP_INFLIGHT_FULL);
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(rp_tp_send, struct sock *sk, int ret, int flags)
{
	return rp_sock_exit(sk, ret, flags, RP_SEND);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(rp_tp_recv, struct sock *sk, int ret, int flags)
{
	return rp_sock_exit(sk, ret, flags, RP_RECV);
}

/* ---- optional tracepoints, any backend ---- */

/* Fires once per loop iteration of tcp_sendmsg_locked(), i.e. once per
 * skb the call appended to or allocated. */
SEC("tp_btf/tcp_sendmsg_locked")
int BPF_PROG(rp_sendmsg_lock, const struct sock *sk, const struct msghdr *msg,
	     const struct sk_buff *skb, int size_goal)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct rp_call *c;

	if (!rp_maybe_traced(id >> 32))
		return 0;
	c = bpf_map_lookup_elem(&rp_calls, &id);
	if (c && c->dir == RP_SEND) {
		c->skbs++;
		c->size_goal = size_goal;
	}
	return 0;
}

/* Fires once per skb tcp_recvmsg() copies from. */
SEC("tp_btf/skb_copy_datagram_iovec")
int BPF_PROG(rp_skb_copy, const struct sk_buff *skb, int len)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct rp_call *c;

	if (!rp_maybe_traced(id >> 32))
		return 0;
	c = bpf_map_lookup_elem(&rp_calls, &id);
	if (c && c->dir == RP_RECV)
		c->skbs++;
	return 0;
}

SEC("tp_btf/tcp_probe")
int BPF_PROG(rp_tcp_probe, struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u64 key = (__u64)sk;
	struct rp_ksock *s = bpf_map_lookup_elem(&rp_socks, &key);

	if (!s)
		return 0;
	s->snd_cwnd = BPF_CORE_READ(tp, snd_cwnd);
	s->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3;
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(rp_retrans, const struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct rp_ksock *s = bpf_map_lookup_elem(&rp_socks, &key);

	if (s)
		__sync_fetch_and_add(&s->retransmits, 1);
	return 0;
}

/* connect() moves a socket to SYN_SENT in the caller's context: no byte
 * has moved yet, so the first snapshot is exact. */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(rp_set_state, const struct sock *sk, int oldstate, int newstate)
{
	__u32 slot;

	if (newstate == TCP_CLOSE) {
		rp_sock_close(sk);
		return 0;
	}
	if (newstate != TCP_SYN_SENT || !rp_is_tcp(sk))
		return 0;
	if (rp_lookup_slot(bpf_get_current_pid_tgid() >> 32, &slot))
		return 0;
	rp_sock_close(sk);
	rp_sock_create(sk, slot, 1);
	return 0;
}
