/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The per-response lifecycle (--lifecycle): every response followed from
 * the server's write to the client's read, joined by TCP sequence numbers.
 * A response is a known byte range of its connection's server-to-client
 * stream: the worker records where each one ended inside a recv call
 * (struct rp_uresp), the kernel records where that call's bytes start
 * (rp_event.seq); the server's writes (their write_seq), the wire's data
 * packets (their sequence numbers) and the client's recv calls (their
 * copied_seq) are then placed in the same stream and matched by overlap.
 * The request it answers is the same ordinal on the client-to-server
 * stream. Pure: arrays in, records and percentiles out, no I/O.
 */
#ifndef REQPERF_LIFECYCLE_H
#define REQPERF_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "events.h"
#include "rp_wire.h"

#define RP_LC_SIZES 8 /* payload sizes kept per response and place */

/* One worker's calls: user records and (joined, same order) kernel ones. */
struct rp_lc_worker {
	int id;
	const struct rp_uevent *u;
	const struct rp_event *k; /* NULL: no kernel records */
	size_t n; /* calls in u and k */
	const struct rp_uresp *resp; /* response ends, in call order */
	size_t nresp;
};

struct rp_lc_input {
	int nworkers;
	const struct rp_lc_worker *w;
	uint32_t request_len; /* bytes of one request (echo: the message) */
	const struct rp_event *srv; /* the server's kernel records, or NULL */
	size_t nsrv;
	bool wire; /* packets were recorded (--wire) */
	const struct rp_wire_pev *pkt; /* data packets, in arrival order */
	size_t npkt;
	bool loopback; /* one place (lo egress): TX is also the arrival */
};

/* The packets of one response at one place. */
struct rp_lc_pkts {
	uint32_t packets; /* first transmissions carrying any of its bytes */
	uint32_t segs; /* their gso_segs */
	uint64_t bytes; /* of its bytes those carried (excluding retransmissions) */
	uint32_t retrans; /* packets carrying its bytes again */
	uint32_t nsizes; /* sizes[] filled: the first RP_LC_SIZES packets' payloads */
	uint32_t sizes[RP_LC_SIZES];
	uint64_t first_ns, last_ns; /* 0: none */
};

/* One response's lifecycle. Times are CLOCK_MONOTONIC ns; 0 is unknown. */
struct rp_lc {
	int worker;
	uint16_t conn; /* the worker's connection index */
	uint16_t cport; /* the client's port: the TCP connection */
	bool lo; /* one place: tx is also the arrival */
	uint64_t index; /* the response's number on that connection index */
	uint64_t tcp_index; /* ... on this TCP connection (the request's too) */
	uint64_t off; /* its first byte's offset in the server-to-client stream */
	uint64_t bytes;
	/* the request it answers */
	uint64_t req_send_ns; /* user: start of the send() carrying its first byte */
	uint64_t req_read_ns; /* server kernel: end of the recv() that read its last byte */
	/* the server's writes carrying it */
	uint32_t writes;
	uint64_t write_bytes; /* of its bytes in them */
	uint64_t write_ns; /* kernel start of the write carrying its first byte */
	uint64_t write_end_ns; /* kernel end of the write carrying its last byte */
	uint32_t write_skbs; /* skbs those writes filled (shared ones count for each) */
	uint32_t size_goal; /* of the write carrying its first byte */
	/* the wire: leaving the server (tx) and arriving at the client (rx; on
	 * lo one egress pass is both) */
	struct rp_lc_pkts tx, rx;
	/* the client's recv calls returning any of its bytes */
	uint32_t recvs;
	uint32_t cls[RP_NCLASSES]; /* per class of those calls */
	uint32_t recv_skbs; /* skbs those calls drained (shared ones count for each) */
	uint64_t first_copy_ns; /* kernel end of the first of them */
	uint64_t last_recv_ns; /* kernel start of the one that completed it */
	uint64_t complete_ns; /* user: return of the recv that completed it */
};

/* The stages summed in the report: the brief's chain from the write on,
 * and the request's latency split into parts that add up to it. */
enum rp_lc_stage {
	RP_LCS_WRITE_WIRE = 0, /* write -> first packet at the server's egress */
	RP_LCS_WIRE, /* first packet -> last packet at the client's ingress */
	RP_LCS_WIRE_COPY, /* last packet -> first copy (negative: copying began first) */
	RP_LCS_COPY_DONE, /* first copy -> response complete */
	RP_LCS_WRITE_DONE, /* write -> complete */
	RP_LCS_REQUEST, /* request send -> the server read it */
	RP_LCS_SERVER, /* read -> response write */
	RP_LCS_TO_WIRE, /* write -> last packet arrived */
	RP_LCS_QUEUE, /* last packet -> the completing recv started */
	RP_LCS_RECV, /* the completing recv -> its return */
	RP_LCS_LATENCY, /* request send -> complete: the sum of the five above */
	RP_LCS_N,
};

struct rp_lc_pct {
	uint64_t n;
	int64_t min, p50, p90, p99, max;
};

struct rp_lc_summary {
	bool on;
	bool wire; /* packets were joined */
	bool loopback;
	uint64_t responses; /* lifecycles built */
	uint64_t complete; /* with every stage known */
	/* invariant checks, each a count of responses failing it */
	uint64_t bad_write_bytes; /* server bytes != size */
	uint64_t bad_tx_bytes; /* packet bytes != size (tx) */
	uint64_t bad_rx_bytes;
	uint64_t unordered; /* stage times out of order */
	uint64_t no_kernel; /* responses whose recv had no kernel record */
	/* what could not be placed */
	uint64_t stray_srv; /* server data calls on no known connection */
	uint64_t stray_pkt; /* data packets on no known connection */
	uint64_t lost; /* records lost upstream (the caller fills it) */
	uint64_t connections; /* TCP connections seen */
	struct rp_lc_pct stage[RP_LCS_N];
};

/*
 * Builds one struct rp_lc per recorded response end (freed by the caller)
 * and the summary. Returns 0, or -1 when out of memory.
 */
int lifecycle_join(const struct rp_lc_input *in, struct rp_lc **out, size_t *n,
		   struct rp_lc_summary *s);

/* Fills s's checks and stage percentiles from the n responses r
 * (lifecycle_stages.c; lifecycle_join calls it). Returns 0, or -1 when
 * out of memory. */
int lifecycle_summarize(struct rp_lc_summary *s, const struct rp_lc *r, size_t n);

/* Every response passed every check, or records were lost upstream (then
 * the checks cannot hold and the report says what was not placed). */
bool lifecycle_ok(const struct rp_lc_summary *s);

/* A stage's value for one response; false when a time it needs is unknown. */
bool lifecycle_stage(const struct rp_lc *r, enum rp_lc_stage st, int64_t *v);
const char *lifecycle_stage_name(enum rp_lc_stage st);
/* Whether one response's times are in the order they must be. */
bool lifecycle_ordered(const struct rp_lc *r);

/* Output (lifecycle_out.c): one JSON line per response, the summary. */
int lifecycle_write_lines(FILE *out, const struct rp_lc *r, size_t n);
void lifecycle_print_text(FILE *out, const struct rp_lc_summary *s);
struct json_writer;
void lifecycle_write_json(struct json_writer *j, const struct rp_lc_summary *s);

#endif /* REQPERF_LIFECYCLE_H */
