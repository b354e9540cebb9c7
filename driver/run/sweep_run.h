/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* --sweep-loss: the same workload over loss x MTU settings (user/compare/sweep.h). */
#ifndef REQPERF_SWEEP_RUN_H
#define REQPERF_SWEEP_RUN_H

#include "config.h"

/* Runs every round, prints the table (and --sweep-svg). Returns 0 when
 * every round was complete, 1 otherwise, 2 for a bad list. */
int sweep_main(struct rp_config *cfg);

#endif
