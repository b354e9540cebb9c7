// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * How the sink writes its responses (--write): sendmsg() of the iovecs
 * (default), writev() of the same iovecs, or sendfile() of the body from a
 * memfd holding it with send() of the heads around it, so `reqperf trace`
 * can be checked on each path into TCP.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sink_int.h"

int sink_write_prepare(struct sink *s)
{
	size_t left = s->o->body_size, off = 0;
	ssize_t r;

	s->body_fd = -1;
	if (s->o->write != SINK_WRITE_SENDFILE)
		return 0;
	s->body_fd = memfd_create("reqperf-body", MFD_CLOEXEC);
	if (s->body_fd < 0)
		return -1;
	while (left) {
		r = write(s->body_fd, s->body + off, left);
		if (r <= 0)
			return -1;
		off += (size_t)r;
		left -= (size_t)r;
	}
	return 0;
}

/* One piece: the body from the memfd, anything else with send(). */
static ssize_t write_piece(const struct sink *s, int fd, const struct iovec *v)
{
	const char *p = v->iov_base;
	off_t off;

	if (p >= s->body && p < s->body + s->o->body_size) {
		off = (off_t)(p - s->body);
		return sendfile(fd, s->body_fd, &off, v->iov_len);
	}
	return send(fd, p, v->iov_len, MSG_NOSIGNAL | MSG_DONTWAIT);
}

ssize_t sink_write(const struct sink *s, int fd, struct iovec *iov, int n)
{
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
	ssize_t total = 0, r;

	switch (s->o->write) {
	case SINK_WRITE_WRITEV:
		return writev(fd, iov, n);
	case SINK_WRITE_SENDFILE:
		for (int i = 0; i < n; i++) {
			r = write_piece(s, fd, &iov[i]);
			if (r < 0)
				return total ? total : r;
			total += r;
			if ((size_t)r < iov[i].iov_len)
				break;
		}
		return total;
	default:
		return sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
}

void sink_write_close(struct sink *s)
{
	if (s->body_fd >= 0)
		close(s->body_fd);
	s->body_fd = -1;
}
