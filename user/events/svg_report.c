// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The SVG report of a run's per-call events: user vs kernel latency of
 * send and recv (log scale), recv calls per response, skbs per recv and
 * the recv classes. Every series is a group or polyline with an id and
 * its counts as data-* attributes, so a test can read the numbers back.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "events.h"
#include "svg.h"

#define WIDTH 960
#define HEIGHT 880
#define PANEL_W 360
#define PANEL_H 190
#define COL0 80
#define COL1 560
#define ROW0 120
#define ROW1 400
#define ROW2 680

static const char *const side_color[RP_EV_SIDES] = {"#1f77b4", "#d62728"};
static const char *const side_name[RP_EV_SIDES] = {"user", "kernel"};

static const char *const class_color[RP_NCLASSES] = {
	[RP_EC_SEND] = "#999",	    [RP_EC_FULL] = "#2ca02c",	      [RP_EC_PARTIAL] = "#ff7f0e",
	[RP_EC_BUFFER] = "#1f77b4", [RP_EC_SHORT_QUEUED] = "#9467bd", [RP_EC_EXACT] = "#17becf",
	[RP_EC_EAGAIN] = "#7f7f7f", [RP_EC_ERROR] = "#d62728",	      [RP_EC_EOF] = "#8c564b",
};

static uint64_t sum(const uint64_t *v, int n)
{
	uint64_t s = 0;

	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* Smallest and largest used latency bucket over both sides. */
static bool lat_range(const struct rp_ev_worker *t, int dir, int *lo, int *hi)
{
	*lo = RP_EV_LAT_SLOTS;
	*hi = -1;
	for (int s = 0; s < RP_EV_SIDES; s++)
		for (int i = 0; i < RP_EV_LAT_SLOTS; i++)
			if (t->lat[s][dir][i]) {
				*lo = i < *lo ? i : *lo;
				*hi = i > *hi ? i : *hi;
			}
	return *hi >= 0;
}

static double max_share(const struct rp_ev_worker *t, int dir)
{
	double m = 0;

	for (int s = 0; s < RP_EV_SIDES; s++) {
		uint64_t n = sum(t->lat[s][dir], RP_EV_LAT_SLOTS);

		for (int i = 0; n && i < RP_EV_LAT_SLOTS; i++)
			m = fmax(m, 100.0 * (double)t->lat[s][dir][i] / (double)n);
	}
	return m;
}

/* One side's distribution as steps over its buckets, in % of its calls. */
static void lat_series(const struct svg_plot *p, const struct rp_ev_worker *t, int side, int dir,
		       int lo, int hi)
{
	const uint64_t *h = t->lat[side][dir];
	uint64_t n = sum(h, RP_EV_LAT_SLOTS);

	fprintf(p->out,
		"<polyline id=\"%s-%s\" class=\"series\" stroke=\"%s\" data-calls=\"%" PRIu64
		"\" points=\"",
		dir == RP_SEND ? "send" : "recv", side_name[side], side_color[side], n);
	for (int i = lo; n && i <= hi; i++) {
		double y = svg_py(p, 100.0 * (double)h[i] / (double)n);

		fprintf(p->out, "%.1f,%.1f %.1f,%.1f ",
			svg_px(p, (double)events_lat_low((uint32_t)i)), y,
			svg_px(p, (double)events_lat_low((uint32_t)i + 1)), y);
	}
	fputs("\"/>\n", p->out);
}

static void lat_panel(FILE *out, const struct rp_ev_worker *t, int dir, double x, double y)
{
	struct svg_plot p = {out, x, y, PANEL_W, PANEL_H, {1, 10, true}, {0, 1, false}};
	int lo, hi;

	if (lat_range(t, dir, &lo, &hi)) {
		p.ax.lo = pow(10, floor(log10(fmax(1, (double)events_lat_low((uint32_t)lo)))));
		p.ax.hi = pow(10, ceil(log10((double)events_lat_low((uint32_t)hi + 1))));
		p.ay.hi = ceil(max_share(t, dir) * 1.1);
	}
	svg_frame(&p, dir == RP_SEND ? "send() time per call" : "recv() time per call",
		  "time per call (log scale)", "% of calls", SVG_X_NS);
	for (int s = 0; s < RP_EV_SIDES && hi >= 0; s++)
		lat_series(&p, t, s, dir, lo, hi);
	svg_legend(out, x + PANEL_W - 150, y + 16, side_color[0], "user (around the call)");
	svg_legend(out, x + PANEL_W - 150, y + 30, side_color[1], "kernel");
}

/* Vertical bars over categories 0..n-1, the last one "n-1+". */
static void bar_panel(FILE *out, const char *id, const char *title, const char *xlabel,
		      const char *ylabel, const uint64_t *v, int n, double x, double y)
{
	struct svg_plot p = {out, x, y, PANEL_W, PANEL_H, {0, n, false}, {0, 1, false}};
	double bw = PANEL_W / (double)n;
	uint64_t max = 0;

	for (int i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	p.ay.hi = max ? (double)max * 1.1 : 1;
	svg_frame(&p, title, xlabel, ylabel, SVG_X_NONE);
	fprintf(out, "<g id=\"%s\" data-total=\"%" PRIu64 "\" fill=\"#1f77b4\">\n", id, sum(v, n));
	for (int i = 0; i < n; i++) {
		double top = svg_py(&p, (double)v[i]);

		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" data-x=\"%d\" "
			"data-count=\"%" PRIu64 "\"/>\n",
			x + i * bw + bw * 0.1, top, bw * 0.8, y + PANEL_H - top, i, v[i]);
		svg_text(out, x + (i + 0.5) * bw, y + PANEL_H + 14, "middle", "small", "%d%s", i,
			 i == n - 1 ? "+" : "");
	}
	fputs("</g>\n", out);
}

static void class_panel(FILE *out, const struct rp_ev_worker *t, double x, double y)
{
	double w = COL1 + PANEL_W - x - 160, row = 20;
	uint64_t max = 1;

	for (int c = RP_EC_FULL; c < RP_NCLASSES; c++)
		max = t->cls[c] > max ? t->cls[c] : max;
	svg_text(out, x - 60, y - 8, "start", "ptitle", "recv calls by class (all workers)");
	fprintf(out, "<g id=\"classes\" data-recv-calls=\"%" PRIu64 "\">\n", t->calls[RP_RECV]);
	for (int c = RP_EC_FULL; c < RP_NCLASSES; c++) {
		double cy = y + (c - RP_EC_FULL) * row, len = w * (double)t->cls[c] / (double)max;

		svg_text(out, x + 40, cy + 13, "end", NULL, "%s", events_class_name(c));
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
			"data-class=\"%s\" data-count=\"%" PRIu64 "\"/>\n",
			x + 50, cy + 2, len, row - 5, class_color[c], events_class_name(c),
			t->cls[c]);
		svg_text(out, x + 56 + len, cy + 13, "start", "small", "%" PRIu64, t->cls[c]);
	}
	fputs("</g>\n", out);
}

