// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The worker's I/O loop (driver/io.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "io.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
