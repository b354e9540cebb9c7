// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The human report: user and kernel side by side, every line < 80 columns. */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "callpath.h"
#include "events.h"
#include "lifecycle.h"
#include "report_latency.h"
#include "report_impair.h"
#include "report_mib.h"
#include "report_link.h"
#include "segments.h"
#include "report_sender.h"
#include "report_text.h"
#include "start_at.h"
#include "report_bpf.h"
#include "report_path.h"
#include "report_verdict.h"
#include "schema.h"

/* ---- sections ---- */

static void print_header(FILE *out, const struct rp_report *r, const struct rp_config *c)
{
	struct tline l;
	char head[64];

	snprintf(head, sizeof(head), "reqperf %.24s: ", r->version ? r->version : "?");
	tl_begin(&l, out, head, 2, ", ");
	if (c->duration_s > 0)
		tl_add(&l, "%d workers x %.1f s", r->nworkers, c->duration_s);
	else
		tl_add(&l, "%d workers x %" PRIu64 " requests", r->nworkers, c->requests);
	if (c->mode == RP_MODE_PIPELINE)
		tl_add(&l, "pipeline %d", c->pipeline);
	else
		tl_add(&l, "%s", mode_name(c->mode));
	if (c->echo_size)
		tl_add(&l, "echo %" PRIu32 " B", c->echo_size);
	tl_add(&l, "recv %" PRIu32 " B", c->recv_size);
	if (c->connections > 1)
		tl_add(&l, "%d connections", c->connections);
	tl_end(&l);

	tl_begin(&l, out, "target ", 2, ", ");
	if (r->has_sink)
		tl_add(&l, "%s (embedded sink, pid %d)", r->target, r->sink_pid);
	else
		tl_add(&l, "%s", r->target);
	tl_add(&l, "affinity %s", c->affinity ? "on" : "off");
	if (c->priority >= 0)
		tl_add(&l, "sched %s/%d", sched_name(c->sched), c->priority);
	else
		tl_add(&l, "sched %s/max", sched_name(c->sched));
	tl_add(&l, "probe %s", probe_name(c->probe));
	tl_end(&l);
	if (r->start_at > 0) {
		char at[40];

		start_at_format(r->start_at, at, sizeof(at));
		fprintf(out, "start  %s (--start-at), released %.6f s after it\n", at,
			r->started_at - r->start_at);
	}
}

static void print_backend(FILE *out, const struct rp_report *r, const struct rp_config *c)
{
	unsigned all = 0;
	struct tline l;

	if (r->backend == RP_BACKEND_OFF) {
		fprintf(out, "backend: off, no kernel figures (%s)\n",
			c->probe == RP_PROBE_OFF ? "--probe off" : "no probe backend could attach");
		return;
	}
	fprintf(out, "backend: %s (kernel time = %s)\n", backend_name(r->backend),
		backend_time_definition(r->backend));
	for (int i = 0; i < RP_NFEATURES; i++)
		all |= rp_features[i].bit;
	/* The scheduler view is opt-in: not asked for, not missing. */
	if (!c->sched_view)
		all &= ~(unsigned)RP_FEAT_SCHED;
	if ((r->features & all) == all)
		return;
	tl_begin(&l, out, "missing tracepoints: ", 2, ", ");
	for (int i = 0; i < RP_NFEATURES; i++)
		if (all & rp_features[i].bit && !(r->features & rp_features[i].bit))
			tl_add(&l, "%s (%s: n/a)", rp_features[i].tracepoint, rp_features[i].feeds);
	tl_end(&l);
}

/* Settings that did not take, once per distinct text: "workers 0,1: ". */
static void print_warnings(FILE *out, const struct rp_report *r)
{
	for (int i = 0; i < r->nworkers; i++) {
		const char *w = r->workers[i].warning;
		char ids[96] = "", prefix[128];
		size_t len = 0;
		int n = 0, j;

		for (j = 0; j < i && strcmp(r->workers[j].warning, w); j++)
			;
		if (!w[0] || j < i)
			continue; /* none, or printed with an earlier worker */
		for (j = i; j < r->nworkers; j++) {
			if (strcmp(r->workers[j].warning, w) || len + 16 >= sizeof(ids))
				continue;
			len += (size_t)snprintf(ids + len, sizeof(ids) - len, "%s%d",
						n++ ? "," : "", r->workers[j].id);
		}
		snprintf(prefix, sizeof(prefix), "warning: worker%s %s: ", n > 1 ? "s" : "", ids);
		print_wrapped(out, prefix, w);
	}
}

