/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Turns the workers' results (and the kernel's counters) into a report. */
#ifndef REQPERF_COLLECT_H
#define REQPERF_COLLECT_H

#include "report.h"
#include "worker_ctx.h"

/* The user-side half of one worker's report. */
void collect_worker(struct rp_worker_report *w, const struct worker_result *r,
		    const struct rp_config *cfg);
/* Wall time of the I/O phase: first start to last end, over the workers. */
double collect_elapsed(const struct worker_result *res, const size_t *got, int n);

/* The run's request latency: the workers' histograms merged. */
void collect_latency(struct rp_report *rep, const struct worker_result *res, const size_t *got,
		     int n);

#endif
