// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* netns_read_mib(): a namespace whose TcpExt counters cannot be read says
 * so in one warning line, naming it and the cause, and its counters stay
 * "not read" (they once stayed so silently). The names are a plain file
 * under RP_NETNS_DIR (it opens, but setns() refuses it: EINVAL) and a name
 * that is not there (ENOENT). Needs root (RP_NETNS_DIR); skipped otherwise. */
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mib.h"
#include "netns.h"

/* What f wrote to stderr, in buf. */
static void stderr_of(void (*f)(void *), void *arg, char *buf, size_t cap)
{
	int mem = memfd_create("stderr", MFD_CLOEXEC), saved = dup(2);
	ssize_t n;

	assert_true(mem >= 0 && saved >= 0);
	fflush(stderr);
	assert_int_equal(dup2(mem, 2), 2);
	f(arg);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	n = pread(mem, buf, cap - 1, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(mem);
}

struct call {
	struct rp_netns ns;
	struct rp_mib m[RP_LINK_ENDS];
};

static void read_mib(void *arg)
{
	struct call *c = arg;

	netns_read_mib(&c->ns, c->m);
}

static void test_unreadable_warns(void **state)
{
	char path[sizeof(RP_NETNS_DIR) + 64], out[1024], want[2][160];
	struct call c = {.ns = {.active = true}};
	int fd;

	(void)state;
	if (geteuid() != 0) {
		print_message("test_netns_mib: skipped: %s needs root\n", RP_NETNS_DIR);
		skip();
	}
	snprintf(c.ns.plan.ns[0], sizeof(c.ns.plan.ns[0]), "rp-unit-mib-file-%d", (int)getpid());
	snprintf(c.ns.plan.ns[1], sizeof(c.ns.plan.ns[1]), "rp-unit-mib-none-%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/%s", RP_NETNS_DIR, c.ns.plan.ns[0]);
	assert_true(mkdir(RP_NETNS_DIR, 0755) == 0 || errno == EEXIST);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	stderr_of(read_mib, &c, out, sizeof(out));
	unlink(path);
	snprintf(want[0], sizeof(want[0]), "reqperf: warning: --netns: netstat of %s: %s\n",
		 c.ns.plan.ns[0], strerror(EINVAL));
	snprintf(want[1], sizeof(want[1]), "reqperf: warning: --netns: netstat of %s: %s\n",
		 c.ns.plan.ns[1], strerror(ENOENT));
	assert_non_null(strstr(out, want[0]));
	assert_non_null(strstr(out, want[1]));
	assert_int_equal(strlen(out), strlen(want[0]) + strlen(want[1]));
	assert_false(c.m[0].read);
	assert_false(c.m[1].read);
}

/* Without --netns nothing is read and nothing is said. */
static void test_inactive_silent(void **state)
{
	struct call c = {.ns = {.active = false}};
	char out[256];

	(void)state;
	stderr_of(read_mib, &c, out, sizeof(out));
	assert_string_equal(out, "");
	assert_false(c.m[0].read);
	assert_false(c.m[1].read);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unreadable_warns),
		cmocka_unit_test(test_inactive_silent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
