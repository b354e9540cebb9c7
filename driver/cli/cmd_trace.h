/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `reqperf trace`: the kernel view of any process's TCP send/recv. */
#ifndef REQPERF_CMD_TRACE_H
#define REQPERF_CMD_TRACE_H

#include <argp.h>

/* argv[0] names the command in messages. Returns the exit status: 0 after
 * a report, 1 when tracing cannot start, 2 on bad options. */
int cmd_trace(int argc, char **argv);
/* Its options, for --help and the manual (cli_doc.h). */
extern const struct argp cmd_trace_argp;

#endif /* REQPERF_CMD_TRACE_H */
