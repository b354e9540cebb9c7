// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"

/* 4 streams at 1000/s: each every 4 ms, starts 1 ms apart. */
static void schedule_even(void **st)
{
	struct rp_sched_slot s[4];

	(void)st;
	for (int w = 0; w < 2; w++)
		for (int c = 0; c < 2; c++)
			lat_schedule(&s[w * 2 + c], 1000, 2, 2, w, c, 5000);
	for (int i = 0; i < 4; i++) {
		assert_true(s[i].period_ns == 4000000.0);
		assert_int_equal(s[i].first_ns, 5000 + (uint64_t)i * 1000000);
		assert_int_equal(lat_slot_ns(&s[i], 3), s[i].first_ns + 12000000);
	}
}

static void slots_due_edges(void **st)
{
	struct rp_sched_slot s;

	(void)st;
	lat_schedule(&s, 3, 1, 1, 0, 0, 100); /* every 333333333.33 ns */
	assert_int_equal(lat_slots_due(&s, 99), 0);
	assert_int_equal(lat_slots_due(&s, 100), 1);
	for (uint64_t i = 1; i < 1000; i++) {
		uint64_t t = lat_slot_ns(&s, i);

		assert_int_equal(lat_slots_due(&s, t - 1), i);
		assert_int_equal(lat_slots_due(&s, t), i + 1);
	}
}

static void ring_size(void **st)
{
	(void)st;
	assert_int_equal(lat_ring_size(1), 2);
	assert_int_equal(lat_ring_size(8), 16);
	assert_int_equal(lat_ring_size(7), 8);
	assert_int_equal(lat_ring_size(RP_LAT_MAX_WINDOW), 2 * RP_LAT_MAX_WINDOW);
	assert_int_equal(lat_ring_size(RP_LAT_MAX_WINDOW + 1), 0);
}

static void parse_pause(void **st)
{
	uint32_t p = 0, e = 0;

	(void)st;
	assert_int_equal(lat_parse_pause("200:1000", &p, &e), 0);
	assert_int_equal(p, 200);
	assert_int_equal(e, 1000);
	assert_int_equal(lat_parse_pause("1000:1000", &p, &e), -1);
	assert_int_equal(lat_parse_pause("0:1000", &p, &e), -1);
	assert_int_equal(lat_parse_pause("200", &p, &e), -1);
	assert_int_equal(lat_parse_pause("200:", &p, &e), -1);
	assert_int_equal(lat_parse_pause(":5", &p, &e), -1);
	assert_int_equal(lat_parse_pause("2x:5", &p, &e), -1);
	assert_int_equal(lat_parse_pause("1:3600001", &p, &e), -1);
}

/* 10000 samples 1..10000 us: each percentile within 0.8 %, merge exact. */
static void summary_and_merge(void **st)
{
	struct rp_lat_result *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct rp_lat_report r;

	(void)st;
	assert_non_null(a);
	assert_non_null(b);
	lat_result_init(a, true, true);
	lat_result_init(b, true, true);
	for (uint64_t i = 1; i <= 10000; i++) {
		stats_record(i % 2 ? &a->lat : &b->lat, i * 1000);
		stats_record(i % 2 ? &a->sent : &b->sent, i);
	}
	a->late = 3;
	b->late = 4;
	a->lag_max_ns = 7;
	b->lag_max_ns = 9;
	a->held = 5;
	a->stalls = 2;
	b->held = 1;
	b->stalls = 1;
	lat_result_merge(a, b);
	lat_report_from(&r, a);
	assert_true(r.on && r.rate);
	assert_int_equal(r.lat.n, 10000);
	assert_int_equal(r.lat.min, 1000);
	assert_int_equal(r.lat.max, 10000000);
	for (int i = 0; i < RP_LAT_NPCT; i++) {
		double want = rp_lat_pct[i] / 100 * 10000 * 1000;

		assert_true(r.lat.p[i] >= want * 0.992 && r.lat.p[i] <= want * 1.008);
	}
	assert_int_equal(r.sent.n, 10000);
	assert_int_equal(r.late, 7);
	assert_int_equal(r.held, 6); /* the stall counters are summed */
	assert_int_equal(r.stalls, 3);
	assert_int_equal(r.lag_max_ns, 9);
	assert_false(lat_schedule_missed(&r, 10000));
	r.late = 101;
	assert_true(lat_schedule_missed(&r, 10000));
	r.late = 0;
	r.unsent = 1;
	assert_true(lat_schedule_missed(&r, 10000));
	lat_result_init(b, false, false);
	lat_report_from(&r, b);
	assert_false(r.on);
	assert_int_equal(r.lat.n, 0);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(schedule_even),     cmocka_unit_test(slots_due_edges),
		cmocka_unit_test(ring_size),	     cmocka_unit_test(parse_pause),
		cmocka_unit_test(summary_and_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
