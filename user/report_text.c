// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The human report: user and kernel side by side, every line < 80 columns. */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "report.h"

#define MAX_COL 79 /* last usable column */
#define LABEL_W 13
#define CELL_W 13

/* Counts wider than a cell switch to "%.4g" so columns never overflow. */
static void fmt_count(char *b, size_t n, uint64_t v)
{
	if (snprintf(b, n, "%" PRIu64, v) >= CELL_W)
		snprintf(b, n, "%.4g", (double)v);
}

/* A line of separated items that wraps before MAX_COL, indented after. */
struct tline {
	FILE *out;
	const char *sep; /* ", ", "  " or " + " */
	int len;
	int indent;
	int items;
};

static void tl_begin(struct tline *l, FILE *out, const char *head, int indent, const char *sep)
{
	l->out = out;
	l->sep = sep;
	l->indent = indent;
	l->items = 0;
	l->len = fprintf(out, "%.*s", MAX_COL - 20, head);
}

static void tl_add(struct tline *l, const char *fmt, ...)
{
	char item[MAX_COL + 1];
	int seplen = l->items ? (int)strlen(l->sep) : 0;
	va_list ap;
	int n, avail;

	va_start(ap, fmt);
	n = vsnprintf(item, sizeof(item), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(item))
		n = sizeof(item) - 1;
	/* every line keeps one column for a trailing "," */
	if (l->items && l->len + seplen + n > MAX_COL - 1) {
		fprintf(l->out, "%s\n%*s", l->sep[0] == ',' ? "," : "", l->indent, "");
		l->len = l->indent;
		if (l->sep[1] == '+')
			l->len += fprintf(l->out, "+ ");
	} else if (l->items) {
		l->len += fprintf(l->out, "%s", l->sep);
	}
	avail = MAX_COL - 1 - l->len;
	if (n > avail && avail > 3) {
		n = avail;
		strcpy(item + n - 3, "...");
	}
	l->len += fprintf(l->out, "%.*s", n, item);
	l->items++;
}

static void tl_end(struct tline *l)
{
	fputc('\n', l->out);
}

/* Free text (an error message) wrapped at spaces after a prefix. */
static void print_wrapped(FILE *out, const char *prefix, const char *text)
{
	struct tline l;
	char word[MAX_COL + 1];
	int indent = (int)strlen(prefix);

	tl_begin(&l, out, prefix, indent, " ");
	while (*text) {
		size_t n = strcspn(text, " \t\r\n");

		if (n) {
			snprintf(word, sizeof(word), "%.*s", (int)n, text);
			tl_add(&l, "%s", word);
		}
		text += n;
		text += strspn(text, " \t\r\n");
	}
	tl_end(&l);
}

/* ---- the side-by-side table ---- */

enum cell_kind {
	K_COUNT, /* uint64_t field */
	K_TIME, /* uint64_t ns field of the summary */
	K_TIME_D, /* double ns field of the summary */
	K_PER_CALL,
	K_RATE, /* the seed's 1 / mean */
};

enum {
	R_PCT = 1 << 0, /* per-worker tables only */
	R_USER = 1 << 1, /* blank on the kernel side */
	R_KERNEL = 1 << 2, /* blank on the user side, hidden without kernel data */
	R_SEND = 1 << 3, /* blank for recv */
	R_RECV = 1 << 4, /* blank for send */
	R_SKBS = 1 << 5, /* n/a without the skb tracepoint of its direction */
};

struct row {
	const char *label;
	enum cell_kind kind;
	size_t off; /* in struct rp_calls */
	unsigned flags;
	const char *fmt; /* K_PER_CALL */
};

#define F(field) offsetof(struct rp_calls, field)

static const struct row rows[] = {
	{"calls", K_COUNT, F(calls), 0, NULL},
	{"bytes", K_COUNT, F(bytes), 0, NULL},
	{"eagain", K_COUNT, F(eagain), 0, NULL},
	{"short", K_COUNT, F(short_calls), 0, NULL},
	{"errors", K_COUNT, F(errors), 0, NULL},
	{"mean", K_TIME_D, F(ns.mean), 0, NULL},
	{"stddev", K_TIME_D, F(ns.stddev), 0, NULL},
	{"min", K_TIME, F(ns.min), 0, NULL},
	{"p50", K_TIME, F(ns.p50), R_PCT, NULL},
	{"p90", K_TIME, F(ns.p90), R_PCT, NULL},
	{"p99", K_TIME, F(ns.p99), R_PCT, NULL},
	{"p99.9", K_TIME, F(ns.p999), R_PCT, NULL},
	{"max", K_TIME, F(ns.max), 0, NULL},
	{"1/mean", K_RATE, 0, R_PCT | R_USER, NULL},
	{"skbs/call", K_PER_CALL, F(skbs), R_KERNEL | R_SKBS, "%.2f"},
	{"data segs", K_COUNT, F(data_segs), R_KERNEL, NULL},
	{"size_goal", K_PER_CALL, F(size_goal_sum), R_KERNEL | R_SEND | R_SKBS, "%.0f B"},
	{"buf-limited", K_COUNT, F(full_queued), R_KERNEL | R_RECV, NULL},
	{"partial", K_COUNT, F(short_empty), R_KERNEL | R_RECV, NULL},
	{"short+queued", K_COUNT, F(short_queued), R_KERNEL | R_RECV, NULL},
	{"queued avg", K_PER_CALL, F(queued_sum), R_KERNEL | R_RECV, "%.0f B"},
};

