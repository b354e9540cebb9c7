/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The open-file limit (RLIMIT_NOFILE) raised to what a run needs. */
#ifndef REQPERF_FDLIMIT_H
#define REQPERF_FDLIMIT_H

#include <stddef.h>
#include <stdint.h>

/* Descriptors a process opens besides its connections and what it
 * inherits (epoll, pipes, listener), with a margin. */
#define FDLIMIT_RESERVE 32

/*
 * Pure plan: given the current soft and hard limits, the kernel's ceiling
 * (fs.nr_open) and the descriptors needed, the limits to ask for. The soft
 * limit always rises to the hard one; the hard one rises to need only when
 * privileged (CAP_SYS_RESOURCE), never past nr_open.
 */
void fdlimit_plan(uint64_t cur, uint64_t max, uint64_t nr_open, uint64_t need, int privileged,
		  uint64_t *new_cur, uint64_t *new_max);

/* Raises this process's limit for need descriptors (inherited by the
 * processes it forks afterwards). Returns 0, or -1 with one line in err
 * naming the limit when need cannot be met. *got is the soft limit now. */
int fdlimit_raise(uint64_t need, uint64_t *got, char *err, size_t errlen);

/* Descriptors open in this process now (/proc/self/fd); 0 if unknown. */
int fdlimit_open_count(void);

#endif /* REQPERF_FDLIMIT_H */
