/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The scheduler view: context switches, migrations, run-queue waits, time
 * on and off CPU of each traced worker, and NET_RX / NET_TX softirq time
 * per CPU, all counted only inside the worker's own I/O-phase window (see
 * struct rp_sched_win). tp_btf programs, loaded with every backend.
 */
#ifndef REQPERF_SCHED_BPF_H
#define REQPERF_SCHED_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "hist_index.h"
#include "rp_maps.bpf.h"
#include "rp_sched.h"

#define RP_TASK_RUNNING 0
#define RP_NET_TX_SOFTIRQ 2
#define RP_NET_RX_SOFTIRQ 3

/* Index 0: the count of open windows; slot s: index s + 1. max_entries
 * is set to the slot count + 1. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rp_sched_win);
} rp_sched_wins SEC(".maps");

/* Index 0: softirqs outside the workers' context; slot s: index s + 1. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rp_ksched);
} rp_sched SEC(".maps");

/* The softirq running on this CPU; softirqs do not nest on one CPU. */
struct rp_softirq_run {
	__u64 start_ns;
	__u32 key; /* rp_sched index it is charged to */
	__u32 vec; /* softirq number + 1; 0: none running */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rp_softirq_run);
} rp_softirq_runs SEC(".maps");

/* The rp_sched index of task p, its window's state and its per-thread
 * state; -1 when p is not a traced worker. */
static __always_inline int rp_sched_key(struct task_struct *p, __u32 *key,
					struct rp_sched_win **win, struct rp_task **t)
{
	*t = rp_task_of(p, p->tgid);
	if (!*t)
		return -1;
	*key = (*t)->call.slot + 1;
	*win = bpf_map_lookup_elem(&rp_sched_wins, key);
	return *win ? 0 : -1;
}

/* The policy the kernel really runs p with, seen up to the window's end
 * (the worker lowers its priority after the I/O phase). */
static __always_inline void rp_sched_policy(struct rp_ksched *ks, struct task_struct *p, __u64 now)
{
	ks->policy = p->policy;
	ks->rt_priority = p->rt_priority;
	ks->policy_ns = now;
}

static __always_inline void rp_sched_runq(struct rp_ksched *ks, __u64 ns)
{
	__u64 idx = rp_log2_u64(ns);

	ks->runq_n++;
	ks->runq_ns += ns;
	if (ns > ks->runq_max)
		ks->runq_max = ns;
	if (idx >= RP_SCHED_LOG2_SLOTS)
		idx = RP_SCHED_LOG2_SLOTS - 1;
	barrier_var(idx);
	ks->runq_hist[idx]++;
}

/* Looks up p's window, counters and per-thread times; returns the
 * window's state (RP_WIN_OPEN: count), -1 when p is not traced. */
static __always_inline int rp_sched_begin(struct task_struct *p, __u64 now, struct rp_ksched **ks,
					  __u64 *start, struct rp_sched_task **st)
{
	struct rp_sched_win *win;
	struct rp_task *t;
	__u32 key, state;

	if (rp_sched_key(p, &key, &win, &t))
		return -1;
	state = *(volatile __u32 *)&win->state;
	*ks = bpf_map_lookup_elem(&rp_sched, &key);
	if (!*ks)
		return -1;
	if (state != RP_WIN_CLOSED)
		rp_sched_policy(*ks, p, now);
	*start = *(volatile __u64 *)&win->start_ns;
	*st = &t->sched;
	return (int)state;
}

/* p's last event in the window was a switch-out, and p is being switched
 * out again: the kernel switched it back in without a sched_switch event
 * reaching this program (seen on 6.18 here about once in 30 runs of three
 * unpinned workers on two CPUs, with no recursion miss counted). */
static __always_inline bool rp_sched_in_unseen(const struct rp_sched_task *t, __u64 start)
{
	return t->out_ns >= start && t->out_ns > t->in_ns;
}

/* prev leaves this CPU: the kernel counts it voluntary (nvcsw) when it
 * blocks, involuntary (nivcsw) when it stays runnable. */
static __always_inline void rp_sched_out(struct task_struct *p, bool runnable, __u64 now)
{
	struct rp_sched_task *t = NULL;
	struct rp_ksched *ks = NULL;
	__u64 start = 0, from;

	int state = rp_sched_begin(p, now, &ks, &start, &t);

	/* p ran when it closed its window: if the window's last event was a
	 * switch-out, a switch-in went unseen. Checked at p's first switch-out
	 * after the close. */
	if (state == RP_WIN_CLOSED && !t->end_checked) {
		t->end_checked = 1;
		if (rp_sched_in_unseen(t, start))
			ks->switch_in_unseen++;
	}
	if (state != RP_WIN_OPEN)
		return;
	if (rp_sched_in_unseen(t, start)) {
		/* When p came back is unknown: its on-CPU interval is left out
		 * of the per-CPU split (oncpu_ns), not guessed. */
		ks->switch_in_unseen++;
	} else {
		from = t->in_ns > start ? t->in_ns : start;
		if (now > from)
			ks->oncpu_ns += now - from;
	}
	t->out_ns = now;
	if (runnable) {
		ks->nivcsw++;
		t->enq_ns = now;
	} else {
		ks->nvcsw++;
		t->enq_ns = 0;
	}
}

