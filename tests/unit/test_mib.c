// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* /proc/net/netstat's TcpExt pair parsed into the counters kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mib.h"

static void test_parse(void **state)
{
	const char *text = "TcpExt: SyncookiesSent DelayedACKs TCPOFOQueue Unknown TCPFastRetrans\n"
			   "TcpExt: 0 7 93 5 66\n"
			   "IpExt: InNoRoutes TCPOFOQueue\n"
			   "IpExt: 1 999\n";
	struct rp_mib m;

	(void)state;
	assert_int_equal(mib_parse(&m, text), 3);
	assert_true(m.read);
	assert_int_equal(m.v[RP_MIB_DELAYED_ACKS], 7);
	assert_int_equal(m.v[RP_MIB_OFO_QUEUE], 93); /* IpExt's same name ignored */
	assert_int_equal(m.v[RP_MIB_FAST_RETRANS], 66);
	assert_int_equal(m.v[RP_MIB_LOSS_PROBES], 0); /* absent: 0 */
	assert_string_equal(rp_mib_name(RP_MIB_OFO_QUEUE), "TCPOFOQueue");
}

static void test_bad(void **state)
{
	struct rp_mib m;

	(void)state;
	assert_int_equal(mib_parse(&m, ""), -1);
	assert_false(m.read);
	assert_int_equal(mib_parse(&m, "TcpExt: DelayedACKs\n"), -1); /* no value line */
	assert_int_equal(mib_parse(&m, "TcpExt: DelayedACKs TCPOFOQueue\nTcpExt: 4"), 1);
	assert_int_equal(m.v[RP_MIB_DELAYED_ACKS], 4); /* a short value line: what is there */
	assert_int_equal(m.v[RP_MIB_OFO_QUEUE], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
