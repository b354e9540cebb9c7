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
#include <bpf/bpf_endian.h>

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

/* A new call of the thread: everything but its start time. */
static __always_inline void rp_call_init(struct rp_call *c, __u64 sk, __u64 len, __u32 dir,
					 __u32 flags, __u32 multi)
{
	c->sk = sk;
	c->len = len;
	c->dir = dir;
	c->flags = flags;
	c->multi = multi;
	c->skbs = 0;
	c->size_goal = 0;
	c->at_exit = 0;
}

/* Entry of tcp_sendmsg/tcp_recvmsg (fentry, kprobe). */
static __always_inline int rp_enter(const struct sock *sk, __u64 len, __u32 dir, __u32 flags)
{
	struct rp_task *t = rp_task_get(true);
	struct rp_call *c;

	if (!t)
		return 0;
	/* Still busy: the return of the thread's last call was never seen
	 * (a missed kretprobe); that call is lost, and counted. */
	if (t->busy)
		rp_drop(RP_DROP_UNMATCHED);
	c = &t->call;
	rp_sock_track(sk, c->slot, 1);
	rp_call_init(c, (__u64)sk, len, dir, flags, 0);
	rp_event_begin(&t->ev, sk);
	t->busy = 1;
	c->start_ns = bpf_ktime_get_ns();
	return 0;
}

/* Return of tcp_sendmsg/tcp_recvmsg/tcp_sendpage (fexit: sk typed by
 * BTF, direct; kretprobe: the sk saved at entry, read with probes). */
static __always_inline int rp_exit(const struct sock *sk, long ret, __u32 dir, bool direct)
{
	const struct tcp_sock *tp;
	struct task_struct *task;
	struct rp_task *t;
	__u32 tgid;
	__u64 now;

	/* Every TCP send and recv on the machine returns through here. */
	task = rp_current(&tgid);
	if (!rp_maybe_traced(tgid))
		return 0;
	now = bpf_ktime_get_ns();
	t = rp_task_cur(task, tgid, false);
	if (!t || !t->busy || t->call.dir != dir) {
		/* No entry seen (in flight at attach): counted, untimed; a
		 * kretprobe has no sk then, so no per-socket figures. */
		rp_finish_untimed(t, tgid, sk, sk ? rp_tcp_sock(sk, direct) : NULL, direct, ret,
				  dir);
		return 0;
	}
	t->busy = 0;
	if (!direct)
		sk = (const struct sock *)t->call.sk;
	tp = rp_tcp_sock(sk, direct);
	if (tp)
		rp_finish(t, sk, tp, direct, ret, now, 1);
	return 0;
}

/* The socket layer's return (sock_send_length, sock_recv_length), for
 * every syscall and io_uring path. The call started at the syscall's
 * entry or the request's submission, if that was seen in this thread and
 * this very syscall; otherwise the return is counted untimed. */
static __always_inline int rp_sock_exit(const struct sock *sk, long ret, __u32 flags, __u32 dir)
{
	const struct tcp_sock *tp;
	struct task_struct *task;
	struct rp_task *t;
	__u32 tgid;
	__u64 now;

	task = rp_current(&tgid);
	if (!rp_maybe_traced(tgid))
		return 0;
	now = bpf_ktime_get_ns();
	tp = rp_tcp_sock(sk, true);
	if (!tp)
		return 0;
	t = rp_task_cur(task, tgid, false);
	/* A call that ends at sys_exit counts its socket returns there. */
	if (t && t->busy && t->call.at_exit && t->call.nr == rp_current_nr(task))
		return 0;
	if (!t || !t->busy || t->call.dir != dir || t->call.nr != rp_current_nr(task)) {
		rp_finish_untimed(t, tgid, sk, tp, true, ret, dir);
		return 0;
	}
	t->call.sk = (__u64)sk;
	t->call.flags = flags;
	rp_finish(t, sk, tp, true, ret, now, 0);
	if (!t->call.multi) {
		t->busy = 0;
		return 0;
	}
	/* The next socket call of the same sendmmsg/sendfile starts now. */
	t->call.start_ns = bpf_ktime_get_ns();
	t->call.skbs = 0;
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
	return rp_exit(sk, ret, RP_SEND, true);
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
	return rp_exit(sk, (int)ret, RP_RECV, true);
}

