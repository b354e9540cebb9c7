/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The run's client connections as the kernel view saw them (4-tuples and
 * per-socket counters), for the JSON report's "connections" and for
 * `reqperf join`, which matches them with a server-side trace.
 */
#ifndef REQPERF_RUN_CONNS_H
#define REQPERF_RUN_CONNS_H

#include "sock_rows.h"
#include "tracer.h"

/* Every socket of worker slots 0..n-1, live and closed, as rows in *out
 * (malloc'd, free it); returns the count, or -1. */
int run_conns_collect(struct rp_tracer *t, int n, struct rp_sock_row **out);

#endif
