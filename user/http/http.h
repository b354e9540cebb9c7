/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Incremental HTTP/1.1 parsing and building: requests (the sink's side) and
 * responses (the driver's side). Pure: byte buffers in, structs out. Both
 * parsers accept input split at any byte boundary and pipelined messages.
 */
#ifndef REQPERF_HTTP_H
#define REQPERF_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define HTTP_MAX_HEADER 8192 /* header block limit (the sink answers 431) */
#define HTTP_SEQ_DIGITS 10 /* X-Seq is zero-padded: fixed response size */

/* ---- requests (sink side) ---- */

enum http_req_status {
	HTTP_REQ_MORE = 0, /* need more bytes */
	HTTP_REQ_DONE = 1, /* one request complete */
	HTTP_REQ_BAD = 2, /* malformed: answer 400 and close */
	HTTP_REQ_TOO_LARGE = 3, /* header block over HTTP_MAX_HEADER: 431 */
};

struct http_req {
	bool get; /* GET or HEAD */
	bool head; /* HEAD: no body in the answer */
	bool root; /* path is "/" (query string ignored) */
	bool keep_alive; /* HTTP/1.1 without "Connection: close", or 1.0 with keep-alive */
	uint64_t body_len; /* request body bytes that followed (Content-Length) */
};

struct http_req_parser {
	int state;
	size_t scanned; /* bytes of the current header block seen */
	uint64_t body_left;
	struct http_req cur;
	char line[HTTP_MAX_HEADER]; /* the header block being collected */
	size_t line_len;
};

void http_req_init(struct http_req_parser *p);
/* Consumes bytes from buf until one request completes or input ends;
 * *used is set to the bytes consumed. On DONE, *req is filled and the
 * parser is ready for the next (pipelined) request. Lines must end in
 * CRLF: a bare LF or bare CR is BAD. The header block (request line to the
 * blank line inclusive) may be HTTP_MAX_HEADER bytes; TOO_LARGE is returned
 * once that many bytes passed without completing it. BAD and TOO_LARGE are
 * sticky until http_req_init(). */
enum http_req_status http_req_feed(struct http_req_parser *p, const char *buf, size_t len,
				   size_t *used, struct http_req *req);

/* ---- responses (driver side) ---- */

struct http_resp {
	int status;
	uint64_t head_len; /* status line + headers + blank line */
	uint64_t body_len; /* decoded body bytes */
	uint64_t wire_len; /* all bytes of this response on the wire */
	uint32_t crc; /* CRC32 (zlib) of the decoded body */
	bool has_crc; /* X-Body-CRC32 present */
	uint32_t crc_hdr;
	bool has_seq; /* X-Seq present */
	uint64_t seq;
	bool chunked;
	bool close; /* "Connection: close" */
};

struct http_resp_parser {
	int state;
	uint64_t left; /* body or chunk bytes still expected */
	size_t line_len;
	char line[HTTP_MAX_HEADER];
	bool head_only; /* the request was HEAD */
	struct http_resp cur;
	const char *error; /* why the last feed failed */
	uint64_t content_len; /* Content-Length of the response being parsed */
	bool has_len;
};

void http_resp_init(struct http_resp_parser *p);
/* Consumes bytes until one response completes or input ends. Returns the
 * bytes consumed, or -1 on a malformed response (p->error says why; the
 * error is sticky until http_resp_init()). *done is set when a response
 * completed; *resp is then filled and the parser is ready for the next
 * response. head_only survives that reset: the caller sets it per response. */
ssize_t http_resp_feed(struct http_resp_parser *p, const char *buf, size_t len,
		       struct http_resp *resp, bool *done);

/* ---- builders ---- */

/* "GET path HTTP/1.1\r\nHost: host\r\n" extra "\r\n"; returns the length or
 * -1 when it does not fit. */
int http_build_request(char *buf, size_t cap, const char *host, const char *path,
		       const char *extra_headers);
/* The sink's response head for a body of body_len bytes with CRC32 crc and
 * sequence number seq; every head has the same length for the same
 * body_len. Returns the length, or -1 when it does not fit or seq does not
 * fit in HTTP_SEQ_DIGITS digits. */
int http_build_response_head(char *buf, size_t cap, uint64_t body_len, uint32_t crc, uint64_t seq);
/* A complete error response (400, 404, 405, 431) with a short text body;
 * 400 and 431 carry "Connection: close" (the sink closes after them), 404
 * and 405 keep the connection. Returns the length, or -1 for another
 * status or when it does not fit. */
int http_build_error(char *buf, size_t cap, int status);

/* The deterministic body: the seed's "ª" (U+00AA, C2 AA) repeated; byte i
 * is 0xc2 when i is even and 0xaa when odd, so an odd len ends in a lone
 * 0xc2 (not valid UTF-8; the bytes, not the text, are what is checked). */
void http_fill_body(char *buf, size_t len);

#endif /* REQPERF_HTTP_H */