/* Each failed worker's first error; at most limit lines (0: all). */
static void print_errors(FILE *out, const struct rp_report *r, int limit)
{
	char prefix[32];
	int failed = 0;

	if (r->partial)
		fprintf(out,
			"*** PARTIAL REPORT: a worker failed or the run was interrupted ***\n");
	for (int i = 0; i < r->nworkers; i++) {
		if (!r->workers[i].error[0])
			continue;
		if (limit && ++failed > limit)
			continue;
		snprintf(prefix, sizeof(prefix), "worker %d: ", r->workers[i].id);
		print_wrapped(out, prefix, r->workers[i].error);
	}
	if (limit && failed > limit)
		fprintf(out, "... and %d more failed workers (--detail, --json)\n", failed - limit);
	print_warnings(out, r);
}

static void print_worker_line(FILE *out, const struct rp_worker_report *w)
{
	struct tline l;
	char head[32];

	snprintf(head, sizeof(head), "worker %d  ", w->id);
	tl_begin(&l, out, head, 2, "  ");
	if (w->cpu >= 0)
		tl_add(&l, "cpu %d", w->cpu);
	else
		tl_add(&l, "cpu -");
	tl_add(&l, "%.16s/%d", w->sched[0] ? w->sched : "?", w->priority);
	tl_add(&l, "%" PRIu64 "/%" PRIu64 " responses", w->responses, w->requests);
	if (w->crc_errors)
		tl_add(&l, "CRC ERRORS %" PRIu64, w->crc_errors);
	else
		tl_add(&l, "crc ok");
	for (size_t i = 0; i < rp_worker_family.n; i++) {
		const struct rp_field *f = &rp_worker_family.fields[i];
		uint64_t v = field_u64(&w->counts, f);

		if (f->label && v) /* the labelled ones, when not 0 */
			tl_add(&l, "%s %" PRIu64, f->label, v);
	}
	tl_end(&l);
}

static void print_segments(FILE *out, const struct rp_report *r, const struct rp_worker_report *w)
{
	const struct rp_ktcp *k = &w->ktcp;
	const struct rp_tcpinfo *ti = &w->tcp_info;
	struct tline l;

	tl_begin(&l, out, " segments   ", 12, ", ");
	if (w->has_kernel) {
		bool same = report_segs_match(w);

		tl_add(&l, "kernel out %" PRIu64 " in %" PRIu64, k->data_segs_out, k->data_segs_in);
		tl_add(&l, "tcp_info out %" PRIu64 " in %" PRIu64 ": %s", ti->data_segs_out,
		       ti->data_segs_in, same ? "match" : "DIFFER");
		if (k->inexact)
			tl_add(&l, "kernel counts are lower bounds (%" PRIu64 " sockets seen late)",
			       k->inexact);
		else if (!(r->features & RP_FEAT_SOCK_STATE))
			tl_add(&l, "kernel counts may be lower bounds");
	} else {
		tl_add(&l, "tcp_info data out %" PRIu64 " in %" PRIu64, ti->data_segs_out,
		       ti->data_segs_in);
	}
	tl_add(&l, "retrans (tcp_info) %" PRIu64, ti->total_retrans);
	tl_end(&l);
	if (!w->has_kernel)
		return;
	tl_begin(&l, out, " tcp        ", 12, ", ");
	family_text_items(&l, &rp_ktcp_family, k, 0, 0, r->features);
	tl_end(&l);
}

