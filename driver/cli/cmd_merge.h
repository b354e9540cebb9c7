/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef REQPERF_CMD_MERGE_H
#define REQPERF_CMD_MERGE_H

#include <argp.h>

/* reqperf merge A.json B.json ...: one report of several hosts' runs. */
int cmd_merge(int argc, char **argv);
/* Its options, for --help and the manual (cli_doc.h). */
extern const struct argp cmd_merge_argp;

#endif
