// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The text report's first screen: the verdict block (a fixed number of
 * lines whatever the worker count) and one line per worker. Every figure
 * is read from the report model (report.h, report_verdict.h); nothing is
 * computed here that JSON does not carry.
 */
#include <inttypes.h>
#include <string.h>

#include "events.h"
#include "report_text.h"
#include "report_verdict.h"

static void print_responses(FILE *out, const struct rp_report *r)
{
	const struct rp_totals *t = &r->totals;
	struct tline l;

	tl_begin(&l, out, "responses: ", 2, ", ");
	tl_add(&l, "%" PRIu64 "/%" PRIu64 " in %.3f s", t->responses, t->requests, t->elapsed_s);
	tl_add(&l, "%.1f responses/s (wall)", t->rps);
	tl_add(&l, "errors %" PRIu64, t->errors);
	tl_end(&l);
}

/* The seed's own line, kept verbatim in form: 1 / mean call time, summed. */
void report_seed_rates_text(FILE *out, const struct rp_totals *t)
{
	struct tline l;

	tl_begin(&l, out, "in total: ", 2, ", ");
	tl_add(&l, "req. p/s: %.2f", t->seed_send_rate);
	tl_add(&l, "recv. p/s: %.2f", t->seed_recv_rate);
	if (t->seed_recv_rate > 0)
		tl_add(&l, "send/recv ratio: %.2f:1", t->seed_send_rate / t->seed_recv_rate);
	else
		tl_add(&l, "send/recv ratio: n/a");
	tl_end(&l);
}

static void print_bytes(struct tline *l, const char *dir, const struct rp_bytes_check *b)
{
	if (b->has_kernel && b->traced != b->user)
		tl_add(l, "%s user %" PRIu64 " (%" PRIu64 " traced)", dir, b->user, b->traced);
	else
		tl_add(l, "%s user %" PRIu64, dir, b->user);
	if (b->has_kernel)
		tl_add(l, "kernel %" PRIu64, b->kernel);
	if (b->has_sink)
		tl_add(l, "sink %" PRIu64, b->sink);
	if (b->checked)
		tl_add(l, "%s", b->equal ? "equal" : "DIFFER");
}

static void print_integrity(FILE *out, const struct rp_report *r, const struct rp_verdict *v)
{
	struct tline l;

	tl_begin(&l, out, "integrity: ", 2, ", ");
	tl_add(&l, "%" PRIu64 " body bytes checked", v->body_bytes);
	tl_add(&l, "CRC errors %" PRIu64, r->totals.crc_errors);
	tl_end(&l);
	tl_begin(&l, out, "  bytes: ", 9, ", ");
	print_bytes(&l, "send", &v->bytes[RP_SEND]);
	tl_end(&l);
	tl_begin(&l, out, "         ", 9, ", ");
	print_bytes(&l, "recv", &v->bytes[RP_RECV]);
	tl_end(&l);
}

/* One sentence: where the recv calls beyond one per response went, in the
 * vocabulary of docs/recv-outcomes.md. */
static void print_extra(FILE *out, const struct rp_config *c, const struct rp_verdict *v)
{
	const struct rp_recv_arith *a = &v->extra.a;
	char s[640];
	int n;

	n = snprintf(s, sizeof(s),
		     "%" PRId64 " = %" PRIu64 " recv calls - %" PRIu64
		     " responses (%.2f responses per call): full-buffer %" PRIu64
		     " (filled the %" PRIu32 " B buffer, no response ended), short %" PRIu64
		     " (no response ended), eagain %" PRIu64,
		     a->extra, a->calls, a->responses, a->responses_per_call, a->full_buffer,
		     c->recv_size, a->short_reads, a->eagain);
	if (a->failed)
		n += snprintf(s + n, sizeof(s) - (size_t)n, ", failed %" PRIu64, a->failed);
	if (a->surplus)
		n += snprintf(s + n, sizeof(s) - (size_t)n,
			      ", less %" PRIu64 " surplus responses (%" PRIu64
			      " calls completed 2 or more)",
			      a->surplus, a->multi_calls);
	if (!a->closes)
		n += snprintf(s + n, sizeof(s) - (size_t)n, " (DOES NOT CLOSE)");
	if (v->extra.has_kernel)
		snprintf(s + n, sizeof(s) - (size_t)n,
			 "; kernel, all data recvs: short+empty %" PRIu64 ", full+queued %" PRIu64
			 ".",
			 v->extra.k_short_empty, v->extra.k_full_queued);
	else
		snprintf(s + n, sizeof(s) - (size_t)n, " (no kernel evidence).");
	print_wrapped(out, "extra recv: ", s);
}