struct table {
	const struct rp_calls *user; /* [RP_NDIR] */
	const struct rp_calls *kern; /* [RP_NDIR] or NULL */
	unsigned features;
	bool pct; /* per-worker rows: percentiles, 1/mean */
};

static bool cell_blank(const struct row *row, bool kernel, int dir)
{
	if (row->flags & (kernel ? R_USER : R_KERNEL))
		return true;
	return row->flags & (dir == RP_SEND ? R_RECV : R_SEND);
}

static void cell(char *b, size_t n, const struct row *row, const struct rp_calls *c, bool kernel,
		 int dir, unsigned feat)
{
	const char *p = (const char *)c + row->off;
	uint64_t u = 0;
	double d = 0;

	b[0] = '\0';
	if (row->kind == K_TIME_D)
		memcpy(&d, p, sizeof(d));
	else if (row->kind != K_RATE)
		memcpy(&u, p, sizeof(u));
	if (cell_blank(row, kernel, dir))
		return;
	if ((row->flags & R_SKBS) &&
	    !(feat & (dir == RP_SEND ? RP_FEAT_SENDMSG_LOCKED : RP_FEAT_SKB_COPY)))
		snprintf(b, n, "n/a");
	else if (row->kind == K_COUNT)
		fmt_count(b, n, u);
	else if ((row->kind == K_TIME || row->kind == K_TIME_D) && !c->ns.n)
		snprintf(b, n, "-");
	else if (row->kind == K_TIME || row->kind == K_TIME_D)
		report_fmt_ns(b, n, row->kind == K_TIME ? (double)u : d);
	else if (row->kind == K_PER_CALL && c->calls)
		snprintf(b, n, row->fmt, (double)u / (double)c->calls);
	else if (row->kind == K_RATE && c->ns.n && c->ns.mean > 0)
		snprintf(b, n, "%.0f/s", 1e9 / c->ns.mean);
	else
		snprintf(b, n, "-");
}

static bool row_shown(const struct table *t, const struct row *row)
{
	return (t->pct || !(row->flags & R_PCT)) && (t->kern || !(row->flags & R_KERNEL));
}

static void table_header(FILE *out, const struct table *t)
{
	if (!t->kern) {
		fprintf(out, "%-*s%*s%*s\n", LABEL_W, " user", CELL_W, "send", CELL_W, "recv");
		return;
	}
	fprintf(out, "%*s%*s  %*s\n", LABEL_W, "", 2 * CELL_W, "---------- send ----------",
		2 * CELL_W, "---------- recv ----------");
	fprintf(out, "%*s%*s%*s  %*s%*s\n", LABEL_W, "", CELL_W, "user", CELL_W, "kernel", CELL_W,
		"user", CELL_W, "kernel");
}

static void table_row(FILE *out, const struct table *t, const struct row *row)
{
	char b[4][48], line[160];
	int n;

	for (int d = 0; d < RP_NDIR; d++) {
		cell(b[2 * d], sizeof(b[0]), row, &t->user[d], false, d, t->features);
		if (t->kern)
			cell(b[2 * d + 1], sizeof(b[0]), row, &t->kern[d], true, d, t->features);
	}
	if (t->kern)
		n = snprintf(line, sizeof(line), " %-*s%*s%*s  %*s%*s", LABEL_W - 1, row->label,
			     CELL_W, b[0], CELL_W, b[1], CELL_W, b[2], CELL_W, b[3]);
	else
		n = snprintf(line, sizeof(line), " %-*s%*s%*s", LABEL_W - 1, row->label, CELL_W,
			     b[0], CELL_W, b[2]);
	while (n > 0 && line[n - 1] == ' ')
		n--;
	fprintf(out, "%.*s\n", n, line);
}

static void print_table(FILE *out, const struct table *t)
{
	table_header(out, t);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (row_shown(t, &rows[i]))
			table_row(out, t, &rows[i]);
}

