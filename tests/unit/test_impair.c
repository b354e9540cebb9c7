// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Impairment options, the tc program's packet decision, the tc commands. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "impair.h"

static char err[256];

static void test_parse_loss(void **state)
{
	struct rp_impair im = {0};

	(void)state;
	assert_int_equal(impair_parse_loss(&im, "1.5%", err, sizeof(err)), 0);
	for (int d = 0; d < RP_IMP_NDIRS; d++) {
		assert_int_equal(im.way[d].loss.kind, RP_IMP_RANDOM);
		assert_true(im.way[d].loss.pct == 1.5);
	}
	assert_int_equal(impair_parse_loss(&im, "s2c:every:10", err, sizeof(err)), 0);
	assert_int_equal(im.way[RP_IMP_C2S].loss.kind, RP_IMP_RANDOM);
	assert_int_equal(im.way[RP_IMP_S2C].loss.kind, RP_IMP_EVERY);
	assert_int_equal(im.way[RP_IMP_S2C].loss.every, 10);
	assert_int_equal(impair_parse_dup(&im, "c2s:at:3,7,12", err, sizeof(err)), 0);
	assert_int_equal(im.way[RP_IMP_C2S].dup.kind, RP_IMP_AT);
	assert_int_equal(im.way[RP_IMP_C2S].dup.nat, 3);
	assert_int_equal(im.way[RP_IMP_C2S].dup.at[2], 12);
	assert_int_equal(im.way[RP_IMP_S2C].dup.kind, RP_IMP_OFF);
	assert_int_equal(impair_parse_loss(&im, "0%", err, sizeof(err)), 0);
	assert_int_equal(im.way[RP_IMP_S2C].loss.kind, RP_IMP_OFF);
	assert_true(impair_needs_bpf(&im)); /* the c2s dup */
}

static void test_parse_bad(void **state)
{
	static const char *const loss[] = {"100%",    "150%",	 "-1%",	 "1",	   "%",
					   "every:0", "every:x", "at:",	 "at:3,3", "at:5,2",
					   "at:0",    "up:1%",	 "s2c:", "1%%"};
	struct rp_impair im = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(loss) / sizeof(loss[0]); i++) {
		err[0] = '\0';
		assert_int_equal(impair_parse_loss(&im, loss[i], err, sizeof(err)), -1);
		assert_non_null(strstr(err, "--loss"));
		assert_non_null(strstr(err, loss[i])); /* quoted whole: formatted once */
		assert_null(strchr(err, '\n'));
	}
	assert_int_equal(impair_parse_rate(&im, "0mbit", err, sizeof(err)), -1);
	assert_int_equal(impair_parse_rate(&im, "100", err, sizeof(err)), -1);
	assert_int_equal(impair_parse_rate(&im, "1kbit", err, sizeof(err)), -1);
	assert_int_equal(impair_parse_delay(&im, "-5", err, sizeof(err)), -1);
	assert_int_equal(impair_parse_delay(&im, "5:-1", err, sizeof(err)), -1);
	assert_int_equal(impair_parse_delay(&im, "0", err, sizeof(err)), -1);
	assert_int_equal(impair_parse_reorder(&im, "0%", err, sizeof(err)), -1);
	assert_false(impair_any(&im));
}

static void test_parse_qdisc(void **state)
{
	struct rp_impair im = {0};

	(void)state;
	assert_int_equal(impair_parse_rate(&im, "c2s:1.5gbit", err, sizeof(err)), 0);
	assert_int_equal(im.way[RP_IMP_C2S].rate_bps, 1500000000);
	assert_int_equal(im.way[RP_IMP_S2C].rate_bps, 0);
	assert_int_equal(impair_parse_reorder(&im, "s2c:25%", err, sizeof(err)), 0);
	assert_non_null(impair_check(&im)); /* reorder without delay */
	assert_int_equal(impair_parse_delay(&im, "s2c:10:2.5", err, sizeof(err)), 0);
	assert_null(impair_check(&im));
	assert_true(im.way[RP_IMP_S2C].delay_ms == 10 && im.way[RP_IMP_S2C].jitter_ms == 2.5);
	assert_false(impair_needs_bpf(&im));
	assert_true(impair_any(&im));
}

