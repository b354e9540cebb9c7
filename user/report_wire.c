// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Joins the wire view to the run report's other views. */
#include "report_wire.h"

void report_wire_inputs(const struct rp_report *r, struct rp_wire_inputs *in)
{
	bool all = r->nworkers > 0;

	*in = (struct rp_wire_inputs){0};
	for (int d = 0; d < RP_NDIR; d++) {
		in->user_bytes[d] = r->totals.user[d].bytes;
		in->kernel_bytes[d] = r->totals.kernel[d].bytes;
	}
	in->have_kernel = r->totals.has_kernel;
	for (int i = 0; i < r->nworkers; i++) {
		const struct rp_worker_report *w = &r->workers[i];

		in->have_kernel = in->have_kernel && w->has_kernel;
		/* A reconnect's closed socket is outside the TCP_INFO deltas. */
		all = all && !w->error[0] && !w->reconnects;
		in->data_segs[RP_WIRE_C2S] += w->tcp_info.data_segs_out;
		in->data_segs[RP_WIRE_S2C] += w->tcp_info.data_segs_in;
	}
	in->have_tcp_info = all;
	in->have_server = r->has_sink;
	in->server_bytes[RP_WIRE_C2S] = r->sink.bytes_in;
	in->server_bytes[RP_WIRE_S2C] = r->sink.bytes_out;
}

bool report_wire_ok(const struct rp_report *r)
{
	struct rp_wire_check k[RP_WIRE_NCHECKS];
	struct rp_wire_inputs in;
	int n;

	if (!r->wire.on)
		return true;
	report_wire_inputs(r, &in);
	n = wire_checks(&r->wire, &in, k);
	for (int i = 0; i < n; i++)
		if (!k[i].ok)
			return false;
	return true;
}

void report_wire_text(FILE *out, const struct rp_report *r)
{
	struct rp_wire_inputs in;

	report_wire_inputs(r, &in);
	wire_report_text(out, &r->wire, &in);
}

void report_wire_json(struct json_writer *j, const struct rp_report *r)
{
	struct rp_wire_inputs in;

	report_wire_inputs(r, &in);
	wire_report_json(j, &r->wire, &in);
}
