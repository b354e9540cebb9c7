/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Progress while a run goes: each worker publishes its counts and its
 * latency histogram in shared memory (plain stores, no syscall); the
 * driver reads them every interval and prints one line (--interval), or a
 * live line on a terminal, and keeps the series for the JSON report.
 */
#ifndef REQPERF_PROGRESS_H
#define REQPERF_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "latency.h"
#include "report.h"

/* One worker's published state; written by the worker only. */
struct rp_live {
	uint64_t responses;
	uint64_t errors;
	uint64_t retrans; /* TCP_INFO total_retrans, sampled every ~100 ms */
	uint64_t hist[RP_HIST_BUCKETS]; /* latency, as rp_stats.hist */
};

#define RP_LIVE_PUBLISH_NS 100000000ull /* the worker's counters refresh */
#define RP_LIVE_TTY_AFTER_NS 2000000000ull /* a live line after 2 s */

struct progress {
	const struct rp_config *cfg;
	struct rp_live *live; /* shared, one per worker; NULL: off */
	int nworkers;
	bool tty; /* live line on stderr */
	bool shown; /* a live line is on screen */
	uint64_t start_ns;
	uint64_t next_ns;
	uint64_t prev_responses;
	double prev_t; /* the last sample's t_s: live lines keep no series */
	uint64_t *prev_hist; /* the last interval's end */
	uint64_t *hist; /* scratch: the sum now */
	struct rp_interval *series;
	size_t n, cap;
};

/* Maps the shared area when progress is wanted; 0, or -1 with a message. */
int progress_open(struct progress *p, const struct rp_config *cfg, int nworkers);
/* CLOCK_MONOTONIC ns, the workers' clock. */
uint64_t progress_now(void);
/* The clock starts (the workers were released). */
void progress_start(struct progress *p, uint64_t now_ns);
/* Called often while the run goes; prints when an interval ended. */
void progress_tick(struct progress *p, uint64_t now_ns);
/* Clears a live line, hands the series to rep (owned by p). */
void progress_finish(struct progress *p, struct rp_report *rep);
void progress_close(struct progress *p);

#endif /* REQPERF_PROGRESS_H */
