/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One worker process: pinned, SCHED_RR, non-blocking send/recv, timed. */
#ifndef REQPERF_WORKER_H
#define REQPERF_WORKER_H

#include "worker_ctx.h"

/* Runs in the forked child; returns the process exit status. */
int worker_main(const struct worker_ctx *w);

#endif /* REQPERF_WORKER_H */
