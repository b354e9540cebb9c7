/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `reqperf run`'s latency, open-loop and progress options, an argp child
 * of cmd_run.c (docs/latency.md). */
#ifndef REQPERF_CMD_LATENCY_H
#define REQPERF_CMD_LATENCY_H

#include <argp.h>

/* Its input is the struct rp_config being filled. */
extern const struct argp cmd_latency_argp;

#endif
