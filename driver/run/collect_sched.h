/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The scheduler view of a finished run: workers' windows + kernel maps. */
#ifndef REQPERF_COLLECT_SCHED_H
#define REQPERF_COLLECT_SCHED_H

#include <stddef.h>

#include "report.h"
#include "tracer.h"
#include "worker_ctx.h"

/* Fills rep->workers[i].sched from res[i] (when got[i]) and, with a
 * tracer that has the scheduler view, the kernel's figures per worker and
 * per CPU. Free with report_sched_free(). */
void collect_sched(struct rp_report *rep, struct rp_tracer *t, const struct worker_result *res,
		   const size_t *got);

#endif
