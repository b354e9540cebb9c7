/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The scheduler view in the report model: per worker (switches, migrations,
 * run-queue waits, time on and off CPU, softirqs in its context, the policy
 * the kernel ran it with) and per CPU (NET_RX / NET_TX softirq time), all
 * over the workers' I/O-phase windows. Plain data, its counters described
 * once in sched_schema.c; renderers in report_sched.c (text) and
 * report_sched_json.c.
 */
#ifndef REQPERF_REPORT_SCHED_H
#define REQPERF_REPORT_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"
#include "reqperf.h"
#include "rp_sched.h"

/* One worker on one CPU. */
struct rp_sched_wcpu {
	uint64_t oncpu_ns;
	uint64_t switch_in;
	uint64_t calls[RP_NDIR]; /* kernel-traced calls that returned here */
	uint64_t softirq_ns[RP_NSOFTIRQ]; /* in the worker's context */
};

struct rp_sched_worker {
	bool has_kernel; /* the kernel figures below were read */
	uint64_t window_ns; /* the I/O-phase window, by the worker's clock */
	int window_cpu; /* the CPU it ran on when the window opened */
	uint64_t migrations;
	uint64_t nvcsw; /* switched out blocking */
	uint64_t nivcsw; /* switched out runnable */
	uint64_t switch_in;
	uint64_t switch_in_unseen; /* inferred: no sched_switch event showed them */
	uint64_t oncpu_ns; /* window_ns - offcpu_ns */
	uint64_t offcpu_ns;
	uint64_t runq_n;
	uint64_t runq_ns;
	uint64_t runq_max;
	uint64_t runq_log2[RP_LOG2_SLOTS];
	uint64_t softirq_n[RP_NSOFTIRQ]; /* run in the worker's context */
	uint64_t softirq_ns[RP_NSOFTIRQ];
	int kpolicy; /* task_struct.policy; -1: never seen */
	int kprio; /* task_struct.rt_priority */
	uint64_t kpolicy_ns; /* when last seen (switch, wakeup, migration) */
	bool kpolicy_in_window; /* seen inside the window, else just before */
	int ncpus;
	struct rp_sched_wcpu *cpus; /* [ncpus], owned */
	/* The worker's getrusage() switch counts over the window: the two
	 * reads around each window edge bound them; lo == hi unless a switch
	 * fell between the reads at an edge. */
	bool has_rusage;
	uint64_t ru_nvcsw_lo, ru_nvcsw_hi;
	uint64_t ru_nivcsw_lo, ru_nivcsw_hi;
};

/* One CPU over the time any worker's window was open. */
struct rp_sched_cpu {
	int cpu;
	uint64_t softirq_n[RP_NSOFTIRQ];
	uint64_t softirq_ns[RP_NSOFTIRQ];
	uint64_t worker_softirq_ns[RP_NSOFTIRQ]; /* of those, in a worker's context */
	uint64_t worker_oncpu_ns; /* the workers' time on this CPU */
};

struct rp_report;
struct rp_worker_report;
struct json_writer;

/* "SCHED_RR", ... for task_struct.policy / sched_getscheduler() values. */
const char *sched_policy_name(int policy);
/* softirq in its own context / time on CPU, 0..1 (0 without data). */
double sched_softirq_share(const struct rp_sched_worker *s);
/* Whether the kernel counts lie within the worker's getrusage bounds. */
bool sched_rusage_agrees(const struct rp_sched_worker *s);
/* Frees what the sched parts of r own (NULL-safe, idempotent). */
void report_sched_free(struct rp_report *r);

/* Text: one block per worker, one table per run; lines < 80 columns. */
void report_sched_worker_text(FILE *out, const struct rp_report *r,
			      const struct rp_worker_report *w, bool hist);
void report_sched_cpus_text(FILE *out, const struct rp_report *r);
/* JSON: a "sched" member of a worker object, a "sched_cpus" member. */
void report_sched_worker_json(struct json_writer *j, const struct rp_worker_report *w);
void report_sched_cpus_json(struct json_writer *j, const struct rp_report *r);
/* "rusage": {nvcsw_lo, nvcsw_hi, nivcsw_lo, nivcsw_hi} or null; the one
 * schema for the run's and --compare's JSON. */
void json_rusage(struct json_writer *j, bool has, const uint64_t nvcsw[2],
		 const uint64_t nivcsw[2]);

#endif /* REQPERF_REPORT_SCHED_H */
