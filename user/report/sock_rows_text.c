// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Traced sockets as a text table (`reqperf trace`): a column per labelled
 * field of rp_sockrow_family, the per-direction ones (rp_sockdir_family)
 * headed "s." (send) and "r." (recv); each column as wide as its widest
 * cell. Pure: rows in, text out.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "sock_rows.h"

#define CELL 64
#define MAX_COLS 32

struct col {
	const struct rp_field *f;
	const struct rp_field *in; /* the NESTED direction it is in, or NULL */
	int width;
};

static size_t columns(struct col *c)
{
	size_t n = 0;

	for (size_t i = 0; i < rp_sockrow_family.n && n < MAX_COLS; i++) {
		const struct rp_field *f = &rp_sockrow_family.fields[i];

		if (!f->label)
			continue;
		if (f->kind != RP_FK_NESTED) {
			c[n++] = (struct col){f, NULL, 0};
			continue;
		}
		for (size_t k = 0; k < rp_sockdir_family.n && n < MAX_COLS; k++) {
			const struct rp_field *d = &rp_sockdir_family.fields[k];

			if (d->label && (!(d->flags & RP_FF_RECV) || (f->flags & RP_FF_RECV)))
				c[n++] = (struct col){d, f, 0};
		}
	}
	return n;
}

static void head(char *b, const struct col *c)
{
	snprintf(b, CELL, "%s%s", c->in ? c->in->label : "", c->f->label);
}

static void cell(char *b, const struct col *c, const struct rp_sock_row *r)
{
	const void *base = c->in ? (const void *)((const char *)r + c->in->off) : r;

	if (c->f->kind == RP_FK_STR)
		snprintf(b, CELL, "%s", (const char *)base + c->f->off);
	else if (c->f->kind == RP_FK_BOOL && c->f->texts)
		snprintf(b, CELL, "%s", c->f->texts[field_u64(base, c->f) ? 1 : 0]);
	else
		snprintf(b, CELL, "%" PRIu64, field_u64(base, c->f));
}

static void line(FILE *out, const struct col *c, size_t nc, const struct rp_sock_row *r)
{
	char b[CELL];

	for (size_t i = 0; i < nc; i++) {
		bool left = c[i].f->kind == RP_FK_STR;

		if (r)
			cell(b, &c[i], r);
		else
			head(b, &c[i]);
		fprintf(out, "%s%*s", i ? " " : "", left ? -c[i].width : c[i].width, b);
	}
	fputc('\n', out);
}

int sock_rows_text(FILE *out, const struct rp_sock_row *rows, size_t n)
{
	struct col c[MAX_COLS];
	size_t nc = columns(c);
	char b[CELL];

	for (size_t i = 0; i < nc; i++) {
		head(b, &c[i]);
		c[i].width = (int)strlen(b);
		for (size_t k = 0; k < n; k++) {
			cell(b, &c[i], &rows[k]);
			if ((int)strlen(b) > c[i].width)
				c[i].width = (int)strlen(b);
		}
	}
	line(out, c, nc, NULL);
	for (size_t k = 0; k < n; k++)
		line(out, c, nc, &rows[k]);
	return ferror(out) ? -1 : 0;
}
