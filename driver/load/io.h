/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The worker's I/O phase: set up, then the epoll loop with per-call timing. */
#ifndef REQPERF_IO_H
#define REQPERF_IO_H

#include <signal.h>

#include "io_state.h"

/* Fills *io for worker w (its connections' quotas, the receive buffer,
 * epoll, the protocol's per-connection state); stop is the flag a signal
 * sets. Returns 0, or -1 (out of memory): io_free it either way. */
int io_setup(struct io *io, const struct worker_ctx *w, struct worker_result *r,
	     volatile sig_atomic_t *stop);
void io_free(struct io *io);

/* The whole I/O phase; fills io->res. Returns 0 when every request was
 * answered without error. */
int io_run(struct io *io);

#endif /* REQPERF_IO_H */
