/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The worker's scheduler window around its I/O phase: the kernel counts
 * the worker's switches, migrations and softirqs only while it is open,
 * and the worker's own getrusage() reads bracket it for the cross-check.
 */
#ifndef REQPERF_SCHED_WINDOW_H
#define REQPERF_SCHED_WINDOW_H

#include "worker_ctx.h"

/* Right before the I/O phase's first call; fills r's window fields. */
void sched_window_open(const struct worker_ctx *w, struct worker_result *r);
/* Right after its last call. */
void sched_window_close(const struct worker_ctx *w, struct worker_result *r);

#endif
