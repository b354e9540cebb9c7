/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Layouts shared by the eBPF programs (reqperf.bpf.c) and user space.
 * Only fixed-width __u32/__u64 types: the same bytes are read on both sides.
 */
#ifndef REQPERF_BPF_H
#define REQPERF_BPF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Upper bounds for workers and slots (the workers', then the server's);
 * the map sizes are set to the run's count. */
#define RP_MAX_WORKERS 1024
#define RP_MAX_SLOTS (RP_MAX_WORKERS + 1)
/* Socket map entries when the loader does not size it from the run. */
#define RP_MAX_SOCKS 16384

/* Kernel latency histogram: log-linear, 2^RP_KHIST_SUB_BITS per power of 2. */
#define RP_KHIST_SUB_BITS 3
#define RP_KHIST_BUCKETS 320 /* covers values below 2^40 ns */

/* skbs filled / drained per call: linear 0..14, the last slot is ">= 15". */
#define RP_SKB_SLOTS 16

enum rp_dir {
	RP_SEND = 0,
	RP_RECV = 1,
	RP_NDIR = 2,
};

enum rp_backend {
	RP_BACKEND_OFF = 0,
	RP_BACKEND_FENTRY = 1,
	RP_BACKEND_KPROBE = 2,
	RP_BACKEND_TRACEPOINT = 3,
};

/*
 * Kernel map memory is sized by workers x CPUs with a small value: the
 * per-CPU counters (struct rp_kslot, 256 bytes) are per slot and CPU, the
 * histograms (struct rp_khists, 5376 bytes) per slot only. docs/design.md
 * states the formula; tracer_map_bytes() computes it.
 */

/* What held a send's bytes at its return (rp_hold.bpf.h), the first that
 * applies in the kernel's order; RP_HOLD_NONE: nothing stayed unsent. */
enum rp_hold {
	RP_HOLD_NONE = 0,
	RP_HOLD_AUTOCORK = 1, /* tail below its size goal, earlier skbs in the qdisc/device */
	RP_HOLD_CWND = 2, /* packets in flight >= snd_cwnd */
	RP_HOLD_RWND = 3, /* the next segment ends beyond the peer's window */
	RP_HOLD_CORK = 4, /* TCP_CORK / MSG_MORE, partial head segment */
	RP_HOLD_NAGLE = 5, /* Nagle: partial head segment, a small one unacknowledged */
	RP_HOLD_TSQ = 6, /* TCP small queues: throttled, the head segment full */
	RP_HOLD_OTHER = 7, /* none of these (pacing, TSO deferral, ...) */
	RP_NHOLDS = 8,
};

/* Per worker slot, per CPU, per direction. Written only by the worker's
 * own thread context, so plain (non-atomic) updates on a per-CPU value. */
struct rp_kdir {
	__u64 calls;
	__u64 bytes; /* sum of positive return values */
	__u64 eagain; /* returned -EAGAIN */
	__u64 errors; /* returned another negative errno but -EINTR */
	__u64 short_calls; /* 0 < ret < requested length */
	__u64 ns_sum; /* in-kernel time, see the backend's definition */
	__u64 ns_sq_lo; /* sum of ns^2 as a 128-bit integer */
	__u64 ns_sq_hi;
	__u64 ns_min; /* 0 means no sample yet */
	__u64 ns_max;
	__u64 skbs; /* skbs filled (send) or drained (recv) */
	__u64 size_goal_sum; /* send: size_goal at the call's last skb */
	/* after the call: recv rcv_nxt - copied_seq (unread), send
	 * write_seq - snd_nxt (unsent; timed sends that wrote bytes) */
	__u64 queued_sum;
	__u64 full_queued; /* recv: ret == len with bytes still queued */
	__u64 short_empty; /* recv: 0 < ret < len with nothing queued */
	__u64 short_queued; /* recv: 0 < ret < len with bytes queued */
};

struct rp_kslot {
	struct rp_kdir dir[RP_NDIR];
};

/* Per worker slot (not per CPU), per direction: 64-bit buckets, so no
 * --duration wraps them; atomic adds, since every thread a --comm filter
 * matches shares slot 0. */