/* Before 6.5, sendfile and splice reach TCP through tcp_sendpage (one
 * page per call), not tcp_sendmsg; loaded only where it exists. */
SEC("fentry/tcp_sendpage")
int BPF_PROG(rp_fentry_sendpage, struct sock *sk, struct page *page, int offset, size_t size)
{
	return rp_enter(sk, size, RP_SEND, 0);
}

SEC("fexit/tcp_sendpage")
int BPF_PROG(rp_fexit_sendpage, struct sock *sk, struct page *page, int offset, size_t size,
	     int flags, int ret)
{
	return rp_exit(sk, ret, RP_SEND, true);
}

/* splice() from a TCP socket: tcp_splice_read -> tcp_read_sock, a receive
 * path without tcp_recvmsg; loaded where the function is in BTF. */
SEC("fentry/tcp_splice_read")
int BPF_PROG(rp_fentry_splice_read, struct socket *sock, loff_t *ppos, struct pipe_inode_info *pipe,
	     size_t len)
{
	return rp_enter(sock->sk, len, RP_RECV, 0);
}

SEC("fexit/tcp_splice_read")
int BPF_PROG(rp_fexit_splice_read, struct socket *sock, loff_t *ppos, struct pipe_inode_info *pipe,
	     size_t len, unsigned int flags, ssize_t ret)
{
	return rp_exit(sock->sk, ret, RP_RECV, true);
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
	return rp_exit(NULL, ret, RP_SEND, false);
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
	return rp_exit(NULL, ret, RP_RECV, false);
}

SEC("kprobe/tcp_sendpage")
int BPF_KPROBE(rp_kp_sendpage, struct sock *sk, struct page *page, int offset, size_t size)
{
	return rp_enter(sk, size, RP_SEND, 0);
}

SEC("kretprobe/tcp_sendpage")
int BPF_KRETPROBE(rp_kret_sendpage, int ret)
{
	return rp_exit(NULL, ret, RP_SEND, false);
}

SEC("kprobe/tcp_splice_read")
int BPF_KPROBE(rp_kp_splice_read, struct socket *sock, loff_t *ppos, struct pipe_inode_info *pipe,
	       size_t len)
{
	return rp_enter(BPF_CORE_READ(sock, sk), len, RP_RECV, 0);
}

SEC("kretprobe/tcp_splice_read")
int BPF_KRETPROBE(rp_kret_splice_read, long ret)
{
	return rp_exit(NULL, ret, RP_RECV, false);
}

/* ---- tracepoint backend: syscall entry to the socket layer's return ---- */

/* A call of the current thread (t) starts: the syscall's entry or the
 * io_uring request's submission. */
static __always_inline void rp_start(struct rp_task *t, __u8 kind, __u64 len, __u32 nr)
{
	rp_call_init(&t->call, 0, len, rp_kind_dir(kind), 0, !!(kind & RP_K_MULTI));
	t->call.nr = nr;
	t->busy = 1;
}

/* splice() whose input is a TCP socket: no socket tracepoint fires on its
 * way (tcp_splice_read), so it is one recv call from here to sys_exit, of
 * the requested length (the fifth argument). With rp_sendpage_at_exit, a
 * sendfile (output: the first argument, count the fourth) or splice (the
 * third, len the fifth) into a TCP socket is one send call the same way.
 * Anything else starts as the table says. */
