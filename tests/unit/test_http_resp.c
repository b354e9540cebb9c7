// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* HTTP response parsing (the driver side). Every test also feeds the same
 * bytes split at every boundary and byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "http.h"

#define MAX_EV 16

/* ---- responses ---- */

struct resp_run {
	int n;
	struct http_resp resp[MAX_EV];
	size_t consumed;
	const char *error; /* NULL: no error */
};

static void run_resp(const char *buf, size_t len, size_t split, size_t step, const bool *head_only,
		     struct resp_run *out)
{
	static struct http_resp_parser p;
	size_t pos = 0, end;
	struct http_resp r;
	ssize_t used;
	bool done;

	memset(out, 0, sizeof(*out));
	http_resp_init(&p);
	p.head_only = head_only && head_only[0];
	while (pos < len) {
		end = pos < split ? split : (step ? pos + step : len);
		if (end > len)
			end = len;
		while (pos < end) {
			used = http_resp_feed(&p, buf + pos, end - pos, &r, &done);
			if (used < 0) {
				out->error = p.error;
				assert_non_null(out->error);
				out->consumed = 0; /* depends on the split: not compared */
				return;
			}
			assert_true((size_t)used <= end - pos);
			pos += (size_t)used;
			out->consumed += (size_t)used;
			if (!done) {
				assert_int_equal(pos, end);
				continue;
			}
			assert_true(out->n < MAX_EV);
			out->resp[out->n++] = r;
			p.head_only = head_only && head_only[out->n];
		}
	}
}

static void assert_resp_runs_equal(const struct resp_run *a, const struct resp_run *b)
{
	const struct http_resp *x, *y;
	int i;

	assert_int_equal(a->n, b->n);
	assert_int_equal(a->consumed, b->consumed);
	if (a->error || b->error)
		assert_string_equal(a->error ? a->error : "", b->error ? b->error : "");
	for (i = 0; i < a->n; i++) {
		x = &a->resp[i];
		y = &b->resp[i];
		assert_int_equal(x->status, y->status);
		assert_int_equal(x->head_len, y->head_len);
		assert_int_equal(x->body_len, y->body_len);
		assert_int_equal(x->wire_len, y->wire_len);
		assert_int_equal(x->crc, y->crc);
		assert_int_equal(x->has_crc, y->has_crc);
		assert_int_equal(x->crc_hdr, y->crc_hdr);
		assert_int_equal(x->has_seq, y->has_seq);
		assert_int_equal(x->seq, y->seq);
		assert_int_equal(x->chunked, y->chunked);
		assert_int_equal(x->close, y->close);
	}
}

static void resp_all_splits(const char *buf, size_t len, const bool *head_only,
			    struct resp_run *whole)
{
	struct resp_run other;
	size_t k;

	run_resp(buf, len, 0, 0, head_only, whole);
	for (k = 1; k < len; k++) {
		run_resp(buf, len, k, 0, head_only, &other);
		assert_resp_runs_equal(whole, &other);
	}
	run_resp(buf, len, 0, 1, head_only, &other);
	assert_resp_runs_equal(whole, &other);
}

static uint32_t crc_of(const char *s, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)s, (uInt)n);
}

/* The sink's response for seq: head + body, into buf; returns the length. */
static size_t sink_response(char *buf, size_t cap, size_t body_len, uint64_t seq)
{
	char *body = malloc(body_len + 1);
	int h;

	assert_non_null(body);
	http_fill_body(body, body_len);
	h = http_build_response_head(buf, cap, body_len, crc_of(body, body_len), seq);
	assert_true(h > 0 && (size_t)h + body_len <= cap);
	memcpy(buf + h, body, body_len);
	free(body);
	return (size_t)h + body_len;
}

static void test_resp_single(void **state)
{
	char buf[4096], head[256];
	struct resp_run r;
	size_t n;
	int h;

	(void)state;
	n = sink_response(buf, sizeof(buf), 3072, 7);
	h = http_build_response_head(head, sizeof(head), 3072, 0, 7);
	resp_all_splits(buf, n, NULL, &r);
	assert_null(r.error);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.consumed, n);
	assert_int_equal(r.resp[0].status, 200);
	assert_int_equal(r.resp[0].head_len, h);
	assert_int_equal(r.resp[0].body_len, 3072);
	assert_int_equal(r.resp[0].wire_len, n);
	assert_true(r.resp[0].has_crc);
	assert_int_equal(r.resp[0].crc, r.resp[0].crc_hdr);
	assert_true(r.resp[0].has_seq);
	assert_int_equal(r.resp[0].seq, 7);
	assert_false(r.resp[0].chunked);
	assert_false(r.resp[0].close);
}

static const char chunked[] = "HTTP/1.1 200 OK\r\n"
			      "Transfer-Encoding: gzip, Chunked\r\n"
			      "X-Body-CRC32: 7c650c4a\r\n"
			      "\r\n"
			      "5;name=value;x\r\nhello\r\n"
			      "1 ; ext\r\n \r\n"
			      "00A\r\n0123456789\r\n"
			      "0\r\n"
			      "Trailer-One: 1\r\n"
			      "Trailer-Two: 2\r\n"
			      "\r\n";

static void test_resp_chunked(void **state)
{
	struct resp_run r;

	(void)state;
	resp_all_splits(chunked, sizeof(chunked) - 1, NULL, &r);
	assert_null(r.error);
	assert_int_equal(r.n, 1);
	assert_true(r.resp[0].chunked);
	assert_int_equal(r.resp[0].body_len, 16);
	assert_int_equal(r.resp[0].crc, crc_of("hello 0123456789", 16));
	assert_int_equal(r.resp[0].crc_hdr, 0x7c650c4a);
	assert_int_equal(r.resp[0].wire_len, sizeof(chunked) - 1);
	assert_int_equal(r.resp[0].head_len, strstr(chunked, "\r\n\r\n") + 4 - chunked);
}

