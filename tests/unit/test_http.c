// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* HTTP request parsing and the builders. Every parser test also feeds the
 * same bytes split at every boundary and byte by byte. */
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

/* ---- requests ---- */

struct req_run {
	int n;
	enum http_req_status st[MAX_EV];
	struct http_req req[MAX_EV];
	size_t consumed; /* total bytes consumed */
};

/* Feeds buf[0, split) then the rest in step-sized pieces (0: one piece),
 * collecting every DONE and stopping at the first error. */
static void run_req(const char *buf, size_t len, size_t split, size_t step, struct req_run *out)
{
	static struct http_req_parser p;
	size_t pos = 0, end, used;
	enum http_req_status st;
	struct http_req r;

	memset(out, 0, sizeof(*out));
	http_req_init(&p);
	while (pos < len) {
		end = pos < split ? split : (step ? pos + step : len);
		if (end > len)
			end = len;
		while (pos < end) {
			memset(&r, 0xa5, sizeof(r));
			st = http_req_feed(&p, buf + pos, end - pos, &used, &r);
			assert_true(used <= end - pos);
			pos += used;
			out->consumed += used;
			if (st == HTTP_REQ_MORE) {
				assert_int_equal(pos, end);
				continue;
			}
			assert_true(out->n < MAX_EV);
			out->st[out->n] = st;
			out->req[out->n++] = r;
			if (st != HTTP_REQ_DONE)
				return;
		}
	}
}

static void assert_req_runs_equal(const struct req_run *a, const struct req_run *b)
{
	int i;

	assert_int_equal(a->n, b->n);
	assert_int_equal(a->consumed, b->consumed);
	for (i = 0; i < a->n; i++) {
		assert_int_equal(a->st[i], b->st[i]);
		if (a->st[i] != HTTP_REQ_DONE)
			continue;
		assert_int_equal(a->req[i].get, b->req[i].get);
		assert_int_equal(a->req[i].head, b->req[i].head);
		assert_int_equal(a->req[i].root, b->req[i].root);
		assert_int_equal(a->req[i].keep_alive, b->req[i].keep_alive);
		assert_int_equal(a->req[i].body_len, b->req[i].body_len);
	}
}

/* The whole input at once, then split at every byte, then byte by byte:
 * all must agree. Returns the whole-input run. */
static void req_all_splits(const char *buf, size_t len, struct req_run *whole)
{
	struct req_run other;
	size_t k;

	run_req(buf, len, 0, 0, whole);
	for (k = 1; k < len; k++) {
		run_req(buf, len, k, 0, &other);
		assert_req_runs_equal(whole, &other);
	}
	run_req(buf, len, 0, 1, &other);
	assert_req_runs_equal(whole, &other);
}

static void test_req_single(void **state)
{
	static const char in[] = "GET / HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n";
	struct req_run r;

	(void)state;
	req_all_splits(in, sizeof(in) - 1, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.st[0], HTTP_REQ_DONE);
	assert_int_equal(r.consumed, sizeof(in) - 1);
	assert_true(r.req[0].get);
	assert_false(r.req[0].head);
	assert_true(r.req[0].root);
	assert_true(r.req[0].keep_alive);
	assert_int_equal(r.req[0].body_len, 0);
}

static void test_req_pipelined(void **state)
{
	static const char in[] =
		"GET / HTTP/1.1\r\nHost: h\r\n\r\n"
		"HEAD /?x=1 HTTP/1.1\r\nHost: a\r\n\r\n" /* HEAD, query */
		"GET /other HTTP/1.1\r\nhost: h\r\n\r\n" /* 404 */
		"POST / HTTP/1.1\r\nHost: h\r\ncontent-LENGTH: 5\r\n"
		"Content-Length: 5\r\n\r\nhello" /* body, equal dup */
		"\r\nGET http://h:80/?q HTTP/1.1\r\nHost: h\r\n\r\n" /* CRLF first */
		"GET / HTTP/1.0\r\n\r\n"
		"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
		"GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n";
	struct req_run r;

	(void)state;
	req_all_splits(in, sizeof(in) - 1, &r);
	assert_int_equal(r.n, 8);
	assert_int_equal(r.consumed, sizeof(in) - 1);
	for (int i = 0; i < r.n; i++)
		assert_int_equal(r.st[i], HTTP_REQ_DONE);
	assert_true(r.req[1].get && r.req[1].head && r.req[1].root);
	assert_true(r.req[2].get && !r.req[2].root);
	assert_false(r.req[3].get);
	assert_int_equal(r.req[3].body_len, 5);
	assert_true(r.req[4].get && r.req[4].root && r.req[4].keep_alive);
	assert_false(r.req[5].keep_alive); /* HTTP/1.0 default */
	assert_true(r.req[6].keep_alive);
	assert_false(r.req[7].keep_alive);
}

