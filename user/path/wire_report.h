/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The wire view in the report: what the run's packets looked like on the
 * interfaces they crossed (report_path.c joins it to the other views).
 * No I/O but FILE output, so it is unit tested on hand-made reports.
 */
#ifndef REQPERF_WIRE_REPORT_H
#define REQPERF_WIRE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rp_wire.h"

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

/* The counters of struct rp_wire_cnt and the drops: rp_wire_family and
 * rp_wire_drops_family (schema.h, wire_schema.c). */

/* Pure: adds one CPU's counters into sum. */
void wire_sum_slot(struct rp_wire_slot *sum, const struct rp_wire_slot *cpu);

/* Payload bytes net of retransmissions: what the sender's application
 * handed over, as the receiver's application should read it. */
uint64_t wire_net_bytes(const struct rp_wire_cnt *c);

/* The counters per place and direction, drops, the pcap file. */
void wire_report_text(FILE *out, const struct rp_wire_report *w);
struct json_writer;
void wire_report_json(struct json_writer *j, const struct rp_wire_report *w);

#endif /* REQPERF_WIRE_REPORT_H */
