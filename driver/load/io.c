// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The worker's I/O loop. Every send() and recv() is timed on its own with
 * CLOCK_MONOTONIC; epoll (level-triggered) says when a socket is ready, and
 * a ready socket is read until EAGAIN while responses are outstanding, so
 * the EAGAIN returns are part of what is measured, as in the seed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "conn.h"
#include "io.h"
#include "proto.h"
#include "sched_window.h"

/* The call's own record for the per-call join; never blocks, never
 * allocates: a full buffer only counts the calls it could not keep. */
static void note(struct io *io, const struct conn *c, struct rp_uevent *e, ssize_t n, int err)
{
	struct rp_uev_buf *b = io->ev;

	struct rp_uresp *r = rp_uev_resp(b);
	uint32_t nends = io->nends;

	io->nends = 0;
	if (b->n >= b->cap) {
		b->dropped++;
		b->resp_dropped += nends;
		return;
	}
	e->ret = n < 0 ? -err : n;
	e->conn = (uint16_t)(c - io->conns);
	for (uint32_t i = 0; i < nends; i++) {
		if (b->nresp < b->cap)
			r[b->nresp++] = (struct rp_uresp){(uint32_t)b->n, io->ends[i]};
		else
			b->resp_dropped++;
	}
	b->resp_dropped += io->ends_over;
	io->ends_over = 0;
	b->ev[b->n++] = *e;
}

static void note_send(struct io *io, const struct conn *c, uint64_t t0, uint64_t t1, ssize_t n,
		      int err, size_t asked)
{
	struct rp_uevent e = {.start_ns = t0,
			      .end_ns = t1,
			      .seq = c->sent,
			      .len = (uint32_t)asked,
			      .dir = RP_SEND};

	note(io, c, &e, n, err);
}

/* answered, crc: the connection's and the worker's counts before the call. */
static void note_recv(struct io *io, const struct conn *c, uint64_t t0, uint64_t t1, ssize_t n,
		      int err, uint64_t answered, uint64_t crc)
{
	uint64_t done = c->answered - answered, bad = io->res->crc_errors - crc;
	struct rp_uevent e = {.start_ns = t0,
			      .end_ns = t1,
			      .seq = answered,
			      .len = io->cfg->recv_size,
			      .dir = RP_RECV,
			      .done = (uint8_t)(done < 255 ? done : 255),
			      .bad = (uint8_t)(bad < 255 ? bad : 255)};

	note(io, c, &e, n, err);
}

static uint64_t outstanding(const struct conn *c)
{
	return c->sent - c->answered;
}

static bool conn_busy(const struct io *io, const struct conn *c)
{
	return io->proto->busy(io, c);
}

/* Closes c; what it still owed is counted as outstanding, never lost. */
static void conn_drop(struct io *io, struct conn *c)
{
	if (c->fd >= 0 && conn_busy(io, c))
		io->res->outstanding += outstanding(c);
	conn_close(io, c);
}

static bool can_send(const struct io *io, const struct conn *c)
{
	if (c->fd < 0 || !io->open || c->sent >= c->quota || c->draining)
		return false;
	if (io->cfg->mode == RP_MODE_PINGPONG && outstanding(c) >= 1)
		return false;
	if (io->cfg->mode == RP_MODE_PIPELINE && outstanding(c) >= (uint64_t)io->cfg->pipeline)
		return false;
	return !io->lat.rate || lat_may_send(io, c, now_ns()); /* burst: the round */
}

