/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The `reqperf run --compare` model: the settings compared, one record
 * per round (its figures and each worker's), and the renderers: one text
 * table (< 80 columns) and a JSON document that carries every round.
 * Pure: plain data in, text out to a FILE.
 */
#ifndef REQPERF_REPORT_COMPARE_H
#define REQPERF_REPORT_COMPARE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "report.h"

#define RP_CMP_MAX_SETTINGS 4

enum rp_compare {
	RP_COMPARE_NONE = 0,
	RP_COMPARE_AFFINITY = 1, /* affinity on (baseline) / off */
	RP_COMPARE_SCHED = 2, /* SCHED_OTHER (baseline) / real-time */
	RP_COMPARE_BOTH = 3, /* the 2x2 matrix, on/other the baseline */
	RP_COMPARE_PROBE = 4, /* --probe off (baseline) / the --probe given */
};

/* Per-round figures, over all workers of the round. */
enum rp_cmp_metric {
	RP_CM_SEND_USER = 0, /* mean ns per send() call, user side */
	RP_CM_SEND_KERNEL, /* the same, kernel side */
	RP_CM_RECV_USER,
	RP_CM_RECV_KERNEL,
	RP_CM_SEND_RATE, /* the seed's "req. p/s": sum of 1 / mean send time */
	RP_CM_RECV_RATE, /* the seed's "recv. p/s" */
	RP_CM_RPS, /* responses per second of wall time */
	RP_CM_RECV_CALLS, /* recv() calls, EAGAIN included */
	RP_CM_MIGRATIONS, /* summed over workers */
	RP_CM_NVCSW,
	RP_CM_NIVCSW,
	RP_CM_GAP, /* user minus kernel time of all calls, ns: what the calls
		      spent outside the kernel's window (preemption at syscall
		      exit lands here) */
	RP_CM_RUNQ, /* run-queue wait ns, summed over workers */
	RP_CM_SOFTIRQ, /* softirq time in the workers' context / their CPU time */
	RP_NCM,
};

struct rp_cmp_setting {
	char name[16]; /* "on/rr" */
	bool affinity;
	enum rp_sched sched;
	bool probe_off; /* this setting runs with --probe off */
};

/* One worker of one round. */
struct rp_cmp_worker {
	int id;
	int cpu;
	char sched[16]; /* read back by the worker */
	int priority;
	double mean_ns[2][RP_NDIR]; /* [user, kernel][dir]; NaN: none */
	uint64_t calls[RP_NDIR];
	/* The run's scheduler view of this worker, without its per-CPU table
	 * (cpus NULL, ncpus 0); kpolicy -1 when the kernel view is absent. */
	struct rp_sched_worker sv;
	double softirq_share;
};

struct rp_cmp_round {
	int index; /* run order, 0-based */
	int round; /* repetition, 0-based */
	int setting; /* index into settings */
	int status; /* the run's exit status; 0 complete */
	double elapsed_s;
	double v[RP_NCM]; /* NaN: not measured */
	int nworkers;
	struct rp_cmp_worker *workers; /* owned */
};

struct rp_compare_report {
	const char *version;
	const struct rp_config *config;
	enum rp_compare what;
	int repeat;
	int nsettings;
	struct rp_cmp_setting settings[RP_CMP_MAX_SETTINGS]; /* [0]: baseline */
	int nrounds; /* done so far, at most nsettings * repeat */
	struct rp_cmp_round *rounds;
	enum rp_backend backend; /* of the last round */
	bool interrupted;
	double load[2]; /* 1-minute load average before and after; < 0: unknown */
	long ncpus_online;
};

const char *compare_name(enum rp_compare c);
/* The settings compared, baseline first; returns how many. rt is the
 * real-time policy of the "rr" arm (RP_SCHED_RR or RP_SCHED_FIFO). */
int compare_settings(enum rp_compare c, bool affinity, enum rp_sched rt,
		     struct rp_cmp_setting out[RP_CMP_MAX_SETTINGS]);
/* Which setting runs at position i of round r: rotated by one each round,
 * so every setting runs early and late alike. */
int compare_order(int round, int i, int nsettings);
/* The round's figures from a finished run's report (report_totals done);
 * allocates out->workers. */
int compare_round_from_report(const struct rp_report *r, struct rp_cmp_round *out);
void compare_report_free(struct rp_compare_report *c);

/* Metric names for JSON ("send_user_ns") and text ("send user us"). */
const char *compare_metric_key(int m);

int compare_text(FILE *out, const struct rp_compare_report *c);
int compare_json(FILE *out, const struct rp_compare_report *c);

#endif /* REQPERF_REPORT_COMPARE_H */
