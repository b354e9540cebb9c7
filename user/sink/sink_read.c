// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * How the sink reads (--read): recv(), or splice() from the socket into a
 * per-thread pipe and read() from the pipe, so `reqperf trace` and the
 * kernel matrix see a server receive through tcp_splice_read, a path
 * without tcp_recvmsg (docs/kernel-time.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>

#include "sink_int.h"

int sink_read_prepare(struct sink_thread *t)
{
	t->pipe[0] = t->pipe[1] = -1;
	if (t->s->o->read != SINK_READ_SPLICE)
		return 0;
	if (pipe2(t->pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	/* One splice never moves more than the pipe holds: ask for that. */
	if (fcntl(t->pipe[1], F_SETPIPE_SZ, SINK_RBUF) < 0)
		return -1;
	return 0;
}

ssize_t sink_recv(struct sink_thread *t, int fd, void *buf, size_t n)
{
	ssize_t r, got = 0;

	if (t->s->o->read != SINK_READ_SPLICE)
		return recv(fd, buf, n, 0);
	if (n > SINK_RBUF)
		n = SINK_RBUF;
	/* The pipe is empty between calls: everything spliced is read back. */
	r = splice(fd, NULL, t->pipe[1], NULL, n, SPLICE_F_NONBLOCK);
	if (r <= 0)
		return r;
	while (got < r) {
		ssize_t m = read(t->pipe[0], (char *)buf + got, (size_t)(r - got));

		if (m <= 0) {
			errno = m < 0 ? errno : EIO;
			return -1;
		}
		got += m;
	}
	return r;
}

void sink_read_close(struct sink_thread *t)
{
	if (t->pipe[0] >= 0)
		close(t->pipe[0]);
	if (t->pipe[1] >= 0)
		close(t->pipe[1]);
	t->pipe[0] = t->pipe[1] = -1;
}
