/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `reqperf run`'s wire view options, an argp child of cmd_run.c. */
#ifndef REQPERF_CMD_WIRE_H
#define REQPERF_CMD_WIRE_H

#include <argp.h>

/* Its input is the struct rp_config being filled. */
extern const struct argp cmd_wire_argp;

#endif
