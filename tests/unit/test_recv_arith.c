// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Recv outcomes and the calls-versus-responses arithmetic. A property test
 * replays random response streams read with random recv sizes (EAGAIN,
 * short reads, multi-response calls, failures) through the classifier the
 * workers use, and checks that the arithmetic closes, that it matches an
 * independent count, and that the per-call join agrees with the tally.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "recv_arith.h"

#define MAXRSP 64
#define MAXCALLS 4096

static void test_outcome(void **state)
{
	(void)state;
	assert_int_equal(recv_outcome(-1, EAGAIN, 1024, 0), RP_RO_EAGAIN);
	assert_int_equal(recv_outcome(-1, ECONNRESET, 1024, 0), RP_RO_FAILED);
	assert_int_equal(recv_outcome(0, 0, 1024, 0), RP_RO_FAILED);
	assert_int_equal(recv_outcome(1024, 0, 1024, 0), RP_RO_FULL_BUFFER);
	assert_int_equal(recv_outcome(100, 0, 1024, 0), RP_RO_SHORT);
	assert_int_equal(recv_outcome(100, 0, 1024, 1), RP_RO_COMPLETING);
	assert_int_equal(recv_outcome(65536, 0, 65536, 19), RP_RO_COMPLETING);
	assert_string_equal(recv_outcome_name(RP_RO_FULL_BUFFER), "full-buffer");
	assert_string_equal(recv_outcome_name(RP_RO_SHORT), "short");
}

/* The -r 65536 case: 34 calls, 484 responses; it used to print 0. */
static void test_multi_response(void **state)
{
	struct rp_recv_tally t = {0};
	struct rp_recv_arith a;

	(void)state;
	for (int i = 0; i < 19; i++)
		recv_tally_add(&t, RP_RO_EAGAIN, 0);
	for (int i = 0; i < 15; i++)
		recv_tally_add(&t, RP_RO_COMPLETING, i < 4 ? 33 : 32);
	recv_arith(&t, &a);
	assert_int_equal(a.calls, 34);
	assert_int_equal(a.responses, 4 * 33 + 11 * 32);
	assert_int_equal(a.extra, 34 - 484);
	assert_int_equal(a.surplus, 484 - 15);
	assert_int_equal(a.multi_calls, 15);
	assert_true(a.closes);
	assert_true(a.responses_per_call > 14.2 && a.responses_per_call < 14.3);
}

struct sim {
	uint64_t len[MAXRSP]; /* response sizes */
	uint64_t end[MAXRSP]; /* cumulative ends */
	int nrsp;
	uint64_t total;
	uint64_t arrived, consumed;
	int next; /* first response not complete */
	/* independent counts */
	uint64_t calls, responses, surplus, multi, eagain, failed, full, shrt, completing;
};

/* One recv: returns the call's record. */
static struct rp_uevent sim_recv(struct sim *s, size_t asked, unsigned r)
{
	struct rp_uevent u = {.dir = RP_RECV, .len = (uint32_t)asked, .seq = (uint64_t)s->next};
	uint64_t queued = s->arrived - s->consumed, n, done = 0;

	s->calls++;
	if (r % 53 == 0) { /* a failure: reset or interrupted */
		u.ret = r % 2 ? -ECONNRESET : -EINTR;
		s->failed++;
		return u;
	}
	if (!queued) {
		u.ret = -EAGAIN;
		s->eagain++;
		return u;
	}
	n = queued < asked ? queued : asked;
	s->consumed += n;
	while (s->next < s->nrsp && s->end[s->next] <= s->consumed) {
		s->next++;
		done++;
	}
	u.ret = (int64_t)n;
	u.done = (uint8_t)done;
	s->responses += done;
	if (done) {
		s->completing++;
		s->surplus += done - 1;
		s->multi += done > 1;
	} else if (n == asked) {
		s->full++;
	} else {
		s->shrt++;
	}
	return u;
}