static void print_extra_recv(FILE *out, const struct rp_worker_report *w)
{
	struct rp_extra_recv x;
	struct tline l;
	char head[64];

	report_extra_recv(w, &x);
	tl_begin(&l, out, " recv       ", 12, ", ");
	tl_add(&l, "%" PRIu64 " calls for %" PRIu64 " responses", x.a.calls, x.a.responses);
	tl_add(&l, "%.2f responses per call", x.a.responses_per_call);
	if (x.a.multi_calls)
		tl_add(&l, "%" PRIu64 " calls completed 2 or more", x.a.multi_calls);
	tl_end(&l);
	snprintf(head, sizeof(head), " extra recv %" PRId64 " = ", x.a.extra);
	tl_begin(&l, out, head, 12, " + ");
	tl_add(&l, "full-buffer %" PRIu64, x.a.full_buffer);
	tl_add(&l, "short %" PRIu64, x.a.short_reads);
	tl_add(&l, "eagain %" PRIu64, x.a.eagain);
	if (x.a.failed)
		tl_add(&l, "failed %" PRIu64, x.a.failed);
	if (x.a.surplus)
		tl_add(&l, "(-%" PRIu64 " surplus responses)", x.a.surplus);
	if (!x.a.closes)
		tl_add(&l, "(DOES NOT CLOSE)");
	tl_end(&l);
	if (!x.has_kernel)
		return;
	tl_begin(&l, out, " evidence   ", 12, ", ");
	tl_add(&l, "kernel, all data recvs: short+empty %" PRIu64, x.k_short_empty);
	tl_add(&l, "full+queued %" PRIu64, x.k_full_queued);
	tl_end(&l);
}

static void print_skb_dist(FILE *out, const struct rp_worker_report *w)
{
	static const char *const head[RP_NDIR] = {" skbs/send  ", " skbs/recv  "};
	struct tline l;

	for (int d = 0; d < RP_NDIR; d++) {
		const uint64_t *h = w->kernel[d].skb_hist;

		tl_begin(&l, out, head[d], 12, ", ");
		for (int i = 0; i < RP_SKB_SLOTS; i++)
			if (h[i])
				tl_add(&l, "%s%d: %" PRIu64, i == RP_SKB_SLOTS - 1 ? ">=" : "", i,
				       h[i]);
		if (!l.items)
			tl_add(&l, "none");
		tl_end(&l);
	}
}

static void print_worker(FILE *out, const struct rp_report *r, const struct rp_worker_report *w,
			 unsigned flags)
{
	struct table t = {w->user, w->has_kernel ? w->kernel : NULL, r->features, true, false};

	fputc('\n', out);
	print_worker_line(out, w);
	print_table(out, &t);
	if (!w->has_kernel && r->backend != RP_BACKEND_OFF)
		fprintf(out, " kernel     no traced calls for this worker\n");
	print_segments(out, r, w);
	report_sender_text(out, " sender     ", 12, &w->tcp_info);
	print_extra_recv(out, w);
	report_sched_worker_text(out, r, w, flags & RP_TEXT_HIST);
	if ((flags & RP_TEXT_VERBOSE) && w->has_kernel)
		print_skb_dist(out, w);
	if (flags & RP_TEXT_HIST)
		print_hists(out, w);
}

static void print_cpus(FILE *out, const struct rp_report *r)
{
	char m[RP_NDIR][32];

	fprintf(out, "\nper cpu (kernel)%*s%*s%*s%*s\n", CELL_W, "send calls", CELL_W, "send mean",
		CELL_W, "recv calls", CELL_W, "recv mean");
	for (int i = 0; i < r->ncpus; i++) {
		const struct rp_cpu_report *c = &r->cpus[i];
		char calls[RP_NDIR][32];

		for (int d = 0; d < RP_NDIR; d++) {
			fmt_count(calls[d], sizeof(calls[d]), c->calls[d]);
			if (c->calls[d])
				report_fmt_ns(m[d], sizeof(m[d]), rp_cpu_mean_ns(c, d));
			else
				snprintf(m[d], sizeof(m[d]), "-");
		}
		fprintf(out, "cpu %-12d%*s%*s%*s%*s\n", c->cpu, CELL_W, calls[0], CELL_W, m[0],
			CELL_W, calls[1], CELL_W, m[1]);
	}
}

static void print_totals(FILE *out, const struct rp_report *r)
{
	const struct rp_totals *t = &r->totals;
	struct table tab = {t->user, t->has_kernel ? t->kernel : NULL, r->features, false, false};
	struct tline l;

	fprintf(out, "\ntotals (%d workers; percentiles: see each worker)\n", r->nworkers);
	for (int i = 0; i < r->nworkers && t->has_kernel; i++) {
		if (r->workers[i].has_kernel)
			continue;
		fprintf(out, " kernel: only the workers with kernel data\n");
		break;
	}
	print_table(out, &tab);
	tl_begin(&l, out, "responses: ", 2, ", ");
	tl_add(&l, "%" PRIu64 "/%" PRIu64 " in %.3f s", t->responses, t->requests, t->elapsed_s);
	tl_add(&l, "%.1f responses/s (wall)", t->rps);
	if (t->errors)
		tl_add(&l, "errors %" PRIu64, t->errors);
	tl_end(&l);
	report_seed_rates_text(out, t);
	fprintf(out, "  (the seed's figures: 1 / mean call time, summed over workers)\n");
}

