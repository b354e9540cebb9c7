/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A small SVG writer for self-contained plots: a document, text, and plot
 * frames with linear or log10 axes that map data to pixels. Everything is
 * written straight to a FILE; no external assets, no scripts.
 */
#ifndef REQPERF_SVG_H
#define REQPERF_SVG_H

#include <stdbool.h>
#include <stdio.h>

struct svg_axis {
	double lo, hi;
	bool log; /* log10; lo must be > 0 */
};

/* A plot area in pixels and the data range it shows. */
struct svg_plot {
	FILE *out;
	double x, y, w, h; /* top left corner, size */
	struct svg_axis ax, ay;
};

/* Opens the document (width x height px) with a title and the styles. */
void svg_begin(FILE *out, int width, int height, const char *title);
void svg_end(FILE *out);
/* Text at (x, y); anchor "start", "middle" or "end"; cls a style class. */
void svg_text(FILE *out, double x, double y, const char *anchor, const char *cls, const char *fmt,
	      ...) __attribute__((format(printf, 6, 7)));
/* s with XML's five special characters escaped. */
void svg_escaped(FILE *out, const char *s);

/* Data to pixels; values outside the range clamp to its edge. */
double svg_px(const struct svg_plot *p, double v);
double svg_py(const struct svg_plot *p, double v);
enum {
	SVG_X_NS = 1 << 0, /* x ticks are durations in ns */
	SVG_X_NONE = 1 << 1, /* no x ticks: the caller labels categories */
};
/* Frame, grid, ticks and labels; flags SVG_X_*. */
void svg_frame(const struct svg_plot *p, const char *title, const char *xlabel, const char *ylabel,
	       unsigned flags);
/* A legend entry at (x, y). */
void svg_legend(FILE *out, double x, double y, const char *color, const char *label);

/* "1.5 us" style duration text (cap >= 16). */
void svg_fmt_ns(char *buf, size_t cap, double ns);

#endif /* REQPERF_SVG_H */