struct rp_khist {
	__u64 ns[RP_KHIST_BUCKETS];
	__u64 skbs[RP_SKB_SLOTS];
	/* Returns whose start was not seen (in flight at attach, or a path
	 * with no start hook): in rp_kdir's calls/bytes/eagain/errors like
	 * any call, but not in the time, skb or class figures. Rare, so kept
	 * here with atomic adds rather than in the per-CPU counters. */
	__u64 untimed;
	__u64 untimed_bytes;
};

struct rp_khists {
	struct rp_khist dir[RP_NDIR];
	/* Timed sends that wrote bytes, by what held bytes unsent at their
	 * return (enum rp_hold): per slot, atomic adds, 64 bytes. */
	__u64 held[RP_NHOLDS];
};

/* One traced TCP socket, keyed by its struct sock address. Updated from
 * softirq context too (retransmits), hence atomic adds. */
struct rp_ksock {
	__u32 slot;
	__u32 exact; /* 1: first snapshot taken before any data moved */
	__u32 first_data_segs_in;
	__u32 first_data_segs_out;
	__u32 last_data_segs_in;
	__u32 last_data_segs_out;
	__u32 first_segs_in;
	__u32 first_segs_out;
	__u32 last_segs_in;
	__u32 last_segs_out;
	__u32 snd_cwnd; /* at the last call's return */
	__u32 srtt_us; /* srtt_us >> 3, last seen */
	__u32 mss_cache;
	__u32 family; /* AF_INET or AF_INET6 */
	__u64 retransmits;
	/* The socket's calls, per direction (atomic adds: two threads may
	 * use one socket); a recv's class as rp_kdir counts it. */
	__u64 calls[RP_NDIR];
	__u64 bytes[RP_NDIR];
	__u64 eagain[RP_NDIR];
	__u64 untimed[RP_NDIR];
	__u64 full_queued;
	__u64 short_empty;
	__u64 short_queued;
	__u8 saddr[16]; /* IPv4: the first 4 bytes; network order */
	__u8 daddr[16];
	__u16 sport; /* host order */
	__u16 dport;
	__u32 tgid; /* the process whose call made the entry */
};

/* The socket counters kept as a first and a last snapshot in struct
 * rp_ksock (first_<f>, last_<f>) and folded as last - first into the
 * field <f> of struct rp_ksum: by the kernel when a socket closes
 * (rp_sock_fold), by user space for a live one (ktcp_fold_sock). */
#define RP_KSOCK_DELTAS(X) X(data_segs_in) X(data_segs_out) X(segs_in) X(segs_out)

/* A slot's sockets that reached TCP_CLOSE: their last - first deltas are
 * folded in here and the socket entry is deleted, so a struct sock address
 * reused by a later connection starts afresh and nothing is lost. */
struct rp_ksum {
	__u64 sockets;
	__u64 inexact;
	__u64 data_segs_in;
	__u64 data_segs_out;
	__u64 segs_in;
	__u64 segs_out;
	__u64 retransmits;
	__u32 snd_cwnd;
	__u32 srtt_us;
	__u32 mss_cache;
	__u32 pad;
	__u64 calls[RP_NDIR];
	__u64 bytes[RP_NDIR];
	__u64 unlisted; /* closed sockets whose entry found rp_socks_done full */
};

/* One traced send or recv call, sent through the rp_events ring buffer
 * when events are on (rp_events.bpf.h). Times are CLOCK_MONOTONIC ns. */
struct rp_event {
	__u64 start_ns;
	__u64 end_ns;
	__u64 len; /* requested; ~0 when not known */
	__s64 ret; /* bytes or -errno */
	__u32 tid;
	__u32 slot;
	__u32 cpu; /* where the call returned */
	__u16 dir; /* enum rp_dir */
	__u16 flags; /* RP_EV_* */
	__u32 skbs; /* filled (send) or drained (recv) */
	__u32 queued; /* after the call: recv unread bytes, send unsent bytes */
	__u32 size_goal; /* send: at the call's last skb */
	__u32 segs_in; /* data segments in during the call */
	__u32 segs_out; /* data segments out during the call */
	__u32 data_segs_in; /* the socket's counters after the call */
	__u32 data_segs_out;
	__u32 seq; /* TCP sequence number of the call's first byte: send
		      write_seq, recv copied_seq, at the call's start */
	__u16 lport; /* the socket's local and remote port, host order */
	__u16 rport;
	__u32 pad;
};

