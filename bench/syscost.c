// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The floor under reqperf's user-side timing on this machine: what two
 * back-to-back CLOCK_MONOTONIC reads cost, and what a syscall that does
 * nothing (getppid) costs when timed the way io.c times send() and recv();
 * then the two socket calls a traced worker makes most, timed the same
 * way on an idle loopback TCP connection: a recv() that finds nothing
 * (EAGAIN: the kernel's whole recv path, no copy) and a 64-byte send()
 * (the peer drains it, untimed). Run untraced, under empty programs on
 * reqperf's hooks and under `reqperf trace --comm syscost`, the socket
 * figures say what tracing adds to one user-timed call.
 * Prints one JSON line of per-call costs in ns: the cheapest of several
 * batches' means (and medians), since a floor is what is left when
 * nothing interferes.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 21
#define PER_BATCH 50000
#define SOCK_BATCHES 11
#define SOCK_PER_BATCH 20000

enum what {
	CLOCK_PAIR,
	GETPPID,
	RECV_EAGAIN,
	SEND_64
};

struct conn {
	int tx, rx; /* the two ends of one loopback connection */
};

struct cost {
	double mean; /* the cheapest batch's mean */
	double p50; /* the cheapest batch's median */
};

static uint64_t samples[PER_BATCH];

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void one(enum what w, const struct conn *c, char *buf)
{
	if (w == GETPPID)
		syscall(SYS_getppid);
	else if (w == RECV_EAGAIN)
		(void)!recv(c->rx, buf, 1024, MSG_DONTWAIT);
	else if (w == SEND_64)
		(void)!send(c->tx, buf, 64, 0);
}

static struct cost batch(enum what w, const struct conn *c, int n)
{
	static char buf[1024];
	uint64_t sum = 0;
	struct cost r;

	for (int i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		one(w, c, buf);
		samples[i] = now_ns() - t0;
		sum += samples[i];
		if (w == SEND_64) /* untimed: keep the receive queue empty */
			(void)!recv(c->rx, buf, sizeof(buf), MSG_DONTWAIT);
	}
	qsort(samples, (size_t)n, sizeof(samples[0]), cmp_u64);
	r.mean = (double)sum / n;
	r.p50 = (double)samples[n / 2];
	return r;
}

static struct cost floor_of(enum what w, const struct conn *c)
{
	int sock = w == RECV_EAGAIN || w == SEND_64;
	int n = sock ? SOCK_PER_BATCH : PER_BATCH;
	struct cost min = batch(w, c, n);

	for (int i = 1; i < (sock ? SOCK_BATCHES : BATCHES); i++) {
		struct cost v = batch(w, c, n);

		if (v.mean < min.mean)
			min.mean = v.mean;
		if (v.p50 < min.p50)
			min.p50 = v.p50;
	}
	return min;
}

/* A connected loopback TCP pair, TCP_NODELAY on the sending end. */
static int connect_pair(struct conn *c)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&a, len) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return -1;
	c->tx = socket(AF_INET, SOCK_STREAM, 0);
	if (c->tx < 0 || connect(c->tx, (struct sockaddr *)&a, len))
		return -1;
	c->rx = accept(l, NULL, NULL);
	close(l);
	if (c->rx < 0)
		return -1;
	return setsockopt(c->tx, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int main(void)
{
	struct conn c;
	struct cost pair, call, rcv, snd;

	if (connect_pair(&c)) {
		perror("syscost: loopback connection");
		return 1;
	}
	pair = floor_of(CLOCK_PAIR, &c);
	call = floor_of(GETPPID, &c);
	rcv = floor_of(RECV_EAGAIN, &c);
	snd = floor_of(SEND_64, &c);
	printf("{\"clock_pair_ns\": %.1f, \"getppid_ns\": %.1f, \"recv_eagain_ns\": %.1f, "
	       "\"recv_eagain_p50_ns\": %.1f, \"send64_ns\": %.1f, \"send64_p50_ns\": %.1f}\n",
	       pair.mean, call.mean, rcv.mean, rcv.p50, snd.mean, snd.p50);
	return 0;
}