/* The decision is a pure function of (seed, salt, n): the same packets
 * every time, about P % of them, and a different seed picks others. */
static void test_random_rule(void **state)
{
	struct rp_impair im = {0};
	struct rp_impair_rules r;
	unsigned hits = 0, same = 0, again = 0;

	(void)state;
	im.seed = 7;
	assert_int_equal(impair_parse_loss(&im, "5%", err, sizeof(err)), 0);
	impair_rules(&im, &r);
	for (uint64_t n = 1; n <= 100000; n++) {
		int h = rp_impair_hit(&r.loss[0], 7, RP_IMPAIR_SALT_LOSS, n);

		hits += h;
		again += h == rp_impair_hit(&r.loss[0], 7, RP_IMPAIR_SALT_LOSS, n);
		same += h && rp_impair_hit(&r.loss[0], 8, RP_IMPAIR_SALT_LOSS, n);
	}
	assert_int_equal(again, 100000);
	assert_in_range(hits, 4700, 5300);
	assert_in_range(same, 150, 350); /* independent: ~5 % of 5 % */
}

static void test_every_at_rule(void **state)
{
	struct rp_impair im = {0};
	struct rp_impair_rules r;

	(void)state;
	assert_int_equal(impair_parse_loss(&im, "every:4", err, sizeof(err)), 0);
	assert_int_equal(impair_parse_dup(&im, "at:2,9", err, sizeof(err)), 0);
	impair_rules(&im, &r);
	for (uint64_t n = 1; n <= 12; n++) {
		assert_int_equal(rp_impair_hit(&r.loss[1], 1, 0, n), n % 4 == 0);
		assert_int_equal(rp_impair_hit(&r.dup[1], 1, 0, n), n == 2 || n == 9);
	}
}

static void test_qdisc_argv(void **state)
{
	struct rp_impair_way w = {.rate_bps = 100000000, .delay = true, .delay_ms = 10};
	char *argv[RP_IMPAIR_ARGV_MAX], buf[512], line[600] = "";
	int n;

	(void)state;
	n = impair_qdisc_argv(&w, "ns-c", "rp-c", 1500, argv, buf, sizeof(buf));
	for (int i = 0; i < n; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s ", argv[i]);
	assert_null(argv[n]);
	assert_string_equal(line, "tc -n ns-c qdisc add dev rp-c root handle 1: tbf rate "
				  "100000000bit burst 50000 latency 100ms ");
	n = impair_netem_child_argv(&w, "ns-c", "rp-c", argv, buf, sizeof(buf));
	line[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s ", argv[i]);
	assert_string_equal(line, "tc -n ns-c qdisc add dev rp-c parent 1:1 handle 10: netem "
				  "delay 10ms ");
	w.rate_bps = 0;
	w.reorder_pct = 25;
	w.jitter_ms = 1;
	n = impair_qdisc_argv(&w, "ns-s", "rp-s", 1500, argv, buf, sizeof(buf));
	line[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s ", argv[i]);
	assert_string_equal(line, "tc -n ns-s qdisc add dev rp-s root handle 1: netem delay "
				  "10ms 1ms reorder 25% ");
	assert_int_equal(impair_netem_child_argv(&w, "ns-s", "rp-s", argv, buf, sizeof(buf)), 0);
	/* at least two full frames, whatever the rate */
	assert_int_equal(impair_tbf_burst(8000, 9000), 2 * 9014);
}

static void test_fmt(void **state)
{
	struct rp_impair im = {0};
	char b[128];

	(void)state;
	assert_int_equal(impair_parse_loss(&im, "at:3,7", err, sizeof(err)), 0);
	impair_action_fmt(&im.way[0].loss, b, sizeof(b));
	assert_string_equal(b, "at:3,7");
	impair_rate_fmt(100000000, b, sizeof(b));
	assert_string_equal(b, "100 Mbit/s");
	impair_rate_fmt(10000000000ull, b, sizeof(b));
	assert_string_equal(b, "10 Gbit/s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_loss),    cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_qdisc),   cmocka_unit_test(test_random_rule),
		cmocka_unit_test(test_every_at_rule), cmocka_unit_test(test_qdisc_argv),
		cmocka_unit_test(test_fmt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
