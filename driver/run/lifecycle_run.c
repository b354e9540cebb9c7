// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --lifecycle around one run: after the per-call join, hands the workers'
 * calls and response ends, the server's kernel records and the wire's
 * data packets to the pure join (user/path/lifecycle.c), counts what was lost
 * on the way, writes one line per response.
 */
#include <stdio.h>
#include <stdlib.h>

#include "events_run.h"
#include "outpath.h"
#include "tracer.h"
#include "wire.h"

/* Records the join could not see: it places what it has, and says so. */
static uint64_t lost_records(const struct events_run *e, const struct rp_report *rep,
			     uint64_t pkt_over)
{
	uint64_t n = pkt_over;
	int slot = tracer_server_slot(e->tracer);

	for (int i = 0; i < e->sum.nworkers; i++) {
		const struct rp_uev_buf *b = events_run_user(e, i);

		n += b->dropped + b->resp_dropped + e->sum.w[i].lost[RP_EV_KERNEL];
	}
	if (slot >= 0)
		n += tracer_events_lost(e->te, slot);
	if (rep->wire.on)
		n += rep->wire.drops[RP_WIRE_DROP_PKTS];
	return n;
}

int lifecycle_run_finish(struct events_run *e, const struct rp_wire *w, struct rp_report *rep,
			 uint32_t request_len)
{
	int n = e->sum.nworkers, slot = tracer_server_slot(e->tracer), rc;
	struct rp_lc_worker *lw;
	struct rp_lc_input in = {.nworkers = n,
				 .request_len = request_len,
				 .loopback = rep->wire.on && rep->wire.loopback};
	uint64_t over = 0;

	if (!e->lifecycle || !e->sum.w)
		return 0;
	if (!e->te) {
		fprintf(stderr, "reqperf: --lifecycle: no kernel view, no lifecycle written\n");
		outpath_close(e->lifecycle);
		e->lifecycle = NULL;
		return -1;
	}
	lw = calloc((size_t)n, sizeof(*lw));
	if (!lw)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct rp_uev_buf *b = events_run_user(e, i);
		size_t nk;
		const struct rp_event *k = tracer_events_slot(e->te, i, &nk);

		/* The counts are written by the worker processes: never past
		 * the buffer, whatever a worker that died mid-update left. */
		lw[i] = (struct rp_lc_worker){.id = i,
					      .u = b->ev,
					      .n = b->n < b->cap ? b->n : b->cap,
					      .resp = rp_uev_resp(b),
					      .nresp = b->nresp < b->cap ? b->nresp : b->cap};
		/* Only a joined worker's i-th kernel record is its i-th call. */
		if (e->sum.w[i].state == RP_ES_JOINED && nk == lw[i].n)
			lw[i].k = k;
	}
	in.w = lw;
	if (slot >= 0)
		in.srv = tracer_events_slot(e->te, slot, &in.nsrv);
	in.wire = w != NULL;
	if (w)
		in.pkt = wire_packets(w, &in.npkt, &over);
	rc = lifecycle_join(&in, &e->lc, &e->nlc, &e->lc_sum);
	free(lw);
	if (rc < 0) {
		fprintf(stderr, "reqperf: out of memory joining the lifecycle\n");
		return -1;
	}
	e->lc_sum.lost = lost_records(e, rep, over);
	rep->lifecycle = &e->lc_sum;
	rc = lifecycle_write_lines(e->lifecycle, e->lc, e->nlc);
	rc |= outpath_close(e->lifecycle);
	e->lifecycle = NULL;
	if (rc)
		fprintf(stderr, "reqperf: writing %s failed\n", e->cfg->lifecycle_path);
	return rc ? -1 : 0;
}
