// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* What the worker writes and how it checks what comes back: HTTP
 * responses (Content-Length or chunked, CRC32, sequence) or echo bytes. */
#include <string.h>

#include "echo.h"
#include "io.h"

static void echo_fill(char *buf, uint64_t msg, uint32_t size)
{
	for (uint32_t off = 0; off < size; off++)
		buf[off] = (char)echo_byte(msg, off);
}

void proto_request(struct io *io, struct conn *c, const char **buf, size_t *len)
{
	uint32_t size = io->cfg->echo_size;

	if (!size) {
		*buf = io->w->request;
		*len = (size_t)io->w->request_len;
		return;
	}
	/* A new message starts: fill it once, partial writes resume in it. */
	if (c->off == 0)
		echo_fill(c->msg, c->sent, size);
	*buf = c->msg;
	*len = size;
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

static int echo_consume(struct io *io, struct conn *c, const char *buf, size_t len)
{
	uint32_t size = io->cfg->echo_size;

	for (size_t i = 0; i < len; i++) {
		uint64_t msg = c->rx / size;
		uint32_t off = (uint32_t)(c->rx % size);

		if (msg >= c->sent) {
			io_extra(io, (len - i + size - 1) / size);
			return -1;
		}
		if ((uint8_t)buf[i] != echo_byte(msg, off))
			c->bad_msg = true;
		c->rx++;
		if (off + 1 == size) {
			if (c->bad_msg)
				io->res->crc_errors++;
			c->bad_msg = false;
			io->res->body_bytes += size;
			io->res->responses++;
			c->answered++;
			io_note_end(io, i + 1);
		}
	}
	return 0;
}

int proto_consume(struct io *io, struct conn *c, const char *buf, size_t len)
{
	if (io->cfg->echo_size)
		return echo_consume(io, c, buf, len);
	return http_consume(io, c, buf, len);
}
