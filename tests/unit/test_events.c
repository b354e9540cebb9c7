// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The per-call join, classification, summary and writers on hand-made calls. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

#define MAXEV 32

/* A worker's records under construction: user side, kernel side, and the
 * worker's own counters. */
struct calls {
	struct rp_uev_buf *u;
	struct rp_event k[MAXEV];
	size_t nk;
	struct rp_worker_report wr;
	uint64_t t; /* clock */
};

static struct calls *calls_new(void)
{
	struct calls *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->u = calloc(1, rp_uev_buf_size(MAXEV));
	assert_non_null(c->u);
	c->u->cap = MAXEV;
	c->u->tid = 77;
	c->t = 1000;
	return c;
}

static void calls_free(struct calls *c)
{
	free(c->u);
	free(c);
}

/* One call on both sides: user [t, t+100], kernel [t+10, t+90]. */
static void call(struct calls *c, int dir, uint32_t len, int64_t ret, uint8_t done, uint32_t queued,
		 uint32_t skbs)
{
	struct rp_uevent *u = &c->u->ev[c->u->n++];
	struct rp_event *k = &c->k[c->nk++];

	*u = (struct rp_uevent){.start_ns = c->t,
				.end_ns = c->t + 100,
				.ret = ret,
				.len = len,
				.dir = (uint8_t)dir,
				.done = done};
	*k = (struct rp_event){.start_ns = c->t + 10,
			       .end_ns = c->t + 90,
			       .len = len,
			       .ret = ret,
			       .tid = 77,
			       .dir = (uint16_t)dir,
			       .queued = queued,
			       .skbs = skbs,
			       .flags = RP_EV_SEGS,
			       .segs_in = dir == RP_RECV && ret > 0,
			       .data_segs_in = (uint32_t)c->nk,
			       .data_segs_out = 1};
	c->t += 200;
	c->wr.user[dir].calls++;
	if (dir == RP_RECV && ret == -EAGAIN)
		c->wr.user[dir].eagain++;
	c->wr.responses += done;
	if (dir == RP_RECV)
		recv_tally_add(
			&c->wr.recv,
			recv_outcome(ret < 0 ? -1 : (long)ret, ret < 0 ? (int)-ret : 0, len, done),
			done);
}

static struct rp_ev_input input(struct calls *c)
{
	return (struct rp_ev_input){
		.id = 0, .user = c->u, .k = c->k, .nk = c->nk, .has_kernel = true, .wr = &c->wr};
}

/* The seed's pattern: 3226-byte responses read 1024 at a time. */
static struct calls *seed_calls(void)
{
	struct calls *c = calls_new();

	call(c, RP_SEND, 18, 18, 0, 0, 1);
	call(c, RP_SEND, 18, 18, 0, 0, 1);
	call(c, RP_RECV, 1024, 1024, 0, 5428, 1); /* buffer-limited */
	call(c, RP_RECV, 1024, 1024, 0, 4404, 1);
	call(c, RP_RECV, 1024, 1024, 0, 3380, 1);
	call(c, RP_RECV, 1024, 1024, 1, 2356, 2); /* response 0 ends inside */
	call(c, RP_RECV, 1024, 1024, 0, 1332, 1);
	call(c, RP_RECV, 1024, 1024, 0, 308, 1);
	call(c, RP_RECV, 1024, 308, 1, 0, 1); /* last part: full */
	call(c, RP_RECV, 1024, -EAGAIN, 0, 0, 0);
	return c;
}

static void test_classify(void **state)
{
	struct rp_uevent u = {.dir = RP_RECV, .len = 100};
	struct rp_event k = {0};

	(void)state;
	u.ret = -EAGAIN;
	assert_int_equal(events_classify(&u, &k), RP_EC_EAGAIN);
	u.ret = -ECONNRESET;
	assert_int_equal(events_classify(&u, &k), RP_EC_ERROR);
	u.ret = 0;
	assert_int_equal(events_classify(&u, &k), RP_EC_EOF);
	u.ret = 40;
	u.done = 1;
	assert_int_equal(events_classify(&u, &k), RP_EC_FULL);
	u.done = 0;
	k.queued = 0;
	assert_int_equal(events_classify(&u, &k), RP_EC_PARTIAL);
	k.queued = 9;
	assert_int_equal(events_classify(&u, &k), RP_EC_SHORT_QUEUED);
	u.ret = 100;
	assert_int_equal(events_classify(&u, &k), RP_EC_BUFFER);
	k.queued = 0;
	assert_int_equal(events_classify(&u, &k), RP_EC_EXACT);
	/* Without the kernel's queue: the user's own rule. */
	assert_int_equal(events_classify(&u, NULL), RP_EC_BUFFER);
	u.ret = 40;
	assert_int_equal(events_classify(&u, NULL), RP_EC_PARTIAL);
	u.dir = RP_SEND;
	assert_int_equal(events_classify(&u, NULL), RP_EC_SEND);
	assert_string_equal(events_class_name(RP_EC_PARTIAL), "partial-arrival");
	assert_string_equal(events_class_name(RP_EC_BUFFER), "buffer-limited");
}

