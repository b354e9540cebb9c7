// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* TCP_INFO folded per connection and summed across the sink's threads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <linux/tcp.h>

#include "tcpinfo.h"

static void test_fold_and_sum(void **state)
{
	struct tcp_info a = {.tcpi_data_segs_out = 10,
			     .tcpi_total_retrans = 2,
			     .tcpi_dsack_dups = 1,
			     .tcpi_busy_time = 4000,
			     .tcpi_rwnd_limited = 1000,
			     .tcpi_sndbuf_limited = 0,
			     .tcpi_delivery_rate = 5000,
			     .tcpi_snd_mss = 1448};
	struct tcp_info b = {.tcpi_data_segs_out = 5,
			     .tcpi_busy_time = 1000,
			     .tcpi_sndbuf_limited = 500,
			     .tcpi_delivery_rate = 9000,
			     .tcpi_snd_mss = 8948};
	struct rp_tcpinfo t1 = {0}, t2 = {0}, sum = {0};

	(void)state;
	tcpinfo_add_conn(&t1, &a);
	tcpinfo_add_conn(&t1, &a);
	tcpinfo_add_conn(&t2, &b);
	assert_int_equal(t1.data_segs_out, 20);
	assert_int_equal(t1.total_retrans, 4);
	assert_int_equal(t1.busy_us, 8000);
	assert_int_equal(t1.delivery_rate_max, 5000); /* the highest, not a sum */
	tcpinfo_sum(&sum, &t1);
	tcpinfo_sum(&sum, &t2);
	assert_int_equal(sum.data_segs_out, 25);
	assert_int_equal(sum.dsack_dups, 2);
	assert_int_equal(sum.rwnd_limited_us, 2000);
	assert_int_equal(sum.sndbuf_limited_us, 500);
	assert_int_equal(sum.delivery_rate_max, 9000);
	assert_int_equal(sum.snd_mss, 8948);
	assert_int_equal(sum.conns, 3);
	/* the largest MSS over the connections, whatever the order */
	tcpinfo_sum(&sum, &t1);
	assert_int_equal(sum.snd_mss, 8948);
	/* a thread that closed nothing keeps the last MSS seen */
	memset(&t2, 0, sizeof(t2));
	tcpinfo_sum(&sum, &t2);
	assert_int_equal(sum.snd_mss, 8948);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_and_sum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
