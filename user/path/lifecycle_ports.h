/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The lifecycle join's connections (lifecycle.c) and their index by client
 * port: server records and packets name a connection only by that. */
#ifndef REQPERF_LIFECYCLE_PORTS_H
#define REQPERF_LIFECYCLE_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One TCP connection: a worker connection index while its client port
 * stays the same. Stream positions are offsets from the bases. */
struct lc_conn {
	int worker;
	uint16_t conn, cport;
	bool have_c2s, have_s2c;
	uint32_t c2s_base, s2c_base;
	uint64_t c2s_end; /* request bytes the client sent */
	uint64_t s2c_end; /* response bytes placed so far */
	uint64_t nresp;
	size_t r0, r1; /* its responses in the sorted array */
};
/* A connection by its client port, for the records that name only that. */
struct lc_port {
	uint16_t cport;
	uint32_t cid;
};

/* The n connections sorted by client port (then in the order they began),
 * so a record finds its port's few connections in O(log n); free() it.
 * NULL when out of memory. */
struct lc_port *lc_ports_index(const struct lc_conn *conns, size_t n);
/* The connection (its index in conns) a server record or a packet names
 * by its client port: of that port's connections, the first whose stream
 * (s2c: the response direction) holds seq; its offset in *off. -1: none
 * (ports may be used again). */
long lc_ports_find(const struct lc_port *byport, const struct lc_conn *conns, size_t n,
		   uint16_t cport, uint32_t seq, bool s2c, uint64_t *off);

#endif
