// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The raw TCP echo (--echo N): N-byte messages of a known pattern, checked
 * byte by byte as they come back. */
#include <stdlib.h>
#include <string.h>

#include "echo.h"
#include "proto.h"

static void echo_fill(char *buf, uint64_t msg, uint32_t size)
{
	for (uint32_t off = 0; off < size; off++)
		buf[off] = (char)echo_byte(msg, off);
}

static void echo_request(struct io *io, struct conn *c, const char **buf, size_t *len)
{
	uint32_t size = io->cfg->echo_size;

	/* A new message starts: fill it once, partial writes resume in it. */
	if (c->off == 0)
		echo_fill(c->msg, c->sent, size);
	*buf = c->msg;
	*len = size;
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

static bool echo_busy(const struct io *io, const struct conn *c)
{
	return c->rx < c->sent * io->cfg->echo_size;
}

static bool echo_partial(const struct io *io, const struct conn *c)
{
	return c->rx % io->cfg->echo_size != 0;
}

static void echo_reset(struct conn *c)
{
	c->rx = 0;
	c->bad_msg = false;
}

static int echo_conn_setup(struct io *io, struct conn *c)
{
	c->msg = malloc(io->cfg->echo_size);
	return c->msg ? 0 : -1;
}

static void echo_conn_free(struct conn *c)
{
	free(c->msg);
	c->msg = NULL;
}

const struct proto_ops proto_echo = {
	.name = "echo",
	.conn_setup = echo_conn_setup,
	.conn_free = echo_conn_free,
	.reset = echo_reset,
	.request = echo_request,
	.consume = echo_consume,
	.busy = echo_busy,
	.partial = echo_partial,
};
