/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the worker speaks, as a table of operations the I/O loop calls
 * (wrk's struct sock does the same for its transports): what a request
 * is, what to make of received bytes, and when a connection still owes
 * answers. HTTP (proto.c) and the raw TCP echo (proto_echo.c).
 */
#ifndef REQPERF_PROTO_H
#define REQPERF_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "io_state.h"

struct proto_ops {
	const char *name;
	/* Every request is the same bytes: pipeline mode may write several
	 * in one send(). */
	bool batches;
	/* Per-connection state: made before the run (0 or -1), freed after. */
	int (*conn_setup)(struct io *io, struct conn *c);
	void (*conn_free)(struct conn *c);
	/* A fresh TCP connection (also after a reconnect). */
	void (*reset)(struct conn *c);
	/* The bytes of the request c is writing (c->off of them are out). */
	void (*request)(struct io *io, struct conn *c, const char **buf, size_t *len);
	/* Received bytes: 0, or -1 when c must be dropped (malformed data,
	 * answers nobody asked for). */
	int (*consume)(struct io *io, struct conn *c, const char *buf, size_t len);
	/* c still owes bytes of answers to requests it wrote. */
	bool (*busy)(const struct io *io, const struct conn *c);
	/* Part of an answer is in (an extra answer begun after the run). */
	bool (*partial)(const struct io *io, const struct conn *c);
};

extern const struct proto_ops proto_http;
extern const struct proto_ops proto_echo;

static inline const struct proto_ops *proto_for(const struct rp_config *cfg)
{
	return cfg->echo_size ? &proto_echo : &proto_http;
}

#endif /* REQPERF_PROTO_H */
