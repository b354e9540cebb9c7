/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `reqperf run --start-at`: the start barrier of runs on several client
 * hosts, an argp child of cmd_run.c (docs/scale.md). */
#ifndef REQPERF_CMD_START_H
#define REQPERF_CMD_START_H

#include <argp.h>

/* Its input is the struct rp_config being filled. */
extern const struct argp cmd_start_argp;

#endif
