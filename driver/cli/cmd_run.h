/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef REQPERF_CMD_RUN_H
#define REQPERF_CMD_RUN_H

#include <argp.h>

int cmd_run(int argc, char **argv);
/* Its options, for --help and the manual (cli_doc.h). */
extern const struct argp cmd_run_argp;

#endif
