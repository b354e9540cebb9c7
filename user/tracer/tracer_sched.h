/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The scheduler view's maps (rp_sched.bpf.h): sizing before load, the
 * window array the workers write through a shared mapping, and reading
 * the per-slot, per-CPU counters back into the report model.
 */
#ifndef REQPERF_TRACER_SCHED_H
#define REQPERF_TRACER_SCHED_H

#include <stdint.h>

#include "report_sched.h"

struct bpf_object;
struct rp_sched_view;

/* Before load: sizes the maps for nslots worker slots. 0 or -1. */
int sched_view_configure(struct bpf_object *obj, int nslots);
/* After load: maps the window array. NULL on failure. */
struct rp_sched_view *sched_view_open(struct bpf_object *obj, int nslots);
/* The windows, shared with forked children: [0] counts the open ones,
 * [slot + 1] is slot's. */
struct rp_sched_win *sched_view_windows(const struct rp_sched_view *v);
/* NULL-safe. */
void sched_view_close(struct rp_sched_view *v);

/* What the worker knows of its own window. */
struct rp_sched_hint {
	uint64_t start_ns;
	uint64_t end_ns;
	int cpu; /* CPU right after the window opened */
};

/* Fills out's kernel figures for slot (out->cpus is allocated; free with
 * report_sched_free). 0, or -1 when the maps cannot be read. */
int sched_view_read_slot(struct rp_sched_view *v, uint32_t slot, const struct rp_sched_hint *h,
			 struct rp_sched_worker *out);
/* Softirq time per CPU: totals and the part in the workers' context.
 * Returns the number of CPUs filled (at most max), -1 on error. */
int sched_view_read_cpus(struct rp_sched_view *v, struct rp_sched_cpu *cpus, int max);

/* Pure: adds one CPU's counters of a slot to out (out->cpus has room
 * for cpu). */
void sched_fold_cpu(struct rp_sched_worker *out, const struct rp_ksched *k, int cpu);
/* Pure: after every CPU is folded, derives time on CPU and charges the
 * window's last on-CPU stretch (which no switch-out closed) to the CPU
 * of the last switch-in, or to h->cpu when there was none. last_in[cpu]
 * is that CPU's last switch-in time. */
void sched_finish(struct rp_sched_worker *out, const uint64_t *last_in,
		  const struct rp_sched_hint *h);

#endif /* REQPERF_TRACER_SCHED_H */
