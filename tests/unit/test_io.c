// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The worker's I/O loop (driver/load/io.c) against a scripted peer on loopback:
 * no BPF, real sockets. The peer writes its answers byte by byte, all in
 * one write, or split at every byte position, so the loop meets short
 * reads, EAGAIN and several responses in one recv(); the figures it hands
 * back must account for every byte and call.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io.h"
#include "recv_arith.h"

/* What each return of send()/recv() counts as: EINTR is a call the loop
 * retries, not an error; EAGAIN its own count; a short call has bytes. */
static void test_record_call(void **state)
{
	struct rp_ucalls k;

	(void)state;
	memset(&k, 0, sizeof(k));
	stats_init(&k.ns);
	io_record_call(&k, 100, 10, 10, 0);
	io_record_call(&k, 100, 4, 10, 0);
	io_record_call(&k, 100, -1, 10, EAGAIN);
	io_record_call(&k, 100, -1, 10, EINTR);
	io_record_call(&k, 100, -1, 10, ECONNRESET);
	io_record_call(&k, 100, 0, 10, 0);
	assert_int_equal(k.calls, 6);
	assert_int_equal(k.bytes, 14);
	assert_int_equal(k.short_calls, 1);
	assert_int_equal(k.eagain, 1);
	assert_int_equal(k.errors, 1);
}

#define REQ "GET / HTTP/1.1\r\nHost: peer\r\n\r\n"
#define RESP "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n0123456789abcdef"

enum script {
	BYTE_BY_BYTE, /* every answer one byte per send(), with pauses */
	ONE_WRITE, /* all answers at once, after the last request */
	SPLIT_EACH, /* pingpong: answer i split after i bytes, a pause between */
	ECHO_CHUNKS, /* echo the stream back in 7-byte pieces */
};

struct peer {
	int lfd;
	enum script script;
	int n; /* requests (HTTP) or bytes (echo) to expect */
	uint64_t wrote;
	pthread_t tid;
};

static void pause_us(long us)
{
	struct timespec ts = {0, us * 1000};

	nanosleep(&ts, NULL);
}

static void put(struct peer *p, int fd, const char *b, size_t len)
{
	while (len) {
		ssize_t n = send(fd, b, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		p->wrote += (uint64_t)n;
		b += n;
		len -= (size_t)n;
	}
}

/* Reads until `want` requests ended ("\r\n\r\n"), or EOF. */
static int read_requests(int fd, int want, uint32_t *tail)
{
	char b[4096];
	int got = 0;

	while (got < want) {
		ssize_t n = recv(fd, b, sizeof(b), 0);

		if (n <= 0)
			return got;
		for (ssize_t i = 0; i < n; i++) {
			*tail = *tail << 8 | (uint8_t)b[i];
			got += *tail == 0x0d0a0d0a;
		}
	}
	return got;
}

static void *peer_main(void *arg)
{
	struct peer *p = arg;
	int fd = accept(p->lfd, NULL, NULL);
	size_t rl = strlen(RESP);
	uint32_t tail = 0;
	char b[7];

	if (fd < 0)
		return NULL;
	/* Each piece leaves at once (no Nagle wait for the client's ACK). */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
	switch (p->script) {
	case BYTE_BY_BYTE:
	case ONE_WRITE: {
		int got = read_requests(fd, p->n, &tail);
		char *all = malloc(rl * (size_t)got + 1);

		for (int i = 0; all && i < got; i++)
			memcpy(all + (size_t)i * rl, RESP, rl);
		if (p->script == ONE_WRITE && all)
			put(p, fd, all, rl * (size_t)got);
		for (size_t i = 0; all && p->script == BYTE_BY_BYTE && i < rl * (size_t)got; i++) {
			put(p, fd, all + i, 1);
			if (i % 8 == 0)
				pause_us(300);
		}
		free(all);
		break;
	}
	case SPLIT_EACH:
		for (int i = 0; i < p->n && read_requests(fd, 1, &tail) == 1; i++) {
			size_t cut = (size_t)i % rl;

			put(p, fd, &RESP[0], cut);
			pause_us(2000);
			put(p, fd, &RESP[cut], rl - cut);
		}
		break;
	case ECHO_CHUNKS:
		for (int left = p->n; left > 0;) {
			ssize_t n = recv(fd, b, sizeof(b), 0);

			if (n <= 0)
				break;
			put(p, fd, b, (size_t)n);
			left -= (int)n;
			pause_us(50);
		}
		break;
	}
	/* Hold the connection until the client closes it. */
	while (recv(fd, b, sizeof(b), 0) > 0)
		;
	close(fd);
	return NULL;
}

struct run {
	struct rp_config cfg;
	struct worker_ctx w;
	struct worker_result r;
	struct io io;
	struct peer p;
	volatile sig_atomic_t stop;
	int rc;
};

static void run_script(struct run *t, enum script s, enum rp_mode mode, uint64_t n, uint32_t rsize,
		       uint32_t echo)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);

	memset(t, 0, sizeof(*t));
	config_defaults(&t->cfg);
	t->cfg.mode = mode;
	t->cfg.requests = n;
	t->cfg.connections = 1;
	t->cfg.recv_size = rsize;
	t->cfg.echo_size = echo;
	t->cfg.response_timeout_s = 10;
	t->cfg.idle_timeout_s = 10;
	t->p.lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(t->p.lfd >= 0);
	assert_int_equal(bind(t->p.lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(t->p.lfd, 4), 0);
	assert_int_equal(getsockname(t->p.lfd, (struct sockaddr *)&a, &len), 0);
	t->p.script = s;
	t->p.n = echo ? (int)(n * echo) : (int)n;
	assert_int_equal(pthread_create(&t->p.tid, NULL, peer_main, &t->p), 0);
	t->w.cfg = &t->cfg;
	t->w.cpu = -1;
	memcpy(&t->w.addr, &a, sizeof(a));
	t->w.addrlen = sizeof(a);
	t->w.request = REQ;
	t->w.request_len = (int)strlen(REQ);
	for (int d = 0; d < RP_NDIR; d++)
		stats_init(&t->r.call[d].ns);
	lat_result_init(&t->r.lat, true, false);
	assert_int_equal(io_setup(&t->io, &t->w, &t->r, &t->stop), 0);
	t->rc = io_run(&t->io);
	io_free(&t->io);
	pthread_join(t->p.tid, NULL);
	close(t->p.lfd);
}

