// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `reqperf trace`'s per-socket rows: 4-tuple text, counters, order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "sock_rows.h"

static void test_addr_text(void **state)
{
	uint8_t v4[16] = {127, 0, 0, 1}, v6[16] = {0};
	char b[RP_ADDR_TEXT];

	(void)state;
	sock_addr_text(b, sizeof(b), AF_INET, v4, 8080);
	assert_string_equal(b, "127.0.0.1:8080");
	v6[15] = 1;
	sock_addr_text(b, sizeof(b), AF_INET6, v6, 443);
	assert_string_equal(b, "[::1]:443");
}

static void test_row_from(void **state)
{
	struct rp_ksock k = {.family = AF_INET, .sport = 80, .dport = 51000, .tgid = 42};
	struct rp_sock_row r;

	(void)state;
	k.saddr[0] = 10;
	k.daddr[0] = 10;
	k.daddr[3] = 2;
	k.calls[RP_SEND] = 3;
	k.bytes[RP_SEND] = 9000;
	k.untimed[RP_RECV] = 1;
	k.full_queued = 4;
	k.short_empty = 5;
	/* 32-bit counters wrap: the delta is taken modulo 2^32. */
	k.first_data_segs_out = 0xfffffffe;
	k.last_data_segs_out = 3;
	sock_row_from(&r, &k);
	assert_string_equal(r.local, "10.0.0.0:80");
	assert_string_equal(r.remote, "10.0.0.2:51000");
	assert_int_equal(r.tgid, 42);
	assert_int_equal(r.dir[RP_SEND].calls, 3);
	assert_int_equal(r.dir[RP_SEND].bytes, 9000);
	assert_int_equal(r.dir[RP_RECV].untimed, 1);
	assert_int_equal(r.dir[RP_RECV].full_queued, 4);
	assert_int_equal(r.dir[RP_RECV].short_empty, 5);
	assert_int_equal(r.dir[RP_SEND].full_queued, 0); /* recv only */
	assert_int_equal(r.data_segs_out, 5);
}

static void test_sort(void **state)
{
	struct rp_sock_row rows[3];

	(void)state;
	memset(rows, 0, sizeof(rows));
	strcpy(rows[0].local, "a");
	rows[0].dir[RP_SEND].bytes = 10;
	strcpy(rows[1].local, "b");
	rows[1].dir[RP_RECV].bytes = 100;
	strcpy(rows[2].local, "c");
	rows[2].dir[RP_SEND].bytes = 10;
	rows[2].dir[RP_SEND].calls = 7;
	sock_rows_sort(rows, 3);
	assert_string_equal(rows[0].local, "b");
	assert_string_equal(rows[1].local, "c");
	assert_string_equal(rows[2].local, "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_text),
		cmocka_unit_test(test_row_from),
		cmocka_unit_test(test_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
