// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A descriptor made inside another network namespace (nsopen.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "nsopen.h"

#define NSOPEN_TIMEOUT_MS 5000

int nsopen_ctl_socket(void *arg)
{
	(void)arg;
	return socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

int nsopen_file(void *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* One message: an errno as data, a descriptor, if any, as SCM_RIGHTS. */
struct fdmsg {
	int err;
	struct iovec iov;
	struct msghdr m;
	/* Aligned as a cmsghdr is, by a size_t: a struct cmsghdr member, with
	 * its flexible array, would make the union variable-sized, which clang
	 * (the sanitizer build) refuses before a struct's end. */
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		size_t align;
	} u;
};

static void fdmsg_init(struct fdmsg *f)
{
	memset(f, 0, sizeof(*f));
	f->iov.iov_base = &f->err;
	f->iov.iov_len = sizeof(f->err);
	f->m.msg_iov = &f->iov;
	f->m.msg_iovlen = 1;
	f->m.msg_control = f->u.buf;
	f->m.msg_controllen = sizeof(f->u.buf);
}

/* In the child: only async-signal-safe calls from here to _exit. */
static void child(int sock, int nsfd, int (*make)(void *), void *arg)
{
	struct fdmsg f;
	int fd = -1;

	fdmsg_init(&f);
	if (setns(nsfd, CLONE_NEWNET) < 0 || (fd = make(arg)) < 0)
		f.err = errno ? errno : EIO;
	if (fd >= 0) {
		struct cmsghdr *c = CMSG_FIRSTHDR(&f.m);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	} else {
		f.m.msg_control = NULL;
		f.m.msg_controllen = 0;
	}
	_exit(sendmsg(sock, &f.m, MSG_NOSIGNAL) < 0);
}

/* Waits up to NSOPEN_TIMEOUT_MS for p to be readable; a signal (the
 * driver's SIGINT handler) only shortens one poll, not the deadline.
 * 0, or -1 with ETIMEDOUT or poll's errno. */
static int wait_readable(struct pollfd *p)
{
	int64_t deadline = now_ms() + NSOPEN_TIMEOUT_MS, left;
	int r;

	while ((left = deadline - now_ms()) > 0) {
		r = poll(p, 1, (int)left);
		if (r == 1)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
	errno = ETIMEDOUT;
	return -1;
}

/* The child's answer: its descriptor, or -1 with its errno. */
static int receive(int sock)
{
	struct pollfd p = {.fd = sock, .events = POLLIN};
	struct cmsghdr *c;
	struct fdmsg f;
	int fd = -1;
	ssize_t n;

	fdmsg_init(&f);
	if (wait_readable(&p) < 0)
		return -1;
	n = recvmsg(sock, &f.m, MSG_CMSG_CLOEXEC);
	if (n != (ssize_t)sizeof(f.err)) {
		errno = n < 0 ? errno : EIO;
		return -1;
	}
	for (c = CMSG_FIRSTHDR(&f.m); c; c = CMSG_NXTHDR(&f.m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (fd < 0)
		errno = f.err ? f.err : EIO;
	return fd;
}

int nsopen(int nsfd, int (*make)(void *arg), void *arg)
{
	int sv[2], fd, saved;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		child(sv[1], nsfd, make, arg);
	}
	close(sv[1]);
	fd = pid < 0 ? -1 : receive(sv[0]);
	saved = errno;
	close(sv[0]);
	if (pid > 0) {
		if (fd < 0)
			kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	errno = saved;
	return fd;
}
