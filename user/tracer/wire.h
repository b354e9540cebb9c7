/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The wire view's loader: loads rp_wire.bpf.c, attaches it with tcx links
 * (owned by file descriptors: nothing stays attached when the process
 * ends, however it ends) to the interfaces the run's packets cross, and
 * reads its counters back. With --pcap a reader thread writes every
 * followed packet's first bytes to a pcap file (wire_pcap.c).
 */
#ifndef REQPERF_WIRE_VIEW_H
#define REQPERF_WIRE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "wire_report.h"

struct rp_wire;

/* One interface, in a named network namespace (NULL: our own). */
struct rp_wire_if {
	const char *netns;
	const char *ifname;
};

struct rp_wire_opts {
	struct sockaddr_storage server; /* the address the workers connect to */
	bool loopback; /* lo: one egress pass is the whole path */
	struct rp_wire_if ifs[2]; /* lo; or the client's then the sink's veth */
	int nifs;
	uint32_t max_flows; /* connections followed at most */
	const char *pcap_path; /* NULL: no capture */
	uint32_t snaplen; /* bytes captured per packet, 1..RP_WIRE_SNAP_MAX */
	uint64_t packet_events; /* --lifecycle: data packets kept at most; 0: off */
	bool verbose; /* libbpf's log */
};

/* Loads, attaches, starts the pcap writer. Returns 0, or -1 with a
 * one-line reason in err (and nothing attached). */
int wire_open(struct rp_wire **w, const struct rp_wire_opts *o, char *err, size_t errlen);
/* Connections opened by this process's SYNs are followed. */
int wire_add_tgid(struct rp_wire *w, uint32_t tgid);
/* Detaches, finishes the pcap file, fills *out. Returns 0, or -1 (with
 * a one-line reason in err) when the counters or the file could not be
 * read or written; *out is filled as far as it could be. */
int wire_finish(struct rp_wire *w, struct rp_wire_report *out, char *err, size_t errlen);
/* --lifecycle: the data packets recorded, in arrival order (valid until
 * wire_close; complete after wire_finish), and how many were not kept
 * (over the limit; a full ring is counted in the report's drops). */
const struct rp_wire_pev *wire_packets(const struct rp_wire *w, size_t *n, uint64_t *over);
/* NULL-safe; releases everything. */
void wire_close(struct rp_wire *w);

#endif /* REQPERF_WIRE_VIEW_H */
