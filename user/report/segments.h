/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Segments per message, both directions, against the minimum a message
 * needs (ceil(bytes / the sender's MSS)), with the counters that explain
 * the difference: the sink's short reads and split writes, the client's
 * short sends, and (with a kernel view) what held the client's sends.
 * Pure: a report in, figures and one sentence out.
 */
#ifndef REQPERF_SEGMENTS_H
#define REQPERF_SEGMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

/* One direction: out = client to sink (requests), in = sink to client. */
struct rp_seg_dir {
	bool known; /* segments and MSS were read */
	uint64_t segs; /* data segments, the workers' TCP_INFO */
	uint64_t messages; /* requests (out) or responses (in) */
	uint64_t bytes; /* payload bytes of those messages */
	uint32_t mss; /* the sender's send MSS */
	const char *mss_from; /* "client tcp_info", "sink tcp_info", ... */
	uint64_t per_msg; /* ceil(bytes per message / mss) */
	uint64_t min; /* messages * per_msg: each message on its own */
	uint64_t stream_min; /* ceil(bytes / mss): all of them as one stream */
	int64_t beyond; /* segs - min */
};

struct rp_segments {
	bool known;
	bool echo;
	struct rp_seg_dir out, in;
	/* causes */
	bool has_sink;
	uint64_t sink_short_reads; /* echo: a recv returned part of a message */
	uint64_t sink_split_writes; /* messages the sink wrote in 2+ calls */
	uint64_t sink_send_calls;
	uint64_t client_short_sends; /* the workers' send() returned short */
	uint64_t client_send_calls; /* that wrote bytes */
	bool nodelay;
	/* What held bytes unsent at each send's return, read by the kernel
	 * view (enum rp_hold): the workers' sends (out), the traced server's
	 * (in); has_*: that sender had a kernel view. */
	bool has_held_out, has_held_in;
	uint64_t held_out[RP_NHOLDS], held_in[RP_NHOLDS];
	char why[640]; /* the answer, one sentence per direction */
};

/* enum rp_hold i's name (rp_holds_family, holds_schema.c), as JSON keys
 * and in the text: "none" (nothing stayed unsent), "autocork", "cwnd",
 * "rwnd", "cork", "nagle", "tsq", "other"; "unknown" outside the enum. */
const char *hold_name(int i);

void report_segments(const struct rp_report *r, struct rp_segments *s);

#endif /* REQPERF_SEGMENTS_H */
