/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One measurement run: tracer, sink, workers, report. */
#ifndef REQPERF_RUN_H
#define REQPERF_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "report.h"

/* Exit 3: the run completed without error, but its bytes disagree across
 * user, kernel and sink (the integrity line says DIFFER), e.g. another
 * process sent requests to the embedded sink during the run. */
#define RP_EXIT_DIFFER 3

/* Returns the process exit status: 0 complete, 1 failed or partial,
 * RP_EXIT_DIFFER when the byte checks disagree. */
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
