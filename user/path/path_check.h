/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Conservation along the path: the same quantity (bytes each way, data
 * segments each way) as each view measured it — the client's calls, the
 * client's kernel, the wire where the sender let go of it and where the
 * receiver took it, the server's kernel and the server's own counters.
 * Pure: unit tested on hand-made inputs.
 */
#ifndef REQPERF_PATH_CHECK_H
#define REQPERF_PATH_CHECK_H

#include <stdbool.h>
#include <stdint.h>

enum rp_view {
	RP_VIEW_CLIENT_USER,
	RP_VIEW_CLIENT_KERNEL,
	RP_VIEW_WIRE_TX, /* leaving the sender's interface */
	RP_VIEW_WIRE_RX, /* entering the receiver's (veth only) */
	RP_VIEW_SERVER_KERNEL,
	RP_VIEW_SERVER_USER,
	RP_NVIEWS,
};

enum {
	RP_PATH_C2S = 0,
	RP_PATH_S2C = 1
};

/* What each view measured; a view left out has its have flag false. Wire
 * bytes are net of retransmissions; data segments count every
 * transmission, as TCP's own counters do. */
struct rp_path_inputs {
	bool have_bytes[RP_NVIEWS];
	uint64_t bytes[RP_NVIEWS][2];
	bool have_segs[RP_NVIEWS][2]; /* per direction: after a loss only the
					 sender's side of a direction counts */
	uint64_t segs[RP_NVIEWS][2];
};

struct rp_path_check {
	const char *what; /* "bytes c->s", ... */
	bool have[RP_NVIEWS];
	uint64_t v[RP_NVIEWS];
	bool ok; /* every view that measured it agrees */
};

#define RP_PATH_NCHECKS 4

extern const char *const rp_view_names[RP_NVIEWS]; /* JSON keys */

/* Fills out[] (bytes c->s, bytes s->c, data segments c->s, s->c); returns
 * the number of checks. */
int path_checks(const struct rp_path_inputs *in, struct rp_path_check out[RP_PATH_NCHECKS]);
/* The index in path_checks()' out[] of the check whose what is key (as a
 * report's JSON carries it), or -1. */
int path_check_index(const char *key);
/* All checks agree. */
bool path_ok(const struct rp_path_inputs *in);

#endif
