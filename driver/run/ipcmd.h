/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* iproute2's `ip`, run as a child with a bounded wait. */
#ifndef REQPERF_IPCMD_H
#define REQPERF_IPCMD_H

#include <stddef.h>

/* Runs argv (argv[0] "ip", NULL-terminated) with the driver's Ctrl-C
 * ignored, so a cleanup is not cut short. Returns 0 when it exits 0 within
 * timeout_ms, else -1 with "`ip ...`: <its first error line>" in err. */
int ipcmd_run(char *const argv[], int timeout_ms, char *err, size_t cap);

/* name's absolute path from /usr/sbin, /sbin, /usr/bin, /bin (first
 * executable one; never PATH), or NULL. A name with a '/' is returned as
 * is. The result lives in a static buffer. */
const char *ipcmd_path(const char *name);

#endif /* REQPERF_IPCMD_H */