static void print_segments(FILE *out, const struct rp_report *r, const struct rp_verdict *v)
{
	struct tline l;

	tl_begin(&l, out, "segments: ", 2, ", ");
	tl_add(&l, "data out %" PRIu64 " in %" PRIu64 " (tcp_info)", v->segs_out, v->segs_in);
	if (v->kernel_workers)
		tl_add(&l, "kernel %s on %d/%d workers", v->segs_differ ? "DIFFER" : "match",
		       v->kernel_workers - v->segs_differ, v->kernel_workers);
	tl_add(&l, "retrans %" PRIu64, v->retrans);
	if (v->sched_checked)
		tl_add(&l, "switches kernel vs getrusage %s on %d/%d",
		       v->sched_differ ? "DIFFER" : "match", v->sched_checked - v->sched_differ,
		       v->sched_checked);
	tl_end(&l);
	(void)r;
}

/* Every optional tracepoint asked for is there (the scheduler view's
 * only with --sched-view). */
static bool all_features(unsigned f, const struct rp_config *c)
{
	unsigned all = 0;

	for (int i = 0; i < RP_NFEATURES; i++)
		all |= rp_features[i].bit;
	if (!c->sched_view)
		all &= ~(unsigned)RP_FEAT_SCHED;
	return (f & all) == all;
}

/* Anything lost, missing or failed; "none" when the run was clean. */
static void print_warnings(FILE *out, const struct rp_report *r, const struct rp_config *c,
			   const struct rp_verdict *v)
{
	const struct rp_ev_summary *e = r->events;
	struct tline l;

	tl_begin(&l, out, "warnings: ", 2, ", ");
	if (r->partial)
		tl_add(&l, "PARTIAL run");
	if (v->failed_workers)
		tl_add(&l, "%d workers failed", v->failed_workers);
	if (v->warned_workers)
		tl_add(&l, "%d workers ran with a setting that did not take", v->warned_workers);
	if (v->drops)
		tl_add(&l, "kernel events lost %" PRIu64, v->drops);
	if (e && e->total.state == RP_ES_INCOMPLETE)
		tl_add(&l, "per-call RECORDS LOST");
	if (r->backend == RP_BACKEND_OFF)
		tl_add(&l, "no kernel view");
	else if (v->kernel_workers < r->nworkers)
		tl_add(&l, "%d workers without kernel data", r->nworkers - v->kernel_workers);
	if (r->backend != RP_BACKEND_OFF && !all_features(r->features, c))
		tl_add(&l, "tracepoints missing (see backend)");
	if (v->segs_late)
		tl_add(&l, "%d workers' kernel segment counts are lower bounds", v->segs_late);
	if (v->sink_trouble)
		tl_add(&l, "sink refused or failed %" PRIu64 " times (--detail)", v->sink_trouble);
	if (r->totals.crc_errors)
		tl_add(&l, "CORRUPT bodies");
	if (!v->extra.a.closes)
		tl_add(&l, "recv arithmetic DOES NOT CLOSE");
	if (!l.items)
		tl_add(&l, "none");
	tl_end(&l);
}

