// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Opening and closing the worker's TCP connections, with TCP_INFO deltas. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/tcp.h>

#include "addr.h"
#include "conn.h"
#include "proto.h"
#include "tcpinfo.h"

static int tcp_info_get(int fd, struct tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len);
}

/* Waits for a non-blocking connect() to finish, bounded by the timeout. */
static int connect_wait(struct io *io, int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	int ms = (int)(io->cfg->connect_timeout_s * 1000);
	char where[300];
	socklen_t len = sizeof(int);
	int err = 0, n;

	addr_format((const struct sockaddr *)&io->w->addr, where, sizeof(where));
	do {
		n = poll(&p, 1, ms);
	} while (n < 0 && errno == EINTR && !*io->stop);
	if (n == 0) {
		io_error(io, "connect to %s timed out after %.1f s", where,
			 io->cfg->connect_timeout_s);
		return -1;
	}
	if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		io_error(io, "cannot connect to %s: %s", where, strerror(err));
		return -1;
	}
	return 0;
}

int conn_open(struct io *io, struct conn *c)
{
	const struct worker_ctx *w = io->w;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
	struct tcp_info ti;
	int one = 1, fd;

	fd = socket(w->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		io_error(io, "socket: %s", strerror(errno));
		return -1;
	}
	if (io->cfg->nodelay)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)&w->addr, w->addrlen) < 0 &&
	    errno != EINPROGRESS) {
		char where[300];

		addr_format((const struct sockaddr *)&w->addr, where, sizeof(where));
		io_error(io, "cannot connect to %s: %s", where, strerror(errno));
		close(fd);
		return -1;
	}
	if (connect_wait(io, fd) < 0 || epoll_ctl(io->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		return -1;
	}
	tcp_info_get(fd, &ti);
	c->fd = fd;
	tcpinfo_from(&c->ti0, &ti);
	c->seq = 0;
	c->off = 0;
	c->out_armed = false;
	c->reconnect = false;
	io->proto->reset(c);
	return 0;
}

void conn_close(struct io *io, struct conn *c)
{
	struct rp_tcpinfo one;
	struct tcp_info ti;

	if (c->fd < 0)
		return;
	if (tcp_info_get(c->fd, &ti) == 0) {
		tcpinfo_from(&one, &ti);
		tcpinfo_since(&one, &c->ti0);
		tcpinfo_sum(&io->res->tcp_info, &one);
	}
	epoll_ctl(io->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
}
