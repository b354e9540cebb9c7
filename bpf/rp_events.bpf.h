/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Per-call events: one struct rp_event per finished send or recv call into
 * a ring buffer, so user space can join them with the worker's own record
 * of the same calls. Off unless the loader sets rp_events_on; then the
 * verifier drops this code from the counters-only programs.
 */
#ifndef REQPERF_EVENTS_BPF_H
#define REQPERF_EVENTS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#include "reqperf.h"
#include "rp_maps.bpf.h"
#include "rp_sock.bpf.h"

const volatile __u32 rp_events_on = 0;
/* Slots below this emit events: the workers', and the server's only when
 * something reads them (--timeline), so it never crowds the workers out. */
const volatile __u32 rp_events_slots = RP_MAX_SLOTS;

/* The loader sizes it: a page when events are off. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rp_events SEC(".maps");

/* Events that found the ring buffer full, per worker slot. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RP_MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} rp_ev_lost SEC(".maps");

/* The tracepoint backend starts at the syscall: its socket is the file
 * behind fd. Any fd may come here (a pipe too): the pointer read is only
 * trusted when the socket layer later reports the same sock. */
static __always_inline const struct sock *rp_fd_sock(long fd)
{
	struct file *f = rp_fd_file(fd);
	struct socket *sock;

	if (!f)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

static __always_inline void rp_ev_snapshot(struct rp_ev_start *s, const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	s->sk = (__u64)sk;
	s->segs_in = sk ? BPF_CORE_READ(tp, data_segs_in) : 0;
	s->segs_out = sk ? BPF_CORE_READ(tp, data_segs_out) : 0;
	s->write_seq = sk ? BPF_CORE_READ(tp, write_seq) : 0;
	s->copied_seq = sk ? BPF_CORE_READ(tp, copied_seq) : 0;
}

/* A call on sk starts (fentry, kprobe). */
static __always_inline void rp_event_begin(struct rp_ev_start *s, const struct sock *sk)
{
	if (!rp_events_on)
		return;
	s->fd = -1;
	rp_ev_snapshot(s, sk);
}

/* A send/recv syscall on fd starts (tracepoint backend). The fd's socket
 * is resolved once and remembered until a call ends on another sock. */
static __always_inline void rp_event_begin_fd(struct rp_ev_start *s, struct pt_regs *regs)
{
	long fd;

	if (!rp_events_on)
		return;
	fd = PT_REGS_PARM1_SYSCALL(regs);
	if (s->fd != fd || !s->sk) {
		s->fd = fd;
		s->sk = (__u64)rp_fd_sock(fd);
	}
	rp_ev_snapshot(s, (const struct sock *)s->sk);
}

/* ks: sk's entry with its last snapshot just taken, or NULL. */
static __always_inline void rp_event_segs(struct rp_event *e, struct rp_ev_start *s,
					  const struct sock *sk, const struct rp_ksock *ks)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	if (ks) {
		e->data_segs_in = ks->last_data_segs_in;
		e->data_segs_out = ks->last_data_segs_out;
	} else {
		e->data_segs_in = BPF_CORE_READ(tp, data_segs_in);
		e->data_segs_out = BPF_CORE_READ(tp, data_segs_out);
	}
	if (s->sk != (__u64)sk) {
		s->fd = -1; /* the fd names another socket now */
		return;
	}
	e->segs_in = e->data_segs_in - s->segs_in;
	e->segs_out = e->data_segs_out - s->segs_out;
	e->flags |= RP_EV_SEGS;
}

#define RP_EV_MSG_PEEK 2

/* Where the call's bytes sit in the stream (the per-response lifecycle
 * joins calls and packets by it): the socket's position at the call's
 * start, or, when that snapshot was of another socket (a reused fd), its
 * position now less the bytes the call moved it by. */
static __always_inline void rp_event_seq(struct rp_event *e, const struct rp_ev_start *s,
					 const struct sock *sk, const struct rp_call *c, long ret)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	bool send = c->dir == RP_SEND;
	__u32 now;

	if (s->sk == (__u64)sk) {
		e->seq = send ? s->write_seq : s->copied_seq;
	} else {
		/* several socket calls in one (sendmmsg) return no byte count */
		if (c->multi || (!send && (c->flags & RP_EV_MSG_PEEK) && ret > 0))
			return;
		now = send ? BPF_CORE_READ(tp, write_seq) : BPF_CORE_READ(tp, copied_seq);
		e->seq = ret > 0 ? now - (__u32)ret : now;
	}
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	e->flags |= RP_EV_SEQ;
}

/* Wake the reader only when the ring is a quarter full: it also polls on
 * a timer, and a wakeup per event would cost more than the event. */
static __always_inline __u64 rp_event_wakeup(void)
{
	__u64 size = bpf_ringbuf_query(&rp_events, BPF_RB_RING_SIZE);

	return bpf_ringbuf_query(&rp_events, BPF_RB_AVAIL_DATA) > size / 4 ? BPF_RB_FORCE_WAKEUP
									   : BPF_RB_NO_WAKEUP;
}

static __always_inline void rp_event_lost(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&rp_ev_lost, &slot);

	if (v)
		__sync_fetch_and_add(v, 1);
}

/* The call of t on sk returned ret at now; ks: sk's entry or NULL;
 * queued: bytes still queued after the call (recv unread, send unsent). */
static __always_inline void rp_event_emit(struct rp_task *t, const struct sock *sk,
					  const struct rp_ksock *ks, long ret, __u64 now,
					  __u32 queued)
{
	const struct rp_call *c = &t->call;
	struct rp_event *e;

	if (!rp_events_on || c->slot >= rp_events_slots)
		return;
	e = bpf_ringbuf_reserve(&rp_events, sizeof(*e), 0);
	if (!e) {
		rp_event_lost(c->slot);
		return;
	}
	e->start_ns = c->start_ns;
	e->end_ns = now;
	e->len = c->len;
	e->ret = ret;
	e->tid = (__u32)bpf_get_current_pid_tgid();
	e->slot = c->slot;
	e->cpu = bpf_get_smp_processor_id();
	e->dir = (__u16)c->dir;
	e->flags = 0;
	e->skbs = c->skbs;
	e->queued = queued;
	e->size_goal = c->dir == RP_SEND ? c->size_goal : 0;
	e->segs_in = 0;
	e->segs_out = 0;
	e->seq = 0;
	e->lport = 0;
	e->rport = 0;
	e->pad = 0;
	rp_event_seq(e, &t->ev, sk, c, ret);
	rp_event_segs(e, &t->ev, sk, ks);
	bpf_ringbuf_submit(e, rp_event_wakeup());
}

#endif /* REQPERF_EVENTS_BPF_H */
