// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --call-path: where one send/recv call spends its time, hook by hook, on
 * the hooks the tracepoint backend has: sys_enter, the first TCP-level
 * tracepoint of the call (tcp_sendmsg_locked: TCP starts filling an skb;
 * skb_copy_datagram_iovec: TCP starts copying one out), the socket
 * layer's return (sock_send_length / sock_recv_length) and sys_exit. One
 * record per call of the run's workers goes to a ring buffer at sys_exit;
 * user space joins it with the worker's own clock reads around the call.
 * A separate object, loaded only with --call-path: sys_exit stays unhooked
 * in every other run.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "reqperf.h"
#include "rp_callpath.h"
#include "rp_syscall.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The workers' tgids (user space adds them before they start). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RP_MAX_WORKERS);
	__type(key, __u32);
	__type(value, __u32);
} rp_cp_tgids SEC(".maps");

/* The call a worker thread is in. */
struct rp_cp_task {
	struct rp_cp_rec r;
	__u32 busy;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct rp_cp_task);
} rp_cp_tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096); /* set by the loader */
} rp_cp_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RP_CP_NDROPS);
	__type(key, __u32);
	__type(value, __u64);
} rp_cp_drops SEC(".maps");

static __always_inline void cp_drop(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&rp_cp_drops, &what);

	if (v)
		__sync_fetch_and_add(v, 1);
}

/* The current task's call in progress, or NULL. */
static __always_inline struct rp_cp_task *cp_busy(void)
{
	struct rp_cp_task *t =
		bpf_task_storage_get(&rp_cp_tasks, bpf_get_current_task_btf(), NULL, 0);

	return t && t->busy ? t : NULL;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(rp_cp_enter, struct pt_regs *regs, long nr)
{
	__u8 kind = rp_syscall_kind(nr);
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	struct rp_cp_task *t;

	if (!kind || !bpf_map_lookup_elem(&rp_cp_tgids, &tgid))
		return 0;
	t = bpf_task_storage_get(&rp_cp_tasks, bpf_get_current_task_btf(), NULL,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		cp_drop(RP_CP_DROP_TASK);
		return 0;
	}
	t->r.tcp_ns = 0;
	t->r.sock_ns = 0;
	t->r.exit_ns = 0;
	t->r.ret = 0;
	t->r.tid = (__u32)id;
	t->r.dir = rp_kind_dir(kind);
	t->busy = 1;
	t->r.enter_ns = bpf_ktime_get_ns(); /* last: the stage starts here */
	return 0;
}

static __always_inline void cp_tcp(__u32 dir)
{
	struct rp_cp_task *t = cp_busy();

	if (t && t->r.dir == dir && !t->r.tcp_ns)
		t->r.tcp_ns = bpf_ktime_get_ns();
}

SEC("tp_btf/tcp_sendmsg_locked")
int BPF_PROG(rp_cp_tcp_send, const struct sock *sk, const struct msghdr *msg,
	     const struct sk_buff *skb, int size_goal)
{
	cp_tcp(RP_SEND);
	return 0;
}

SEC("tp_btf/skb_copy_datagram_iovec")
int BPF_PROG(rp_cp_tcp_recv, const struct sk_buff *skb, int len)
{
	cp_tcp(RP_RECV);
	return 0;
}

static __always_inline void cp_sock(__u32 dir)
{
	struct rp_cp_task *t = cp_busy();

	if (t && t->r.dir == dir)
		t->r.sock_ns = bpf_ktime_get_ns();
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(rp_cp_sock_send, struct sock *sk, int ret, int flags)
{
	cp_sock(RP_SEND);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(rp_cp_sock_recv, struct sock *sk, int ret, int flags)
{
	cp_sock(RP_RECV);
	return 0;
}

/* Wake the reader only when the ring is a quarter full (it also drains
 * on a timer): a wakeup per call would disturb the calls being timed. */
static __always_inline __u64 cp_wakeup(void)
{
	__u64 size = bpf_ringbuf_query(&rp_cp_ring, BPF_RB_RING_SIZE);

	return bpf_ringbuf_query(&rp_cp_ring, BPF_RB_AVAIL_DATA) > size / 4 ? BPF_RB_FORCE_WAKEUP
									    : BPF_RB_NO_WAKEUP;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(rp_cp_exit, struct pt_regs *regs, long ret)
{
	__u64 now = bpf_ktime_get_ns(); /* first: the stage ends here */
	struct rp_cp_task *t = cp_busy();
	struct rp_cp_rec *e;

	if (!t)
		return 0;
	t->busy = 0;
	e = bpf_ringbuf_reserve(&rp_cp_ring, sizeof(*e), 0);
	if (!e) {
		cp_drop(RP_CP_DROP_RING);
		return 0;
	}
	*e = t->r;
	e->exit_ns = now;
	e->ret = ret;
	bpf_ringbuf_submit(e, cp_wakeup());
	return 0;
}
