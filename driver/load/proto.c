// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* HTTP: the worker writes the request it was given and checks what comes
 * back: responses (Content-Length or chunked, CRC32, sequence). */
#include <string.h>

#include "proto.h"

static void http_request(struct io *io, struct conn *c, const char **buf, size_t *len)
{
	(void)c;
	*buf = io->w->request;
	*len = (size_t)io->w->request_len;
}

static void check_body(struct io *io, const struct http_resp *r)
{
	if (r->has_crc) {
		if (r->crc != r->crc_hdr)
			io->res->crc_errors++;
		return;
	}
	/* A third-party server: every body must equal the first one. */
	if (!io->have_ref) {
		io->have_ref = true;
		io->ref_len = r->body_len;
		io->ref_crc = r->crc;
	} else if (r->body_len != io->ref_len || r->crc != io->ref_crc) {
		io->res->crc_errors++;
	}
}

static void on_response(struct io *io, struct conn *c, const struct http_resp *r)
{
	if (r->status != 200)
		io_error(io, "response %llu: HTTP status %d",
			 (unsigned long long)io->res->responses, r->status);
	if (r->has_seq && r->seq != c->seq)
		io_error(io, "response out of sequence: got %llu, expected %llu",
			 (unsigned long long)r->seq, (unsigned long long)c->seq);
	check_body(io, r);
	io->res->body_bytes += r->body_len;
	io->res->responses++;
	c->answered++;
	c->seq++;
	if (r->close)
		c->reconnect = true;
}

/* A response bigger than --max-response never ends as far as we care:
 * a hostile Content-Length or an endless chunked body. */
static int over_size(struct io *io, struct conn *c, size_t used)
{
	c->resp_bytes += used;
	if (c->resp_bytes <= io->cfg->max_response)
		return 0;
	io_error(io, "response %llu is larger than %llu bytes (--max-response)",
		 (unsigned long long)io->res->responses, (unsigned long long)io->cfg->max_response);
	return -1;
}

static int http_consume(struct io *io, struct conn *c, const char *buf, size_t len)
{
	const char *start = buf;
	uint64_t extra = 0;

	while (len > 0) {
		struct http_resp r;
		bool done = false;
		ssize_t used = http_resp_feed(&c->parser, buf, len, &r, &done);

		if (used < 0) {
			io_error(io, "malformed response: %s", c->parser.error);
			return -1;
		}
		if (!done && over_size(io, c, (size_t)used) < 0)
			return -1;
		if (done) {
			c->resp_bytes = 0;
			/* Count every whole response the server sent unasked,
			 * then drop the connection: its stream is off by them. */
			if (c->answered >= c->sent) {
				extra++;
			} else {
				on_response(io, c, &r);
				io_note_end(io, (size_t)(buf - start) + (size_t)used);
			}
			/* Bytes after a "Connection: close" response are not ours. */
			if (c->reconnect)
				return 0;
		}
		buf += used;
		len -= (size_t)used;
	}
	if (extra)
		io_extra(io, extra);
	return extra ? -1 : 0;
}

static bool http_busy(const struct io *io, const struct conn *c)
{
	(void)io;
	return c->sent > c->answered;
}

static bool http_partial(const struct io *io, const struct conn *c)
{
	(void)io;
	return c->resp_bytes > 0;
}

static void http_reset(struct conn *c)
{
	c->resp_bytes = 0;
	http_resp_init(&c->parser);
}

const struct proto_ops proto_http = {
	.name = "http",
	.batches = true,
	.reset = http_reset,
	.request = http_request,
	.consume = http_consume,
	.busy = http_busy,
	.partial = http_partial,
};
