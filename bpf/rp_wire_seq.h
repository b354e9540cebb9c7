/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One direction's TCP sequence space at one place on the path: which of a
 * packet's payload bytes are new and which lie below the highest sequence
 * number already seen there. Pure arithmetic, shared by rp_wire.bpf.c and
 * the unit tests.
 */
#ifndef REQPERF_WIRE_SEQ_H
#define REQPERF_WIRE_SEQ_H

#include "rp_wire.h"

/*
 * A packet starting at seq with plen payload bytes (syn, fin: its flags).
 * Bytes that move nxt forward are new (new_bytes); a packet starting below
 * nxt is counted in retrans_packets and its bytes below nxt in
 * retrans_bytes. The sender's egress sees retransmissions there; a
 * receiver's ingress also sees reordering: a late packet fills a hole whose
 * bytes were already counted as new when nxt jumped over it, so new_bytes
 * is each byte once whatever the order.
 */
static inline void rp_wire_seq_step(struct rp_wire_cnt *c, struct rp_wire_seq *s, __u32 seq,
				    __u32 plen, int syn, int fin)
{
	__u32 len = plen + !!(syn || fin);
	__s32 below, ahead;

	if (!len)
		return;
	/* A SYN starts the direction's sequence space afresh: a 4-tuple used
	 * again after TIME_WAIT must not inherit the old connection's. */
	if (!s->seen || syn) {
		s->seen = 1;
		s->nxt = seq + len;
		c->new_bytes += plen;
		return;
	}
	below = (__s32)(s->nxt - seq);
	if (below > 0 && plen) {
		c->retrans_packets++;
		c->retrans_bytes += (__u32)below < plen ? (__u32)below : plen;
	}
	ahead = (__s32)(seq + plen - s->nxt);
	if (ahead > 0)
		c->new_bytes += (__u32)ahead;
	if ((__s32)(seq + len - s->nxt) > 0)
		s->nxt = seq + len;
}

#endif
