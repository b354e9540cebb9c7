// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "ipcmd.h"
#include "procs.h"

/* We run as root: a command is looked up in fixed system directories, never
 * through PATH (a planted `ip` first in PATH would run as uid 0). */
const char *ipcmd_path(const char *name)
{
	static const char *const dirs[] = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};
	static char buf[64];

	if (strchr(name, '/'))
		return name;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, sizeof(buf), "%s/%s", dirs[i], name);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	return NULL;
}

static void child(char *const argv[], int errfd)
{
	int null = open("/dev/null", O_RDWR);
	const char *path;

	signal(SIGINT, SIG_IGN);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	dup2(errfd, STDERR_FILENO);
	path = ipcmd_path(argv[0]);
	if (path)
		execv(path, argv);
	dprintf(STDERR_FILENO, "cannot run %s: %s (is iproute2 installed?)\n", argv[0],
		path ? strerror(errno) : "not in /usr/sbin, /sbin, /usr/bin or /bin");
	_exit(127);
}

/* Reads the child's stderr until EOF or the deadline; keeps what fits. */
static void drain(int fd, int64_t deadline, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int64_t left; (left = deadline - now_ms()) > 0;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		char tmp[256];
		ssize_t n;

		if (poll(&p, 1, (int)left) <= 0)
			continue; /* EINTR or the deadline: the loop decides */
		n = read(fd, tmp, sizeof(tmp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		if (len + 1 < cap) {
			size_t k = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;

			memcpy(buf + len, tmp, k);
			len += k;
			buf[len] = '\0';
		}
	}
}

static void describe(char *const argv[], const char *why, char *err, size_t cap)
{
	size_t len = 0;

	snprintf(err, cap, "`");
	for (int i = 0; argv[i]; i++) {
		len = strlen(err);
		snprintf(err + len, cap - len, "%s%s", i ? " " : "", argv[i]);
	}
	len = strlen(err);
	snprintf(err + len, cap - len, "`: %.*s", (int)strcspn(why, "\n"), why);
}

int ipcmd_run(char *const argv[], int timeout_ms, char *err, size_t cap)
{
	int64_t deadline = now_ms() + timeout_ms;
	char out[512];
	int fds[2], status = 0, left;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		describe(argv, strerror(errno), err, cap);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		child(argv, fds[1]);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		describe(argv, strerror(errno), err, cap);
		return -1;
	}
	drain(fds[0], deadline, out, sizeof(out));
	close(fds[0]);
	left = (int)(deadline - now_ms());
	if (procs_reap(&pid, 1, left > 0 ? left : 0, &status) < 0) {
		describe(argv, "timed out", err, cap);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (!out[0])
		snprintf(out, sizeof(out), "exit status %d",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	describe(argv, out, err, cap);
	return -1;
}
