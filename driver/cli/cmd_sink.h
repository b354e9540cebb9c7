/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `reqperf sink`: the standalone HTTP (or echo) sink. */
#ifndef REQPERF_CMD_SINK_H
#define REQPERF_CMD_SINK_H

#include <argp.h>

/* argv[0] is "sink". Returns the process exit status: 0 after a clean stop
 * (SIGINT/SIGTERM), 1 when it cannot listen, 2 on bad options. */
int cmd_sink(int argc, char **argv);
/* Its options, for --help and the manual (cli_doc.h). */
extern const struct argp cmd_sink_argp;

#endif /* REQPERF_CMD_SINK_H */
