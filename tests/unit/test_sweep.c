// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The sweep's lists, settings, medians and table. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sweep.h"

static char err[256];

static void test_parse(void **state)
{
	struct rp_sweep s = {0};

	(void)state;
	assert_int_equal(sweep_parse_loss(&s, "0,0.1,1,5", err, sizeof(err)), 0);
	assert_int_equal(s.nloss, 4);
	assert_true(s.loss[1] == 0.1);
	assert_int_equal(s.dir_lo, 0);
	assert_int_equal(s.dir_hi, 2);
	assert_int_equal(sweep_parse_loss(&s, "s2c:1,2", err, sizeof(err)), 0);
	assert_int_equal(s.dir_lo, RP_IMP_S2C);
	assert_int_equal(s.dir_hi, RP_IMP_S2C + 1);
	assert_int_equal(sweep_parse_loss(&s, "1,1", err, sizeof(err)), -1);
	assert_int_equal(sweep_parse_loss(&s, "100", err, sizeof(err)), -1);
	assert_int_equal(sweep_parse_loss(&s, "-1", err, sizeof(err)), -1);
	assert_int_equal(sweep_parse_loss(&s, "1,2,3,4,5,6,7,8,9", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--sweep-loss"));
	assert_int_equal(sweep_parse_mtu(&s, "1500,9000", err, sizeof(err)), 0);
	assert_int_equal(sweep_parse_mtu(&s, "67", err, sizeof(err)), -1);
	assert_int_equal(sweep_parse_mtu(&s, "", err, sizeof(err)), -1);
}

static void test_plan_median_text(void **state)
{
	struct rp_sweep s = {0};
	struct rp_sweep_round r[6];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(sweep_parse_loss(&s, "0,5", err, sizeof(err)), 0);
	assert_int_equal(sweep_plan(&s, 1500), 2); /* no MTU list: the run's */
	assert_int_equal(s.settings[1].mtu, 1500);
	assert_true(s.settings[1].loss_pct == 5);
	memset(r, 0, sizeof(r));
	for (int i = 0; i < 6; i++) {
		r[i].setting = i % 2;
		for (int m = 0; m < RP_NSW; m++)
			r[i].v[m] = 10 * (i % 2) + i;
	}
	r[4].status = 1; /* a failed round does not count */
	s.rounds = r;
	s.nrounds = 6;
	s.repeat = 3;
	assert_true(sweep_median(&s, 0, RP_SW_RPS) == 1); /* 0, 2 */
	assert_true(sweep_median(&s, 1, RP_SW_RPS) == 13); /* 11, 13, 15 */
	r[1].v[RP_SW_FAST] = NAN;
	assert_true(sweep_median(&s, 1, RP_SW_FAST) == 14);
	f = open_memstream(&buf, &len);
	sweep_text(f, &s);
	fclose(f);
	assert_non_null(strstr(buf, "2/3")); /* setting 0: one round failed */
	assert_non_null(strstr(buf, "3/3"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_plan_median_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