enum rp_event_flag {
	RP_EV_SEGS = 1 << 0, /* segs_in / segs_out are known */
	RP_EV_SEQ = 1 << 1, /* seq, lport and rport are known */
};

/* rp_call.len when the requested length is not known. */
#define RP_LEN_UNKNOWN (~0ULL)

/* The call a thread has in flight: from its entry (or the syscall's
 * entry) to its return. */
struct rp_call {
	__u64 start_ns;
	__u64 sk;
	__u64 len; /* requested bytes, RP_LEN_UNKNOWN when not known */
	__u32 slot;
	__u32 dir;
	__u32 skbs; /* skbs filled (send) or copied from (recv) so far */
	__u32 size_goal;
	__u32 flags; /* recv flags (MSG_PEEK) */
	__u32 multi; /* sendmmsg/recvmmsg/sendfile: several socket calls */
	__u32 nr; /* tracepoint backend: the syscall it started in */
	__u32 at_exit; /* tracepoint backend: ends at sys_exit (splice from a socket) */
};

/* Per-call events: the socket and its data segment counters when the
 * current call started, and (tracepoint backend) the fd it came from. */
struct rp_ev_start {
	__u64 sk;
	__s64 fd; /* -1: resolve at the next syscall */
	__u32 segs_in;
	__u32 segs_out;
	__u32 write_seq; /* the socket's send and receive positions */
	__u32 copied_seq;
};

/* The scheduler view's per-thread times (rp_sched.bpf.h). */
struct rp_sched_task {
	__u64 enq_ns; /* runnable since (woken or preempted); 0: not queued */
	__u64 out_ns; /* last switch-out */
	__u64 in_ns; /* last switch-in */
	__u64 end_checked; /* the window's end was checked for an unseen switch-in */
};

/* Everything reqperf keeps per traced thread, in the thread's own task
 * storage (rp_tasks): found with one pointer walk from the task, no hash,
 * no lock, and freed with the thread. The loader creates it for each
 * registered process (tracer_add_tgid); the programs for its other
 * threads. */
struct rp_task {
	struct rp_call call; /* call.slot: the thread's slot, set at creation */
	struct rp_ev_start ev;
	struct rp_sched_task sched;
	__u32 busy; /* call is in flight */
	__u32 pad;
};

/* Global counters of things the programs could not record. */
enum rp_drop {
	RP_DROP_INFLIGHT_FULL = 0, /* a thread's task storage could not be made */
	RP_DROP_SOCK_FULL = 1, /* socket map full */
	/* fentry/kprobe: an entry whose return was never seen (the thread
	 * entered again first); that call is not counted. Returns without an
	 * entry are counted, as untimed calls (rp_kdir.untimed). */
	RP_DROP_UNMATCHED = 2,
	RP_DROP_BAD_SLOT = 3, /* slot outside the counter map */
	/* Runs the kernel skipped because the program was already running on
	 * that CPU (bpf_prog_info.recursion_misses, summed by the loader). */
	RP_DROP_RECURSION = 4,
	RP_NDROPS = 5,
};

/* Which optional tracepoints were loaded (bit per feature). */
enum rp_feature {
	RP_FEAT_SENDMSG_LOCKED = 1 << 0, /* skbs filled per send, size_goal */
	RP_FEAT_SKB_COPY = 1 << 1, /* skbs drained per recv */
	/* 1 << 2: was tcp_probe; cwnd and srtt are read at each call's return */
	RP_FEAT_RETRANSMIT = 1 << 3, /* retransmits */
	RP_FEAT_SOCK_STATE = 1 << 4, /* exact first segment snapshot */
	RP_FEAT_SCHED = 1 << 5, /* scheduler view (rp_sched.bpf.h) */
	RP_FEAT_URING = 1 << 6, /* tracepoint backend: io_uring submissions start calls */
	RP_FEAT_SENDPAGE = 1 << 7, /* fentry/kprobe: tcp_sendpage (before 6.5) */
	RP_FEAT_SPLICE_READ = 1 << 8, /* fentry/kprobe: tcp_splice_read */
	/* tracepoint backend: sys_exit ends splice() calls from a socket (a
	 * program at every syscall's exit: loaded for `trace` and a traced
	 * --server-pid/--server-comm, not for the embedded sink alone) */
	RP_FEAT_SYS_EXIT = 1 << 9,
};

#endif /* REQPERF_BPF_H */
