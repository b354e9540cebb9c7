/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef REQPERF_CMD_JOIN_H
#define REQPERF_CMD_JOIN_H

#include <argp.h>

/* reqperf join RUN.json TRACE.json: a run and a server-side trace, one
 * path view. */
int cmd_join(int argc, char **argv);
extern const struct argp cmd_join_argp;

#endif
