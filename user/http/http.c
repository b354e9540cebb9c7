// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * HTTP/1.1 requests (sink side): incremental scanning of the header block,
 * parsing once the blank line arrived, then the Content-Length body.
 * Builders for the messages both sides send. No I/O.
 */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "http_lex.h"

/* Where the header block scanner is; the block is stored in p->line. */
enum req_state {
	RQ_START, /* nothing stored yet: empty lines are skipped */
	RQ_START_CR, /* CR of a skipped empty line */
	RQ_LINE, /* inside a line */
	RQ_CR, /* CR ending a line */
	RQ_LF, /* at the start of a header line */
	RQ_LF_CR, /* CR of the blank line */
	RQ_BODY, /* consuming Content-Length bytes */
	RQ_BAD,
	RQ_TOO_LARGE,
};

enum scan_result {
	SCAN_MORE,
	SCAN_END,
	SCAN_BAD,
};

void http_req_init(struct http_req_parser *p)
{
	p->state = RQ_START;
	p->scanned = 0;
	p->body_left = 0;
	p->line_len = 0;
	memset(&p->cur, 0, sizeof(p->cur));
}

static bool is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static enum scan_result scan_byte(struct http_req_parser *p, unsigned char c)
{
	switch (p->state) {
	case RQ_START:
		if (c == '\r') {
			p->state = RQ_START_CR;
			return SCAN_MORE;
		}
		if (c == '\n' || is_ctl(c))
			return SCAN_BAD;
		p->state = RQ_LINE;
		break;
	case RQ_START_CR:
		if (c != '\n')
			return SCAN_BAD;
		p->state = RQ_START;
		return SCAN_MORE;
	case RQ_LINE:
	case RQ_LF:
		if (c == '\r') {
			p->state = p->state == RQ_LF ? RQ_LF_CR : RQ_CR;
			break;
		}
		if (c == '\n' || is_ctl(c))
			return SCAN_BAD;
		p->state = RQ_LINE;
		break;
	case RQ_CR:
	case RQ_LF_CR:
		if (c != '\n')
			return SCAN_BAD;
		p->line[p->line_len++] = (char)c;
		if (p->state == RQ_LF_CR)
			return SCAN_END;
		p->state = RQ_LF;
		return SCAN_MORE;
	}
	p->line[p->line_len++] = (char)c;
	return SCAN_MORE;
}

/* "/" or "/?query", also in absolute form "http://host/?query". */
static bool target_is_root(const char *t, size_t n)
{
	size_t skip = 0;

	if (n >= 7 && strncasecmp(t, "http://", 7) == 0)
		skip = 7;
	else if (n >= 8 && strncasecmp(t, "https://", 8) == 0)
		skip = 8;
	if (skip) {
		while (skip < n && t[skip] != '/' && t[skip] != '?')
			skip++;
		if (skip == n || t[skip] == '?')
			return true;
		t += skip;
		n -= skip;
	}
	return t[0] == '/' && (n == 1 || t[1] == '?');
}

/* "METHOD SP target SP HTTP/1.x"; sets *http10 for HTTP/1.0. */
static int parse_request_line(const char *s, size_t n, struct http_req *r, bool *http10)
{
	size_t m = http_token_len(s, n), t, v;

	if (m == 0 || m >= n || s[m] != ' ')
		return -1;
	for (t = m + 1; t < n && s[t] > 0x20 && s[t] < 0x7f; t++)
		;
	if (t == m + 1 || t >= n || s[t] != ' ')
		return -1;
	v = t + 1;
	if (n - v != 8 || memcmp(s + v, "HTTP/1.", 7) != 0 || !http_is_digit(s[v + 7]))
		return -1;
	*http10 = s[v + 7] == '0';
	r->head = m == 4 && memcmp(s, "HEAD", 4) == 0;
	r->get = r->head || (m == 3 && memcmp(s, "GET", 3) == 0);
	r->root = target_is_root(s + m + 1, t - m - 1);
	return 0;
}

struct req_headers {
	bool has_len;
	uint64_t len;
	bool close;
	bool keep_alive;
	int hosts; /* Host header lines */
};

static int request_header(const char *s, size_t n, struct req_headers *h)
{
	struct http_field f;
	uint64_t len;

	if (http_split_field(s, n, &f) < 0)
		return -1;
	if (http_name_is(&f, "content-length")) {
		if (http_parse_dec(f.value, f.value_len, &len) < 0)
			return -1;
		if (h->has_len && h->len != len)
			return -1;
		h->has_len = true;
		h->len = len;
	} else if (http_name_is(&f, "transfer-encoding")) {
		return -1;
	} else if (http_name_is(&f, "host")) {
		h->hosts++;
	} else if (http_name_is(&f, "connection")) {
		h->close |= http_has_token(f.value, f.value_len, "close");
		h->keep_alive |= http_has_token(f.value, f.value_len, "keep-alive");
	}
	return 0;
}

