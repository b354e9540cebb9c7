// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The per-response lifecycle written out: one JSON line per response
 * (--lifecycle FILE), the stage percentiles in the text and JSON report. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "lifecycle.h"

static void kv_time(struct json_writer *j, const char *key, uint64_t ns)
{
	json_key(j, key);
	if (ns)
		json_u64(j, ns);
	else
		json_null(j);
}

static void write_pkts(struct json_writer *j, const char *key, const struct rp_lc_pkts *p,
		       bool known)
{
	json_key(j, key);
	if (!known) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kv_u64(j, "packets", p->packets);
	json_kv_u64(j, "segs", p->segs);
	json_kv_u64(j, "bytes", p->bytes);
	json_kv_u64(j, "retrans", p->retrans);
	json_key(j, "sizes");
	json_begin_array(j);
	for (uint32_t i = 0; i < p->nsizes; i++)
		json_u64(j, p->sizes[i]);
	json_end_array(j);
	kv_time(j, "first_ns", p->first_ns);
	kv_time(j, "last_ns", p->last_ns);
	json_end_object(j);
}

static void write_one(struct json_writer *j, const struct rp_lc *r, bool wire)
{
	int64_t v;

	json_begin_object(j);
	json_kv_i64(j, "worker", r->worker);
	json_kv_u64(j, "conn", r->conn);
	json_kv_u64(j, "cport", r->cport);
	json_kv_u64(j, "index", r->index);
	json_kv_u64(j, "tcp_index", r->tcp_index);
	json_kv_u64(j, "off", r->off);
	json_kv_u64(j, "bytes", r->bytes);
	json_key(j, "request");
	json_begin_object(j);
	kv_time(j, "send_ns", r->req_send_ns);
	kv_time(j, "read_ns", r->req_read_ns);
	json_end_object(j);
	json_key(j, "server");
	json_begin_object(j);
	json_kv_u64(j, "writes", r->writes);
	json_kv_u64(j, "bytes", r->write_bytes);
	json_kv_u64(j, "skbs", r->write_skbs);
	json_kv_u64(j, "size_goal", r->size_goal);
	kv_time(j, "start_ns", r->write_ns);
	kv_time(j, "end_ns", r->write_end_ns);
	json_end_object(j);
	write_pkts(j, "tx", &r->tx, wire);
	write_pkts(j, "rx", &r->rx, wire && !r->lo);
	json_key(j, "client");
	json_begin_object(j);
	json_kv_u64(j, "recvs", r->recvs);
	json_kv_u64(j, "skbs", r->recv_skbs);
	json_key(j, "classes");
	json_begin_object(j);
	for (int c = 0; c < RP_NCLASSES; c++)
		if (r->cls[c])
			json_kv_u64(j, events_class_name((enum rp_ev_class)c), r->cls[c]);
	json_end_object(j);
	kv_time(j, "first_copy_ns", r->first_copy_ns);
	kv_time(j, "last_recv_ns", r->last_recv_ns);
	kv_time(j, "complete_ns", r->complete_ns);
	json_end_object(j);
	json_key(j, "stages_ns");
	json_begin_object(j);
	for (int st = 0; st < RP_LCS_N; st++) {
		json_key(j, lifecycle_stage_name((enum rp_lc_stage)st));
		if (lifecycle_stage(r, (enum rp_lc_stage)st, &v))
			json_i64(j, v);
		else
			json_null(j);
	}
	json_end_object(j);
	json_kv_bool(j, "ordered", lifecycle_ordered(r));
	json_end_object(j);
}

int lifecycle_write_lines(FILE *out, const struct rp_lc *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct json_writer j;

		json_init(&j, out, false);
		write_one(&j, &r[i], r[i].tx.packets || r[i].rx.packets);
		if (json_finish(&j) < 0 || fputc('\n', out) == EOF)
			return -1;
	}
	return ferror(out) ? -1 : 0;
}

/* ns as "12.345 us" (signed). */
static void fmt_ns(char *b, size_t n, int64_t v)
{
	double a = (double)(v < 0 ? -v : v);
	const char *sign = v < 0 ? "-" : "";

	if (a >= 1e6)
		snprintf(b, n, "%s%.3f ms", sign, a / 1e6);
	else
		snprintf(b, n, "%s%.3f us", sign, a / 1e3);
}

static const char *const stage_text[RP_LCS_N] = {
	"write -> first packet",  "first -> last packet", "last packet -> first copy",
	"first copy -> complete", "write -> complete",	  "request -> server read",
	"server read -> write",	  "write -> last packet", "last packet -> last recv",
	"last recv call",	  "request latency",
};

