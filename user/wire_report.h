/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The wire view in the report: what the run's packets looked like on the
 * interfaces they crossed, and the conservation checks that join it to
 * the workers' calls and the sink's counters. Pure: no I/O but FILE
 * output, so the checks are unit tested on hand-made reports.
 */
#ifndef REQPERF_WIRE_REPORT_H
#define REQPERF_WIRE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../bpf/rp_wire.h"

struct rp_wire_report {
	bool on;
	bool loopback; /* one pass (lo egress); else veth, TX and RX */
	char ifaces[64]; /* "lo", "rp-c+rp-s" */
	uint64_t flows; /* connections followed */
	struct rp_wire_slot sum; /* [at][dir], summed over CPUs */
	uint64_t drops[RP_WIRE_NDROPS];
	const char *pcap_path; /* NULL: no capture */
	uint32_t snaplen;
	uint64_t pcap_packets; /* written to the file */
};

/* One counter of struct rp_wire_cnt: its name in JSON and text, where it
 * lives, and what it counts. All of them sum over CPUs and connections. */
struct rp_wire_field {
	const char *name;
	size_t off;
	const char *doc;
};

extern const struct rp_wire_field rp_wire_fields[];
extern const size_t rp_wire_nfields;

static inline uint64_t wire_field(const struct rp_wire_cnt *c, const struct rp_wire_field *f)
{
	return *(const uint64_t *)((const char *)c + f->off);
}

/* Pure: adds one CPU's counters into sum. */
void wire_sum_slot(struct rp_wire_slot *sum, const struct rp_wire_slot *cpu);

/* Payload bytes net of retransmissions: what the sender's application
 * handed over, as the receiver's application should read it. */
uint64_t wire_net_bytes(const struct rp_wire_cnt *c);

/* One conservation check: the same quantity from up to four views; a
 * view that was not measured has have[i] false. */
enum {
	RP_VIEW_CLIENT_USER,
	RP_VIEW_CLIENT_KERNEL,
	RP_VIEW_WIRE_TX, /* leaving the sender */
	RP_VIEW_WIRE_RX, /* entering the receiver (veth only) */
	RP_VIEW_SERVER,
	RP_NVIEWS
};

struct rp_wire_check {
	const char *what; /* "bytes c->s", ... */
	uint64_t v[RP_NVIEWS];
	bool have[RP_NVIEWS];
	bool ok; /* every measured view agrees */
};

/* The quantities the checks compare, gathered by the caller from the
 * report (kept apart so the checks stay testable on their own). */
struct rp_wire_inputs {
	uint64_t user_bytes[2]; /* the workers' send, recv bytes */
	bool have_kernel;
	uint64_t kernel_bytes[2];
	bool have_server;
	uint64_t server_bytes[2]; /* the sink's bytes in, bytes out */
	bool have_tcp_info; /* no reconnects: TCP_INFO deltas cover every byte */
	uint64_t data_segs[2]; /* the workers' TCP_INFO data_segs_out, _in */
};

#define RP_WIRE_NCHECKS 4

/* Pure: fills out[] (bytes and data segments, each direction) and
 * returns the number of checks; all ok when every view agreed. */
int wire_checks(const struct rp_wire_report *w, const struct rp_wire_inputs *in,
		struct rp_wire_check out[RP_WIRE_NCHECKS]);

void wire_report_text(FILE *out, const struct rp_wire_report *w, const struct rp_wire_inputs *in);
struct json_writer;
void wire_report_json(struct json_writer *j, const struct rp_wire_report *w,
		      const struct rp_wire_inputs *in);

#endif /* REQPERF_WIRE_REPORT_H */
