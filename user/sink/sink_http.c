// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The sink's HTTP handler: parse pipelined requests, queue the responses
 * they are owed (run-length encoded, so a burst of GETs costs a counter),
 * and write heads and the shared body with sendmsg() without copying the
 * body. Reading pauses while too much output is owed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "sink_int.h"

static void start_closing(struct sink_thread *t, struct sink_conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	c->deadline = UINT64_MAX; /* owed output goes out at the reader's pace */
	t->nclosing++;
}

static bool has_room(const struct sink_conn *c)
{
	return c->pending < SINK_OUT_CAP && c->owed_n < SINK_OWED_SLOTS;
}

static void owe(struct sink_thread *t, struct sink_conn *c, enum owed_kind kind)
{
	uint32_t last = (c->owed_first + c->owed_n - 1) % SINK_OWED_SLOTS;

	if (!c->pending)
		c->last_write = t->now; /* the send clock starts */
	c->pending += t->s->kind_len[kind];
	if (c->owed_n && c->owed[last].kind == kind) {
		c->owed[last].count++;
		return;
	}
	last = (c->owed_first + c->owed_n) % SINK_OWED_SLOTS;
	c->owed[last].kind = (uint8_t)kind;
	c->owed[last].count = 1;
	c->owed_n++;
}

static enum owed_kind answer_kind(const struct http_req *r)
{
	if (!r->get)
		return OWED_405;
	if (!r->root)
		return OWED_404;
	return r->head ? OWED_HEAD : OWED_GET;
}

/* Parses requests until input ends, the connection closes or output is
 * full; returns the bytes consumed. */
static size_t parse_requests(struct sink_thread *t, struct sink_conn *c, const char *buf,
			     size_t len)
{
	struct http_req req;
	size_t done = 0, used;

	while (done < len && !c->closing && has_room(c)) {
		switch (http_req_feed(c->req, buf + done, len - done, &used, &req)) {
		case HTTP_REQ_MORE:
			break;
		case HTTP_REQ_DONE:
			t->c.requests++;
			c->waiting_since = t->now;
			owe(t, c, answer_kind(&req));
			if (!req.keep_alive)
				start_closing(t, c);
			break;
		case HTTP_REQ_BAD:
			t->c.bad_requests++;
			owe(t, c, OWED_400);
			start_closing(t, c);
			break;
		case HTTP_REQ_TOO_LARGE:
			t->c.too_large++;
			owe(t, c, OWED_431);
			start_closing(t, c);
			break;
		}
		done += used;
	}
	return c->closing ? len : done;
}

static void put_seq(char *d, uint64_t seq)
{
	int i;

	for (i = HTTP_SEQ_DIGITS - 1; i >= 0; i--) {
		d[i] = (char)('0' + seq % 10);
		seq /= 10;
	}
}

static int add_iov(struct iovec *iov, int n, const void *base, size_t len, uint64_t *skip)
{
	if (*skip >= len) {
		*skip -= len;
		return n;
	}
	iov[n].iov_base = (char *)base + *skip;
	iov[n].iov_len = len - *skip;
	*skip = 0;
	return n + 1;
}

/* iovecs for the owed responses from the first one's unsent byte on. */
static int build_iov(struct sink_thread *t, struct sink_conn *c, struct iovec *iov)
{
	struct sink *s = t->s;
	uint64_t skip = c->off, seq = c->seq;
	int n = 0, nheads = 0;
	uint32_t i, k;
	struct owed *o;
	char *h;

	for (i = 0; i < c->owed_n; i++) {
		o = &c->owed[(c->owed_first + i) % SINK_OWED_SLOTS];
		for (k = 0; k < o->count && n + 2 <= SINK_IOV; k++, seq++) {
			if (o->kind != OWED_GET && o->kind != OWED_HEAD) {
				n = add_iov(iov, n, s->errs[o->kind], s->kind_len[o->kind], &skip);
				continue;
			}
			h = t->heads + (size_t)nheads++ * s->head_len;
			memcpy(h, s->head, s->head_len);
			put_seq(h + s->seq_off, seq % 10000000000ULL);
			n = add_iov(iov, n, h, s->head_len, &skip);
			if (o->kind == OWED_GET && s->o->body_size)
				n = add_iov(iov, n, s->body, s->o->body_size, &skip);
		}
		if (n + 2 > SINK_IOV)
			break;
	}
	return n;
}

/* n bytes went out: retire the responses they completed. */
static void advance(struct sink_thread *t, struct sink_conn *c, uint64_t n)
{
	struct owed *o;
	uint64_t rest;

	c->pending -= n;
	while (n) {
		o = &c->owed[c->owed_first];
		rest = t->s->kind_len[o->kind] - c->off;
		if (n < rest) {
			c->off += n;
			return;
		}
		n -= rest;
		c->off = 0;
		c->seq++;
		t->c.responses++;
		if (--o->count == 0) {
			c->owed_first = (c->owed_first + 1) % SINK_OWED_SLOTS;
			c->owed_n--;
		}
	}
}

/* --split-delay: bytes up to the half-way point or the end of the first
 * owed response, so that each response goes out in two writes. */
static size_t split_cap(struct sink_thread *t, const struct sink_conn *c)
{
	uint64_t len = t->s->kind_len[c->owed[c->owed_first].kind];

	return (size_t)(c->off < len / 2 ? len / 2 - c->off : len - c->off);
}

static int clip_iov(struct iovec *iov, int n, size_t cap)
{
	int i;

	for (i = 0; i < n && cap; i++) {
		if (iov[i].iov_len > cap)
			iov[i].iov_len = cap;
		cap -= iov[i].iov_len;
	}
	return i;
}

