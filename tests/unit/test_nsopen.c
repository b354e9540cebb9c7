// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* nsopen(): a descriptor made inside another network namespace while the
 * caller stays in its own, even when a setns() back home would fail (the
 * driver once entered a namespace to read its TcpExt counters and only
 * warned when it could not return; its teardown then ran in the wrong one).
 * Needs root (a namespace of its own); skipped otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nsopen.h"

static ino_t home; /* this process's namespace: entering it fails */

/* Replaces libc's for the whole test binary: setns() back into the
 * namespace the test started in fails, as a return home could. */
int setns(int fd, int nstype)
{
	struct stat st;

	if (home && fstat(fd, &st) == 0 && st.st_ino == home) {
		errno = EPERM;
		return -1;
	}
	return (int)syscall(SYS_setns, fd, nstype);
}

static ino_t ns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static ino_t fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

struct other {
	pid_t pid;
	int hold; /* the child lives until this closes */
	int nsfd;
};

/* A child in a fresh network namespace; nsfd opens it. */
static void other_ns(struct other *o)
{
	int ready[2], hold[2];
	char c;

	if (geteuid() != 0) {
		print_message("test_nsopen: skipped: a network namespace needs root\n");
		skip();
	}
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	assert_int_equal(pipe2(hold, O_CLOEXEC), 0);
	o->pid = fork();
	assert_true(o->pid >= 0);
	if (o->pid == 0) {
		close(ready[0]);
		close(hold[1]);
		c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || read(hold[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	assert_int_equal(c, 'y');
	o->hold = hold[1];
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)o->pid);
		o->nsfd = open(path, O_RDONLY | O_CLOEXEC);
	}
	assert_true(o->nsfd >= 0);
	home = ns_ino("/proc/thread-self/ns/net");
	assert_true(home != 0 && fd_ino(o->nsfd) != home);
}

static void other_done(struct other *o)
{
	home = 0;
	close(o->nsfd);
	close(o->hold);
	waitpid(o->pid, NULL, 0);
}

/* A socket made there belongs to that namespace; the caller never left. */
static void test_socket_inside(void **state)
{
	struct other o;
	int s, sns;

	(void)state;
	other_ns(&o);
	s = nsopen(o.nsfd, nsopen_ctl_socket, NULL);
	assert_true(s >= 0);
	assert_int_equal(ns_ino("/proc/thread-self/ns/net"), home);
	sns = ioctl(s, SIOCGSKNS);
	assert_true(sns >= 0);
	assert_int_equal(fd_ino(sns), fd_ino(o.nsfd));
	close(sns);
	close(s);
	other_done(&o);
}

/* A file opened there is that namespace's: its /proc/net/dev lists only
 * lo (a fresh namespace), where the host's has more; the caller never
 * left. */
static void test_file_inside(void **state)
{
	char buf[16384], name[64], *line, *save = NULL;
	struct other o;
	int fd, ifs = 0, at = 0;
	ssize_t n;

	(void)state;
	other_ns(&o);
	fd = nsopen(o.nsfd, nsopen_file, "/proc/thread-self/net/dev");
	assert_true(fd >= 0);
	assert_int_equal(ns_ino("/proc/thread-self/ns/net"), home);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	close(fd);
	/* Two header lines, then one line per interface: "  name: counters". */
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (at++ >= 2) {
			assert_int_equal(sscanf(line, " %63[^:]:", name), 1);
			assert_string_equal(name, "lo");
			ifs++;
		}
	assert_int_equal(ifs, 1);
	other_done(&o);
}

/* A maker that fails, or a namespace that cannot be entered: -1 with the
 * child's errno, no descriptor, nothing left behind. */
static int fail_enoent(void *arg)
{
	(void)arg;
	errno = ENOENT;
	return -1;
}

static void test_failures(void **state)
{
	struct other o;
	int bad;

	(void)state;
	other_ns(&o);
	errno = 0;
	assert_int_equal(nsopen(o.nsfd, fail_enoent, NULL), -1);
	assert_int_equal(errno, ENOENT);
	bad = open("/dev/null", O_RDONLY | O_CLOEXEC);
	errno = 0;
	assert_int_equal(nsopen(bad, nsopen_ctl_socket, NULL), -1);
	assert_int_equal(errno, EINVAL);
	close(bad);
	assert_int_equal(ns_ino("/proc/thread-self/ns/net"), home);
	other_done(&o);
}

/* A signal during the wait (the driver's SIGINT handler, here a timer's
 * SIGALRM with a handler installed without SA_RESTART) does not end it:
 * a child that answers after the signal is still heard. */
static void on_alarm(int sig)
{
	(void)sig;
}

static int slow_socket(void *arg)
{
	struct timespec ts = {.tv_nsec = 300 * 1000 * 1000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return nsopen_ctl_socket(arg);
}

static void test_signal_during_wait(void **state)
{
	struct sigaction sa = {.sa_handler = on_alarm}, old;
	struct itimerval it = {.it_value = {.tv_usec = 50 * 1000}};
	struct other o;
	int s;

	(void)state;
	other_ns(&o);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	s = nsopen(o.nsfd, slow_socket, NULL);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	assert_true(s >= 0);
	close(s);
	other_done(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_inside),
		cmocka_unit_test(test_file_inside),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_signal_during_wait),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
