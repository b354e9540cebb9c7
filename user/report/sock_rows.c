// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Traced sockets as report rows; pure. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sock_rows.h"

void sock_addr_text(char *buf, size_t len, uint32_t family, const uint8_t addr[16], uint16_t port)
{
	char a[INET6_ADDRSTRLEN] = "?";

	/* A dual-stack server's socket holds the client's IPv4 address
	 * v4-mapped: written as IPv4, as the client's own socket has it. */
	if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)addr)) {
		inet_ntop(AF_INET, addr + 12, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, port);
	} else if (family == AF_INET6) {
		inet_ntop(AF_INET6, addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, port);
	} else {
		inet_ntop(AF_INET, addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, port);
	}
}

void sock_row_from(struct rp_sock_row *r, const struct rp_ksock *k)
{
	memset(r, 0, sizeof(*r));
	sock_addr_text(r->local, sizeof(r->local), k->family, k->saddr, k->sport);
	sock_addr_text(r->remote, sizeof(r->remote), k->family, k->daddr, k->dport);
	r->tgid = k->tgid;
	for (int d = 0; d < RP_NDIR; d++) {
		r->calls[d] = k->calls[d];
		r->bytes[d] = k->bytes[d];
		r->eagain[d] = k->eagain[d];
		r->untimed[d] = k->untimed[d];
	}
	r->buffer_limited = k->full_queued;
	r->partial = k->short_empty;
	r->short_queued = k->short_queued;
	r->data_segs_out = (uint32_t)(k->last_data_segs_out - k->first_data_segs_out);
	r->data_segs_in = (uint32_t)(k->last_data_segs_in - k->first_data_segs_in);
	r->retransmits = k->retransmits;
	r->snd_cwnd = k->snd_cwnd;
	r->srtt_us = k->srtt_us;
	r->mss = k->mss_cache;
	r->exact = (int)k->exact;
}

static int busier_first(const void *a, const void *b)
{
	const struct rp_sock_row *x = a, *y = b;
	uint64_t bx = x->bytes[0] + x->bytes[1], by = y->bytes[0] + y->bytes[1];
	uint64_t cx = x->calls[0] + x->calls[1], cy = y->calls[0] + y->calls[1];

	if (bx != by)
		return bx > by ? -1 : 1;
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return strcmp(x->local, y->local);
}

void sock_rows_sort(struct rp_sock_row *rows, size_t n)
{
	qsort(rows, n, sizeof(*rows), busier_first);
}