/* What every run must show: all answered, nothing lost, every byte the
 * peer wrote received and counted, every recv call in one outcome. */
static void check_accounts(const struct run *t, uint64_t n)
{
	const struct worker_result *r = &t->r;
	struct rp_recv_arith x;

	if (t->rc != 0 || r->errors)
		fail_msg("io_run: %d, errors %llu: %s", t->rc, (unsigned long long)r->errors,
			 r->error);
	assert_int_equal(r->requests, n);
	assert_int_equal(r->responses, n);
	assert_int_equal(r->crc_errors, 0);
	assert_int_equal(r->outstanding, 0);
	assert_int_equal(r->call[RP_RECV].bytes, t->p.wrote);
	assert_int_equal(r->call[RP_RECV].calls, r->recv.calls);
	recv_arith(&r->recv, &x);
	assert_true(x.closes);
	assert_int_equal(x.responses, n);
}

static void test_byte_by_byte(void **state)
{
	struct run *t = calloc(1, sizeof(*t));

	(void)state;
	run_script(t, BYTE_BY_BYTE, RP_MODE_BURST, 8, 1024, 0);
	check_accounts(t, 8);
	/* One byte at a time: reads come back short, and drain to EAGAIN. */
	assert_true(t->r.call[RP_RECV].short_calls > 8);
	assert_true(t->r.call[RP_RECV].eagain > 0);
	assert_true(t->r.call[RP_RECV].calls > t->r.responses);
	free(t);
}

static void test_one_write(void **state)
{
	struct run *t = calloc(1, sizeof(*t));

	(void)state;
	run_script(t, ONE_WRITE, RP_MODE_BURST, 64, 65536, 0);
	check_accounts(t, 64);
	/* Several responses completed by one recv(): fewer calls than answers
	 * may carry data, and the arithmetic goes negative yet closes. */
	assert_true(t->r.recv.multi_calls > 0);
	free(t);
}

static void test_split_at_every_byte(void **state)
{
	struct run *t = calloc(1, sizeof(*t));
	uint64_t n = strlen(RESP);

	(void)state;
	run_script(t, SPLIT_EACH, RP_MODE_PINGPONG, n, 1024, 0);
	check_accounts(t, n);
	/* Split responses came in pieces: more data-returning calls than
	 * responses (how many depends on the client's pace, not asserted). */
	assert_true(t->r.call[RP_RECV].calls - t->r.call[RP_RECV].eagain > n);
	free(t);
}

static void test_echo_chunks(void **state)
{
	struct run *t = calloc(1, sizeof(*t));

	(void)state;
	run_script(t, ECHO_CHUNKS, RP_MODE_PINGPONG, 16, 1024, 100);
	check_accounts(t, 16);
	assert_int_equal(t->r.body_bytes, 16 * 100);
	assert_true(t->r.call[RP_RECV].short_calls > 0);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_call), cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_one_write),   cmocka_unit_test(test_split_at_every_byte),
		cmocka_unit_test(test_echo_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