/* Parses the stored block (ends in CRLF CRLF) into p->cur and the body. */
static int parse_block(struct http_req_parser *p)
{
	const char *s = p->line, *end = p->line + p->line_len - 2;
	struct req_headers h = {0};
	bool http10;
	const char *eol;

	eol = memchr(s, '\r', (size_t)(end - s));
	if (!eol || parse_request_line(s, (size_t)(eol - s), &p->cur, &http10) < 0)
		return -1;
	for (s = eol + 2; s < end; s = eol + 2) {
		eol = memchr(s, '\r', (size_t)(end - s));
		if (!eol || request_header(s, (size_t)(eol - s), &h) < 0)
			return -1;
	}
	/* RFC 9112 3.2: an HTTP/1.1 request has exactly one Host (nginx: 400);
	 * HTTP/1.0 may omit it, never repeat it. */
	if (h.hosts > 1 || (!http10 && h.hosts == 0))
		return -1;
	p->cur.keep_alive = http10 ? h.keep_alive && !h.close : !h.close;
	p->body_left = h.len;
	return 0;
}

static enum http_req_status req_done(struct http_req_parser *p, struct http_req *req)
{
	*req = p->cur;
	http_req_init(p);
	return HTTP_REQ_DONE;
}

static enum http_req_status req_fail(struct http_req_parser *p, enum http_req_status st)
{
	p->state = st == HTTP_REQ_BAD ? RQ_BAD : RQ_TOO_LARGE;
	return st;
}

static enum http_req_status req_header_byte(struct http_req_parser *p, unsigned char c)
{
	enum scan_result r = scan_byte(p, c);

	p->scanned++;
	if (r == SCAN_BAD)
		return req_fail(p, HTTP_REQ_BAD);
	if (r == SCAN_END) {
		if (parse_block(p) < 0)
			return req_fail(p, HTTP_REQ_BAD);
		p->cur.body_len = p->body_left;
		p->state = RQ_BODY;
		return HTTP_REQ_MORE;
	}
	if (p->scanned >= HTTP_MAX_HEADER)
		return req_fail(p, HTTP_REQ_TOO_LARGE);
	return HTTP_REQ_MORE;
}

enum http_req_status http_req_feed(struct http_req_parser *p, const char *buf, size_t len,
				   size_t *used, struct http_req *req)
{
	enum http_req_status st;
	size_t i = 0, take;

	*used = 0;
	if (p->state == RQ_BAD)
		return HTTP_REQ_BAD;
	if (p->state == RQ_TOO_LARGE)
		return HTTP_REQ_TOO_LARGE;
	for (;;) {
		if (p->state == RQ_BODY) {
			take = p->body_left < len - i ? (size_t)p->body_left : len - i;
			i += take;
			p->body_left -= take;
			*used = i;
			if (p->body_left == 0)
				return req_done(p, req);
			return HTTP_REQ_MORE;
		}
		if (i == len)
			break;
		st = req_header_byte(p, (unsigned char)buf[i++]);
		if (st != HTTP_REQ_MORE) {
			*used = i;
			return st;
		}
	}
	*used = len;
	return HTTP_REQ_MORE;
}

/* ---- builders ---- */

static int fitted(int n, size_t cap)
{
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

int http_build_request(char *buf, size_t cap, const char *host, const char *path,
		       const char *extra_headers)
{
	const char *extra = extra_headers ? extra_headers : "";
	int n;

	if (host)
		n = snprintf(buf, cap, "GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n", path, host, extra);
	else
		n = snprintf(buf, cap, "GET %s HTTP/1.1\r\n%s\r\n", path, extra);
	return fitted(n, cap);
}

int http_build_response_head(char *buf, size_t cap, uint64_t body_len, uint32_t crc, uint64_t seq)
{
	int n;

	if (seq > 9999999999ULL) /* HTTP_SEQ_DIGITS */
		return -1;
	n = snprintf(buf, cap,
		     "HTTP/1.1 200 OK\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\n"
		     "Content-Length: %llu\r\n"
		     "X-Body-CRC32: %08x\r\n"
		     "X-Seq: %0*llu\r\n"
		     "\r\n",
		     (unsigned long long)body_len, crc, HTTP_SEQ_DIGITS, (unsigned long long)seq);
	return fitted(n, cap);
}

int http_build_error(char *buf, size_t cap, int status)
{
	const char *reason, *body, *extra = "";
	int n;

	switch (status) {
	case 400:
		reason = "Bad Request";
		body = "bad request\n";
		extra = "Connection: close\r\n";
		break;
	case 404:
		reason = "Not Found";
		body = "not found\n";
		break;
	case 405:
		reason = "Method Not Allowed";
		body = "method not allowed\n";
		extra = "Allow: GET, HEAD\r\n";
		break;
	case 431:
		reason = "Request Header Fields Too Large";
		body = "request header fields too large\n";
		extra = "Connection: close\r\n";
		break;
	default:
		return -1;
	}
	n = snprintf(buf, cap,
		     "HTTP/1.1 %d %s\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\n"
		     "Content-Length: %zu\r\n"
		     "%s"
		     "\r\n"
		     "%s",
		     status, reason, strlen(body), extra, body);
	return fitted(n, cap);
}

void http_fill_body(char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (char)(i % 2 ? 0xaa : 0xc2);
}
