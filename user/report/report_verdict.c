// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The report's verdicts (report_verdict.h): pure reads of the model. */
#include <string.h>

#include "report_verdict.h"

void report_bytes_check(const struct rp_report *r, int dir, struct rp_bytes_check *c)
{
	const struct rp_totals *t = &r->totals;

	memset(c, 0, sizeof(*c));
	c->user = t->user[dir].bytes;
	c->kernel = t->kernel[dir].bytes;
	c->has_kernel = t->has_kernel;
	c->has_sink = r->has_sink;
	c->sink = dir == RP_SEND ? r->sink.bytes_in : r->sink.bytes_out;
	for (int i = 0; i < r->nworkers; i++)
		if (r->workers[i].has_kernel)
			c->traced += r->workers[i].user[dir].bytes;
	c->checked = c->has_kernel || c->has_sink;
	c->equal =
		(!c->has_kernel || c->kernel == c->traced) && (!c->has_sink || c->sink == c->user);
}

bool report_segs_match(const struct rp_worker_report *w)
{
	return w->ktcp.data_segs_out == w->tcp_info.data_segs_out &&
	       w->ktcp.data_segs_in == w->tcp_info.data_segs_in;
}

static void add_tally(struct rp_recv_tally *d, const struct rp_recv_tally *s)
{
	d->calls += s->calls;
	d->responses += s->responses;
	for (int o = 0; o < RP_NRO; o++)
		d->outcome[o] += s->outcome[o];
	d->multi_calls += s->multi_calls;
}

static void worker_verdict(const struct rp_worker_report *w, struct rp_verdict *v)
{
	const struct rp_sched_worker *s = &w->sched_view;
	struct rp_extra_recv x;

	report_extra_recv(w, &x);
	add_tally(&v->recv, &w->recv);
	v->extra.has_kernel = v->extra.has_kernel || x.has_kernel;
	v->extra.k_short_empty += x.k_short_empty;
	v->extra.k_full_queued += x.k_full_queued;
	v->body_bytes += w->body_bytes;
	v->segs_out += w->tcp_info.data_segs_out;
	v->segs_in += w->tcp_info.data_segs_in;
	v->retrans += w->tcp_info.total_retrans;
	v->failed_workers += w->error[0] != '\0';
	v->warned_workers += w->warning[0] != '\0';
	if (!w->has_kernel)
		return;
	v->kernel_workers++;
	v->segs_differ += !report_segs_match(w);
	v->segs_late += w->ktcp.inexact > 0;
	if (s->has_kernel && s->has_rusage) {
		v->sched_checked++;
		v->sched_differ += !sched_rusage_agrees(s);
	}
}

void report_verdict(const struct rp_report *r, struct rp_verdict *v)
{
	const struct rp_sink_counters *s = &r->sink;

	memset(v, 0, sizeof(*v));
	for (int d = 0; d < RP_NDIR; d++)
		report_bytes_check(r, d, &v->bytes[d]);
	for (int i = 0; i < r->nworkers; i++)
		worker_verdict(&r->workers[i], v);
	recv_arith(&v->recv, &v->extra.a);
	for (int i = 0; i < RP_NDROPS; i++)
		v->drops += r->drops[i];
	if (r->has_sink)
		v->sink_trouble =
			s->bad_requests + s->too_large + s->rejected + s->errors + s->timeouts;
}