void report_summary_text(FILE *out, const struct rp_report *r, const struct rp_config *c)
{
	const struct rp_totals *t = &r->totals;
	struct table tab = {t->user, t->has_kernel ? t->kernel : NULL, r->features, false, true};
	struct rp_verdict v;

	report_verdict(r, &v);
	fprintf(out, "\nsummary (%d workers)\n", r->nworkers);
	print_responses(out, r);
	print_table(out, &tab);
	report_seed_rates_text(out, t);
	print_integrity(out, r, &v);
	print_extra(out, c, &v);
	print_segments(out, r, &v);
	print_warnings(out, r, c, &v);
}

/* ---- one line per worker ---- */

/* v in at most w characters: plain, else k/M/G with three digits. */
static void fmt_short(char *b, size_t n, uint64_t v, int w)
{
	static const char sfx[] = "kMGTPE";
	double d = (double)v;
	int i = -1;

	if (snprintf(b, n, "%" PRIu64, v) <= w)
		return;
	while (d >= 999.5 && i < 5) {
		d /= 1000;
		i++;
	}
	snprintf(b, n, "%.3g%c", d, sfx[i]);
}

/* A signed count: negative when recv calls completed several responses. */
static void fmt_signed(char *b, size_t n, int64_t v, int w)
{
	if (v >= 0) {
		fmt_short(b, n, (uint64_t)v, w);
		return;
	}
	b[0] = '-';
	fmt_short(b + 1, n - 1, (uint64_t)-v, w - 1);
}

/* A median in microseconds, 7 columns at most. */
static void fmt_us(char *b, size_t n, const struct rp_calls *c)
{
	double us = (double)c->ns.p50 / 1e3;

	if (!c->ns.n)
		snprintf(b, n, "-");
	else if (us < 1000)
		snprintf(b, n, "%.2f", us);
	else if (us < 1e5)
		snprintf(b, n, "%.1f", us);
	else if (us < 1e7)
		snprintf(b, n, "%.0f", us);
	else
		snprintf(b, n, "%.1e", us);
}

static void worker_row(FILE *out, const struct rp_worker_report *w)
{
	char cpu[16], pol[32], resp[16], t[4][16], extra[16], in[16], outs[16], segs[40], err[16];
	const char *s = w->sched[0] ? w->sched : "?";

	if (!strncmp(s, "SCHED_", 6))
		s += 6;
	snprintf(cpu, sizeof(cpu), w->cpu >= 0 ? "%d" : "-", w->cpu);
	snprintf(pol, sizeof(pol), "%.4s/%d", s, w->priority);
	fmt_short(resp, sizeof(resp), w->responses, 8);
	for (int d = 0; d < RP_NDIR; d++) {
		fmt_us(t[2 * d], sizeof(t[0]), &w->user[d]);
		if (w->has_kernel)
			fmt_us(t[2 * d + 1], sizeof(t[0]), &w->kernel[d]);
		else
			snprintf(t[2 * d + 1], sizeof(t[0]), "-");
	}
	fmt_signed(extra, sizeof(extra), (int64_t)w->recv.calls - (int64_t)w->recv.responses, 6);
	fmt_short(in, sizeof(in), w->tcp_info.data_segs_in, 5);
	fmt_short(outs, sizeof(outs), w->tcp_info.data_segs_out, 5);
	snprintf(segs, sizeof(segs), "%s/%s", in, outs);
	fmt_short(err, sizeof(err), w->errors + w->crc_errors, 3);
	fprintf(out, "%3d %3s %-7s %8s %7s %7s %7s %7s %6s %11s %3s\n", w->id, cpu, pol, resp, t[0],
		t[1], t[2], t[3], extra, segs, err);
}

void report_workers_text(FILE *out, const struct rp_report *r)
{
	fprintf(out, "\n%-24s %15s %15s %6s %11s\n", "per worker", "send p50 (us)", "recv p50 (us)",
		"extra", "segments");
	fprintf(out, "%3s %3s %-7s %8s %7s %7s %7s %7s %6s %11s %3s\n", "wkr", "cpu", "policy",
		"resp", "user", "kernel", "user", "kernel", "recv", "in/out", "err");
	for (int i = 0; i < r->nworkers; i++)
		worker_row(out, &r->workers[i]);
}
