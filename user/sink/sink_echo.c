// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Echo mode (the seed's netstat.py experiment): each connection carries
 * fixed-size messages whose bytes are echo_byte(msg, off). A connection
 * holds at most SINK_ECHO_BUF bytes of a message: every recv() asks for
 * the rest of the current message or of that window, whichever is less,
 * so a call that returns less is a short read at a segment or skb
 * boundary; each byte is checked against the pattern and echoed back
 * unchanged before the window moves on.
 */
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "echo.h"
#include "sink_int.h"

static uint32_t window(const struct sink_thread *t)
{
	uint32_t size = t->s->o->echo_size;

	return size < SINK_ECHO_BUF ? size : SINK_ECHO_BUF;
}

static void check_bytes(struct sink_conn *c, uint32_t from, uint32_t to)
{
	uint32_t off;

	for (off = from; off < to && !c->corrupt; off++)
		c->corrupt = c->msg[off] != echo_byte(c->msg_index, c->base + off);
}

/* Bytes the next recv() asks for: 0 while the window waits to be echoed. */
static uint32_t ask(const struct sink_thread *t, const struct sink_conn *c)
{
	uint32_t rest = t->s->o->echo_size - c->base - c->have, room = window(t) - c->have;

	return rest < room ? rest : room;
}

/* -1: the connection was closed. */
static int echo_read(struct sink_thread *t, struct sink_conn *c)
{
	uint32_t n = ask(t, c);
	ssize_t r = sink_recv(t, c->fd, c->msg + c->have, n);

	if (r == 0)
		c->read_eof = true;
	if (r <= 0)
		return sink_io_error(t, c, r) ? -1 : 0;
	t->c.bytes_in += (uint64_t)r;
	t->c.echo_recv_calls++;
	if ((uint32_t)r < n)
		t->c.echo_short_recvs++;
	if (c->sent == c->have)
		c->last_write = t->now; /* output is owed from now */
	c->waiting_since = t->now;
	check_bytes(c, c->have, c->have + (uint32_t)r);
	c->have += (uint32_t)r;
	if (c->base + c->have == t->s->o->echo_size) {
		t->c.echo_messages++;
		if (c->corrupt)
			t->c.echo_corrupt++;
	}
	return 0;
}

/* -1: the connection was closed. */
static int echo_write(struct sink_thread *t, struct sink_conn *c)
{
	ssize_t r;

	while (c->sent < c->have) {
		r = send(c->fd, c->msg + c->sent, c->have - c->sent, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r < 0)
			return sink_io_error(t, c, r) ? -1 : 0;
		t->c.bytes_out += (uint64_t)r;
		t->c.send_calls++;
		c->writes++;
		c->sent += (uint32_t)r;
		c->last_write = t->now;
	}
	if (c->base + c->sent == t->s->o->echo_size) {
		c->base = 0; /* the message is echoed: the next one starts */
		if (c->writes > 1)
			t->c.split_writes++;
		c->writes = 0;
		c->have = 0;
		c->sent = 0;
		c->msg_index++;
		c->corrupt = false;
	} else if (c->sent == window(t)) {
		c->base += c->sent; /* the window is echoed: it moves on */
		c->have = 0;
		c->sent = 0;
	}
	return 0;
}

static void echo_event(struct sink_thread *t, struct sink_conn *c, uint32_t events)
{
	uint32_t want = 0;

	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && (c->events & EPOLLIN) &&
	    echo_read(t, c) < 0)
		return;
	if (echo_write(t, c) < 0)
		return;
	if (c->sent < c->have)
		want |= EPOLLOUT;
	if (!c->read_eof && ask(t, c) > 0)
		want |= EPOLLIN;
	if (want)
		sink_conn_set_events(t, c, want);
	else
		sink_conn_close(t, c);
}

static int echo_init(struct sink *s, struct sink_conn *c)
{
	uint32_t size = s->o->echo_size;

	c->msg = malloc(size < SINK_ECHO_BUF ? size : SINK_ECHO_BUF);
	return c->msg ? 0 : -1;
}

static void echo_free(struct sink_conn *c)
{
	free(c->msg);
	c->msg = NULL;
}

static bool echo_owes(const struct sink_conn *c)
{
	return c->sent < c->have;
}

static bool echo_holds(const struct sink_conn *c)
{
	(void)c;
	return false;
}

const struct sink_handler sink_echo = {
	.init = echo_init,
	.free = echo_free,
	.event = echo_event,
	.owes = echo_owes,
	.holds = echo_holds,
};
