// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The CSV report: one header row, one row per worker. The header and the
 * rows are produced by the same walk over the fields, so their columns
 * cannot drift apart. Absent figures (no kernel data) are empty cells.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "report.h"
#include "schema.h"

struct csv {
	FILE *out;
	bool header; /* print names, not values */
	int cols;
	char prefix[32];
};

static void put_raw(struct csv *c, const char *name, const char *value)
{
	if (c->cols++)
		fputc(',', c->out);
	if (c->header)
		fprintf(c->out, "%s%s", c->prefix, name);
	else
		fputs(value, c->out);
}

/* RFC 4180 quoting for free text. */
static void put_str(struct csv *c, const char *name, const char *s)
{
	if (c->header || !strpbrk(s, ",\"\r\n")) {
		put_raw(c, name, s);
		return;
	}
	put_raw(c, name, "\"");
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', c->out);
		fputc(*s, c->out);
	}
	fputc('"', c->out);
}

static void put_u64(struct csv *c, const char *name, uint64_t v, bool have)
{
	char b[24] = "";

	if (have)
		snprintf(b, sizeof(b), "%" PRIu64, v);
	put_raw(c, name, b);
}

static void put_i64(struct csv *c, const char *name, int64_t v, bool have)
{
	char b[24] = "";

	if (have)
		snprintf(b, sizeof(b), "%" PRId64, v);
	put_raw(c, name, b);
}

static void put_double(struct csv *c, const char *name, double v, bool have)
{
	char b[40] = "";

	if (!have || json_format_double(b, sizeof(b), v) < 0)
		b[0] = '\0';
	put_raw(c, name, b);
}

static void put_summary(struct csv *c, const struct rp_summary *s, bool have)
{
	put_u64(c, "ns_n", s->n, have);
	put_u64(c, "ns_min", s->min, have);
	put_double(c, "ns_mean", s->mean, have);
	put_u64(c, "ns_max", s->max, have);
	put_double(c, "ns_stddev", s->stddev, have);
	put_u64(c, "ns_p50", s->p50, have);
	put_u64(c, "ns_p90", s->p90, have);
	put_u64(c, "ns_p99", s->p99, have);
	put_u64(c, "ns_p999", s->p999, have);
}

/* The scalar fields of fam in base (histograms are JSON only), as
 * prefix + name; kernel-only fields only when kernel. */
static void put_fields(struct csv *c, const char *prefix, const struct rp_family *fam,
		       const void *base, bool have, bool kernel)
{
	snprintf(c->prefix, sizeof(c->prefix), "%s", prefix);
	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];

		if (((f->flags & RP_FF_KERNEL) && !kernel) || (f->flags & RP_FF_ALIAS))
			continue;
		if (f->kind == RP_FK_SUMMARY)
			put_summary(c, (const void *)((const char *)base + f->off), have);
		else if (f->kind == RP_FK_U64 || f->kind == RP_FK_U32)
			put_u64(c, f->name, field_u64(base, f), have);
	}
	c->prefix[0] = '\0';
}

/* The scheduler view's scalar counters (rp_sched_family) as "sched_" and
 * the name, '_' for its dot; empty without the kernel's figures
 * (--sched-view) or the worker's getrusage bounds. */
static void put_sched(struct csv *c, const struct rp_sched_worker *s)
{
	char name[64];

	for (size_t i = 0; i < rp_sched_family.n; i++) {
		const struct rp_field *f = &rp_sched_family.fields[i];

		if (f->kind != RP_FK_U64)
			continue;
		snprintf(name, sizeof(name), "sched_%s", f->name);
		for (char *p = strchr(name, '.'); p; p = strchr(p, '.'))
			*p = '_';
		put_u64(c, name, field_u64(s, f),
			(f->flags & RP_FF_KERNEL) ? s->has_kernel : s->has_rusage);
	}
}

static void put_toggle(struct csv *c, const char *name, int8_t v)
{
	put_raw(c, name, v < 0 ? "" : v ? "on" : "off");
}

/* The run and its setting: what a sweep varies, on every row. */
static void put_run(struct csv *c, const struct rp_report *r, const struct rp_config *cfg)
{
	const struct rp_link_end *e = &r->link.end[RP_LINK_CLIENT];
	bool link = r->has_link;

	put_str(c, "run_id", r->run_id);
	put_str(c, "version", r->version ? r->version : "");
	put_str(c, "mode", mode_name(cfg->mode));
	put_i64(c, "pipeline", cfg->pipeline, cfg->mode == RP_MODE_PIPELINE);
	put_i64(c, "workers", r->nworkers, true);
	put_i64(c, "connections", cfg->connections, true);
	put_u64(c, "requests_per_worker", cfg->requests, true);
	put_double(c, "duration_s", cfg->duration_s, cfg->duration_s > 0);
	put_u64(c, "recv_size", cfg->recv_size, true);
	put_u64(c, "echo_size", cfg->echo_size, true);
	put_raw(c, "nodelay", cfg->nodelay ? "on" : "off");
	put_raw(c, "affinity", cfg->affinity ? "on" : "off");
	put_str(c, "sched_requested", sched_name(cfg->sched));
	put_str(c, "link", link ? r->link.kind : "");
	put_u64(c, "mtu", e->mtu, link && e->mtu);
	put_toggle(c, "tso", link ? e->tso : -1);
	put_toggle(c, "gso", link ? e->gso : -1);
	put_toggle(c, "gro", link ? e->gro : -1);
	put_u64(c, "sink_snd_mss", r->sink.tcp.snd_mss, r->has_sink && r->sink.tcp.snd_mss);
	put_u64(c, "sink_rcv_mss", r->sink.tcp.rcv_mss, r->has_sink && r->sink.tcp.rcv_mss);
	put_double(c, "elapsed_s", r->totals.elapsed_s, true);
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0;
}