static void test_join_seed(void **state)
{
	struct calls *c = seed_calls();
	struct rp_ev_input in = input(c);
	struct rp_ev_worker w;
	struct rp_ev_pair *p;
	size_t n;
	uint64_t parts = 0;

	(void)state;
	assert_int_equal(events_join(&in, &w, &p, &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(w.state, RP_ES_JOINED);
	assert_int_equal(w.joined, 10);
	assert_int_equal(w.mismatches, 0);
	assert_int_equal(w.first_mismatch, -1);
	assert_int_equal(w.calls[RP_SEND], 2);
	assert_int_equal(w.calls[RP_RECV], 8);
	assert_int_equal(w.responses, 2);
	assert_int_equal(w.cls[RP_EC_FULL], 2);
	assert_int_equal(w.cls[RP_EC_BUFFER], 5);
	assert_int_equal(w.cls[RP_EC_EAGAIN], 1);
	assert_int_equal(w.evidence, 8);
	for (int k = RP_EC_PARTIAL; k < RP_NCLASSES; k++)
		parts += w.cls[k];
	assert_int_equal(events_extra(&w), 6);
	assert_int_equal(parts - w.multi, events_extra(&w));
	/* 4 calls paid for response 0, 3 for response 1; the EAGAIN after
	 * the last one pays for none. */
	assert_int_equal(w.cpr[4], 1);
	assert_int_equal(w.cpr[3], 1);
	assert_int_equal(w.skbs[RP_RECV], 8);
	assert_int_equal(w.skbs_per_recv[1], 6);
	assert_int_equal(w.skbs_per_recv[2], 1);
	assert_true(w.segs_known);
	/* counters 1 before the first call (a send), 10 after the last */
	assert_int_equal(w.segs_in, 10 - 1);
	assert_int_equal(w.bytes[RP_EV_USER][RP_RECV], 6 * 1024 + 308);
	assert_int_equal(w.bytes[RP_EV_KERNEL][RP_RECV], w.bytes[RP_EV_USER][RP_RECV]);
	assert_true(w.checked);
	assert_true(w.agrees);
	assert_int_equal(p[2].cls, RP_EC_BUFFER);
	assert_int_equal(p[8].cls, RP_EC_FULL);
	assert_int_equal(p[9].cls, RP_EC_EAGAIN);
	free(p);
	calls_free(c);
}

/* Each way a pair can disagree is found, and named. */
static void expect_mismatch(struct calls *c, size_t at, enum rp_ev_why why)
{
	struct rp_ev_input in = input(c);
	struct rp_ev_worker w;
	struct rp_ev_pair *p;
	size_t n;

	assert_int_equal(events_join(&in, &w, &p, &n), 0);
	assert_int_equal(w.state, RP_ES_MISMATCH);
	assert_true(w.mismatches >= 1);
	assert_int_equal(w.first_mismatch, (int64_t)at);
	assert_int_equal(w.first_why, why);
	if (why != RP_EW_COUNT) {
		assert_int_equal(p[at].join, RP_EJ_MISMATCH);
		assert_int_equal(p[at].why, why);
	}
	free(p);
}

static void test_join_mismatch(void **state)
{
	struct calls *c = seed_calls();

	(void)state;
	c->k[4].ret = 1000;
	expect_mismatch(c, 4, RP_EW_RET);
	c->k[4].ret = 1024;
	c->k[3].end_ns = c->u->ev[3].end_ns + 1;
	expect_mismatch(c, 3, RP_EW_TIME);
	c->k[3].end_ns = c->u->ev[3].end_ns;
	c->k[1].dir = RP_RECV;
	expect_mismatch(c, 1, RP_EW_DIR);
	c->k[1].dir = RP_SEND;
	c->k[0].tid = 78;
	expect_mismatch(c, 0, RP_EW_TID);
	c->k[0].tid = 77;
	c->k[5].len = 2048;
	expect_mismatch(c, 5, RP_EW_LEN);
	c->k[5].len = RP_EV_LEN_UNKNOWN; /* unknown is not a disagreement */
	c->nk--;
	expect_mismatch(c, 9, RP_EW_COUNT);
	calls_free(c);
}

/* A kernel record missing in the middle shifts every later pair: the
 * join must say so, not pair the wrong calls quietly. Calls 6 and 7 both
 * returned 1024 bytes: only the times tell them apart. */
static void test_join_shift(void **state)
{
	struct calls *c = seed_calls();

	(void)state;
	memmove(&c->k[6], &c->k[7], 3 * sizeof(c->k[0]));
	c->nk--;
	expect_mismatch(c, 6, RP_EW_TIME);
	calls_free(c);
}

static void test_join_lost(void **state)
{
	struct calls *c = seed_calls();
	struct rp_ev_input in = input(c);
	struct rp_ev_worker w;
	struct rp_ev_pair *p;
	size_t n;

	(void)state;
	in.k_lost = 3;
	assert_int_equal(events_join(&in, &w, &p, &n), 0);
	assert_int_equal(w.state, RP_ES_INCOMPLETE);
	assert_int_equal(w.joined, 0);
	assert_int_equal(n, 20); /* every record on a line of its own */
	assert_int_equal(p[0].join, RP_EJ_USER);
	assert_int_equal(p[10].join, RP_EJ_KERNEL);
	assert_int_equal(w.lost[RP_EV_KERNEL], 3);
	assert_int_equal(w.evidence, 0);
	assert_int_equal(w.cls[RP_EC_BUFFER], 5);
	free(p);
	c->u->dropped = 1;
	in.k_lost = 0;
	assert_int_equal(events_join(&in, &w, &p, &n), 0);
	assert_int_equal(w.state, RP_ES_INCOMPLETE);
	assert_false(w.checked); /* user records missing: nothing to check */
	free(p);
	calls_free(c);
}

static void test_join_no_kernel(void **state)
{
	struct calls *c = seed_calls();
	struct rp_ev_input in = input(c);
	struct rp_ev_worker w;
	struct rp_ev_pair *p;
	size_t n;

	(void)state;
	in.has_kernel = false;
	assert_int_equal(events_join(&in, &w, &p, &n), 0);
	assert_int_equal(w.state, RP_ES_USER_ONLY);
	assert_int_equal(n, 10);
	assert_int_equal(w.events[RP_EV_KERNEL], 0);
	assert_true(w.agrees);
	free(p);
	calls_free(c);
}

static void test_cross_check(void **state)
{
	struct calls *c = seed_calls();
	struct rp_ev_input in = input(c);
	struct rp_ev_worker w;
	struct rp_ev_pair *p;
	size_t n;

	(void)state;
	c->wr.recv.outcome[RP_RO_FULL_BUFFER]--;
	c->wr.recv.outcome[RP_RO_SHORT]++;
	c->wr.recv.outcome[RP_RO_EAGAIN]++;
	assert_int_equal(events_join(&in, &w, &p, &n), 0);
	assert_true(w.checked);
	assert_false(w.agrees);
	/* Every differing pair is named, not only the first. */
	assert_string_equal(w.disagree, "full-buffer: 5 in the calls, 4 counted; "
					"short: 0 in the calls, 1 counted; "
					"eagain: 1 in the calls, 2 counted");
	free(p);
	calls_free(c);
}

static void test_multi_and_total(void **state)
{
	struct calls *a = calls_new(), *b = seed_calls();
	struct rp_ev_worker w[2];
	struct rp_ev_summary s = {.nworkers = 2, .w = w};
	struct rp_ev_input in;
	struct rp_ev_pair *p, *q;
	size_t n;

	(void)state;
	call(a, RP_SEND, 18, 18, 0, 0, 1);
	call(a, RP_RECV, 65536, 9678, 3, 0, 1); /* three responses at once */
	in = input(a);
	assert_int_equal(events_join(&in, &w[0], &p, &n), 0);
	assert_int_equal(w[0].multi, 2);
	assert_int_equal(w[0].cpr[1], 1);
	assert_int_equal(w[0].cpr[0], 2);
	/* 1 recv call for 3 responses: -2, signed, not clamped to 0 */
	assert_int_equal(events_extra(&w[0]), -2);
	assert_int_equal(w[0].multi_calls, 1);
	in = input(b);
	in.id = 1;
	b->k[2].ret = 5;
	assert_int_equal(events_join(&in, &w[1], &q, &n), 0);
	events_total(&s);
	assert_int_equal(s.total.id, -1);
	assert_int_equal(s.total.state, RP_ES_MISMATCH);
	assert_int_equal(s.total.responses, 5);
	assert_int_equal(s.total.calls[RP_RECV], 9);
	assert_int_equal(s.total.multi, 2);
	free(p);
	free(q);
	calls_free(a);
	calls_free(b);
}

static char *capture(int (*fn)(FILE *, void *), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(f, arg), 0);
	fclose(f);
	return buf;
}

struct lines_arg {
	enum rp_ev_format fmt;
	struct rp_ev_worker *w;
	struct rp_ev_pair *p;
	size_t n;
};

static int lines(FILE *f, void *arg)
{
	struct lines_arg *a = arg;

	return events_write_header(f, a->fmt) || events_write_lines(f, a->fmt, a->w, a->p, a->n);
}

static int count(const char *s, char ch)
{
	int n = 0;

	for (; *s; s++)
		n += *s == ch;
	return n;
}

static void test_lines(void **state)
{
	struct calls *c = seed_calls();
	struct rp_ev_input in = input(c);
	struct rp_ev_worker w;
	struct lines_arg a = {RP_EVF_JSONL, &w, NULL, 0};
	char *out, *line, *save;
	int cols = -1, rows = 0;

	(void)state;
	c->k[4].ret = 7; /* one mismatch, named on its line */
	assert_int_equal(events_join(&in, &w, &a.p, &a.n), 0);
	out = capture(lines, &a);
	assert_int_equal(count(out, '\n'), 10);
	assert_non_null(strstr(out, "\"class\":\"buffer-limited\""));
	assert_non_null(strstr(out, "\"join\":\"mismatch\",\"why\":\"ret\""));
	assert_non_null(strstr(out, "\"queued\":5428"));
	assert_non_null(strstr(out, "\"tid\":77"));
	free(out);
	a.fmt = RP_EVF_CSV;
	out = capture(lines, &a);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (cols < 0)
			cols = count(line, ',');
		assert_int_equal(count(line, ','), cols);
		rows++;
	}
	assert_int_equal(rows, 11);
	free(out);
	free(a.p);
	calls_free(c);
}

