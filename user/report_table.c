// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The side-by-side table: one row per figure, user | kernel, send | recv. */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "report_text.h"

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
	{"full+queued", K_COUNT, F(full_queued), R_KERNEL | R_RECV, NULL},
	{"short+empty", K_COUNT, F(short_empty), R_KERNEL | R_RECV, NULL},
	{"short+queued", K_COUNT, F(short_queued), R_KERNEL | R_RECV, NULL},
	{"queued avg", K_PER_CALL, F(queued_sum), R_KERNEL | R_RECV, "%.0f B"},
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
	/* Room for the widest row: four full cells; n is clamped anyway. */
	char b[4][48], line[LABEL_W + 4 * 48 + 8];
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
	if (n >= (int)sizeof(line))
		n = (int)sizeof(line) - 1;
	while (n > 0 && line[n - 1] == ' ')
		n--;
	fprintf(out, "%.*s\n", n, line);
}

void print_table(FILE *out, const struct table *t)
{
	table_header(out, t);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (row_shown(t, &rows[i]))
			table_row(out, t, &rows[i]);
}

void print_hists(FILE *out, const struct rp_worker_report *w)
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