static void print_hists(FILE *out, const struct rp_worker_report *w)
{
	static const char *const dir[RP_NDIR] = {"send", "recv"};
	char title[64];

	for (int d = 0; d < RP_NDIR; d++) {
		snprintf(title, sizeof(title), "%s, user time", dir[d]);
		report_print_log2(out, title, w->user[d].log2);
		if (!w->has_kernel)
			continue;
		snprintf(title, sizeof(title), "%s, kernel time", dir[d]);
		report_print_log2(out, title, w->kernel[d].log2);
	}
}

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
	tl_add(&l, "%s%s", r->target, r->has_sink ? " (embedded sink)" : "");
	tl_add(&l, "affinity %s", c->affinity ? "on" : "off");
	if (c->priority >= 0)
		tl_add(&l, "sched %s/%d", sched_name(c->sched), c->priority);
	else
		tl_add(&l, "sched %s/max", sched_name(c->sched));
	tl_add(&l, "probe %s", probe_name(c->probe));
	tl_end(&l);
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
	if ((r->features & all) == all)
		return;
	tl_begin(&l, out, "missing tracepoints: ", 2, ", ");
	for (int i = 0; i < RP_NFEATURES; i++)
		if (!(r->features & rp_features[i].bit))
			tl_add(&l, "%s (%s: n/a)", rp_features[i].tracepoint, rp_features[i].feeds);
	tl_end(&l);
}

static void print_errors(FILE *out, const struct rp_report *r)
{
	char prefix[32];

	if (r->partial)
		fprintf(out,
			"*** PARTIAL REPORT: a worker failed or the run was interrupted ***\n");
	for (int i = 0; i < r->nworkers; i++) {
		if (!r->workers[i].error[0])
			continue;
		snprintf(prefix, sizeof(prefix), "worker %d: ", r->workers[i].id);
		print_wrapped(out, prefix, r->workers[i].error);
	}
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
	if (w->reconnects)
		tl_add(&l, "reconnects %" PRIu64, w->reconnects);
	if (w->errors)
		tl_add(&l, "errors %" PRIu64, w->errors);
	tl_end(&l);
}