/* Each malformed request: BAD, consumed exactly up to the offending byte
 * (bad_at) or the end of its header block, at any split. */
static void test_req_bad(void **state)
{
	static const struct {
		const char *in;
		size_t used;
	} cases[] = {
		{"GET /\r\n\r\n", 9}, /* no version */
		{"GET  / HTTP/1.1\r\n\r\n", 19}, /* two spaces */
		{"GET / HTTP/2.0\r\n\r\n", 18}, /* version */
		{"GET / HTTP/1.1 \r\n\r\n", 19}, /* trailing space */
		{"G(T / HTTP/1.1\r\n\r\n", 18}, /* not a token */
		{"GET /\x80 HTTP/1.1\r\n\r\n", 19}, /* non-ASCII target */
		{"GET / HTTP/1.1\r\nHost x\r\n\r\n", 26}, /* no colon */
		{"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 28}, /* space before colon */
		{"GET / HTTP/1.1\r\nHost: h\r\nA: b\r\n folded\r\n\r\n", 42}, /* obs-fold */
		{"GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n", 32}, /* empty name */
		{"GET / HTTP/1.1\nHost: x\n\n", 15}, /* bare LF */
		{"GET / HTTP/1.1\rHost: x\r\n\r\n", 16}, /* bare CR */
		{"\nGET / HTTP/1.1\r\n\r\n", 1}, /* bare LF first */
		{"GET / HTTP/1.1\r\nHost: h\r\nA: \x01\r\n\r\n", 29}, /* control char */
		{"GET / HTTP/1.1\r\nHost: h\r\nA: \x7f\r\n\r\n", 29}, /* DEL */
		{"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 65},
		{"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", 48},
		{"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 47},
		{"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 12345678901234567890\r\n\r\n", 65},
		{"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 55},
		{"GET / HTTP/1.1\r\n\r\n", 18}, /* HTTP/1.1 without Host */
		{"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 36}, /* two Hosts */
		{"GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", 36}, /* two, 1.0 */
	};
	struct http_req_parser p;
	struct http_req req;
	struct req_run r;
	size_t i, used;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req_all_splits(cases[i].in, strlen(cases[i].in), &r);
		if (r.n != 1 || r.st[0] != HTTP_REQ_BAD || r.consumed != cases[i].used)
			fail_msg("case %zu: n %d st %d consumed %zu", i, r.n,
				 r.n ? (int)r.st[0] : -1, r.consumed);
	}
	/* sticky */
	http_req_init(&p);
	assert_int_equal(http_req_feed(&p, "\n", 1, &used, &req), HTTP_REQ_BAD);
	assert_int_equal(http_req_feed(&p, "GET / HTTP/1.1\r\n\r\n", 18, &used, &req),
			 HTTP_REQ_BAD);
	assert_int_equal(used, 0);
}

/* A header block of exactly n bytes, request line to blank line. */
static char *block_of(size_t n)
{
	static const char pre[] = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ";
	char *b = malloc(n + 1);
	size_t pad = n - (sizeof(pre) - 1) - 4;

	assert_non_null(b);
	memcpy(b, pre, sizeof(pre) - 1);
	memset(b + sizeof(pre) - 1, 'a', pad);
	memcpy(b + n - 4, "\r\n\r\n", 5);
	return b;
}

/* 8191 and 8192 bytes are accepted; 8193 is TOO_LARGE as soon as 8192
 * bytes passed without the blank line, so it consumed 8192. */
static void test_req_limit(void **state)
{
	static const size_t sizes[] = {8191, 8192, 8193};
	struct req_run whole, bytes;
	size_t i;
	char *b;

	(void)state;
	for (i = 0; i < 3; i++) {
		b = block_of(sizes[i]);
		assert_int_equal(strlen(b), sizes[i]);
		run_req(b, sizes[i], 0, 0, &whole);
		run_req(b, sizes[i], 0, 1, &bytes);
		assert_req_runs_equal(&whole, &bytes);
		run_req(b, sizes[i], sizes[i] / 2, 0, &bytes);
		assert_req_runs_equal(&whole, &bytes);
		assert_int_equal(whole.n, 1);
		if (sizes[i] <= HTTP_MAX_HEADER) {
			assert_int_equal(whole.st[0], HTTP_REQ_DONE);
			assert_int_equal(whole.consumed, sizes[i]);
		} else {
			assert_int_equal(whole.st[0], HTTP_REQ_TOO_LARGE);
			assert_int_equal(whole.consumed, HTTP_MAX_HEADER);
		}
		free(b);
	}
}

static uint32_t crc_of(const char *s, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)s, (uInt)n);
}

/* ---- builders ---- */

static void test_body_crc(void **state)
{
	char *body = malloc(3072), *ref = malloc(3072);
	int i;

	(void)state;
	assert_non_null(body);
	assert_non_null(ref);
	for (i = 0; i < 1536; i++)
		memcpy(ref + 2 * i, "\xc2\xaa", 2);
	http_fill_body(body, 3072);
	assert_memory_equal(body, ref, 3072);
	assert_int_equal(crc_of(body, 3072), crc_of(ref, 3072));
	assert_int_equal(crc_of(body, 3072), 0xec561793); /* python3 zlib.crc32 */
	http_fill_body(body, 5);
	assert_memory_equal(body, "\xc2\xaa\xc2\xaa\xc2", 5); /* odd: a lone 0xc2 last */
	free(body);
	free(ref);
}

static void test_head_fixed_len(void **state)
{
	static const char first_lines[] = "HTTP/1.1 200 OK\r\n"
					  "Content-Type: text/plain; charset=utf-8\r\n";
	char a[256], b[256];
	int la, lb;

	(void)state;
	la = http_build_response_head(a, sizeof(a), 3072, 0xec561793, 0);
	lb = http_build_response_head(b, sizeof(b), 3072, 0xec561793, 4294967295ULL);
	assert_true(la > 0);
	assert_int_equal(la, lb);
	assert_non_null(strstr(b, "X-Seq: 4294967295\r\n\r\n"));
	assert_int_equal(http_build_response_head(b, sizeof(b), 3072, 0, 9999999999ULL), la);
	assert_non_null(strstr(b, "X-Seq: 9999999999\r\n\r\n"));
	assert_int_equal(http_build_response_head(b, sizeof(b), 3072, 0, 10000000000ULL), -1);
	assert_int_equal(http_build_response_head(b, (size_t)la, 3072, 0, 0), -1);
	assert_non_null(strstr(a, "X-Seq: 0000000000\r\n\r\n"));
	assert_non_null(strstr(a, "Content-Length: 3072\r\n"));
	assert_non_null(strstr(a, "X-Body-CRC32: ec561793\r\n"));
	assert_memory_equal(a, first_lines, sizeof(first_lines) - 1);
}

static void test_build_request(void **state)
{
	char buf[128];
	struct req_run r;
	int n;

	(void)state;
	n = http_build_request(buf, sizeof(buf), "127.0.0.1:8080", "/", "X-A: 1\r\n");
	assert_string_equal(buf, "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-A: 1\r\n\r\n");
	assert_int_equal(n, strlen(buf));
	run_req(buf, (size_t)n, 0, 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.st[0], HTTP_REQ_DONE);
	assert_int_equal(http_build_request(buf, sizeof(buf), NULL, "/", NULL), 18);
	assert_string_equal(buf, "GET / HTTP/1.1\r\n\r\n");
	assert_int_equal(http_build_request(buf, 18, NULL, "/", NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_req_single),    cmocka_unit_test(test_req_pipelined),
		cmocka_unit_test(test_req_bad),	      cmocka_unit_test(test_req_limit),
		cmocka_unit_test(test_body_crc),      cmocka_unit_test(test_head_fixed_len),
		cmocka_unit_test(test_build_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
