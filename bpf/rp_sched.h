/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Scheduler view: layouts shared by rp_sched.bpf.h and user space. Only
 * fixed-width types: the same bytes are read on both sides.
 */
#ifndef REQPERF_SCHED_H
#define REQPERF_SCHED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Run-queue wait histogram: slot i counts [2^i, 2^(i+1)) ns, slot 0 also
 * 0, the last slot everything above (the same slots as RP_LOG2_SLOTS). */
#define RP_SCHED_LOG2_SLOTS 41

/* The softirqs the report follows. */
enum rp_softirq {
	RP_SOFTIRQ_NET_TX = 0,
	RP_SOFTIRQ_NET_RX = 1,
	RP_NSOFTIRQ = 2,
};

/* The worker's I/O-phase window, one per slot in an mmap-able array the
 * worker writes directly (no syscall, so opening or closing it cannot
 * itself switch). Index 0 counts the open windows; slot s is index s + 1. */
enum rp_win_state {
	RP_WIN_IDLE = 0, /* not yet open: setup, connect, start barrier */
	RP_WIN_OPEN = 1, /* the I/O phase: events are counted */
	RP_WIN_CLOSED = 2, /* over: nothing is counted any more */
};

struct rp_sched_win {
	__u64 start_ns; /* bpf_ktime_get_ns() clock, written before state */
	__u32 state; /* enum rp_win_state; index 0: open windows */
	__u32 pad;
};

/*
 * Per slot (index 0: softirqs outside any worker's context; slot s is
 * index s + 1), per
 * CPU, counted only while the slot's window is open. Written by the
 * scheduler and softirq paths of this CPU with interrupts off, so plain
 * adds on a per-CPU value.
 */
struct rp_ksched {
	__u64 migrations; /* sched_migrate_task, on the CPU that moved it */
	__u64 nvcsw; /* switched out blocking (voluntary) */
	__u64 nivcsw; /* switched out runnable (preempted, yielded) */
	__u64 switch_in; /* switched in on this CPU */
	/* Switch-ins no sched_switch event showed: a switch-out in the window
	 * that followed another with no switch-in between (counted on the CPU
	 * of the second), or the first switch-out after the window closed
	 * when the window's last event was a switch-out. */
	__u64 switch_in_unseen;
	__u64 oncpu_ns; /* closed on-CPU intervals that ran on this CPU */
	__u64 offcpu_ns; /* switch-out to switch-in, charged at switch-in */
	__u64 last_in_ns; /* time of the last switch-in on this CPU */
	__u64 runq_n; /* run-queue waits: wakeup or preemption to switch-in */
	__u64 runq_ns;
	__u64 runq_max;
	__u64 softirq_n[RP_NSOFTIRQ]; /* run in this slot's context */
	__u64 softirq_ns[RP_NSOFTIRQ];
	__u64 policy_ns; /* when policy/rt_priority were last seen */
	__u32 policy; /* task_struct.policy: SCHED_OTHER 0, FIFO 1, RR 2 */
	__u32 rt_priority;
	__u32 runq_hist[RP_SCHED_LOG2_SLOTS];
	__u32 pad;
};

#endif /* REQPERF_SCHED_H */