static void print_segments(FILE *out, const struct rp_report *r, const struct rp_worker_report *w)
{
	const struct rp_ktcp *k = &w->ktcp;
	const struct rp_tcpinfo *ti = &w->tcp_info;
	struct tline l;

	tl_begin(&l, out, " segments   ", 12, ", ");
	if (w->has_kernel) {
		bool same = k->data_segs_out == ti->data_segs_out &&
			    k->data_segs_in == ti->data_segs_in;

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
	if (r->features & RP_FEAT_RETRANSMIT)
		tl_add(&l, "retrans %" PRIu64, k->retransmits);
	else
		tl_add(&l, "retrans n/a");
	if (r->features & RP_FEAT_TCP_PROBE)
		tl_add(&l, "cwnd %" PRIu32 ", srtt %" PRIu32 " us", k->snd_cwnd, k->srtt_us);
	else
		tl_add(&l, "cwnd n/a, srtt n/a");
	tl_add(&l, "mss %" PRIu32, k->mss);
	tl_add(&l, "sockets %" PRIu64, k->sockets);
	tl_end(&l);
}

static void print_extra_recv(FILE *out, const struct rp_worker_report *w)
{
	struct rp_extra_recv x;
	struct tline l;
	char head[48];

	report_extra_recv(w, &x);
	snprintf(head, sizeof(head), " extra recv %" PRIu64 " = ", x.total);
	tl_begin(&l, out, head, 12, " + ");
	tl_add(&l, "buffer-limited %" PRIu64, x.buffer_limited);
	tl_add(&l, "partial arrival %" PRIu64, x.partial);
	tl_add(&l, "eagain %" PRIu64, x.eagain);
	if (x.failed)
		tl_add(&l, "failed %" PRIu64, x.failed);
	if (x.multi)
		tl_add(&l, "(-%" PRIu64 " multi-response)", x.multi);
	tl_end(&l);
	if (!x.has_kernel)
		return;
	tl_begin(&l, out, " evidence   ", 12, ", ");
	tl_add(&l, "kernel: %" PRIu64 " short reads left the queue empty", x.k_short_empty);
	tl_add(&l, "%" PRIu64 " full reads left bytes queued", x.k_full_queued);
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
	struct table t = {w->user, w->has_kernel ? w->kernel : NULL, r->features, true};

	fputc('\n', out);
	print_worker_line(out, w);
	print_table(out, &t);
	if (!w->has_kernel && r->backend != RP_BACKEND_OFF)
		fprintf(out, " kernel     no traced calls for this worker\n");
	print_segments(out, r, w);
	print_extra_recv(out, w);
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
				report_fmt_ns(m[d], sizeof(m[d]),
					      (double)c->ns_sum[d] / (double)c->calls[d]);
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
	struct table tab = {t->user, t->has_kernel ? t->kernel : NULL, r->features, false};
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
	tl_begin(&l, out, "in total: ", 2, ", ");
	tl_add(&l, "req. p/s: %.2f", t->seed_send_rate);
	tl_add(&l, "recv. p/s: %.2f", t->seed_recv_rate);
	if (t->seed_recv_rate > 0)
		tl_add(&l, "send/recv ratio: %.2f:1", t->seed_send_rate / t->seed_recv_rate);
	else
		tl_add(&l, "send/recv ratio: n/a");
	tl_end(&l);
	fprintf(out, "  (the seed's figures: 1 / mean call time, summed over workers)\n");
}

/* Kernel bytes compare with the user bytes of the workers it traced. */
static void print_bytes_check(FILE *out, const struct rp_report *r, int d)
{
	const struct rp_totals *t = &r->totals;
	uint64_t sink = d == RP_SEND ? r->sink.bytes_in : r->sink.bytes_out;
	uint64_t user = t->user[d].bytes, kern = t->kernel[d].bytes, traced = 0;
	const char *verdict = "";
	struct tline l;

	for (int i = 0; i < r->nworkers; i++)
		if (r->workers[i].has_kernel)
			traced += r->workers[i].user[d].bytes;
	if (t->has_kernel || r->has_sink)
		verdict = (!t->has_kernel || kern == traced) && (!r->has_sink || sink == user)
				  ? ": equal"
				  : ": DIFFER";
	tl_begin(&l, out, d == RP_SEND ? "  send bytes: " : "  recv bytes: ", 14, ", ");
	if (t->has_kernel && traced != user)
		tl_add(&l, "user %" PRIu64 " (%" PRIu64 " traced)", user, traced);
	else
		tl_add(&l, "user %" PRIu64 "%s", user, t->has_kernel || r->has_sink ? "" : verdict);
	if (t->has_kernel)
		tl_add(&l, "kernel %" PRIu64 "%s", kern, r->has_sink ? "" : verdict);
	if (r->has_sink)
		tl_add(&l, "sink %" PRIu64 "%s", sink, verdict);
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

static void print_counters(FILE *out, const char *head, const char *const *names, const uint64_t *v,
			   int n)
{
	struct tline l;

	tl_begin(&l, out, head, (int)strlen(head), ", ");
	for (int i = 0; i < n; i++)
		tl_add(&l, "%s %" PRIu64, names[i], v[i]);
	tl_end(&l);
}

static void print_sink(FILE *out, const struct rp_report *r, const struct rp_config *c)
{
	static const char *const names[] = {"requests",	 "responses", "connections",
					    "bytes in",	 "bytes out", "bad requests",
					    "too large", "rejected",  "errors"};
	static const char *const echo[] = {"messages", "recv calls", "short recvs", "corrupt"};
	const struct rp_sink_counters *s = &r->sink;
	const uint64_t v[] = {s->requests,  s->responses, s->connections,
			      s->bytes_in,  s->bytes_out, s->bad_requests,
			      s->too_large, s->rejected,  s->errors};
	const uint64_t e[] = {s->echo_messages, s->echo_recv_calls, s->echo_short_recvs,
			      s->echo_corrupt};

	print_counters(out, "sink: ", names, v, 9);
	if (c->echo_size || s->echo_messages)
		print_counters(out, "echo: ", echo, e, 4);
}

static void print_drops(FILE *out, const struct rp_report *r)
{
	struct tline l;
	bool any = false;

	for (int i = 0; i < RP_NDROPS; i++)
		any = any || r->drops[i];
	if (!any)
		return;
	tl_begin(&l, out, "kernel events lost: ", 2, ", ");
	for (int i = 0; i < RP_NDROPS; i++)
		if (r->drops[i] || i < RP_DROP_UNMATCHED + 1)
			tl_add(&l, "%s %" PRIu64, drop_name(i), r->drops[i]);
	tl_end(&l);
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
	print_backend(out, r, c);
	if (c->trim_sigma > 0)
		fprintf(out, "times: samples beyond %.1f sigma dropped (the seed's filter)\n",
			c->trim_sigma);
	print_errors(out, r);
	for (int i = 0; i < r->nworkers; i++)
		print_worker(out, r, &r->workers[i], flags);
	if (r->ncpus > 0)
		print_cpus(out, r);
	print_totals(out, r);
	print_integrity(out, r);
	if (r->has_sink)
		print_sink(out, r, c);
	print_drops(out, r);
	if (r->partial)
		fprintf(out, "*** PARTIAL REPORT ***\n");
	return ferror(out) ? -1 : 0;
}