static void arm_out(struct io *io, struct conn *c, bool on)
{
	struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};

	if (c->out_armed == on)
		return;
	c->out_armed = on;
	epoll_ctl(io->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Pipeline mode writes every request its window allows in one send(), as
 * pipelining clients (wrk) do: one syscall per request would make the
 * client, not the server, the bottleneck. HTTP requests are identical
 * bytes, so io->batch holds as many copies as one call may carry. */
static uint64_t batch(const struct io *io, const struct conn *c, const char **buf)
{
	uint64_t k = (uint64_t)io->cfg->pipeline - outstanding(c);

	if (!io->batch)
		return 1;
	if (k > c->quota - c->sent)
		k = c->quota - c->sent;
	if (k > io->batch_max)
		k = io->batch_max;
	if (io->lat.rate)
		k = lat_due_cap(io, c, k, now_ns());
	*buf = io->batch;
	return k;
}

static void batch_setup(struct io *io)
{
	size_t len = (size_t)io->w->request_len, k = IO_BATCH_BYTES / len;

	if (io->cfg->mode != RP_MODE_PIPELINE || !io->proto->batches || io->cfg->pipeline < 2 ||
	    io->cfg->request_writes > 1)
		return;
	if (k > (size_t)io->cfg->pipeline)
		k = (size_t)io->cfg->pipeline;
	if (k < 2 || !(io->batch = malloc(k * len)))
		return; /* one request per call */
	for (size_t i = 0; i < k; i++)
		memcpy(io->batch + i * len, io->w->request, len);
	io->batch_max = k;
}

/* n more bytes of the request stream went out: counts the requests they
 * completed; c->off stays the offset in the first unfinished one. */
static uint64_t advance(struct io *io, struct conn *c, size_t n, size_t len, uint64_t now)
{
	uint64_t off = c->off + n, done = off / len;

	if (done && outstanding(c) == 0)
		c->wait_ns = now; /* the first owed response's clock starts */
	c->off = (uint32_t)(off % len);
	c->sent += done;
	io->res->requests += done;
	return done;
}

/* --request-writes N: where this send() of one request stops, the end of
 * the N-th part c->off is in (the parts as equal as the length allows). */
static size_t part_end(const struct io *io, const struct conn *c, size_t len)
{
	size_t n = io->cfg->request_writes > 1 ? io->cfg->request_writes : 1;
	size_t part = (len + n - 1) / n, end = (c->off / part + 1) * part;

	return end < len ? end : len;
}

/* Writes requests while the mode allows; a full socket waits for EPOLLOUT. */
static void try_send(struct io *io, struct conn *c)
{
	while (can_send(io, c)) {
		const char *buf;
		size_t len, total, want;
		uint64_t t0, t1, k, done = 0, started = lat_started(c);
		ssize_t n;
		int err;

		io->proto->request(io, c, &buf, &len);
		k = batch(io, c, &buf);
		total = k == 1 ? part_end(io, c, len) : (size_t)k * len;
		want = total - c->off;
		t0 = now_ns();
		n = send(c->fd, buf + c->off, want, MSG_NOSIGNAL | MSG_DONTWAIT);
		t1 = now_ns();
		err = errno;
		io_record_call(&io->res->call[RP_SEND], t1 - t0, n, want, err);
		if (io->ev)
			note_send(io, c, t0, t1, n, err, want);
		if (n < 0 && err != EAGAIN && err != EWOULDBLOCK) {
			io_error(io, "send: %s", strerror(err));
			conn_drop(io, c);
			return;
		}
		if (n > 0) {
			done = advance(io, c, (size_t)n, len, t1);
			lat_sent(io, c, started, t0);
			lat_held(io, c, done, len, t1);
		}
		if (done < k && n > 0 && (size_t)n == want)
			continue; /* one part of a request written whole: the next */
		if (done < k) {
			arm_out(io, c, true);
			return;
		}
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

/* What each recv call did: explains recv calls against responses. */
static void tally_recv(struct io *io, const struct conn *c, uint64_t answered, ssize_t n, int err)
{
	uint64_t done = c->answered - answered;

	recv_tally_add(&io->res->recv, recv_outcome(n, err, io->cfg->recv_size, done), done);
}

/* One timed recv() on c, recorded as every call is (the per-call join,
 * the outcome tally), its bytes consumed by the protocol: *rc is 0, or -1
 * when c must be dropped. Returns what recv() returned, *err its errno. */
static ssize_t recv_once(struct io *io, struct conn *c, int *err, int *rc)
{
	uint64_t t0, t1, answered = c->answered, crc = io->res->crc_errors;
	ssize_t n;

	*rc = 0;
	t0 = now_ns();
	n = recv(c->fd, io->rbuf, io->cfg->recv_size, MSG_DONTWAIT);
	t1 = now_ns();
	*err = errno;
	io_record_call(&io->res->call[RP_RECV], t1 - t0, n, io->cfg->recv_size, *err);
	if (n > 0) {
		io->last_progress_ns = t1;
		*rc = io->proto->consume(io, c, io->rbuf, (size_t)n);
		lat_done(io, c, answered, t1);
		if (c->answered > answered)
			c->wait_ns = t1; /* the next owed response's clock */
	}
	if (io->ev)
		note_recv(io, c, t0, t1, n, *err, answered, crc);
	tally_recv(io, c, answered, n, *err);
	return n;
}

/* Reads while responses are outstanding, until EAGAIN, or for at most
 * IO_SLICE_NS so that a peer that never stops sending cannot keep the
 * loop from its stop flag and deadlines (epoll is level-triggered: the
 * rest is read on the next round). */
static void do_recv(struct io *io, struct conn *c)
{
	uint64_t first = now_ns();

	while (c->fd >= 0 && conn_busy(io, c)) {
		int err, rc;
		ssize_t n = recv_once(io, c, &err, &rc);

		if (n > 0) {
			if (rc < 0) {
				conn_drop(io, c);
				return;
			}
			if (c->reconnect) {
				reconnect(io, c);
				return;
			}
			if (c->draining && outstanding(c) == 0)
				c->draining = false;
			if (io->last_progress_ns - first > IO_SLICE_NS ||
			    (*io->stop && !io->interrupted))
				return; /* epoll reports the rest; no refill meanwhile */
			continue;
		}
		if (n == 0) {
			io_error(io,
				 "connection closed by the server with %llu responses outstanding",
				 (unsigned long long)outstanding(c));
			conn_drop(io, c);
			return;
		}
		if (err == EAGAIN || err == EWOULDBLOCK)
			break;
		if (err != EINTR) {
			io_error(io, "recv: %s", strerror(err));
			conn_drop(io, c);
			return;
		}
	}
	/* Refill only after the socket is drained: the freed window goes out
	 * in one send(), and no recv() polls for an answer just asked for. */
	if (c->fd >= 0)
		try_send(io, c);
}

static bool all_done(const struct io *io)
{
	for (int i = 0; i < io->nconns; i++) {
		const struct conn *c = &io->conns[i];

		if (c->fd < 0)
			continue;
		if (conn_busy(io, c) || c->off)
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
	if (c->fd >= 0 && (ev->events & (EPOLLERR | EPOLLHUP)) && !conn_busy(io, c)) {
		io_error(io, "connection closed by the server");
		conn_close(io, c);
	}
	if (c->fd >= 0 && (ev->events & EPOLLOUT))
		try_send(io, c);
}

static uint64_t secs_ns(double s)
{
	return (uint64_t)(s * 1e9);
}

/* No new requests from now on; what is owed gets at most grace_s. */
static void close_intake(struct io *io, uint64_t now, double grace_s)
{
	uint64_t end = now + secs_ns(grace_s);

	io->open = false;
	if (!io->drain_end_ns || end < io->drain_end_ns)
		io->drain_end_ns = end;
}

/* Cuts every connection whose first owed response is overdue: a body that
 * never ends, a server that drips, one that went silent. */
static void check_deadlines(struct io *io, uint64_t now)
{
	uint64_t limit = secs_ns(io->cfg->response_timeout_s);

	if (now < io->next_check_ns)
		return;
	io->next_check_ns = now + IO_CHECK_NS;
	for (int i = 0; i < io->nconns; i++) {
		struct conn *c = &io->conns[i];

		if (c->fd < 0 || !conn_busy(io, c) || now - c->wait_ns <= limit)
			continue;
		io->res->response_timeouts++;
		io_error(io, "response %llu not complete after %.2f s (--response-timeout)",
			 (unsigned long long)io->res->responses, io->cfg->response_timeout_s);
		conn_drop(io, c);
	}
}

static int wait_ms(const struct io *io, uint64_t now)
{
	uint64_t idle_end = io->last_progress_ns + secs_ns(io->cfg->idle_timeout_s);
	uint64_t end = idle_end;

	if (io->open && io->deadline_ns && io->deadline_ns < end)
		end = io->deadline_ns;
	if (io->drain_end_ns && io->drain_end_ns < end)
		end = io->drain_end_ns;
	if (end <= now)
		return 0;
	end = (end - now + 999999) / 1000000;
	return end > 100 ? 100 : (int)end;
}

/* --rate: connections whose slot came write their request. */
static void send_due(struct io *io)
{
	for (int i = 0; i < io->nconns; i++)
		if (can_send(io, &io->conns[i]))
			try_send(io, &io->conns[i]);
}

/* epoll_wait, or with --rate epoll_pwait2 woken at the next slot. */
static int wait_events(struct io *io, struct epoll_event *evs, int max, uint64_t now)
{
	uint64_t next = lat_next_slot(io), ms = (uint64_t)wait_ms(io, now), ns;
	struct timespec ts;

	if (next == UINT64_MAX)
		return epoll_wait(io->epfd, evs, max, (int)ms);
	ns = next > now ? next - now : 0;
	if (ns > ms * 1000000)
		ns = ms * 1000000;
	ts.tv_sec = (time_t)(ns / 1000000000);
	ts.tv_nsec = (long)(ns % 1000000000);
	return epoll_pwait2(io->epfd, evs, max, &ts, NULL);
}

static void loop(struct io *io)
{
	struct epoll_event evs[64];

	while (!all_done(io)) {
		uint64_t now;
		int n;

		if (io->lat.rate)
			send_due(io); /* may move last_progress_ns: before the clock read */
		now = now_ns();
		lat_publish(io, now, false);
		if (*io->stop && !io->interrupted) {
			double grace = io->cfg->response_timeout_s;

			io->interrupted = true;
			io_error(io, "interrupted");
			close_intake(io, now, grace < IO_STOP_GRACE_S ? grace : IO_STOP_GRACE_S);
		}
		if (io->open && io->deadline_ns && now >= io->deadline_ns)
			close_intake(io, now, io->cfg->response_timeout_s);
		if (io->drain_end_ns && now >= io->drain_end_ns)
			return; /* what is still owed is counted as outstanding */
		check_deadlines(io, now);
		if (now - io->last_progress_ns > secs_ns(io->cfg->idle_timeout_s)) {
			io_error(io, "stalled: nothing received for %.1f s",
				 io->cfg->idle_timeout_s);
			return;
		}
		n = wait_events(io, evs, 64, now);
		if (n < 0 && errno != EINTR) {
			io_error(io, "epoll_wait: %s", strerror(errno));
			return;
		}
		for (int i = 0; i < n; i++)
			handle_event(io, &evs[i]);
	}
}

/* Reads what arrived after the last answer, timed and recorded as every
 * recv() is (the kernel sees these calls too); consuming it counts the
 * responses nobody asked for. A peer's FIN just closes the connection. */
static void read_extra(struct io *io, struct conn *c)
{
	int avail = 0, err, rc;

	if (ioctl(c->fd, FIONREAD, &avail) < 0 || avail <= 0) {
		conn_close(io, c);
		return;
	}
	while (c->fd >= 0 && recv_once(io, c, &err, &rc) > 0)
		if (rc < 0)
			conn_close(io, c);
	if (c->fd >= 0 && io->proto->partial(io, c))
		io_extra(io, 1); /* the start of one more */
	conn_close(io, c);
}

/* A finished run waits IO_EXTRA_WAIT_MS for bytes nobody asked for: a
 * server answering twice leaves its last extra answers here, whatever the
 * mode. A clean run makes no recv() for this. The ACK our delayed-ACK
 * timer still holds goes out now: a Nagle sender waits for it before it
 * sends a small extra answer (40 ms or more otherwise). */
static void check_extra(struct io *io)
{
	uint64_t end = now_ns() + IO_EXTRA_WAIT_MS * 1000000ULL, now;
	struct epoll_event evs[64];
	int one = 1;

	for (int i = 0; i < io->nconns; i++)
		if (io->conns[i].fd >= 0)
			setsockopt(io->conns[i].fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));

	while ((now = now_ns()) < end) {
		int n = epoll_wait(io->epfd, evs, 64, (int)((end - now + 999999) / 1000000));

		if (n < 0 && errno != EINTR)
			return;
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c->fd >= 0)
				read_extra(io, c);
		}
	}
}

int io_run(struct io *io)
{
	int i;

	io->ev = worker_events(io->w);
	if (io->ev)
		io->ev->tid = (uint32_t)gettid();
	batch_setup(io);
	if (lat_setup(io) < 0) {
		io_error(io, "out of memory");
		return -1;
	}
	for (i = 0; i < io->nconns; i++)
		if (conn_open(io, &io->conns[i]) < 0)
			return -1;
	sched_window_open(io->w, io->res);
	io->res->t_start_ns = now_ns();
	io->last_progress_ns = io->res->t_start_ns;
	lat_start(io, io->res->t_start_ns);
	if (io->cfg->duration_s > 0)
		io->deadline_ns = io->res->t_start_ns + secs_ns(io->cfg->duration_s);
	for (i = 0; i < io->nconns; i++)
		try_send(io, &io->conns[i]);
	loop(io);
	io->res->t_end_ns = now_ns();
	lat_publish(io, io->res->t_end_ns, true);
	lat_finish(io);
	sched_window_close(io->w, io->res);
	for (i = 0; i < io->nconns; i++)
		if (io->conns[i].fd >= 0 && conn_busy(io, &io->conns[i]))
			conn_drop(io, &io->conns[i]);
	if (io->res->outstanding && !io->res->errors)
		io_error(io, "%llu responses outstanding when the run ended",
			 (unsigned long long)io->res->outstanding);
	if (!io->res->errors)
		check_extra(io);
	for (i = 0; i < io->nconns; i++)
		conn_close(io, &io->conns[i]);
	free(io->batch);
	io->batch = NULL;
	return io->res->errors ? -1 : 0;
}
