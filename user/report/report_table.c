// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The side-by-side table: one row per figure, user | kernel, send | recv. */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "report_text.h"
#include "schema.h"

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
};

/* A time row: one figure of the "ns" summary (struct rp_summary). */
struct time_row {
	const char *label;
	enum cell_kind kind;
	size_t off; /* in struct rp_summary */
	unsigned flags; /* R_* */
	bool brief; /* also in the summary's table */
};

#define S(field) offsetof(struct rp_summary, field)

static const struct time_row time_rows[] = {
	{"mean", K_TIME_D, S(mean), 0, true},
	{"stddev", K_TIME_D, S(stddev), 0, false},
	{"min", K_TIME, S(min), 0, true},
	{"p50", K_TIME, S(p50), R_PCT, false},
	{"p90", K_TIME, S(p90), R_PCT, false},
	{"p99", K_TIME, S(p99), R_PCT, false},
	{"p99.9", K_TIME, S(p999), R_PCT, false},
	{"max", K_TIME, S(max), 0, true},
	{"1/mean", K_RATE, 0, R_PCT | R_USER, false},
};

/* One table row: a counter of the rp_calls description, or a time row. */
struct row {
	const struct rp_field *f; /* NULL: a time row */
	const struct time_row *t;
};

static bool cell_blank(const struct row *row, bool kernel, int dir)
{
	unsigned fl = row->f ? row->f->flags : 0;

	if (row->t && (row->t->flags & R_USER) && kernel)
		return true;
	if ((fl & RP_FF_KERNEL) && !kernel)
		return true;
	return fl & (dir == RP_SEND ? RP_FF_RECV : RP_FF_SEND);
}

static void time_cell(char *b, size_t n, const struct time_row *t, const struct rp_calls *c)
{
	const char *p = (const char *)&c->ns + t->off;
	uint64_t u = 0;
	double d = 0;

	if (t->kind == K_TIME_D)
		memcpy(&d, p, sizeof(d));
	else if (t->kind == K_TIME)
		memcpy(&u, p, sizeof(u));
	if (t->kind == K_RATE && c->ns.n && c->ns.mean > 0)
		snprintf(b, n, "%.0f/s", 1e9 / c->ns.mean);
	else if (t->kind == K_RATE || !c->ns.n)
		snprintf(b, n, "-");
	else
		report_fmt_ns(b, n, t->kind == K_TIME ? (double)u : d);
}

static void cell(char *b, size_t n, const struct row *row, const struct rp_calls *c, bool kernel,
		 int dir, unsigned feat)
{
	const struct rp_field *f = row->f;

	b[0] = '\0';
	if (cell_blank(row, kernel, dir))
		return;
	if (row->t)
		time_cell(b, n, row->t, c);
	else if (!field_have(f, dir, feat))
		snprintf(b, n, "n/a");
	else if (!f->per_call)
		fmt_count(b, n, field_u64(c, f));
	else if (c->calls > c->untimed)
		snprintf(b, n, f->per_call,
			 (double)field_u64(c, f) / (double)(c->calls - c->untimed));
	else
		snprintf(b, n, "-");
}

static bool row_shown(const struct table *t, const struct row *row)
{
	unsigned fl = row->f ? row->f->flags : 0;
	bool brief = row->f ? fl & RP_FF_BRIEF : row->t->brief;
	unsigned rfl = row->t ? row->t->flags : 0;

	if (t->brief && !brief)
		return false;
	if ((rfl & R_USER) && !t->user)
		return false;
	return (t->pct || !(rfl & R_PCT)) && (t->kern || !(fl & RP_FF_KERNEL));
}

static void table_header(FILE *out, const struct table *t)
{
	if (!t->kern || !t->user) {
		fprintf(out, "%-*s%*s%*s\n", LABEL_W, t->kern ? " kernel" : " user", CELL_W, "send",
			CELL_W, "recv");
		return;
	}
	fprintf(out, "%*s%*s  %*s\n", LABEL_W, "", 2 * CELL_W, "---------- send ----------",
		2 * CELL_W, "---------- recv ----------");
	fprintf(out, "%*s%*s%*s  %*s%*s\n", LABEL_W, "", CELL_W, "user", CELL_W, "kernel", CELL_W,
		"user", CELL_W, "kernel");
}

static void table_row(FILE *out, const struct table *t, const struct row *row, const char *label)
{
	/* Room for the widest row: four full cells; n is clamped anyway. */
	char b[4][48], line[LABEL_W + 4 * 48 + 8];
	int n;

	for (int d = 0; d < RP_NDIR; d++) {
		b[2 * d][0] = b[2 * d + 1][0] = '\0';
		if (t->user)
			cell(b[2 * d], sizeof(b[0]), row, &t->user[d], false, d, t->features);
		if (t->kern)
			cell(b[2 * d + 1], sizeof(b[0]), row, &t->kern[d], true, d, t->features);
	}
	if (t->kern && t->user)
		n = snprintf(line, sizeof(line), " %-*s%*s%*s  %*s%*s", LABEL_W - 1, label, CELL_W,
			     b[0], CELL_W, b[1], CELL_W, b[2], CELL_W, b[3]);
	else
		n = snprintf(line, sizeof(line), " %-*s%*s%*s", LABEL_W - 1, label, CELL_W,
			     b[t->user ? 0 : 1], CELL_W, b[t->user ? 2 : 3]);
	if (n >= (int)sizeof(line))
		n = (int)sizeof(line) - 1;
	while (n > 0 && line[n - 1] == ' ')
		n--;
	fprintf(out, "%.*s\n", n, line);
}

/* The rp_calls description's rows in its order; its "ns" summary expands
 * into the time rows. */
void print_table(FILE *out, const struct table *t)
{
	const struct rp_family *fam = &rp_calls_family;

	table_header(out, t);
	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];

		if (f->kind == RP_FK_SUMMARY) {
			for (size_t k = 0; k < sizeof(time_rows) / sizeof(time_rows[0]); k++) {
				struct row r = {NULL, &time_rows[k]};

				if (row_shown(t, &r))
					table_row(out, t, &r, time_rows[k].label);
			}
		} else if (f->label) {
			struct row r = {f, NULL};

			if (row_shown(t, &r))
				table_row(out, t, &r, f->label);
		}
	}
}

int family_text_items(struct tline *l, const struct rp_family *fam, const void *base, unsigned mask,
		      unsigned want, unsigned features)
{
	int n = 0;

	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];
		bool unit = f->flags & RP_FF_UNIT;

		if (!f->label || (f->flags & mask) != want ||
		    (f->kind != RP_FK_U64 && f->kind != RP_FK_U32))
			continue;
		if (!field_have(f, -1, features))
			tl_add(l, "%s n/a", f->label);
		else
			tl_add(l, "%s %" PRIu64 "%s%s", f->label, field_u64(base, f),
			       unit ? " " : "", unit ? f->unit : "");
		n++;
	}
	return n;
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
