// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void json_init(struct json_writer *w, FILE *out, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

static void newline_indent(struct json_writer *w, int depth)
{
	if (!w->pretty)
		return;
	fputc('\n', w->out);
	for (int i = 0; i < depth; i++)
		fputs("  ", w->out);
}

/* Commas, indentation and key bookkeeping before any value. */
static bool pre_value(struct json_writer *w, bool container)
{
	struct json_level *l;

	if (w->done) {
		w->error = true;
		return false;
	}
	if (w->depth == 0)
		return true;
	l = &w->lv[w->depth - 1];
	if (!l->array) {
		if (!w->have_key) {
			w->error = true;
			return false;
		}
		w->have_key = false;
		return true;
	}
	if (l->count)
		fputc(',', w->out);
	if (container) {
		newline_indent(w, w->depth);
		l->multiline = true;
	} else if (l->count && w->pretty) {
		fputc(' ', w->out);
	}
	l->count++;
	return true;
}

static void post_value(struct json_writer *w)
{
	if (w->depth == 0)
		w->done = true;
}

static void begin(struct json_writer *w, bool array)
{
	if (!pre_value(w, true))
		return;
	if (w->depth == JSON_MAX_DEPTH) {
		w->error = true;
		return;
	}
	w->lv[w->depth].array = array;
	w->lv[w->depth].multiline = false;
	w->lv[w->depth].count = 0;
	w->depth++;
	fputc(array ? '[' : '{', w->out);
}

static void end(struct json_writer *w, bool array)
{
	struct json_level *l;

	if (w->depth == 0 || w->have_key) {
		w->error = true;
		return;
	}
	l = &w->lv[w->depth - 1];
	if (l->array != array) {
		w->error = true;
		return;
	}
	w->depth--;
	if (l->multiline)
		newline_indent(w, w->depth);
	fputc(array ? ']' : '}', w->out);
	post_value(w);
}

void json_begin_object(struct json_writer *w)
{
	begin(w, false);
}

void json_end_object(struct json_writer *w)
{
	end(w, false);
}

void json_begin_array(struct json_writer *w)
{
	begin(w, true);
}

void json_end_array(struct json_writer *w)
{
	end(w, true);
}

/* Length of the valid UTF-8 sequence at s (s[0] >= 0x80), 0 if invalid. */
static int utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	int n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (int i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static const char *short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	}
	return NULL;
}

static void write_escaped(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		const char *esc = short_escape(*s);
		int n = 1;

		if (esc)
			fputs(esc, out);
		else if (*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else if (*s < 0x80)
			fputc(*s, out);
		else if ((n = utf8_seq_len(s)) > 0)
			fwrite(s, 1, n, out);
		else
			fputs("\\ufffd", out);
		s += n > 0 ? n : 1;
	}
	fputc('"', out);
}

void json_key(struct json_writer *w, const char *key)
{
	struct json_level *l;

	if (w->depth == 0 || w->have_key || w->lv[w->depth - 1].array || !key) {
		w->error = true;
		return;
	}
	l = &w->lv[w->depth - 1];
	if (l->count)
		fputc(',', w->out);
	newline_indent(w, w->depth);
	l->multiline = true;
	l->count++;
	write_escaped(w->out, key);
	fputs(w->pretty ? ": " : ":", w->out);
	w->have_key = true;
}

void json_string(struct json_writer *w, const char *s)
{
	if (!s) {
		json_null(w);
		return;
	}
	if (!pre_value(w, false))
		return;
	write_escaped(w->out, s);
	post_value(w);
}

void json_u64(struct json_writer *w, uint64_t v)
{
	if (!pre_value(w, false))
		return;
	fprintf(w->out, "%" PRIu64, v);
	post_value(w);
}

void json_i64(struct json_writer *w, int64_t v)
{
	if (!pre_value(w, false))
		return;
	fprintf(w->out, "%" PRId64, v);
	post_value(w);
}

int json_format_double(char *buf, size_t cap, double v)
{
	int n = 0;

	if (!isfinite(v))
		return -1;
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, cap, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return n;
}

void json_double(struct json_writer *w, double v)
{
	char buf[40];

	if (json_format_double(buf, sizeof(buf), v) < 0) {
		json_null(w);
		return;
	}
	if (!pre_value(w, false))
		return;
	fputs(buf, w->out);
	post_value(w);
}

void json_bool(struct json_writer *w, bool v)
{
	if (!pre_value(w, false))
		return;
	fputs(v ? "true" : "false", w->out);
	post_value(w);
}

void json_null(struct json_writer *w)
{
	if (!pre_value(w, false))
		return;
	fputs("null", w->out);
	post_value(w);
}

int json_finish(struct json_writer *w)
{
	if (w->pretty && w->done)
		fputc('\n', w->out);
	if (w->error || !w->done || w->depth || ferror(w->out))
		return -1;
	return 0;
}

void json_kv_string(struct json_writer *w, const char *key, const char *s)
{
	json_key(w, key);
	json_string(w, s);
}

void json_kv_u64(struct json_writer *w, const char *key, uint64_t v)
{
	json_key(w, key);
	json_u64(w, v);
}

void json_kv_i64(struct json_writer *w, const char *key, int64_t v)
{
	json_key(w, key);
	json_i64(w, v);
}

void json_kv_double(struct json_writer *w, const char *key, double v)
{
	json_key(w, key);
	json_double(w, v);
}

void json_kv_bool(struct json_writer *w, const char *key, bool v)
{
	json_key(w, key);
	json_bool(w, v);
}

void json_kv_u64_array(struct json_writer *w, const char *key, const uint64_t *v, size_t n)
{
	json_key(w, key);
	json_begin_array(w);
	for (size_t i = 0; i < n; i++)
		json_u64(w, v[i]);
	json_end_array(w);
}
