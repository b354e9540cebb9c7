/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Private to the text report: line wrapping and the side-by-side table. */
#ifndef REQPERF_REPORT_TEXT_H
#define REQPERF_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "report.h"

#define MAX_COL 79 /* last usable column */
#define LABEL_W 13
#define CELL_W 13

/* A line of separated items that wraps before MAX_COL, indented after. */
struct tline {
	FILE *out;
	const char *sep; /* ", ", "  " or " + " */
	int len;
	int indent;
	int items;
};

void tl_begin(struct tline *l, FILE *out, const char *head, int indent, const char *sep);
void tl_add(struct tline *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tl_end(struct tline *l);
/* prefix + text, wrapped at MAX_COL. */
void print_wrapped(FILE *out, const char *prefix, const char *text);
/* Counts wider than a cell switch to "%.4g" so columns never overflow. */
void fmt_count(char *b, size_t n, uint64_t v);

/* "label value" items of fam's labelled fields in base whose flags &
 * mask == want (schema.h), "n/a" when a needed RP_FEAT_* feature is
 * missing. Returns the items added. */
struct rp_family;
int family_text_items(struct tline *l, const struct rp_family *fam, const void *base, unsigned mask,
		      unsigned want, unsigned features);

/* The sink's counters as "label value" items (rp_sink_family): the
 * "sink:" line, then the "echo:" line (echo mode, or any echo message) or
 * its TCP_INFO lines. The run report's and `reqperf sink`'s summary. */
struct rp_sink_counters;
void report_sink_text(FILE *out, const struct rp_sink_counters *s, bool echo);

/* User and kernel columns side by side for send and recv. */
struct table {
	const struct rp_calls *user; /* [RP_NDIR] */
	const struct rp_calls *kern; /* [RP_NDIR] or NULL */
	unsigned features;
	bool pct; /* per-worker rows: percentiles, 1/mean */
	bool brief; /* the summary's rows only: calls, mean, min, max */
};

void print_table(FILE *out, const struct table *t);
/* log2 histograms of user vs kernel time (--hist). */
void print_hists(FILE *out, const struct rp_worker_report *w);

/* The verdict block and the one-line-per-worker table (report_summary.c). */
void report_summary_text(FILE *out, const struct rp_report *r, const struct rp_config *c);
void report_workers_text(FILE *out, const struct rp_report *r);
/* The seed's "in total: req. p/s: ..." line. */
void report_seed_rates_text(FILE *out, const struct rp_totals *t);

#endif /* REQPERF_REPORT_TEXT_H */
