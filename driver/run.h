/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One measurement run: tracer, sink, workers, report. */
#ifndef REQPERF_RUN_H
#define REQPERF_RUN_H

#include "config.h"

/* Returns the process exit status: 0 complete, 1 failed or partial. */
int run_main(struct rp_config *cfg);

#endif