static __always_inline void rp_exit_start(struct rp_task *t, struct pt_regs *regs, __u8 kind,
					  __u32 nr)
{
	bool splice = nr == RP_NR_SPLICE;
	const struct sock *sk = NULL;
	__u8 dir = 0;

	if (splice) {
		sk = rp_fd_tcp_sock(PT_REGS_PARM1_SYSCALL(regs));
		dir = RP_K_RECV;
	}
	if (!sk && rp_sendpage_at_exit) {
		sk = rp_fd_tcp_sock(splice ? PT_REGS_PARM3_SYSCALL(regs)
					   : PT_REGS_PARM1_SYSCALL(regs));
		dir = RP_K_SEND;
	}
	if (!sk) {
		rp_start(t, kind, rp_syscall_len(regs, kind), nr);
		return;
	}
	rp_start(t, dir, splice ? PT_REGS_PARM5_SYSCALL(regs) : PT_REGS_PARM4_SYSCALL(regs), nr);
	t->call.sk = (__u64)sk;
	t->call.at_exit = 1;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(rp_sys_enter, struct pt_regs *regs, long nr)
{
	__u8 kind = rp_syscall_kind(nr);
	struct rp_task *t;

	/* This runs for every syscall on the machine: syscalls that cannot
	 * move socket bytes leave after one table load, with no map work;
	 * the others of untraced tasks after a range check of the tgid,
	 * before the length is read from user memory. A start left by a
	 * syscall that never reached a socket (a file write) is never used:
	 * a socket return checks it is in the same syscall (rp_sock_exit). */
	if (!kind)
		return 0;
	t = rp_task_get(true);
	if (!t)
		return 0;
	if ((kind & RP_K_EXIT) && rp_sys_exit_on)
		rp_exit_start(t, regs, kind, (__u32)nr);
	else
		rp_start(t, kind, rp_syscall_len(regs, kind), (__u32)nr);
	rp_event_begin_fd(&t->ev, regs);
	t->call.start_ns = bpf_ktime_get_ns();
	return 0;
}

/* The end of a call that started at rp_exit_start: the syscall's return. */
SEC("tp_btf/sys_exit")
int BPF_PROG(rp_sys_exit, struct pt_regs *regs, long ret)
{
	const struct tcp_sock *tp;
	const struct sock *sk;
	struct rp_task *t;
	__u64 now;

	/* Every syscall on the machine ends here: one table load for most. */
	if (!(rp_syscall_kind(rp_regs_nr(regs)) & RP_K_EXIT))
		return 0;
	t = rp_task_get(false);
	if (!t || !t->busy || !t->call.at_exit || t->call.nr != rp_regs_nr(regs))
		return 0;
	now = bpf_ktime_get_ns();
	t->busy = 0;
	sk = (const struct sock *)t->call.sk;
	tp = rp_tcp_sock(sk, false);
	if (tp)
		rp_finish(t, sk, tp, false, ret, now, 0);
	return 0;
}

/* An io_uring request is submitted; its inline issue follows in this
 * thread. Its retries (after a poll wake-up, or in an io-wq worker) have
 * no start of their own: their socket returns are counted untimed. */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(rp_uring_submit, struct io_kiocb *req)
{
	struct task_struct *task;
	struct rp_task *t;
	__u8 op, kind;
	__u32 tgid;

	task = rp_current(&tgid);
	if (!rp_maybe_traced(tgid))
		return 0;
	op = BPF_CORE_READ(req, opcode);
	kind = op < RP_URING_OPS ? rp_uring_kind[op] : 0;
	if (!kind)
		return 0;
	t = rp_task_cur(task, tgid, true);
	if (!t)
		return 0;
	rp_start(t, kind, RP_LEN_UNKNOWN, rp_current_nr(task));
	t->call.start_ns = bpf_ktime_get_ns();
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
	struct rp_task *t = rp_task_get(false);

	if (t && t->busy && t->call.dir == RP_SEND) {
		t->call.skbs++;
		t->call.size_goal = size_goal;
	}
	return 0;
}

/* Fires once per skb tcp_recvmsg() copies from. */
SEC("tp_btf/skb_copy_datagram_iovec")
int BPF_PROG(rp_skb_copy, const struct sk_buff *skb, int len)
{
	struct rp_task *t = rp_task_get(false);

	if (t && t->busy && t->call.dir == RP_RECV)
		t->call.skbs++;
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
