// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Text lines that wrap before column 80, for the human report. */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "report_text.h"

void fmt_count(char *b, size_t n, uint64_t v)
{
	if (snprintf(b, n, "%" PRIu64, v) >= CELL_W)
		snprintf(b, n, "%.4g", (double)v);
}

void tl_begin(struct tline *l, FILE *out, const char *head, int indent, const char *sep)
{
	l->out = out;
	l->sep = sep;
	l->indent = indent;
	l->items = 0;
	l->len = fprintf(out, "%.*s", MAX_COL - 20, head);
}

void tl_add(struct tline *l, const char *fmt, ...)
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

void tl_end(struct tline *l)
{
	fputc('\n', l->out);
}

/* Free text (an error message) wrapped at spaces after a prefix. */
void print_wrapped(FILE *out, const char *prefix, const char *text)
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