/* Half a response is out: the client's recv() meets a partial arrival.
 * A test mode, so the thread simply sleeps. */
static void split_pause(struct sink_thread *t, const struct sink_conn *c)
{
	uint32_t ms = t->s->o->split_ms;
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	if (c->off && c->off == t->s->kind_len[c->owed[c->owed_first].kind] / 2)
		nanosleep(&ts, NULL);
}

/* Writes owed responses until done or the socket is full; -1: closed. */
static int flush(struct sink_thread *t, struct sink_conn *c)
{
	struct iovec iov[SINK_IOV];
	bool split = t->s->o->split_ms > 0;
	size_t total;
	ssize_t r;
	int i, n;

	while (c->pending) {
		uint64_t off0 = c->off, done0 = t->c.responses;

		n = build_iov(t, c, iov);
		if (split)
			n = clip_iov(iov, n, split_cap(t, c));
		for (total = 0, i = 0; i < n; i++)
			total += iov[i].iov_len;
		r = sink_write(t->s, c->fd, iov, n);
		if (r < 0)
			return sink_io_error(t, c, r) ? -1 : 0;
		t->c.bytes_out += (uint64_t)r;
		t->c.send_calls++;
		if (r > 0)
			c->last_write = t->now;
		advance(t, c, (uint64_t)r);
		/* the first response was begun by an earlier write, ended now */
		if (off0 && t->c.responses > done0)
			t->c.split_writes++;
		if ((size_t)r < total)
			return 0; /* socket buffer full: EPOLLOUT will say when */
		if (split)
			split_pause(t, c);
	}
	return 0;
}

static void hold_input(struct sink_thread *t, struct sink_conn *c, const char *buf, size_t len)
{
	c->in = malloc(len);
	if (!c->in) {
		t->c.errors++;
		start_closing(t, c); /* cannot keep the input: finish what is owed */
		return;
	}
	memcpy(c->in, buf, len);
	c->in_off = 0;
	c->in_len = len;
}

static void parse_held(struct sink_thread *t, struct sink_conn *c)
{
	size_t n = parse_requests(t, c, c->in + c->in_off, c->in_len);

	c->in_off += n;
	c->in_len -= n;
	if (c->in_len == 0) {
		free(c->in);
		c->in = NULL;
	}
}

/* Flush, and parse held-back input while there is room; -1: closed. */
static int progress(struct sink_thread *t, struct sink_conn *c)
{
	for (;;) {
		if (c->pending && flush(t, c) < 0)
			return -1;
		if (!c->in_len || !has_room(c))
			return 0;
		parse_held(t, c);
	}
}

static int read_requests(struct sink_thread *t, struct sink_conn *c)
{
	ssize_t r = sink_recv(t, c->fd, t->rbuf, SINK_RBUF);
	size_t n;

	if (r == 0)
		c->read_eof = true;
	if (r <= 0)
		return sink_io_error(t, c, r) ? -1 : 0;
	t->c.bytes_in += (uint64_t)r;
	n = parse_requests(t, c, t->rbuf, (size_t)r);
	if (n < (size_t)r)
		hold_input(t, c, t->rbuf + n, (size_t)r - n);
	return 0;
}

/* Closing, flushed: send FIN, then read until the peer's FIN so that our
 * last response is not destroyed by a reset for unread input. */
static void linger(struct sink_thread *t, struct sink_conn *c)
{
	ssize_t r;
	int i;

	if (!c->lingering) {
		c->lingering = true;
		c->deadline = t->now + SINK_LINGER_NS;
		shutdown(c->fd, SHUT_WR);
		sink_conn_set_events(t, c, EPOLLIN);
	}
	for (i = 0; i < 4; i++) { /* a bounded share of the thread */
		r = sink_recv(t, c->fd, t->rbuf, SINK_RBUF);
		if (r > 0) {
			t->c.bytes_in += (uint64_t)r;
			continue;
		}
		if (r == 0)
			sink_conn_close(t, c);
		else
			sink_io_error(t, c, r);
		return;
	}
}

static void settle(struct sink_thread *t, struct sink_conn *c)
{
	uint32_t want = 0;

	if (c->pending)
		want |= EPOLLOUT;
	if (!c->read_eof && !c->closing && !c->in_len && has_room(c))
		want |= EPOLLIN;
	if (want) {
		sink_conn_set_events(t, c, want);
		return;
	}
	if (c->read_eof)
		sink_conn_close(t, c);
	else
		linger(t, c);
}

static void http_event(struct sink_thread *t, struct sink_conn *c, uint32_t events)
{
	if (c->lingering) {
		linger(t, c);
		return;
	}
	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && (c->events & EPOLLIN) &&
	    read_requests(t, c) < 0)
		return;
	if (progress(t, c) < 0)
		return;
	settle(t, c);
}

static int http_init(struct sink *s, struct sink_conn *c)
{
	(void)s;
	c->req = malloc(sizeof(*c->req));
	if (!c->req)
		return -1;
	http_req_init(c->req);
	return 0;
}

static void http_free(struct sink_conn *c)
{
	free(c->in);
	free(c->req);
	c->in = NULL;
	c->req = NULL;
}

static bool http_owes(const struct sink_conn *c)
{
	return c->pending > 0;
}

static bool http_holds(const struct sink_conn *c)
{
	return c->in_len > 0;
}

const struct sink_handler sink_http = {
	.init = http_init,
	.free = http_free,
	.event = http_event,
	.owes = http_owes,
	.holds = http_holds,
};
