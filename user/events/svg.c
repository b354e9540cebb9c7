// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* SVG primitives: document, escaped text, axes with ticks and a grid. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "svg.h"

#define TICK 4

static const char style[] = "text{font-family:sans-serif;font-size:11px;fill:#222}"
			    ".title{font-size:16px;font-weight:bold}"
			    ".ptitle{font-size:13px;font-weight:bold}"
			    ".small{font-size:10px;fill:#555}"
			    ".frame{fill:none;stroke:#444;stroke-width:1}"
			    ".grid{stroke:#ddd;stroke-width:1}"
			    ".series{fill:none;stroke-width:1.8}";

void svg_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

void svg_begin(FILE *out, int width, int height, const char *title)
{
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\">\n<title>",
		width, height, width, height);
	svg_escaped(out, title);
	fprintf(out, "</title>\n<style>%s</style>\n", style);
	fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", width, height);
}

void svg_end(FILE *out)
{
	fputs("</svg>\n", out);
}

void svg_text(FILE *out, double x, double y, const char *anchor, const char *cls, const char *fmt,
	      ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y, anchor);
	if (cls)
		fprintf(out, " class=\"%s\"", cls);
	fputc('>', out);
	svg_escaped(out, buf);
	fputs("</text>\n", out);
}

static double frac(const struct svg_axis *a, double v)
{
	double f;

	if (a->log) {
		v = v > a->lo ? v : a->lo;
		f = (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	} else {
		f = (v - a->lo) / (a->hi - a->lo);
	}
	return f < 0 ? 0 : f > 1 ? 1 : f;
}

double svg_px(const struct svg_plot *p, double v)
{
	return p->x + frac(&p->ax, v) * p->w;
}

double svg_py(const struct svg_plot *p, double v)
{
	return p->y + p->h - frac(&p->ay, v) * p->h;
}

void svg_fmt_ns(char *b, size_t n, double ns)
{
	static const char *const unit[] = {"ns", "us", "ms", "s"};
	int u = 0;

	while (ns >= 1000 && u < 3) {
		ns /= 1000;
		u++;
	}
	snprintf(b, n, ns == floor(ns) ? "%.0f %s" : "%.1f %s", ns, unit[u]);
}

/* A step of 1, 2 or 5 times a power of ten, about range / 5. */
static double nice_step(double range)
{
	double p = pow(10, floor(log10(range / 5))), f = range / 5 / p;

	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static void tick_label(char *b, size_t n, double v, bool ns)
{
	if (ns)
		svg_fmt_ns(b, n, v);
	else if (fabs(v) >= 1e6)
		snprintf(b, n, "%.3g", v);
	else
		snprintf(b, n, "%g", v);
}

static void x_tick(const struct svg_plot *p, double v, bool ns)
{
	double x = svg_px(p, v), y = p->y + p->h;
	char label[32];

	fprintf(p->out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		x, p->y, x, y);
	fprintf(p->out, "<line class=\"frame\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		x, y, x, y + TICK);
	tick_label(label, sizeof(label), v, ns);
	svg_text(p->out, x, y + TICK + 11, "middle", "small", "%s", label);
}

static void y_tick(const struct svg_plot *p, double v)
{
	double y = svg_py(p, v);
	char label[32];

	fprintf(p->out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		p->x, y, p->x + p->w, y);
	tick_label(label, sizeof(label), v, false);
	svg_text(p->out, p->x - TICK - 2, y + 3.5, "end", "small", "%s", label);
}

static void ticks(const struct svg_plot *p, const struct svg_axis *a, bool x, bool ns)
{
	double v, step;

	if (a->log) {
		for (v = pow(10, ceil(log10(a->lo) - 1e-9)); v <= a->hi * (1 + 1e-9); v *= 10)
			x ? x_tick(p, v, ns) : y_tick(p, v);
		return;
	}
	step = nice_step(a->hi - a->lo);
	for (v = ceil(a->lo / step) * step; v <= a->hi + step * 1e-9; v += step)
		x ? x_tick(p, v, ns) : y_tick(p, v);
}

void svg_frame(const struct svg_plot *p, const char *title, const char *xlabel, const char *ylabel,
	       unsigned flags)
{
	if (!(flags & SVG_X_NONE))
		ticks(p, &p->ax, true, flags & SVG_X_NS);
	ticks(p, &p->ay, false, false);
	fprintf(p->out,
		"<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		p->x, p->y, p->w, p->h);
	svg_text(p->out, p->x, p->y - 8, "start", "ptitle", "%s", title);
	svg_text(p->out, p->x + p->w / 2, p->y + p->h + 30, "middle", NULL, "%s", xlabel);
	fprintf(p->out,
		"<text transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\">",
		p->x - 42, p->y + p->h / 2);
	svg_escaped(p->out, ylabel);
	fputs("</text>\n", p->out);
}

void svg_legend(FILE *out, double x, double y, const char *color, const char *label)
{
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"4\" fill=\"%s\"/>\n", x,
		y - 4, color);
	svg_text(out, x + 16, y, "start", "small", "%s", label);
}