/* Kernel bytes compare with the user bytes of the workers it traced. */
static void print_bytes_check(FILE *out, const struct rp_report *r, int d)
{
	const char *verdict;
	struct rp_bytes_check b;
	struct tline l;

	report_bytes_check(r, d, &b);
	verdict = !b.checked ? "" : b.equal ? ": equal" : ": DIFFER";
	tl_begin(&l, out, d == RP_SEND ? "  send bytes: " : "  recv bytes: ", 14, ", ");
	if (b.has_kernel && b.traced != b.user)
		tl_add(&l, "user %" PRIu64 " (%" PRIu64 " traced)", b.user, b.traced);
	else
		tl_add(&l, "user %" PRIu64 "%s", b.user, b.checked ? "" : verdict);
	if (b.has_kernel)
		tl_add(&l, "kernel %" PRIu64 "%s", b.kernel, b.has_sink ? "" : verdict);
	if (b.has_sink)
		tl_add(&l, "sink %" PRIu64 "%s", b.sink, verdict);
	tl_end(&l);
}

static void print_integrity(FILE *out, const struct rp_report *r)
{
	uint64_t body = 0;
	struct tline l;

	for (int i = 0; i < r->nworkers; i++)
		body += r->workers[i].body_bytes;
	tl_begin(&l, out, "integrity: ", 2, ", ");
	tl_add(&l, "%" PRIu64 " body bytes checked", body);
	tl_add(&l, "CRC errors %" PRIu64, r->totals.crc_errors);
	tl_end(&l);
	print_bytes_check(out, r, RP_SEND);
	print_bytes_check(out, r, RP_RECV);
}

static void print_seg_dir(FILE *out, const char *head, const struct rp_seg_dir *d, const char *noun)
{
	struct tline l;

	tl_begin(&l, out, head, 6, ", ");
	if (!d->known) {
		tl_add(&l, "%" PRIu64 " segments, minimum n/a (no MSS)", d->segs);
		tl_end(&l);
		return;
	}
	tl_add(&l, "%" PRIu64 " for %" PRIu64 " %s of %" PRIu64 " B", d->segs, d->messages, noun,
	       d->bytes / d->messages);
	tl_add(&l, "mss %" PRIu32 " (%s)", d->mss, d->mss_from);
	tl_add(&l, "min %" PRIu64 " (%+" PRId64 ")", d->min, d->beyond);
	tl_add(&l, "as one stream %" PRIu64, d->stream_min);
	tl_end(&l);
}

/* What held one direction's sends at their return (kernel view). */
static void print_holds(FILE *out, const char *head, bool have, const uint64_t *held)
{
	uint64_t all = 0;
	struct tline l;

	if (!have)
		return;
	for (int i = 0; i < RP_NHOLDS; i++)
		all += held[i];
	tl_begin(&l, out, head, 6, ", ");
	tl_add(&l, "%" PRIu64 " of %" PRIu64 " sends left bytes unsent", all - held[RP_HOLD_NONE],
	       all);
	for (size_t i = 0; i < rp_holds_family.n; i++) {
		const struct rp_field *f = &rp_holds_family.fields[i];

		if (f->label)
			tl_add(&l, "%s %" PRIu64, f->label, field_u64(held, f));
	}
	tl_end(&l);
}

static void print_segments_total(FILE *out, const struct rp_report *r)
{
	struct rp_segments s;
	struct tline l;

	report_segments(r, &s);
	if (!s.known)
		return;
	fprintf(out, "segments per message (workers' TCP_INFO; min: ceil(B/mss) each):\n");
	print_seg_dir(out, "  out ", &s.out, s.echo ? "messages" : "requests");
	print_seg_dir(out, "  in  ", &s.in, s.echo ? "messages" : "responses");
	tl_begin(&l, out, "  causes: ", 10, ", ");
	if (s.has_sink) {
		if (s.echo)
			tl_add(&l, "sink short reads %" PRIu64, s.sink_short_reads);
		tl_add(&l, "sink split writes %" PRIu64 " (of %" PRIu64 " writes)",
		       s.sink_split_writes, s.sink_send_calls);
	}
	tl_add(&l, "client short sends %" PRIu64, s.client_short_sends);
	tl_add(&l, "TCP_NODELAY %s", s.nodelay ? "on" : "off (Nagle)");
	tl_end(&l);
	if (s.has_held_out || s.has_held_in)
		fprintf(out, "  held at each send's return (kernel):\n");
	print_holds(out, "    out ", s.has_held_out, s.held_out);
	print_holds(out, "    in  ", s.has_held_in, s.held_in);
	print_wrapped(out, "  why: ", s.why);
}

