/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Processes by name: /proc read once, for --server-comm. */
#ifndef REQPERF_PROCFIND_H
#define REQPERF_PROCFIND_H

#include <stddef.h>
#include <sys/types.h>

/* Fills pids with up to max processes (tgids) whose comm is name, in
 * ascending order, leaving out self (our own process: a reqperf server
 * traced by name is never the driver); returns how many matched (may
 * exceed max), -1 when /proc cannot be read. dir is "/proc" except in
 * tests. */
int procfind_comm(const char *dir, const char *name, pid_t self, pid_t *pids, int max);

#endif
