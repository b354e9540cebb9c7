/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The worker's side of request latency and of the --rate schedule: each
 * connection keeps a ring of the send times of its requests in flight,
 * written when a request's first byte goes out and read when its response
 * completes. Allocated once before the run; no syscall and no allocation
 * per request.
 */
#ifndef REQPERF_LAT_IO_H
#define REQPERF_LAT_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "latency.h"
#include "progress.h"

struct io;
struct conn;

struct lat_io {
	struct rp_lat_result *res; /* NULL: latency off */
	uint32_t mask; /* ring size - 1 */
	bool rate;
	struct rp_live *live; /* NULL: no progress wanted */
	uint64_t next_publish_ns;
};

/* Per connection. */
struct lat_conn {
	uint64_t *sent_ns; /* ring: request i's first-byte time at [i & mask] */
	uint64_t *held_ns; /* ring: when request i's last byte was written, if
			    * some of it stayed unsent then; else 0 */
	struct rp_sched_slot slot; /* --rate */
	uint64_t freed_ns; /* --rate: when a response last made room */
};

/* After a send() at t1 that completed the requests before c->sent, done of
 * them: asks the socket how many bytes it still holds unsent and marks the
 * requests those bytes belong to as held (one ioctl per such send). */
void lat_held(struct io *io, struct conn *c, uint64_t done, size_t len, uint64_t t1);
/* Before the run: rings; -1 when out of memory. */
int lat_setup(struct io *io);
/* The I/O phase starts at start_ns: the schedule is laid out. */
void lat_start(struct io *io, uint64_t start_ns);
/* A send() that began at t0 moved c from started0 requests begun to now. */
void lat_sent(struct io *io, struct conn *c, uint64_t started0, uint64_t t0);
/* A recv() that returned at t1 completed responses answered0.. on c. */
void lat_done(struct io *io, struct conn *c, uint64_t answered0, uint64_t t1);
/* --rate: may c begin its next request now? (always true without it) */
bool lat_may_send(const struct io *io, const struct conn *c, uint64_t now);
/* --rate: at most this many of k requests are due now. */
uint64_t lat_due_cap(const struct io *io, const struct conn *c, uint64_t k, uint64_t now);
/* --rate: the earliest slot a ready connection waits for; UINT64_MAX none. */
uint64_t lat_next_slot(const struct io *io);
/* Publishes progress when due (a TCP_INFO read per connection every ~100 ms). */
void lat_publish(struct io *io, uint64_t now, bool force);
/* The I/O phase ended: counts slots that never got a request; frees. */
void lat_finish(struct io *io);

/* Requests of c whose first byte went out. */
uint64_t lat_started(const struct conn *c);

#endif /* REQPERF_LAT_IO_H */
