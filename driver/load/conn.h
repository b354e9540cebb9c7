/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The worker's TCP connections: opened bounded, closed with TCP_INFO. */
#ifndef REQPERF_CONN_H
#define REQPERF_CONN_H

#include "io_state.h"

/* Opens c (non-blocking, connect bounded by --connect-timeout, in epoll)
 * and resets its protocol state; 0 or -1 (io_error said why). */
int conn_open(struct io *io, struct conn *c);
/* Folds c's TCP_INFO deltas into the result, then closes it. */
void conn_close(struct io *io, struct conn *c);

#endif /* REQPERF_CONN_H */
