// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The path: every view of the run's bytes and segments side by side. */
#include <inttypes.h>

#include "json.h"
#include "report_path.h"

static const char *const view_heads[RP_NVIEWS] = {"client user",  "client kernel", "wire sent",
						  "wire arrived", "server kernel", "server user"};

static bool shown(const struct rp_report *r)
{
	return r->server.traced || r->wire.on;
}

static void set(bool *have, uint64_t v[2], bool on, uint64_t c2s, uint64_t s2c)
{
	*have = on;
	v[RP_PATH_C2S] = on ? c2s : 0;
	v[RP_PATH_S2C] = on ? s2c : 0;
}

static void set2(bool have[2], uint64_t v[2], bool on, uint64_t c2s, uint64_t s2c)
{
	set(&have[RP_PATH_C2S], v, on, c2s, s2c);
	have[RP_PATH_S2C] = on;
}

/* No segment was lost, retransmitted or duplicated on the way: then what
 * one end sent is what the other received, segment for segment. */
static bool lossless(const struct rp_report *r)
{
	uint64_t rtx = r->server.ktcp.retransmits;

	for (int i = 0; i < r->nworkers; i++)
		rtx += r->workers[i].tcp_info.total_retrans + r->workers[i].tcp_info.dsack_dups +
		       r->workers[i].ktcp.retransmits;
	for (int d = 0; d < RP_WIRE_NDIR; d++)
		rtx += r->wire.sum.c[RP_WIRE_TX][d].retrans_packets +
		       r->wire.sum.c[RP_WIRE_RX][d].retrans_packets;
	return !rtx && !r->impair.active;
}

/* Otherwise the sender's segments (every transmission) and the receiver's
 * (what arrived) are different figures: each direction keeps only the
 * sender's side and the wire where it left. Bytes stay checked: the wire's
 * are net of retransmissions and duplicates. */
static void receiver_segs_apart(struct rp_path_inputs *in)
{
	in->have_segs[RP_VIEW_WIRE_RX][RP_PATH_C2S] = false;
	in->have_segs[RP_VIEW_WIRE_RX][RP_PATH_S2C] = false;
	in->have_segs[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S] = false; /* it received */
	in->have_segs[RP_VIEW_CLIENT_KERNEL][RP_PATH_S2C] = false; /* it received */
}

void report_path_inputs(const struct rp_report *r, struct rp_path_inputs *in)
{
	const struct rp_wire_report *w = &r->wire;
	const struct rp_server_report *s = &r->server;
	const struct rp_wire_cnt *tx = w->sum.c[RP_WIRE_TX], *rx = w->sum.c[RP_WIRE_RX];
	bool kernel = r->totals.has_kernel, tcp_info = r->nworkers > 0;
	/* A connection not followed or a packet not read: the wire's sums are
	 * short, so they are left out, never compared as if complete. */
	bool wire = w->on && !w->drops[RP_WIRE_DROP_FLOWS] && !w->drops[RP_WIRE_DROP_PARSE];
	uint64_t segs[2] = {0, 0}, client_socks = 0;

	*in = (struct rp_path_inputs){0};
	for (int i = 0; i < r->nworkers; i++) {
		const struct rp_worker_report *k = &r->workers[i];

		kernel = kernel && k->has_kernel;
		/* A reconnect's closed socket is outside the TCP_INFO deltas. */
		tcp_info = tcp_info && !k->error[0] && !k->reconnects;
		segs[RP_PATH_C2S] += k->tcp_info.data_segs_out;
		segs[RP_PATH_S2C] += k->tcp_info.data_segs_in;
		client_socks += k->ktcp.sockets;
	}
	set(&in->have_bytes[RP_VIEW_CLIENT_USER], in->bytes[RP_VIEW_CLIENT_USER], true,
	    r->totals.user[RP_SEND].bytes, r->totals.user[RP_RECV].bytes);
	set(&in->have_bytes[RP_VIEW_CLIENT_KERNEL], in->bytes[RP_VIEW_CLIENT_KERNEL], kernel,
	    r->totals.kernel[RP_SEND].bytes, r->totals.kernel[RP_RECV].bytes);
	set2(in->have_segs[RP_VIEW_CLIENT_KERNEL], in->segs[RP_VIEW_CLIENT_KERNEL], tcp_info,
	     segs[RP_PATH_C2S], segs[RP_PATH_S2C]);
	set(&in->have_bytes[RP_VIEW_WIRE_TX], in->bytes[RP_VIEW_WIRE_TX], wire,
	    wire_net_bytes(&tx[RP_WIRE_C2S]), wire_net_bytes(&tx[RP_WIRE_S2C]));
	set2(in->have_segs[RP_VIEW_WIRE_TX], in->segs[RP_VIEW_WIRE_TX], wire,
	     tx[RP_WIRE_C2S].data_segs, tx[RP_WIRE_S2C].data_segs);
	set(&in->have_bytes[RP_VIEW_WIRE_RX], in->bytes[RP_VIEW_WIRE_RX], wire && !w->loopback,
	    wire_net_bytes(&rx[RP_WIRE_C2S]), wire_net_bytes(&rx[RP_WIRE_S2C]));
	set2(in->have_segs[RP_VIEW_WIRE_RX], in->segs[RP_VIEW_WIRE_RX], wire && !w->loopback,
	     rx[RP_WIRE_C2S].data_segs, rx[RP_WIRE_S2C].data_segs);
	set(&in->have_bytes[RP_VIEW_SERVER_KERNEL], in->bytes[RP_VIEW_SERVER_KERNEL], s->has_kernel,
	    s->kernel[RP_RECV].bytes, s->kernel[RP_SEND].bytes);
	/* Socket counters count from the first call: exact only when every
	 * socket was seen before data moved, and the server's end of every
	 * client connection is in the sums (at 1024 connections 3 server
	 * sockets were once missing, their bytes counted): else left out. */
	set2(in->have_segs[RP_VIEW_SERVER_KERNEL], in->segs[RP_VIEW_SERVER_KERNEL],
	     s->has_kernel && s->ktcp.sockets == client_socks && !s->ktcp.inexact,
	     s->ktcp.data_segs_in, s->ktcp.data_segs_out);
	set(&in->have_bytes[RP_VIEW_SERVER_USER], in->bytes[RP_VIEW_SERVER_USER], r->has_sink,
	    r->sink.bytes_in, r->sink.bytes_out);
	if (!lossless(r))
		receiver_segs_apart(in);
}