static __always_inline void rp_sched_in(struct task_struct *p, __u64 now)
{
	struct rp_sched_task *t;
	struct rp_ksched *ks;
	__u64 start;

	if (rp_sched_begin(p, now, &ks, &start, &t) != RP_WIN_OPEN)
		return;
	ks->switch_in++;
	ks->last_in_ns = now;
	if (t->out_ns >= start && now > t->out_ns)
		ks->offcpu_ns += now - t->out_ns;
	if (t->enq_ns >= start && now >= t->enq_ns)
		rp_sched_runq(ks, now - t->enq_ns);
	t->enq_ns = 0;
	t->in_ns = now;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(rp_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 now;

	/* Most switches on the machine involve no traced task. */
	if (!rp_maybe_traced(prev->tgid) && !rp_maybe_traced(next->tgid))
		return 0;
	now = bpf_ktime_get_ns();
	/* __schedule() bumps nvcsw only for a task that blocks: not
	 * preempted and not TASK_RUNNING (sched_yield counts as nivcsw). */
	rp_sched_out(prev, preempt || prev_state == RP_TASK_RUNNING, now);
	rp_sched_in(next, now);
	return 0;
}

static __always_inline int rp_sched_wakeup(struct task_struct *p)
{
	struct rp_sched_task *t;
	struct rp_ksched *ks;
	__u64 start, now;

	if (!rp_maybe_traced(p->tgid))
		return 0;
	now = bpf_ktime_get_ns();
	if (rp_sched_begin(p, now, &ks, &start, &t) == RP_WIN_OPEN)
		t->enq_ns = now;
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(rp_sched_wake, struct task_struct *p)
{
	return rp_sched_wakeup(p);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(rp_sched_wake_new, struct task_struct *p)
{
	return rp_sched_wakeup(p);
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(rp_sched_migrate, struct task_struct *p, int dest_cpu)
{
	struct rp_sched_task *t;
	struct rp_ksched *ks;
	__u64 start;

	if (rp_maybe_traced(p->tgid) &&
	    rp_sched_begin(p, bpf_ktime_get_ns(), &ks, &start, &t) == RP_WIN_OPEN)
		ks->migrations++;
	return 0;
}

static __always_inline int rp_softirq_kind(unsigned int vec)
{
	if (vec == RP_NET_TX_SOFTIRQ)
		return RP_SOFTIRQ_NET_TX;
	if (vec == RP_NET_RX_SOFTIRQ)
		return RP_SOFTIRQ_NET_RX;
	return -1;
}

/* Charged to the interrupted worker's slot while its window is open,
 * else to index 0 while any worker's window is open. */
SEC("tp_btf/softirq_entry")
int BPF_PROG(rp_softirq_entry, unsigned int vec)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct rp_sched_win *win;
	struct rp_softirq_run *run;
	__u32 key, zero = 0;
	struct rp_task *t;

	if (rp_softirq_kind(vec) < 0)
		return 0;
	if (rp_sched_key(cur, &key, &win, &t) || *(volatile __u32 *)&win->state != RP_WIN_OPEN) {
		key = 0;
		win = bpf_map_lookup_elem(&rp_sched_wins, &key);
		if (!win || !*(volatile __u32 *)&win->state)
			return 0;
	}
	run = bpf_map_lookup_elem(&rp_softirq_runs, &zero);
	if (!run)
		return 0;
	run->start_ns = bpf_ktime_get_ns();
	run->key = key;
	run->vec = vec + 1;
	return 0;
}

SEC("tp_btf/softirq_exit")
int BPF_PROG(rp_softirq_exit, unsigned int vec)
{
	__u64 now = bpf_ktime_get_ns();
	struct rp_softirq_run *run;
	struct rp_ksched *ks;
	int kind = rp_softirq_kind(vec);
	__u32 zero = 0;

	run = bpf_map_lookup_elem(&rp_softirq_runs, &zero);
	if (kind < 0 || !run || run->vec != vec + 1)
		return 0;
	run->vec = 0;
	ks = bpf_map_lookup_elem(&rp_sched, &run->key);
	if (!ks || now < run->start_ns)
		return 0;
	if (kind == RP_SOFTIRQ_NET_TX) {
		ks->softirq_n[RP_SOFTIRQ_NET_TX]++;
		ks->softirq_ns[RP_SOFTIRQ_NET_TX] += now - run->start_ns;
	} else {
		ks->softirq_n[RP_SOFTIRQ_NET_RX]++;
		ks->softirq_ns[RP_SOFTIRQ_NET_RX] += now - run->start_ns;
	}
	return 0;
}

#endif /* REQPERF_SCHED_BPF_H */
