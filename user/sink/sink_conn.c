// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A connection's life in the sink, whatever it speaks: accepted into
 * epoll, timed out, closed with its TCP_INFO read; what it speaks is the
 * sink's handler (sink_http.c or sink_echo.c), called through its table,
 * so the handlers call this file and this file calls no handler by name
 * (nginx's connection-with-handlers shape).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "sink_int.h"
#include "tcpinfo.h"

int sink_conn_open(struct sink_thread *t, int fd)
{
	struct sink *s = t->s;
	struct sink_conn *c = calloc(1, sizeof(*c));
	struct epoll_event ev = {.events = EPOLLIN};
	int one = 1;

	if (!c)
		return -1;
	c->fd = fd;
	c->events = EPOLLIN;
	c->waiting_since = t->now;
	if (s->handler->init(s, c) < 0)
		goto fail;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* What a reader that stopped reading can make us queue in the kernel. */
	if (s->o->max_owed)
		setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &s->o->max_owed,
			   sizeof(s->o->max_owed));
	ev.data.ptr = c;
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		goto fail;
	c->next = t->conns;
	if (t->conns)
		t->conns->prev = c;
	t->conns = c;
	t->c.connections++;
	return 0;
fail:
	s->handler->free(c);
	free(c);
	return -1;
}

void sink_conn_close(struct sink_thread *t, struct sink_conn *c)
{
	tcpinfo_add_fd(&t->c.tcp, c->fd);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		t->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->closing)
		t->nclosing--;
	__atomic_fetch_sub(&t->s->open_conns, 1, __ATOMIC_RELAXED);
	t->s->handler->free(c);
	free(c);
}

/* r < 0 from recv/send: true when the connection was closed for it. */
bool sink_io_error(struct sink_thread *t, struct sink_conn *c, ssize_t r)
{
	if (r >= 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return false;
	if (!c->lingering)
		t->c.errors++;
	sink_conn_close(t, c);
	return true;
}

void sink_conn_set_events(struct sink_thread *t, struct sink_conn *c, uint32_t want)
{
	struct epoll_event ev = {.events = want, .data.ptr = c};

	if (want == c->events)
		return;
	if (epoll_ctl(t->epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->events = want;
}

/* A reset, not a FIN: output still queued for a peer that does not read
 * would keep an orphaned socket (and its memory) alive for minutes. */
static void abort_conn(struct sink_thread *t, struct sink_conn *c)
{
	struct linger now = {.l_onoff = 1, .l_linger = 0};

	setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &now, sizeof(now));
	sink_conn_close(t, c);
}

/* Sheds a client too slow to send a request (a slowloris, a connection
 * held open idle, an echo client that went quiet), and one that does not
 * take what it is owed for --send-timeout (as nginx's send_timeout); the
 * request clock stops while the sink owes the client something. */
void sink_conn_timeout(struct sink_thread *t, struct sink_conn *c)
{
	const struct sink_opts *o = t->s->o;
	uint64_t limit = (uint64_t)o->request_timeout_ms * 1000000ULL;

	if (t->s->handler->owes(c)) {
		c->waiting_since = t->now;
		if (!o->send_timeout_ms ||
		    t->now - c->last_write < (uint64_t)o->send_timeout_ms * 1000000ULL)
			return;
		t->c.send_timeouts++;
		abort_conn(t, c);
		return;
	}
	if (c->closing || t->s->handler->holds(c)) {
		c->waiting_since = t->now;
		return;
	}
	if (!limit || t->now - c->waiting_since < limit)
		return;
	t->c.timeouts++;
	abort_conn(t, c);
}

void sink_conn_event(struct sink_thread *t, struct sink_conn *c, uint32_t events)
{
	t->s->handler->event(t, c, events);
}