bool report_path_ok(const struct rp_report *r)
{
	struct rp_path_inputs in;

	if (!shown(r))
		return true;
	report_path_inputs(r, &in);
	return path_ok(&in);
}

/* ---- text ---- */

static void text_cell(FILE *out, int width, bool have, uint64_t v)
{
	if (have)
		fprintf(out, " %*" PRIu64, width, v);
	else
		fprintf(out, " %*s", width, "-");
}

/* What view v did to move the bytes in direction d: calls, packets,
 * requests or responses; have false when the view did not count them. */
static uint64_t view_ops(const struct rp_report *r, int v, int d, bool *have)
{
	int cd = d == RP_PATH_C2S ? RP_SEND : RP_RECV, sd = d == RP_PATH_C2S ? RP_RECV : RP_SEND;
	const struct rp_wire_cnt *c = r->wire.sum.c[v == RP_VIEW_WIRE_RX ? RP_WIRE_RX : RP_WIRE_TX];

	switch (v) {
	case RP_VIEW_CLIENT_USER:
		*have = true;
		return r->totals.user[cd].calls;
	case RP_VIEW_CLIENT_KERNEL:
		*have = r->totals.has_kernel;
		return r->totals.kernel[cd].calls;
	case RP_VIEW_WIRE_TX:
	case RP_VIEW_WIRE_RX:
		*have = r->wire.on && (v == RP_VIEW_WIRE_TX || !r->wire.loopback);
		return c[d].packets;
	case RP_VIEW_SERVER_KERNEL:
		*have = r->server.has_kernel;
		return r->server.kernel[sd].calls;
	default:
		*have = r->has_sink;
		return d == RP_PATH_C2S ? r->sink.requests : r->sink.responses;
	}
}

/* One row per view, one column per checked figure, then how many
 * operations the view needed; the verdicts under their columns. */
void report_path_text(FILE *out, const struct rp_report *r)
{
	static const char *const heads[RP_PATH_NCHECKS] = {"bytes c>s", "bytes s>c", "segs c>s",
							   "segs s>c"};
	struct rp_path_check k[RP_PATH_NCHECKS];
	struct rp_path_inputs in;
	int n;

	if (!shown(r))
		return;
	report_path_inputs(r, &in);
	n = path_checks(&in, k);
	fprintf(out, "\npath: server %s\n  %-13s", r->server.traced ? r->server.what : "not traced",
		"");
	for (int i = 0; i < n; i++)
		fprintf(out, " %10s", heads[i]);
	fprintf(out, " %8s %8s\n", "ops c>s", "ops s>c");
	for (int v = 0; v < RP_NVIEWS; v++) {
		bool h;
		uint64_t x;

		fprintf(out, "  %-13s", view_heads[v]);
		for (int i = 0; i < n; i++)
			text_cell(out, 10, k[i].have[v], k[i].v[v]);
		for (int d = 0; d < 2; d++) {
			x = view_ops(r, v, d, &h);
			text_cell(out, 8, h, x);
		}
		fputc('\n', out);
	}
	fprintf(out, "  %-13s", "");
	for (int i = 0; i < n; i++)
		fprintf(out, " %10s", k[i].ok ? "equal" : "DIFFER");
	fprintf(out, "\n  (ops: client send/recv calls, wire packets, server recv/send calls,\n"
		     "   sink requests/responses)\n");
	wire_report_text(out, &r->wire);
}

/* ---- JSON ---- */

void report_path_json(struct json_writer *j, const struct rp_report *r)
{
	struct rp_path_check k[RP_PATH_NCHECKS];
	struct rp_path_inputs in;
	int n;

	if (!shown(r))
		return;
	json_key(j, "path");
	json_begin_object(j);
	json_key(j, "checks");
	json_begin_array(j);
	report_path_inputs(r, &in);
	n = path_checks(&in, k);
	for (int i = 0; i < n; i++) {
		json_begin_object(j);
		json_kv_string(j, "what", k[i].what);
		for (int v = 0; v < RP_NVIEWS; v++)
			if (k[i].have[v])
				json_kv_u64(j, rp_view_names[v], k[i].v[v]);
		json_kv_bool(j, "equal", k[i].ok);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
	wire_report_json(j, &r->wire);
}