static void header(FILE *out, const struct rp_ev_summary *s, const char *title)
{
	const struct rp_ev_worker *t = &s->total;
	const uint64_t *c = t->cls;

	svg_text(out, 20, 30, "start", "title", "%s", title);
	svg_text(out, 20, 52, "start", NULL,
		 "join: %s, %" PRIu64 " of %" PRIu64 " user calls paired with a kernel call;"
		 " lost: user %" PRIu64 ", kernel %" PRIu64,
		 events_state_name(t->state), t->joined, t->events[RP_EV_USER], t->lost[RP_EV_USER],
		 t->lost[RP_EV_KERNEL]);
	svg_text(out, 20, 70, "start", NULL,
		 "recv calls %" PRIu64 " = responses %" PRIu64 " + extra %" PRId64
		 " (partial %" PRIu64 ", buffer %" PRIu64 ", short-q %" PRIu64 ", exact %" PRIu64
		 ", eagain %" PRIu64 ", error/eof %" PRIu64 ", - surplus %" PRIu64 ")",
		 t->calls[RP_RECV], t->responses, events_extra(t), c[RP_EC_PARTIAL],
		 c[RP_EC_BUFFER], c[RP_EC_SHORT_QUEUED], c[RP_EC_EXACT], c[RP_EC_EAGAIN],
		 c[RP_EC_ERROR] + c[RP_EC_EOF], t->multi);
	svg_text(out, 20, 88, "start", NULL,
		 "integrity: %" PRIu64 " body bytes verified %s, %" PRIu64
		 " corrupt; recv bytes user %" PRIu64 ", kernel %" PRIu64,
		 t->body_bytes, s->echo ? "byte by byte" : "by CRC32", t->crc_errors,
		 t->bytes[RP_EV_USER][RP_RECV], t->bytes[RP_EV_KERNEL][RP_RECV]);
}

int events_write_svg(FILE *out, const struct rp_ev_summary *s, const char *title)
{
	const struct rp_ev_worker *t = &s->total;

	svg_begin(out, WIDTH, HEIGHT, title);
	header(out, s, title);
	lat_panel(out, t, RP_SEND, COL0, ROW0);
	lat_panel(out, t, RP_RECV, COL1, ROW0);
	bar_panel(out, "calls-per-response", "recv calls per response", "recv calls", "responses",
		  t->cpr, RP_EV_CPR_SLOTS, COL0, ROW1);
	bar_panel(out, "skbs-per-recv", "skbs drained per data recv", "skbs", "recv calls",
		  t->skbs_per_recv, RP_SKB_SLOTS, COL1, ROW1);
	class_panel(out, t, COL0 + 60, ROW2);
	svg_end(out);
	return ferror(out) ? -1 : 0;
}
