// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The worker's I/O loop. Every send() and recv() is timed on its own with
 * CLOCK_MONOTONIC; epoll (level-triggered) says when a socket is ready, and
 * a ready socket is read until EAGAIN while responses are outstanding, so
 * the EAGAIN returns are part of what is measured, as in the seed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "io.h"

void io_error(struct io *io, const char *fmt, ...)
{
	va_list ap;

	io->res->errors++;
	if (io->res->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(io->res->error, sizeof(io->res->error), fmt, ap);
	va_end(ap);
}

static void record(struct io *io, int dir, uint64_t ns, ssize_t n, size_t asked, int err)
{
	typeof(io->res->call[0]) *k = &io->res->call[dir];

	k->calls++;
	stats_record(&k->ns, ns);
	if (n > 0) {
		k->bytes += (uint64_t)n;
		if ((size_t)n < asked)
			k->short_calls++;
	} else if (n < 0) {
		if (err == EAGAIN || err == EWOULDBLOCK)
			k->eagain++;
		else
			k->errors++;
	}
}

static uint64_t outstanding(const struct conn *c)
{
	return c->sent - c->answered;
}

static bool can_send(const struct io *io, const struct conn *c)
{
	if (c->fd < 0 || !io->open || c->sent >= c->quota || c->draining)
		return false;
	if (io->cfg->mode == RP_MODE_PINGPONG)
		return outstanding(c) < 1;
	if (io->cfg->mode == RP_MODE_PIPELINE)
		return outstanding(c) < (uint64_t)io->cfg->pipeline;
	return true; /* burst: until the round is sent */
}

static void arm_out(struct io *io, struct conn *c, bool on)
{
	struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};

	if (c->out_armed == on)
		return;
	c->out_armed = on;
	epoll_ctl(io->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes requests while the mode allows; a full socket waits for EPOLLOUT. */
static void try_send(struct io *io, struct conn *c)
{
	while (can_send(io, c)) {
		const char *buf;
		size_t len;
		uint64_t t0, t1;
		ssize_t n;
		int err;

		proto_request(io, c, &buf, &len);
		t0 = now_ns();
		n = send(c->fd, buf + c->off, len - c->off, MSG_NOSIGNAL | MSG_DONTWAIT);
		t1 = now_ns();
		err = errno;
		record(io, RP_SEND, t1 - t0, n, len - c->off, err);
		if (n < 0 && err != EAGAIN && err != EWOULDBLOCK) {
			io_error(io, "send: %s", strerror(err));
			conn_close(io, c);
			return;
		}
		if (n > 0)
			c->off += (uint32_t)n;
		if (c->off < len) {
			arm_out(io, c, true);
			return;
		}
		c->off = 0;
		c->sent++;
		io->res->requests++;
		if (io->cfg->mode == RP_MODE_BURST &&
		    (c->sent % io->round == 0 || c->sent >= c->quota))
			c->draining = true;
	}
	if (c->fd >= 0)
		arm_out(io, c, false);
}

static void reconnect(struct io *io, struct conn *c)
{
	/* Requests pipelined behind the closing response were never answered. */
	io->res->requests -= c->sent - c->answered;
	c->sent = c->answered;
	c->draining = false;
	conn_close(io, c);
	io->res->reconnects++;
	if (conn_open(io, c) == 0)
		try_send(io, c);
}

static bool conn_busy(const struct conn *c, uint32_t echo_size)
{
	if (echo_size)
		return c->rx < c->sent * echo_size;
	return outstanding(c) > 0;
}

/* What a data-returning recv did; explains recv calls beyond responses. */
static void classify_recv(struct io *io, const struct conn *c, uint64_t answered, size_t n)
{
	if (c->answered > answered)
		io->res->recv_completing++;
	else if (n == io->cfg->recv_size)
		io->res->recv_buffer_limited++;
	else
		io->res->recv_partial++;
}

/* Reads while responses are outstanding, until EAGAIN. */
static void do_recv(struct io *io, struct conn *c)
{
	while (c->fd >= 0 && conn_busy(c, io->cfg->echo_size)) {
		uint64_t t0, t1, answered = c->answered;
		ssize_t n;
		int err;

		t0 = now_ns();
		n = recv(c->fd, io->rbuf, io->cfg->recv_size, MSG_DONTWAIT);
		t1 = now_ns();
		err = errno;
		record(io, RP_RECV, t1 - t0, n, io->cfg->recv_size, err);
		if (n > 0) {
			io->last_progress_ns = t1;
			if (proto_consume(io, c, io->rbuf, (size_t)n) < 0) {
				conn_close(io, c);
				return;
			}
			classify_recv(io, c, answered, (size_t)n);
			if (c->reconnect) {
				reconnect(io, c);
				return;
			}
			if (c->draining && outstanding(c) == 0)
				c->draining = false;
			try_send(io, c);
			continue;
		}
		if (n == 0) {
			io_error(io,
				 "connection closed by the server with %llu responses outstanding",
				 (unsigned long long)outstanding(c));
			conn_close(io, c);
			return;
		}
		if (err == EAGAIN || err == EWOULDBLOCK)
			return;
		if (err != EINTR) {
			io_error(io, "recv: %s", strerror(err));
			conn_close(io, c);
			return;
		}
	}
}

static bool all_done(const struct io *io)
{
	for (int i = 0; i < io->nconns; i++) {
		const struct conn *c = &io->conns[i];

		if (c->fd < 0)
			continue;
		if (conn_busy(c, io->cfg->echo_size) || c->off)
			return false;
		if (io->open && c->sent < c->quota)
			return false;
	}
	return true;
}

static void handle_event(struct io *io, const struct epoll_event *ev)
{
	struct conn *c = ev->data.ptr;

	if (ev->events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		do_recv(io, c);
	if (c->fd >= 0 && (ev->events & (EPOLLERR | EPOLLHUP)) &&
	    !conn_busy(c, io->cfg->echo_size)) {
		io_error(io, "connection closed by the server");
		conn_close(io, c);
	}
	if (c->fd >= 0 && (ev->events & EPOLLOUT))
		try_send(io, c);
}

static int wait_ms(const struct io *io, uint64_t now)
{
	uint64_t idle_end = io->last_progress_ns + (uint64_t)(io->cfg->idle_timeout_s * 1e9);
	uint64_t end = idle_end;

	if (io->open && io->deadline_ns && io->deadline_ns < end)
		end = io->deadline_ns;
	if (end <= now)
		return 0;
	end = (end - now + 999999) / 1000000;
	return end > 100 ? 100 : (int)end;
}

static void loop(struct io *io)
{
	struct epoll_event evs[64];

	while (!all_done(io)) {
		uint64_t now = now_ns();
		int n;

		if (*io->stop) {
			io_error(io, "interrupted");
			return;
		}
		if (io->open && io->deadline_ns && now >= io->deadline_ns)
			io->open = false;
		if (now - io->last_progress_ns > (uint64_t)(io->cfg->idle_timeout_s * 1e9)) {
			io_error(io, "stalled: nothing received for %.1f s",
				 io->cfg->idle_timeout_s);
			return;
		}
		n = epoll_wait(io->epfd, evs, 64, wait_ms(io, now));
		if (n < 0 && errno != EINTR) {
			io_error(io, "epoll_wait: %s", strerror(errno));
			return;
		}
		for (int i = 0; i < n; i++)
			handle_event(io, &evs[i]);
	}
}

int io_run(struct io *io)
{
	int i;

	for (i = 0; i < io->nconns; i++)
		if (conn_open(io, &io->conns[i]) < 0)
			return -1;
	io->res->t_start_ns = now_ns();
	io->last_progress_ns = io->res->t_start_ns;
	if (io->cfg->duration_s > 0)
		io->deadline_ns = io->res->t_start_ns + (uint64_t)(io->cfg->duration_s * 1e9);
	for (i = 0; i < io->nconns; i++)
		try_send(io, &io->conns[i]);
	loop(io);
	io->res->t_end_ns = now_ns();
	for (i = 0; i < io->nconns; i++) {
		struct conn *c = &io->conns[i];

		if (c->fd >= 0 && conn_busy(c, io->cfg->echo_size) && !io->res->errors)
			io_error(io, "%llu responses missing", (unsigned long long)outstanding(c));
		conn_close(io, c);
	}
	return io->res->errors ? -1 : 0;
}
