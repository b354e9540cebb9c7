// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `reqperf sink`: N threads, each with its own SO_REUSEPORT listening socket
 * and epoll instance, so the kernel spreads connections and no lock is
 * shared on the hot path. The calling thread sums the per-thread counters
 * and watches *stop.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "addr.h"
#include "sink_int.h"
#include "schema.h"
#include "tcpinfo.h"

#define SINK_MAX_THREADS 1024
#define SINK_EVENTS 256
#define SINK_ACCEPTS 64 /* per wakeup, so one thread cannot only accept */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static bool stopping(struct sink *s)
{
	return *s->stop || __atomic_load_n(&s->quit, __ATOMIC_RELAXED);
}

static void counters_add(struct rp_sink_counters *d, const struct rp_sink_counters *a)
{
	family_merge(&rp_sink_family, d, a);
	tcpinfo_sum(&d->tcp, &a->tcp);
}

static void publish(struct sink_thread *t)
{
	pthread_mutex_lock(&t->lock);
	t->pub = t->c;
	pthread_mutex_unlock(&t->lock);
}

static void sum_counters(struct sink *s, struct rp_sink_counters *out)
{
	struct rp_sink_counters sum = {0}, one;
	int i;

	for (i = 0; i < s->nthreads; i++) {
		pthread_mutex_lock(&s->threads[i].lock);
		one = s->threads[i].pub;
		pthread_mutex_unlock(&s->threads[i].lock);
		counters_add(&sum, &one);
	}
	*out = sum;
}

static void set_listen_events(struct sink_thread *t, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = NULL};

	epoll_ctl(t->epfd, EPOLL_CTL_MOD, t->lfd, &ev);
}

static void accept_all(struct sink_thread *t)
{
	struct sink *s = t->s;
	int i, fd;

	for (i = 0; i < SINK_ACCEPTS; i++) {
		fd = accept4(t->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			/* out of fds or memory: pause accepting until the next sweep */
			t->c.errors++;
			t->accept_paused = true;
			set_listen_events(t, 0);
			return;
		}
		if (__atomic_fetch_add(&s->open_conns, 1, __ATOMIC_RELAXED) >= s->o->max_conns) {
			__atomic_fetch_sub(&s->open_conns, 1, __ATOMIC_RELAXED);
			close(fd);
			t->c.rejected++;
			continue;
		}
		if (s->o->pause_ms && !t->pause_next)
			t->pause_next = t->now + s->o->pause_every_ms * 1000000ULL;
		if (sink_conn_open(t, fd) < 0) {
			__atomic_fetch_sub(&s->open_conns, 1, __ATOMIC_RELAXED);
			close(fd);
			t->c.errors++;
		}
	}
}

/* Every tick: close lingering connections whose deadline passed,
 * connections too slow to send a request and readers too slow to take
 * what they are owed. */
static void sweep(struct sink_thread *t)
{
	bool timeouts = t->s->o->request_timeout_ms || t->s->o->send_timeout_ms;
	struct sink_conn *c, *next;

	if (t->accept_paused) {
		t->accept_paused = false;
		set_listen_events(t, EPOLLIN);
	}
	for (c = t->conns; c && (t->nclosing || timeouts); c = next) {
		next = c->next;
		if (c->closing && t->now >= c->deadline)
			sink_conn_close(t, c);
		else if (timeouts)
			sink_conn_timeout(t, c);
	}
}

/* --pause: the whole thread stops answering, as a stalled server would;
 * slept in short steps so a stop request is still seen. */
static void pause_check(struct sink_thread *t)
{
	const struct sink_opts *o = t->s->o;
	uint64_t end;

	if (!t->pause_next || t->now < t->pause_next)
		return;
	end = t->pause_next + o->pause_ms * 1000000ULL;
	while (!stopping(t->s) && (t->now = mono_ns()) < end) {
		uint64_t left = end - t->now;
		struct timespec ts = {0, (long)(left < 10000000 ? left : 10000000)};

		nanosleep(&ts, NULL);
	}
	t->pause_next += o->pause_every_ms * 1000000ULL;
	if (t->pause_next <= t->now) /* a step took longer than a period */
		t->pause_next = t->now + o->pause_every_ms * 1000000ULL;
}

