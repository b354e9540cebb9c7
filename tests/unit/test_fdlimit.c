// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The RLIMIT_NOFILE plan: soft to hard, hard to need when privileged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/resource.h>

#include "fdlimit.h"

static void plan(uint64_t cur, uint64_t max, uint64_t need, int priv, uint64_t want_cur,
		 uint64_t want_max)
{
	uint64_t c, m;

	fdlimit_plan(cur, max, 1048576, need, priv, &c, &m);
	assert_int_equal(c, want_cur);
	assert_int_equal(m, want_max);
}

static void test_soft_to_hard(void **state)
{
	(void)state;
	plan(1024, 524288, 2000, 0, 524288, 524288);
	plan(1024, 524288, 2000, 1, 524288, 524288); /* hard already enough */
	plan(1024, 4096, 20000, 0, 4096, 4096); /* unprivileged: hard stays */
}

static void test_hard_raised_when_privileged(void **state)
{
	(void)state;
	plan(20000, 20000, 20256, 1, 20256, 20256);
	plan(1024, 4096, 5000000, 1, 1048576, 1048576); /* capped at nr_open */
	plan(1024, RLIM_INFINITY, 5000000, 1, RLIM_INFINITY, RLIM_INFINITY);
}

static void test_never_lowers(void **state)
{
	(void)state;
	plan(65536, 65536, 10, 1, 65536, 65536);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soft_to_hard),
		cmocka_unit_test(test_hard_raised_when_privileged),
		cmocka_unit_test(test_never_lowers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
