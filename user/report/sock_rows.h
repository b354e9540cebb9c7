/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One traced socket as a report row (`reqperf trace`): its 4-tuple as
 * text and its counters as the kernel kept them. Pure: no maps, no I/O.
 */
#ifndef REQPERF_SOCK_ROWS_H
#define REQPERF_SOCK_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "reqperf.h"

#define RP_ADDR_TEXT 56 /* "[ffff:...:ffff]:65535" */

struct rp_sock_row {
	char local[RP_ADDR_TEXT];
	char remote[RP_ADDR_TEXT];
	uint32_t tgid;
	uint64_t calls[RP_NDIR];
	uint64_t bytes[RP_NDIR];
	uint64_t eagain[RP_NDIR];
	uint64_t untimed[RP_NDIR];
	uint64_t buffer_limited; /* recv filled the buffer, bytes left queued */
	uint64_t partial; /* recv short, nothing left queued */
	uint64_t short_queued; /* recv short, bytes queued */
	uint64_t data_segs_out; /* during the trace (since the entry was made) */
	uint64_t data_segs_in;
	uint64_t retransmits;
	uint32_t snd_cwnd; /* at the last call's return */
	uint32_t srtt_us;
	uint32_t mss;
	int exact; /* 1: first seen before any data moved */
	int closed; /* 1: closed while traced (its last figures) */
};

/* "a.b.c.d:port" or "[v6]:port" of a family/address/port triple. */
void sock_addr_text(char *buf, size_t len, uint32_t family, const uint8_t addr[16], uint16_t port);
void sock_row_from(struct rp_sock_row *r, const struct rp_ksock *k);
struct json_writer;
/* The row as one JSON object (sock_rows_json.c). */
void sock_row_json(struct json_writer *j, const struct rp_sock_row *s);
/* Busiest first: by bytes both ways, then by calls. */
void sock_rows_sort(struct rp_sock_row *rows, size_t n);

#endif /* REQPERF_SOCK_ROWS_H */