static void *thread_main(void *arg)
{
	struct sink_thread *t = arg;
	struct epoll_event ev[SINK_EVENTS];
	uint64_t last_sweep = 0, last_pub = 0;
	int i, n;

	while (!stopping(t->s)) {
		n = epoll_wait(t->epfd, ev, SINK_EVENTS, SINK_TICK_MS);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "sink: epoll_wait: %s\n", strerror(errno));
			__atomic_store_n(&t->s->failed, 1, __ATOMIC_RELAXED);
			break;
		}
		t->now = mono_ns();
		pause_check(t);
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr)
				sink_conn_event(t, ev[i].data.ptr, ev[i].events);
			else
				accept_all(t);
		}
		if (t->now - last_sweep >= SINK_TICK_MS * 1000000ULL) {
			sweep(t);
			last_sweep = t->now;
		}
		if (t->now - last_pub >= 10000000ULL) {
			publish(t);
			last_pub = t->now;
		}
	}
	while (t->conns)
		sink_conn_close(t, t->conns);
	publish(t);
	return NULL;
}

static int open_listener(const struct sockaddr_storage *ss, socklen_t len, bool reuseport)
{
	int one = 1, fd, flags = SOCK_STREAM | SOCK_CLOEXEC | (reuseport ? SOCK_NONBLOCK : 0);

	fd = socket(ss->ss_family, flags, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) ||
	    bind(fd, (const struct sockaddr *)ss, len) < 0 || (reuseport && listen(fd, 4096) < 0)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * A plain bind (no SO_REUSEPORT) first: it fails when anyone listens on the
 * port, even another sink that would otherwise silently share it, and it
 * picks the port when 0 was asked for. Then one SO_REUSEPORT socket per
 * thread on that port.
 */
static int open_listeners(struct sink *s, struct sockaddr_storage *ss, socklen_t len)
{
	socklen_t alen = len;
	int i, fd = open_listener(ss, len, false);

	if (fd < 0 || getsockname(fd, (struct sockaddr *)ss, &alen) < 0)
		goto fail;
	close(fd);
	fd = -1;
	addr_format((struct sockaddr *)ss, s->where, sizeof(s->where));
	/* sin_port and sin6_port share their offset */
	s->port = ntohs(((struct sockaddr_in *)ss)->sin_port);
	for (i = 0; i < s->nthreads; i++) {
		s->threads[i].lfd = open_listener(ss, len, true);
		if (s->threads[i].lfd < 0)
			goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "sink: cannot listen on %s: %s\n", s->o->listen, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static int prepare_responses(struct sink *s)
{
	static const int status[OWED_NKINDS] = {
		[OWED_404] = 404, [OWED_405] = 405, [OWED_400] = 400, [OWED_431] = 431};
	size_t body = s->o->body_size;
	int k, n;

	s->body = malloc(body ? body : 1);
	if (!s->body)
		return -1;
	http_fill_body(s->body, body);
	s->crc = (uint32_t)crc32_z(crc32(0L, Z_NULL, 0), (const Bytef *)s->body, body);
	n = http_build_response_head(s->head, sizeof(s->head), body, s->crc, 0);
	if (n < 0)
		return -1;
	s->head_len = (size_t)n;
	s->seq_off = s->head_len - 4 - HTTP_SEQ_DIGITS; /* "...digits\r\n\r\n" */
	s->kind_len[OWED_GET] = s->head_len + body;
	if (sink_write_prepare(s))
		return -1;
	s->kind_len[OWED_HEAD] = s->head_len;
	for (k = OWED_404; k < OWED_NKINDS; k++) {
		n = http_build_error(s->errs[k], sizeof(s->errs[k]), status[k]);
		if (n < 0)
			return -1;
		s->kind_len[k] = (uint64_t)n;
	}
	return 0;
}

static int init_threads(struct sink *s)
{
	struct sink_thread *t;
	int i;

	s->threads = calloc((size_t)s->nthreads, sizeof(*s->threads));
	if (!s->threads)
		return -1;
	for (i = 0; i < s->nthreads; i++) {
		t = &s->threads[i];
		t->s = s;
		t->idx = i;
		t->lfd = -1;
		t->epfd = -1;
		t->pipe[0] = t->pipe[1] = -1;
		pthread_mutex_init(&t->lock, NULL);
	}
	for (i = 0; i < s->nthreads; i++) {
		t = &s->threads[i];
		t->rbuf = malloc(SINK_RBUF);
		t->heads = malloc(SINK_IOV * s->head_len);
		t->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (!t->rbuf || !t->heads || t->epfd < 0 || sink_read_prepare(t))
			return -1;
	}
	return 0;
}

static int start_threads(struct sink *s)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	struct sink_thread *t;
	int i, err;

	for (i = 0; i < s->nthreads; i++) {
		t = &s->threads[i];
		if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->lfd, &ev) < 0) {
			fprintf(stderr, "sink: epoll_ctl: %s\n", strerror(errno));
			return -1;
		}
		err = pthread_create(&t->tid, NULL, thread_main, t);
		if (err) {
			fprintf(stderr, "sink: cannot start a thread: %s\n", strerror(err));
			return -1;
		}
		t->started = true;
	}
	return 0;
}

