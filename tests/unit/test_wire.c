// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The wire view's model: sums, the conservation checks, and the field
 * table driving both renderers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"
#include "wire_report.h"

/* A clean loopback run: 1000 bytes out in 2 segments, 9000 back in 3. */
static void clean_lo(struct rp_wire_report *w, struct rp_wire_inputs *in)
{
	memset(w, 0, sizeof(*w));
	w->on = true;
	w->loopback = true;
	snprintf(w->ifaces, sizeof(w->ifaces), "lo egress");
	w->sum.c[RP_WIRE_TX][RP_WIRE_C2S].bytes = 1000;
	w->sum.c[RP_WIRE_TX][RP_WIRE_C2S].data_segs = 2;
	w->sum.c[RP_WIRE_TX][RP_WIRE_S2C].bytes = 9000;
	w->sum.c[RP_WIRE_TX][RP_WIRE_S2C].data_segs = 3;
	*in = (struct rp_wire_inputs){
		.user_bytes = {1000, 9000},
		.have_kernel = true,
		.kernel_bytes = {1000, 9000},
		.have_server = true,
		.server_bytes = {1000, 9000},
		.have_tcp_info = true,
		.data_segs = {2, 3},
	};
}

static void assert_all_ok(const struct rp_wire_report *w, const struct rp_wire_inputs *in, bool ok)
{
	struct rp_wire_check k[RP_WIRE_NCHECKS];
	int n = wire_checks(w, in, k);
	bool all = true;

	assert_int_equal(n, RP_WIRE_NCHECKS);
	for (int i = 0; i < n; i++)
		all = all && k[i].ok;
	assert_int_equal(all, ok);
}

static void test_clean_loopback(void **state)
{
	struct rp_wire_check k[RP_WIRE_NCHECKS];
	struct rp_wire_report w;
	struct rp_wire_inputs in;

	(void)state;
	clean_lo(&w, &in);
	assert_all_ok(&w, &in, true);
	wire_checks(&w, &in, k);
	/* lo has one pass: no "arrived" view */
	assert_false(k[0].have[RP_VIEW_WIRE_RX]);
	assert_true(k[0].have[RP_VIEW_SERVER]);
	assert_int_equal(k[1].v[RP_VIEW_WIRE_TX], 9000);
	assert_int_equal(k[3].v[RP_VIEW_CLIENT_KERNEL], 3);
}

static void test_each_view_can_differ(void **state)
{
	struct rp_wire_report w;
	struct rp_wire_inputs in;

	(void)state;
	clean_lo(&w, &in);
	in.server_bytes[RP_WIRE_C2S] = 999;
	assert_all_ok(&w, &in, false);
	clean_lo(&w, &in);
	in.kernel_bytes[RP_WIRE_S2C] = 1;
	assert_all_ok(&w, &in, false);
	clean_lo(&w, &in);
	in.data_segs[RP_WIRE_S2C] = 4;
	assert_all_ok(&w, &in, false);
	clean_lo(&w, &in);
	w.sum.c[RP_WIRE_TX][RP_WIRE_C2S].bytes = 1001;
	assert_all_ok(&w, &in, false);
	/* a view not measured is not compared */
	clean_lo(&w, &in);
	in.have_server = false;
	in.server_bytes[RP_WIRE_C2S] = 5;
	in.have_tcp_info = false;
	in.data_segs[RP_WIRE_C2S] = 77;
	assert_all_ok(&w, &in, true);
}

static void test_retransmits_are_net(void **state)
{
	struct rp_wire_report w;
	struct rp_wire_inputs in;

	(void)state;
	clean_lo(&w, &in);
	/* 448 bytes sent twice: on the wire 1448, the application's 1000 */
	w.sum.c[RP_WIRE_TX][RP_WIRE_C2S].bytes = 1448;
	w.sum.c[RP_WIRE_TX][RP_WIRE_C2S].retrans_bytes = 448;
	w.sum.c[RP_WIRE_TX][RP_WIRE_C2S].data_segs = 3;
	in.data_segs[RP_WIRE_C2S] = 3; /* TCP counts every transmission */
	assert_all_ok(&w, &in, true);
	assert_int_equal(wire_net_bytes(&w.sum.c[RP_WIRE_TX][RP_WIRE_C2S]), 1000);
}

static void test_veth_both_places(void **state)
{
	struct rp_wire_check k[RP_WIRE_NCHECKS];
	struct rp_wire_report w;
	struct rp_wire_inputs in;

	(void)state;
	clean_lo(&w, &in);
	w.loopback = false;
	w.sum.c[RP_WIRE_RX][RP_WIRE_C2S] = w.sum.c[RP_WIRE_TX][RP_WIRE_C2S];
	w.sum.c[RP_WIRE_RX][RP_WIRE_S2C] = w.sum.c[RP_WIRE_TX][RP_WIRE_S2C];
	assert_all_ok(&w, &in, true);
	wire_checks(&w, &in, k);
	assert_true(k[1].have[RP_VIEW_WIRE_RX]);
	/* a packet lost between the ends is seen */
	w.sum.c[RP_WIRE_RX][RP_WIRE_S2C].bytes -= 1448;
	assert_all_ok(&w, &in, false);
}

static void test_sum_slot(void **state)
{
	struct rp_wire_slot a = {0}, b = {0}, sum = {0};

	(void)state;
	a.c[RP_WIRE_RX][RP_WIRE_S2C].plen_hist[RP_WIRE_PLEN_BUCKETS - 1] = 3;
	a.c[RP_WIRE_TX][RP_WIRE_C2S].packets = 5;
	b.c[RP_WIRE_TX][RP_WIRE_C2S].packets = 7;
	b.c[RP_WIRE_RX][RP_WIRE_S2C].retrans_bytes = 11;
	wire_sum_slot(&sum, &a);
	wire_sum_slot(&sum, &b);
	assert_int_equal(sum.c[RP_WIRE_TX][RP_WIRE_C2S].packets, 12);
	assert_int_equal(sum.c[RP_WIRE_RX][RP_WIRE_S2C].retrans_bytes, 11);
	assert_int_equal(sum.c[RP_WIRE_RX][RP_WIRE_S2C].plen_hist[RP_WIRE_PLEN_BUCKETS - 1], 3);
}

/* Every counter of the field table is in the JSON and the text, by name. */
static void test_every_field_rendered(void **state)
{
	struct rp_wire_report w;
	struct rp_wire_inputs in;
	struct json_writer j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	clean_lo(&w, &in);
	json_init(&j, f, false);
	json_begin_object(&j);
	wire_report_json(&j, &w, &in);
	json_end_object(&j);
	assert_int_equal(json_finish(&j), 0);
	wire_report_text(f, &w, &in);
	fclose(f);
	for (size_t i = 0; i < rp_wire_nfields; i++) {
		char key[64];

		snprintf(key, sizeof(key), "\"%s\":", rp_wire_fields[i].name);
		assert_non_null(strstr(buf, key));
		snprintf(key, sizeof(key), "\n  %s ", rp_wire_fields[i].name);
		assert_non_null(strstr(buf, key));
	}
	assert_non_null(strstr(buf, "\"payload_log2_hist\":"));
	assert_non_null(strstr(buf, "bytes c->s"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_loopback),
		cmocka_unit_test(test_each_view_can_differ),
		cmocka_unit_test(test_retransmits_are_net),
		cmocka_unit_test(test_veth_both_places),
		cmocka_unit_test(test_sum_slot),
		cmocka_unit_test(test_every_field_rendered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