static int svg(FILE *f, void *arg)
{
	return events_write_svg(f, arg, "t <&> \"q\"");
}

static void test_svg(void **state)
{
	struct calls *c = seed_calls();
	struct rp_ev_input in = input(c);
	struct rp_ev_worker w;
	struct rp_ev_summary s = {.nworkers = 1, .w = &w, .has_kernel = true};
	struct rp_ev_pair *p;
	size_t n;
	char *out;

	(void)state;
	assert_int_equal(events_join(&in, &w, &p, &n), 0);
	events_total(&s);
	out = capture(svg, &s);
	assert_non_null(strstr(out, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(out, "t &lt;&amp;&gt; &quot;q&quot;"));
	assert_null(strstr(out, "<&>"));
	assert_non_null(strstr(out, "id=\"send-user\""));
	assert_non_null(strstr(out, "id=\"recv-kernel\""));
	assert_non_null(strstr(out, "id=\"calls-per-response\" data-total=\"2\""));
	assert_non_null(strstr(out, "data-class=\"buffer-limited\" data-count=\"5\""));
	assert_non_null(strstr(out, "</svg>\n"));
	free(out);
	free(p);
	calls_free(c);
}

static void test_lat_index(void **state)
{
	(void)state;
	assert_int_equal(events_lat_index(0), 0);
	assert_int_equal(events_lat_index(3), 3);
	for (uint32_t i = 1; i < RP_EV_LAT_SLOTS - 1; i++) {
		assert_true(events_lat_low(i) > events_lat_low(i - 1));
		assert_int_equal(events_lat_index(events_lat_low(i)), i);
		assert_int_equal(events_lat_index(events_lat_low(i + 1) - 1), i);
	}
	assert_int_equal(events_lat_index(UINT64_MAX), RP_EV_LAT_SLOTS - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),      cmocka_unit_test(test_join_seed),
		cmocka_unit_test(test_join_mismatch), cmocka_unit_test(test_join_shift),
		cmocka_unit_test(test_join_lost),     cmocka_unit_test(test_join_no_kernel),
		cmocka_unit_test(test_cross_check),   cmocka_unit_test(test_multi_and_total),
		cmocka_unit_test(test_lines),	      cmocka_unit_test(test_svg),
		cmocka_unit_test(test_lat_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
