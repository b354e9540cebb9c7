/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One measurement run: tracer, sink, workers, report. */
#ifndef REQPERF_RUN_H
#define REQPERF_RUN_H

#include <stdbool.h>

#include "config.h"
#include "report.h"

/* Returns the process exit status: 0 complete, 1 failed or partial. */
int run_main(struct rp_config *cfg);

/* Gets the finished report of run_once() before it is freed; < 0 fails
 * the run. */
typedef int (*run_done_fn)(const struct rp_report *rep, void *arg);
/* One run (tracer, sink, workers, report) handing its report to done
 * instead of writing it; the exit status as run_main's. */
int run_once(struct rp_config *cfg, run_done_fn done, void *arg);
/* Ctrl-C or SIGTERM was received. */
bool run_interrupted(void);

#endif
