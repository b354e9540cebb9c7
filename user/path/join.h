/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * reqperf join: a client run's report and a server-side `reqperf trace
 * --json`, taken apart on two hosts, joined into one path view. Every
 * client connection is matched with the server socket whose local
 * address is the client's remote and whose remote is the client's local
 * (the 4-tuple seen from the other end); the matched sockets' sums become
 * the path's "server kernel" view. Pure: parsed figures in, checks out.
 */
#ifndef REQPERF_JOIN_H
#define REQPERF_JOIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "path_check.h"
#include "sock_rows.h"

struct json_writer;

/* One socket as either report gives it ("connections" / "sockets"). */
struct rp_join_sock {
	char local[RP_ADDR_TEXT];
	char remote[RP_ADDR_TEXT];
	uint64_t calls[2]; /* [RP_SEND], [RP_RECV] */
	uint64_t bytes[2];
	uint64_t segs_out, segs_in; /* data segments */
	uint64_t retransmits;
	bool exact;
};

struct rp_join {
	struct rp_path_inputs in; /* client views and wire filled by the caller */
	uint64_t conns; /* the run's connections */
	uint64_t matched;
	uint64_t conn_differ; /* matched, but its bytes differ either way */
	uint64_t server_socks; /* in the trace */
	uint64_t other_socks; /* the trace's sockets no connection matched */
	char first_unmatched[RP_ADDR_TEXT * 2 + 8];
	char first_differ[RP_ADDR_TEXT * 2 + 8];
};

/*
 * Matches client c[0..nc) with server s[0..ns) (each server socket used
 * once) and fills j's server-kernel view: bytes when every connection was
 * matched, data segments when moreover every matched socket was seen from
 * its start (exact); a retransmission on either end keeps only the
 * senders' segments (as the run's own path does). j->in's client views
 * are left as the caller set them. -1: out of memory, j unusable.
 */
int join_match(struct rp_join *j, const struct rp_join_sock *c, size_t nc,
	       const struct rp_join_sock *s, size_t ns);
/* 0: every connection matched and every view agrees; 1: a connection was
 * not found; 3: the views disagree. */
int join_verdict(const struct rp_join *j);
void join_print_text(FILE *out, const struct rp_join *j, const char *run, const char *trace);
void join_write_json(struct json_writer *w, const struct rp_join *j, const char *run,
		     const char *trace);

#endif
