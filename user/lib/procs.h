/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Bounded waits for child processes: nothing is left behind. */
#ifndef REQPERF_PROCS_H
#define REQPERF_PROCS_H

#include <sys/types.h>

/* Waits up to timeout_ms for every pid in pids (0 entries are skipped);
 * the ones still alive then get SIGKILL and are reaped. Reaped entries are
 * set to 0. status (may be NULL) receives the last child's wait status.
 * Returns 0 when all exited on their own, -1 when some had to be killed. */
int procs_reap(pid_t *pids, int n, int timeout_ms, int *status);

#endif