static void test_resp_pipelined(void **state)
{
	static const char tail[] =
		"HTTP/1.1 204 No Content\r\n\r\n"
		"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"
		"HTTP/1.1 100 Continue\r\n\r\n"
		"HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
	/* response 2 answers a HEAD: Content-Length 3072 but no body */
	static const bool head_only[MAX_EV] = {[2] = true};
	char *buf = malloc(16384), *p = buf;
	struct resp_run r;
	size_t n, h;

	(void)state;
	assert_non_null(buf);
	p += sink_response(p, 4096, 3072, 0);
	p += sink_response(p, 4096, 3072, 1);
	h = (size_t)http_build_response_head(p, 4096, 3072, 0, 2);
	p += h;
	memcpy(p, chunked, sizeof(chunked) - 1);
	p += sizeof(chunked) - 1;
	memcpy(p, tail, sizeof(tail) - 1);
	p += sizeof(tail) - 1;
	n = (size_t)(p - buf);
	resp_all_splits(buf, n, head_only, &r);
	assert_null(r.error);
	assert_int_equal(r.consumed, n);
	assert_int_equal(r.n, 8);
	assert_int_equal(r.resp[1].seq, 1);
	assert_int_equal(r.resp[2].seq, 2);
	assert_int_equal(r.resp[2].body_len, 0);
	assert_int_equal(r.resp[2].wire_len, h);
	assert_true(r.resp[3].chunked);
	assert_int_equal(r.resp[4].status, 204);
	assert_int_equal(r.resp[5].status, 304);
	assert_int_equal(r.resp[5].body_len, 0);
	assert_int_equal(r.resp[6].status, 100);
	assert_true(r.resp[7].close);
	assert_int_equal(r.resp[7].body_len, 2);
	assert_int_equal(r.resp[7].crc, crc_of("ok", 2));
	free(buf);
}

static void test_resp_bad(void **state)
{
	static const struct {
		const char *in;
		const char *error;
	} cases[] = {
		{"HTTP/1.1 200 OK\r\n\r\n", "no content-length"},
		{"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody", "no content-length"},
		{"HTTP/2 200 OK\r\n\r\n", "bad status line"},
		{"HTTP/1.1 20 OK\r\n\r\n", "bad status line"},
		{"HTTP/1.1 200OK\r\n\r\n", "bad status line"},
		{"HTTP/1.1 099 x\r\n\r\n", "bad status code"},
		{"HTTP/1.1 200 OK\nContent-Length: 0\n\n", "bare LF in response"},
		{"HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", "bare CR in response"},
		{"HTTP/1.1 200 OK\r\nX-Body-CRC32: 1234567\r\n", "bad x-body-crc32"},
		{"HTTP/1.1 200 OK\r\nX-Body-CRC32: 1234567g\r\n", "bad x-body-crc32"},
		{"HTTP/1.1 200 OK\r\nX-Seq: 12a\r\n", "bad x-seq"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n",
		 "conflicting content-length"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n", "bad content-length"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n", "unsupported transfer-encoding"},
		{"HTTP/1.1 200 OK\r\nNoColon\r\n", "bad header line"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\n", "bad chunk size"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
		 "chunk size too large"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n",
		 "missing CRLF after chunk"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n",
		 "bad header line"},
	};
	struct resp_run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		resp_all_splits(cases[i].in, strlen(cases[i].in), NULL, &r);
		if (!r.error || strcmp(r.error, cases[i].error) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, r.error ? r.error : "(none)",
				 cases[i].error);
	}
}

/* A head of 8192 bytes is accepted, 8193 is not. */
static void test_resp_limit(void **state)
{
	static const char pre[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ";
	char *b = malloc(8200);
	struct resp_run r, bytes;
	size_t n;

	(void)state;
	assert_non_null(b);
	for (n = 8192; n <= 8193; n++) {
		memcpy(b, pre, sizeof(pre) - 1);
		memset(b + sizeof(pre) - 1, 'a', n - (sizeof(pre) - 1) - 4);
		memcpy(b + n - 4, "\r\n\r\n", 4);
		run_resp(b, n, 0, 0, NULL, &r);
		run_resp(b, n, 0, 1, NULL, &bytes);
		assert_resp_runs_equal(&r, &bytes);
		if (n == 8192) {
			assert_null(r.error);
			assert_int_equal(r.n, 1);
			assert_int_equal(r.resp[0].head_len, 8192);
		} else {
			assert_string_equal(r.error, "response header too large");
		}
	}
	free(b);
}

static void test_build_error(void **state)
{
	static const int status[] = {400, 404, 405, 431};
	static const bool closes[] = {true, false, false, true};
	char buf[512];
	struct resp_run r;
	int i, n;

	(void)state;
	for (i = 0; i < 4; i++) {
		n = http_build_error(buf, sizeof(buf), status[i]);
		assert_true(n > 0);
		run_resp(buf, (size_t)n, 0, 0, NULL, &r);
		assert_null(r.error);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.consumed, n);
		assert_int_equal(r.resp[0].status, status[i]);
		assert_true(r.resp[0].body_len > 0);
		assert_int_equal(r.resp[0].close, closes[i]);
		assert_int_equal(http_build_error(buf, (size_t)n, status[i]), -1);
	}
	assert_int_equal(http_build_error(buf, sizeof(buf), 500), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resp_single),    cmocka_unit_test(test_resp_chunked),
		cmocka_unit_test(test_resp_pipelined), cmocka_unit_test(test_resp_bad),
		cmocka_unit_test(test_resp_limit),     cmocka_unit_test(test_build_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
