/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `reqperf run --compare`: the same workload under alternating settings. */
#ifndef REQPERF_COMPARE_H
#define REQPERF_COMPARE_H

#include "config.h"

#define RP_COMPARE_DEFAULT_REPEAT 5
#define RP_COMPARE_MAX_REPEAT 50

/* Runs cfg->repeat rounds of every setting of cfg->compare and prints
 * one table (and --json). Returns 0 when every round was complete. */
int compare_main(struct rp_config *cfg);

#endif