static size_t pick_asked(unsigned r)
{
	static const size_t sizes[] = {1, 7, 64, 1024, 1500, 4096, 65536};

	return r % 4 ? sizes[r % 7] : 1 + r % 9000;
}

/* Replays stream `seed`; returns its recv calls - responses. */
static int64_t check_one(unsigned seed, struct rp_uev_buf *b)
{
	struct rp_recv_tally t = {0};
	struct rp_recv_arith a;
	struct rp_worker_report wr;
	struct rp_ev_worker w;
	struct rp_ev_pair *p;
	struct sim s = {0};
	size_t asked, npairs;
	char msg[64];

	srand(seed);
	snprintf(msg, sizeof(msg), "seed %u", seed);
	s.nrsp = 1 + rand() % MAXRSP;
	for (int i = 0; i < s.nrsp; i++) {
		s.len[i] = 1 + (uint64_t)(rand() % (rand() % 2 ? 300 : 70000));
		s.total += s.len[i];
		s.end[i] = s.total;
	}
	asked = pick_asked((unsigned)rand());
	b->n = 0;
	while (s.next < s.nrsp && b->n < MAXCALLS) {
		unsigned r = (unsigned)rand();
		struct rp_uevent u;

		if (r % 3 == 0 && s.arrived < s.total) { /* bytes arrive */
			uint64_t chunk = 1 + (uint64_t)rand() % 90000;

			s.arrived += chunk < s.total - s.arrived ? chunk : s.total - s.arrived;
			continue;
		}
		u = sim_recv(&s, asked, r);
		u.start_ns = 1000 + 100 * b->n;
		u.end_ns = u.start_ns + 50;
		b->ev[b->n++] = u;
		recv_tally_add(&t,
			       recv_outcome(u.ret < 0 ? -1 : (long)u.ret,
					    u.ret < 0 ? (int)-u.ret : 0, asked, u.done),
			       u.done);
	}
	recv_arith(&t, &a);
	if (!a.closes)
		fail_msg("%s: does not close", msg);
	if (a.calls != s.calls || a.responses != s.responses || a.surplus != s.surplus ||
	    a.multi_calls != s.multi || a.eagain != s.eagain || a.failed != s.failed ||
	    a.full_buffer != s.full || a.short_reads != s.shrt || a.completing != s.completing)
		fail_msg("%s: a tally differs from the independent count", msg);
	if (a.extra != (int64_t)s.calls - (int64_t)s.responses)
		fail_msg("%s: extra %lld", msg, (long long)a.extra);
	if (a.calls && (a.responses_per_call * (double)a.calls - (double)a.responses) > 1e-6)
		fail_msg("%s: responses per call", msg);

	/* The per-call join (user records only) sees the same figures. */
	memset(&wr, 0, sizeof(wr));
	wr.recv = t;
	wr.responses = s.responses;
	wr.user[RP_RECV].calls = s.calls;
	wr.user[RP_RECV].eagain = s.eagain;
	{
		struct rp_ev_input in = {.id = 0, .user = b, .wr = &wr};

		assert_int_equal(events_join(&in, &w, &p, &npairs), 0);
	}
	free(p);
	if (!w.agrees)
		fail_msg("%s: join disagrees: %s", msg, w.disagree);
	if (events_extra(&w) != a.extra || w.multi != a.surplus || w.multi_calls != a.multi_calls)
		fail_msg("%s: join's arithmetic differs", msg);
	return a.extra;
}

static void test_property(void **state)
{
	struct rp_uev_buf *b = calloc(1, rp_uev_buf_size(MAXCALLS));
	int multi = 0, negative = 0;

	(void)state;
	assert_non_null(b);
	b->cap = MAXCALLS;
	b->tid = 1;
	for (unsigned seed = 1; seed <= 3000; seed++) {
		negative += check_one(seed, b) < 0;
		for (uint64_t i = 0; i < b->n; i++)
			multi += b->ev[i].done > 1;
	}
	/* The random streams did reach the hard cases. */
	assert_true(multi > 100);
	assert_true(negative > 0);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_multi_response),
		cmocka_unit_test(test_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
