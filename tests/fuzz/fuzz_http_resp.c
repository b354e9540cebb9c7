// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: the driver's HTTP response parser (http_resp_feed),
 * Content-Length and chunked. Input: a byte that picks the cut size, a
 * byte whose bits say which responses answer a HEAD, then the stream. It
 * is fed whole, byte by byte and in pieces; every way must agree, and
 * every response must account for its bytes exactly (wire length, body
 * length, CRC32 of a Content-Length body).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "fuzz_check.h"
#include "http.h"

#define MAX_RESPS 512

struct trace {
	struct http_resp r[MAX_RESPS];
	size_t end[MAX_RESPS]; /* stream offset just past each response */
	int n; /* stored */
	uint64_t total; /* seen */
	size_t last_end;
	bool failed;
};

struct stream {
	const char *data;
	size_t size;
	unsigned head_mask; /* bit k % 8: response k answers a HEAD */
};

static uint64_t hex_prefix(const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n && i < 16 && isxdigit((unsigned char)s[i]); i++)
		v = v << 4 | (uint64_t)(isdigit((unsigned char)s[i]) ? s[i] - '0'
								     : (s[i] | 0x20) - 'a' + 10);
	return v;
}

/* A second, naive decoder of a chunked body the parser accepted: the same
 * decoded length and CRC32, and the body ends in the blank line. */
static void check_chunked(const char *b, size_t n, const struct http_resp *r)
{
	uint32_t crc = (uint32_t)crc32(0L, Z_NULL, 0);
	uint64_t total = 0, size;
	const char *eol;
	size_t i = 0;

	for (;;) {
		eol = memmem(b + i, n - i, "\r\n", 2);
		FUZZ_CHECK(eol);
		size = hex_prefix(b + i, (size_t)(eol - (b + i)));
		i = (size_t)(eol - b) + 2;
		if (size == 0)
			break;
		FUZZ_CHECK(size <= n - i);
		crc = (uint32_t)crc32_z(crc, (const Bytef *)b + i, size);
		total += size;
		i += size;
		FUZZ_CHECK(n - i >= 2 && b[i] == '\r' && b[i + 1] == '\n');
		i += 2;
	}
	FUZZ_CHECK(n - i >= 2 && !memcmp(b + n - 2, "\r\n", 2));
	FUZZ_CHECK(total == r->body_len && crc == r->crc);
}

static void check_resp(const struct stream *s, const struct http_resp *r, size_t start, size_t end)
{
	const Bytef *body = (const Bytef *)s->data + end - r->body_len;

	FUZZ_CHECK(end > start && r->wire_len == end - start);
	FUZZ_CHECK(r->status >= 100 && r->status <= 599);
	FUZZ_CHECK(r->head_len <= r->wire_len && r->body_len <= r->wire_len - r->head_len);
	if (r->chunked && r->wire_len > r->head_len)
		check_chunked(s->data + start + r->head_len, r->wire_len - r->head_len, r);
	if (r->chunked)
		return;
	FUZZ_CHECK(r->body_len == r->wire_len - r->head_len);
	FUZZ_CHECK(r->crc == (uint32_t)crc32_z(crc32(0L, Z_NULL, 0), body, r->body_len));
}

static void got_resp(struct http_resp_parser *p, const struct stream *s, struct trace *t,
		     const struct http_resp *r, size_t end)
{
	check_resp(s, r, t->last_end, end);
	t->last_end = end;
	if (t->n < MAX_RESPS) {
		t->r[t->n] = *r;
		t->end[t->n] = end;
		t->n++;
	}
	t->total++;
	p->head_only = (s->head_mask >> (t->total % 8)) & 1;
}

/* Feeds one piece; returns false once the parser failed for good. */
static bool feed_piece(struct http_resp_parser *p, const struct stream *s, size_t base, size_t len,
		       struct trace *t)
{
	const char *buf = s->data + base;
	struct http_resp r;
	size_t off = 0;
	ssize_t used;
	bool done;

	do {
		used = http_resp_feed(p, buf + off, len - off, &r, &done);
		if (used < 0) {
			FUZZ_CHECK(p->error != NULL);
			FUZZ_CHECK(http_resp_feed(p, buf, len, &r, &done) == -1 && !done);
			t->failed = true;
			return false;
		}
		FUZZ_CHECK((size_t)used <= len - off);
		off += (size_t)used;
		if (!done) {
			FUZZ_CHECK(off == len);
			return true;
		}
		/* a response that consumed nothing would loop the driver forever */
		FUZZ_CHECK(used > 0);
		got_resp(p, s, t, &r, base + off);
	} while (off < len);
	return true;
}

static void run(const struct stream *s, size_t cut, struct trace *t)
{
	struct http_resp_parser *p = malloc(sizeof(*p));
	size_t off = 0, n;

	FUZZ_CHECK(p);
	memset(t, 0, sizeof(*t));
	http_resp_init(p);
	p->head_only = s->head_mask & 1;
	while (off < s->size) {
		n = s->size - off < cut ? s->size - off : cut;
		if (!feed_piece(p, s, off, n, t))
			break;
		off += n;
	}
	free(p);
}

static bool same_resp(const struct http_resp *a, const struct http_resp *b)
{
	return a->status == b->status && a->head_len == b->head_len && a->body_len == b->body_len &&
	       a->wire_len == b->wire_len && a->crc == b->crc && a->has_crc == b->has_crc &&
	       (!a->has_crc || a->crc_hdr == b->crc_hdr) && a->has_seq == b->has_seq &&
	       (!a->has_seq || a->seq == b->seq) && a->chunked == b->chunked &&
	       a->close == b->close;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct trace t[FUZZ_NCUTS];
	struct stream s;

	if (size < 2)
		return 0;
	s = (struct stream){.data = (const char *)data + 2, .size = size - 2, .head_mask = data[1]};
	for (int i = 0; i < FUZZ_NCUTS; i++)
		run(&s, fuzz_cut(i, data[0]), &t[i]);
	for (int i = 1; i < FUZZ_NCUTS; i++) {
		FUZZ_CHECK(t[i].total == t[0].total && t[i].failed == t[0].failed);
		for (int k = 0; k < t[0].n; k++)
			FUZZ_CHECK(t[i].end[k] == t[0].end[k] && same_resp(&t[i].r[k], &t[0].r[k]));
	}
	return 0;
}