/* Stops and joins the threads, sums their counters a last time, frees. */
static void cleanup(struct sink *s, struct rp_sink_counters *counters)
{
	struct sink_thread *t;
	int i;

	__atomic_store_n(&s->quit, 1, __ATOMIC_RELAXED);
	if (!s->threads)
		goto out;
	for (i = 0; i < s->nthreads; i++) {
		if (s->threads[i].started)
			pthread_join(s->threads[i].tid, NULL);
	}
	sum_counters(s, counters);
	for (i = 0; i < s->nthreads; i++) {
		t = &s->threads[i];
		if (t->lfd >= 0)
			close(t->lfd);
		if (t->epfd >= 0)
			close(t->epfd);
		sink_read_close(t);
		free(t->rbuf);
		free(t->heads);
		pthread_mutex_destroy(&t->lock);
	}
	free(s->threads);
out:
	sink_write_close(s);
	free(s->body);
}

static int write_ready(int fd, uint16_t port)
{
	ssize_t r;

	do {
		r = write(fd, &port, sizeof(port));
	} while (r < 0 && errno == EINTR);
	if (r != (ssize_t)sizeof(port)) {
		fprintf(stderr, "sink: cannot report the port: %s\n",
			r < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

static void announce(const struct sink *s)
{
	const struct sink_opts *o = s->o;
	const char *th = s->nthreads == 1 ? "thread" : "threads";

	if (o->echo_size)
		printf("listening on %s (%d %s, echo %u-byte messages)\n", s->where, s->nthreads,
		       th, o->echo_size);
	else
		printf("listening on %s (%d %s, body %u bytes)\n", s->where, s->nthreads, th,
		       o->body_size);
	fflush(stdout);
}

/* Until stop: sum the counters every tick, redraw the live counter. */
static void watch(struct sink *s, struct rp_sink_counters *counters)
{
	const struct timespec tick = {0, SINK_TICK_MS * 1000000L};
	bool live = s->o->live && isatty(STDERR_FILENO);
	uint64_t last_draw = 0, now;

	while (!stopping(s)) {
		nanosleep(&tick, NULL);
		sum_counters(s, counters);
		now = mono_ns();
		if (live && now - last_draw >= 250000000ULL) {
			fprintf(stderr, "\r%llu %s",
				(unsigned long long)(s->o->echo_size ? counters->echo_messages
								     : counters->requests),
				s->o->echo_size ? "messages" : "requests");
			last_draw = now;
		}
	}
	if (live && last_draw)
		fputc('\n', stderr);
}

static int check_opts(const struct sink_opts *o, struct sockaddr_storage *ss, socklen_t *len)
{
	char err[160];

	if (addr_parse(o->listen, 1, ss, len, err, sizeof(err)) < 0) {
		fprintf(stderr, "sink: bad listen address: %s\n", err);
		return -1;
	}
	if (o->threads < 1 || o->threads > SINK_MAX_THREADS || o->max_conns < 1) {
		fprintf(stderr, "sink: threads must be 1..%d and max_conns >= 1\n",
			SINK_MAX_THREADS);
		return -1;
	}
	return 0;
}

int sink_run(const struct sink_opts *o, volatile sig_atomic_t *stop,
	     struct rp_sink_counters *counters, int ready_fd)
{
	struct sink s = {.o = o,
			 .handler = o->echo_size ? &sink_echo : &sink_http,
			 .stop = stop,
			 .nthreads = o->threads,
			 .body_fd = -1};
	struct sockaddr_storage ss;
	socklen_t len;
	int ret = -1;

	memset(counters, 0, sizeof(*counters));
	if (check_opts(o, &ss, &len) < 0)
		return -1;
	if (prepare_responses(&s) < 0 || init_threads(&s) < 0) {
		fprintf(stderr, "sink: out of memory\n");
		goto out;
	}
	if (open_listeners(&s, &ss, len) < 0 || start_threads(&s) < 0)
		goto out;
	if (!o->quiet)
		announce(&s);
	if (ready_fd >= 0 && write_ready(ready_fd, s.port) < 0)
		goto out;
	watch(&s, counters);
	ret = __atomic_load_n(&s.failed, __ATOMIC_RELAXED) ? -1 : 0;
out:
	cleanup(&s, counters);
	return ret;
}
