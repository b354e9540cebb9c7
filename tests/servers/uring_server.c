// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A small HTTP/1.1 server whose socket I/O is all io_uring (IORING_OP_RECV
 * and IORING_OP_SEND), for the integration tests: `reqperf trace` must
 * count its calls and bytes. One thread, one connection at a time; every
 * request (a header block ending in CRLF CRLF) gets the same 200 response.
 * Usage: uring_server PORT_FILE [BODY_BYTES]: listens on 127.0.0.1:0,
 * writes the port to PORT_FILE, serves until SIGTERM. On exit it prints
 * "uring_server: recv N bytes in C calls, send N bytes in C calls".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RING 64

static volatile sig_atomic_t stop;
static unsigned long long rbytes, rcalls, sbytes, scalls;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int listen_any(const char *port_file)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	FILE *f;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	f = fopen(port_file, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", ntohs(a.sin_port));
	fclose(f);
	return fd;
}

/* One io_uring op, waited for; returns its result. */
static int uring_op(struct io_uring *r, int fd, void *buf, size_t len, int send)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(r);
	struct io_uring_cqe *cqe;
	int res;

	if (send)
		io_uring_prep_send(sqe, fd, buf, len, MSG_NOSIGNAL);
	else
		io_uring_prep_recv(sqe, fd, buf, len, 0);
	if (io_uring_submit(r) != 1)
		return -EIO;
	while ((res = io_uring_wait_cqe(r, &cqe)) == -EINTR)
		if (stop)
			return -EINTR;
	if (res)
		return res;
	res = cqe->res;
	io_uring_cqe_seen(r, cqe);
	if (send) {
		scalls++;
		sbytes += res > 0 ? (unsigned long long)res : 0;
	} else {
		rcalls++;
		rbytes += res > 0 ? (unsigned long long)res : 0;
	}
	return res;
}

static int send_all(struct io_uring *r, int fd, const char *p, size_t len)
{
	while (len) {
		int n = uring_op(r, fd, (void *)p, len, 1);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Counts header-block ends across recv boundaries: state = how many of
 * "\r\n\r\n" were matched so far. */
static int requests_in(const char *b, int n, int *state)
{
	static const char end[] = "\r\n\r\n";
	int found = 0;

	for (int i = 0; i < n; i++) {
		*state = b[i] == end[*state] ? *state + 1 : (b[i] == '\r' ? 1 : 0);
		if (*state == 4) {
			found++;
			*state = 0;
		}
	}
	return found;
}

static void serve(struct io_uring *r, int fd, const char *resp, size_t rlen)
{
	char buf[4096];
	int state = 0, n;

	while (!stop && (n = uring_op(r, fd, buf, sizeof(buf), 0)) > 0)
		for (int k = requests_in(buf, n, &state); k > 0; k--)
			if (send_all(r, fd, resp, rlen))
				return;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_term};
	size_t body = argc > 2 ? strtoul(argv[2], NULL, 10) : 3072;
	struct io_uring ring;
	char *resp;
	int lfd, fd, hl;

	if (argc < 2 || body > 1 << 20) {
		fprintf(stderr, "usage: uring_server PORT_FILE [BODY_BYTES]\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	resp = malloc(body + 128);
	if (!resp)
		return 1;
	hl = snprintf(resp, 128, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", body);
	memset(resp + hl, 'u', body);
	lfd = listen_any(argv[1]);
	if (lfd < 0 || io_uring_queue_init(RING, &ring, 0)) {
		perror("uring_server");
		return 1;
	}
	while (!stop) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		serve(&ring, fd, resp, (size_t)hl + body);
		close(fd);
	}
	io_uring_queue_exit(&ring);
	close(lfd);
	free(resp);
	printf("uring_server: recv %llu bytes in %llu calls, send %llu bytes in %llu calls\n",
	       rbytes, rcalls, sbytes, scalls);
	return 0;
}