/* Per-response (per-request for the send side) figures, so a sweep table
 * needs no arithmetic. */
static void put_ratios(struct csv *c, const struct rp_worker_report *w)
{
	const struct rp_calls *ur = &w->user[RP_RECV], *kr = &w->kernel[RP_RECV];
	bool k = w->has_kernel, rsp = w->responses > 0;

	snprintf(c->prefix, sizeof(c->prefix), "per_response_");
	put_double(c, "recv_calls", ratio(ur->calls, w->responses), rsp);
	put_double(c, "recv_bytes", ratio(ur->bytes, w->responses), rsp);
	put_double(c, "data_segs_in", ratio(w->tcp_info.data_segs_in, w->responses), rsp);
	put_double(c, "user_recv_ns", ur->ns.mean * ratio(ur->calls, w->responses), rsp);
	put_double(c, "kernel_recv_ns", kr->ns.mean * ratio(kr->calls, w->responses), rsp && k);
	put_double(c, "skbs_drained", ratio(kr->skbs, w->responses), rsp && k);
	snprintf(c->prefix, sizeof(c->prefix), "per_request_");
	put_double(c, "send_calls", ratio(w->user[RP_SEND].calls, w->requests), w->requests);
	put_double(c, "data_segs_out", ratio(w->tcp_info.data_segs_out, w->requests), w->requests);
	c->prefix[0] = '\0';
}

/* Request latency, ns: corrected with --rate (the uncorrected in its own
 * columns), empty cells when not recorded. */
static void put_latency(struct csv *c, const char *prefix, const struct rp_lat_summary *s,
			bool have)
{
	char name[16];

	snprintf(c->prefix, sizeof(c->prefix), "%s", prefix);
	put_u64(c, "n", s->n, have);
	for (int i = 0; i < RP_LAT_NPCT; i++) {
		snprintf(name, sizeof(name), "%s_ns", rp_lat_pct_key[i]);
		put_u64(c, name, s->p[i], have);
	}
	put_u64(c, "max_ns", s->max, have);
	c->prefix[0] = '\0';
}

static void put_worker(struct csv *c, const struct rp_report *r, const struct rp_config *cfg,
		       const struct rp_worker_report *w)
{
	bool k = w->has_kernel;
	struct rp_extra_recv x;

	report_extra_recv(w, &x);
	put_run(c, r, cfg);
	put_i64(c, "id", w->id, true);
	put_i64(c, "cpu", w->cpu, true);
	put_str(c, "sched", w->sched);
	put_i64(c, "priority", w->priority, true);
	put_fields(c, "", &rp_worker_family, &w->counts, true, true);
	put_i64(c, "extra_recv_calls", x.a.extra, true);
	put_u64(c, "recv_completing", x.a.completing, true);
	put_u64(c, "recv_full_buffer", x.a.full_buffer, true);
	put_u64(c, "recv_short", x.a.short_reads, true);
	put_u64(c, "recv_eagain", x.a.eagain, true);
	put_u64(c, "recv_failed", x.a.failed, true);
	put_u64(c, "recv_multi_response_calls", x.a.multi_calls, true);
	put_u64(c, "recv_surplus_responses", x.a.surplus, true);
	put_double(c, "responses_per_recv_call", x.a.responses_per_call, true);
	put_double(c, "recv_calls_per_response", x.a.calls_per_response, true);
	put_u64(c, "kernel_short_empty", x.k_short_empty, k);
	put_u64(c, "kernel_full_queued", x.k_full_queued, k);
	put_fields(c, "user_send_", &rp_calls_family, &w->user[RP_SEND], true, false);
	put_fields(c, "user_recv_", &rp_calls_family, &w->user[RP_RECV], true, false);
	put_fields(c, "kernel_send_", &rp_calls_family, &w->kernel[RP_SEND], k, true);
	put_fields(c, "kernel_recv_", &rp_calls_family, &w->kernel[RP_RECV], k, true);
	put_fields(c, "ktcp_", &rp_ktcp_family, &w->ktcp, k, true);
	put_fields(c, "tcp_info_", &rp_tcpinfo_family, &w->tcp_info, true, true);
	put_ratios(c, w);
	put_latency(c, "lat_", &w->lat.lat, w->lat.on);
	put_latency(c, "lat_uncorrected_", &w->lat.sent, w->lat.rate);
	put_u64(c, "lat_late", w->lat.late, w->lat.rate);
	put_u64(c, "lat_unsent", w->lat.unsent, w->lat.rate);
	put_sched(c, &w->sched_view);
	put_str(c, "backend", backend_name(r->backend));
	put_str(c, "error", w->error);
	fputc('\n', c->out);
}

int report_csv_rows(FILE *out, const struct rp_report *r, bool header)
{
	static const struct rp_worker_report blank;
	struct csv c = {.out = out, .header = true};
	const struct rp_config *cfg = r->config;
	struct rp_config defaults;

	if (!cfg) {
		config_defaults(&defaults);
		cfg = &defaults;
	}
	if (header)
		put_worker(&c, r, cfg, &blank);
	c.header = false;
	for (int i = 0; i < r->nworkers; i++) {
		c.cols = 0;
		put_worker(&c, r, cfg, &r->workers[i]);
	}
	return ferror(out) ? -1 : 0;
}

int report_csv(FILE *out, const struct rp_report *r)
{
	return report_csv_rows(out, r, true);
}