/* A stage row's columns after n, in the text table and the JSON alike. */
static const struct {
	const char *key;
	size_t off;
} pct_cols[] = {
	{"min", offsetof(struct rp_lc_pct, min)}, {"p50", offsetof(struct rp_lc_pct, p50)},
	{"p90", offsetof(struct rp_lc_pct, p90)}, {"p99", offsetof(struct rp_lc_pct, p99)},
	{"max", offsetof(struct rp_lc_pct, max)},
};

#define NCOLS (sizeof(pct_cols) / sizeof(pct_cols[0]))

static int64_t pct_col(const struct rp_lc_pct *p, size_t c)
{
	int64_t v;

	memcpy(&v, (const char *)p + pct_cols[c].off, sizeof(v));
	return v;
}

static void print_stage(FILE *out, const struct rp_lc_summary *s, int st)
{
	const struct rp_lc_pct *p = &s->stage[st];

	if (!p->n) {
		fprintf(out, "  %-27s %8s\n", stage_text[st], "-");
		return;
	}
	fprintf(out, "  %-27s %8" PRIu64, stage_text[st], p->n);
	for (size_t c = 0; c < NCOLS; c++) {
		char v[24];

		fmt_ns(v, sizeof(v), pct_col(p, c));
		fprintf(out, " %11s", v);
	}
	fputc('\n', out);
}

void lifecycle_print_text(FILE *out, const struct rp_lc_summary *s)
{
	if (!s || !s->on)
		return;
	fprintf(out,
		"\nper-response lifecycle: %" PRIu64 " responses on %" PRIu64
		" connections, %" PRIu64 " with every stage%s\n",
		s->responses, s->connections, s->complete,
		s->wire ? "" : " (no --wire: no packet stages)");
	fprintf(out, "  %-27s %8s", "stage", "n");
	for (size_t c = 0; c < NCOLS; c++)
		fprintf(out, " %11s", pct_cols[c].key);
	fputc('\n', out);
	for (int st = RP_LCS_WRITE_WIRE; st <= RP_LCS_WRITE_DONE; st++)
		print_stage(out, s, st);
	fprintf(out, "  where the time went (the parts add up to the request latency):\n");
	for (int st = RP_LCS_REQUEST; st <= RP_LCS_LATENCY; st++)
		print_stage(out, s, st);
	fprintf(out,
		"  checks: server bytes != size %" PRIu64 ", packet bytes != size %" PRIu64
		" (tx) %" PRIu64 " (rx), out of order %" PRIu64 "\n",
		s->bad_write_bytes, s->bad_tx_bytes, s->bad_rx_bytes, s->unordered);
	if (s->no_kernel || s->stray_srv || s->stray_pkt || s->lost)
		fprintf(out,
			"  NOT PLACED: %" PRIu64 " responses without a kernel record, %" PRIu64
			" server calls and %" PRIu64 " packets on no known connection, %" PRIu64
			" records lost\n",
			s->no_kernel, s->stray_srv, s->stray_pkt, s->lost);
}

void lifecycle_write_json(struct json_writer *j, const struct rp_lc_summary *s)
{
	json_key(j, "lifecycle");
	if (!s || !s->on) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kv_u64(j, "responses", s->responses);
	json_kv_u64(j, "connections", s->connections);
	json_kv_u64(j, "complete", s->complete);
	json_kv_bool(j, "wire", s->wire);
	json_key(j, "checks");
	json_begin_object(j);
	json_kv_u64(j, "bad_write_bytes", s->bad_write_bytes);
	json_kv_u64(j, "bad_tx_bytes", s->bad_tx_bytes);
	json_kv_u64(j, "bad_rx_bytes", s->bad_rx_bytes);
	json_kv_u64(j, "unordered", s->unordered);
	json_end_object(j);
	json_key(j, "not_placed");
	json_begin_object(j);
	json_kv_u64(j, "no_kernel", s->no_kernel);
	json_kv_u64(j, "stray_server_calls", s->stray_srv);
	json_kv_u64(j, "stray_packets", s->stray_pkt);
	json_kv_u64(j, "lost", s->lost);
	json_end_object(j);
	json_key(j, "stages_ns");
	json_begin_object(j);
	for (int st = 0; st < RP_LCS_N; st++) {
		const struct rp_lc_pct *p = &s->stage[st];

		json_key(j, lifecycle_stage_name((enum rp_lc_stage)st));
		json_begin_object(j);
		json_kv_u64(j, "n", p->n);
		for (size_t c = 0; c < NCOLS; c++)
			json_kv_i64(j, pct_cols[c].key, pct_col(p, c));
		json_end_object(j);
	}
	json_end_object(j);
	json_end_object(j);
}