void report_sink_text(FILE *out, const struct rp_sink_counters *s, bool echo)
{
	struct tline l;

	tl_begin(&l, out, "sink: ", 6, ", ");
	family_text_items(&l, &rp_sink_family, s, RP_FF_ECHO, 0, ~0u);
	tl_end(&l);
	if (echo || s->echo_messages) {
		tl_begin(&l, out, "echo: ", 6, ", ");
		family_text_items(&l, &rp_sink_family, s, RP_FF_ECHO, RP_FF_ECHO, ~0u);
		tl_end(&l);
	} else {
		report_sink_tcp_text(out, &s->tcp);
	}
}

static void print_drops(FILE *out, const struct rp_report *r)
{
	const struct rp_family *fam = &rp_drops_family;
	struct tline l;
	bool any = false;

	for (size_t i = 0; i < fam->n; i++)
		any = any || field_u64(r->drops, &fam->fields[i]);
	if (!any)
		return;
	tl_begin(&l, out, "kernel events lost: ", 2, ", ");
	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];
		uint64_t v = field_u64(r->drops, f);

		if (f->label && (v || (f->flags & RP_FF_SHOWN)))
			tl_add(&l, "%s %" PRIu64, f->label, v);
	}
	tl_end(&l);
}

/* --detail: every worker's block, the per-CPU tables, the totals. */
static void print_detail(FILE *out, const struct rp_report *r, const struct rp_config *c,
			 unsigned flags)
{
	for (int i = 0; i < r->nworkers; i++)
		print_worker(out, r, &r->workers[i], flags);
	if (r->ncpus > 0)
		print_cpus(out, r);
	report_sched_cpus_text(out, r);
	print_totals(out, r);
	print_integrity(out, r);
	print_segments_total(out, r);
	if (r->has_sink)
		report_sink_text(out, &r->sink, c->echo_size);
	print_drops(out, r);
}

/* --hist without --detail: the run's histograms, all workers merged. */
static void print_total_hists(FILE *out, const struct rp_report *r)
{
	struct rp_worker_report all = {.has_kernel = r->totals.has_kernel};

	memcpy(all.user, r->totals.user, sizeof(all.user));
	memcpy(all.kernel, r->totals.kernel, sizeof(all.kernel));
	fprintf(out, "\nhistograms (all workers)\n");
	print_hists(out, &all);
}

int report_text(FILE *out, const struct rp_report *r, unsigned flags)
{
	const struct rp_config *c = r->config;
	struct rp_config defaults;

	if (!c) {
		config_defaults(&defaults);
		c = &defaults;
	}
	print_header(out, r, c);
	report_link_text(out, r);
	report_impair_text(out, r);
	report_mib_text(out, r);
	print_backend(out, r, c);
	if (c->trim_sigma > 0)
		fprintf(out, "times: samples beyond %.1f sigma dropped (the seed's filter)\n",
			c->trim_sigma);
	print_errors(out, r, flags & RP_TEXT_DETAIL ? 0 : 8);
	report_summary_text(out, r, c);
	report_workers_text(out, r);
	if (flags & RP_TEXT_DETAIL)
		print_detail(out, r, c, flags);
	else if (flags & RP_TEXT_HIST)
		print_total_hists(out, r);
	report_path_text(out, r);
	report_latency_text(out, r, flags & RP_TEXT_DETAIL);
	report_bpf_text(out, r);
	if (r->events)
		events_print_text(out, r->events);
	if (r->call_path)
		callpath_report_text(out, r->call_path);
	if (r->lifecycle)
		lifecycle_print_text(out, r->lifecycle);
	if (r->partial)
		fprintf(out, "*** PARTIAL REPORT ***\n");
	return ferror(out) ? -1 : 0;
}
