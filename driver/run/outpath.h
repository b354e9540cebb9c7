/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A run's output files (--json, --csv, --events, --svg, --pcap,
 * --timeline): checked before the run starts, opened without following
 * another user's symlink. */
#ifndef REQPERF_OUTPATH_H
#define REQPERF_OUTPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

/* 0, or -1 with one line in err: two outputs on stdout ("-"), two outputs
 * on one file (after resolving links), a directory that does not exist or
 * cannot be written, a symlink the caller does not own. */
int outpath_check(const struct rp_config *c, char *err, size_t cap);

/* True when one of the outputs is "-" (the text report then goes to
 * stderr). */
bool outpath_stdout_taken(const struct rp_config *c);

/* Opens path for writing ("-": stdout). The last component may be a
 * symlink only when the caller owns it. NULL with one line on stderr. */
FILE *outpath_open(const char *path);

/* fclose(), or fflush() for stdout; nonzero on a write error. */
int outpath_close(FILE *f);

#endif
