/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One traced socket as a report row (`reqperf trace`): its 4-tuple as
 * text and its counters as the kernel kept them. Pure: no maps, no I/O.
 */
#ifndef REQPERF_SOCK_ROWS_H
#define REQPERF_SOCK_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reqperf.h"

#define RP_ADDR_TEXT 56 /* "[ffff:...:ffff]:65535" */

/* One direction's calls on the socket, as the kernel counted them. */
struct rp_sock_dir {
	uint64_t calls;
	uint64_t bytes;
	uint64_t eagain;
	uint64_t untimed;
	uint64_t full_queued; /* recv only, as the three below */
	uint64_t short_empty;
	uint64_t short_queued;
};

/* The fields are described by rp_sockrow_family and rp_sockdir_family
 * (sock_schema.c): filling a row, its JSON and its text walk them. */
struct rp_sock_row {
	char local[RP_ADDR_TEXT];
	char remote[RP_ADDR_TEXT];
	uint32_t tgid;
	struct rp_sock_dir dir[RP_NDIR];
	uint64_t data_segs_out;
	uint64_t data_segs_in;
	uint64_t retransmits;
	uint32_t snd_cwnd;
	uint32_t srtt_us;
	uint32_t mss;
	int exact;
	int closed;
};

/* "a.b.c.d:port" or "[v6]:port" of a family/address/port triple. */
void sock_addr_text(char *buf, size_t len, uint32_t family, const uint8_t addr[16], uint16_t port);
void sock_row_from(struct rp_sock_row *r, const struct rp_ksock *k);
struct json_writer;
/* The row as one JSON object (sock_rows_json.c). */
void sock_row_json(struct json_writer *j, const struct rp_sock_row *s);
/* Busiest first: by bytes both ways, then by calls. */
void sock_rows_sort(struct rp_sock_row *rows, size_t n);
/* n rows as a text table, a column per labelled field (sock_rows_text.c);
 * returns 0, or -1 when the write failed. */
int sock_rows_text(FILE *out, const struct rp_sock_row *rows, size_t n);

#endif /* REQPERF_SOCK_ROWS_H */
