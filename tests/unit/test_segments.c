// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Segments per message against ceil(bytes / MSS), and the sentence why. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "segments.h"

/* The seed's echo experiment as measured: 2 workers x 512 x 1536 B. */
static void echo_report(struct rp_report *r, struct rp_worker_report *w, struct rp_config *c)
{
	memset(r, 0, sizeof(*r));
	memset(w, 0, 2 * sizeof(*w));
	config_defaults(c);
	c->echo_size = 1536;
	for (int i = 0; i < 2; i++) {
		w[i].requests = w[i].responses = 512;
		w[i].user[RP_SEND].calls = 512;
		w[i].user[RP_SEND].bytes = w[i].user[RP_RECV].bytes = 512 * 1536;
		w[i].tcp_info.snd_mss = 49664;
		w[i].tcp_info.data_segs_out = 42;
		w[i].tcp_info.data_segs_in = 512 + 6 * i; /* 518 and 512 */
	}
	r->config = c;
	r->nworkers = 2;
	r->workers = w;
	r->has_sink = true;
	r->sink.echo_short_recvs = 6;
	r->sink.split_writes = 6;
	r->sink.send_calls = 1030;
	r->sink.tcp.snd_mss = 65483;
}

static void test_echo_nagle(void **state)
{
	struct rp_worker_report w[2];
	struct rp_config c;
	struct rp_report r;
	struct rp_segments s;

	(void)state;
	echo_report(&r, w, &c);
	report_segments(&r, &s);
	assert_true(s.known && s.in.known && s.out.known);
	assert_int_equal(s.in.mss, 65483);
	assert_string_equal(s.in.mss_from, "sink tcp_info");
	assert_int_equal(s.in.per_msg, 1);
	assert_int_equal(s.in.min, 1024);
	assert_int_equal(s.in.beyond, 6);
	assert_int_equal(s.in.stream_min, 25); /* 1572864 / 65483 */
	assert_int_equal(s.out.beyond, 84 - 1024);
	assert_string_equal(s.why,
			    "in: 1030 segments for 1024 echoed messages, 6 more than 1 each: the "
			    "sink wrote 6 messages in two or more writes after 6 short reads (the "
			    "client's sends reached it coalesced across message boundaries). out: "
			    "84 segments for 1024 messages, 940 fewer than 1 each: the client "
			    "coalesced them (Nagle on: writes wait for the ACK of unacknowledged "
			    "data).");
}

static void test_exact_and_unknown(void **state)
{
	struct rp_worker_report w[2];
	struct rp_config c;
	struct rp_report r;
	struct rp_segments s;

	(void)state;
	echo_report(&r, w, &c);
	c.echo_size = 0; /* HTTP: 3197-byte responses over MSS 1448: 3 each */
	c.nodelay = true;
	for (int i = 0; i < 2; i++) {
		w[i].user[RP_RECV].bytes = 512 * 3197;
		w[i].user[RP_SEND].bytes = 512 * 44;
		w[i].tcp_info.snd_mss = 1448;
		w[i].tcp_info.data_segs_in = 512 * 3;
		w[i].tcp_info.data_segs_out = 512;
	}
	r.has_sink = false; /* an external server: its MSS assumed = ours */
	report_segments(&r, &s);
	assert_int_equal(s.in.per_msg, 3);
	assert_int_equal(s.in.beyond, 0);
	assert_string_equal(s.in.mss_from, "client snd_mss, assumed");
	assert_string_equal(s.why, "in: every one of 1024 responses took the minimum 3 segments. "
				   "out: every one of 1024 requests took the minimum 1 segment.");
	/* the embedded sink batching responses: 40 writes for 1024 */
	r.has_sink = true;
	r.sink.send_calls = 40;
	r.sink.tcp.snd_mss = 1448;
	w[0].tcp_info.data_segs_in = 71;
	w[1].tcp_info.data_segs_in = 0;
	report_segments(&r, &s);
	assert_int_equal(s.in.beyond, 71 - 3072);
	assert_non_null(strstr(s.why, "in: 71 segments for 1024 responses, 3001 fewer than 3 "
				      "each: the sink wrote them in 40 writes."));
	for (int i = 0; i < 2; i++)
		w[i].tcp_info.snd_mss = 0;
	r.sink.tcp.snd_mss = 0;
	report_segments(&r, &s);
	assert_false(s.known);
	assert_string_equal(s.why, "");
}

/* With a kernel view, the sentence names the measured holds, largest
 * first, and the server's holds are kept apart from the workers'. */
static void test_measured_holds(void **state)
{
	struct rp_worker_report w[2];
	struct rp_config c;
	struct rp_report r;
	struct rp_segments s;

	(void)state;
	echo_report(&r, w, &c);
	for (int i = 0; i < 2; i++) {
		w[i].has_kernel = true;
		w[i].kernel[RP_SEND].held[RP_HOLD_NONE] = 21;
		w[i].kernel[RP_SEND].held[RP_HOLD_RWND] = 451;
		w[i].kernel[RP_SEND].held[RP_HOLD_NAGLE] = 40;
	}
	r.server.has_kernel = true;
	r.server.kernel[RP_SEND].held[RP_HOLD_NONE] = 1030;
	report_segments(&r, &s);
	assert_true(s.has_held_out && s.has_held_in);
	assert_int_equal(s.held_out[RP_HOLD_RWND], 902);
	assert_int_equal(s.held_in[RP_HOLD_NONE], 1030);
	assert_non_null(strstr(s.why, "out: 84 segments for 1024 messages, 940 fewer than 1 each: "
				      "the client coalesced them (TCP_NODELAY off); 982 of 1024 "
				      "sends returned with bytes unsent, held by rwnd 902, nagle "
				      "80."));
	assert_string_equal(hold_name(RP_HOLD_TSQ), "tsq");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_nagle),
		cmocka_unit_test(test_measured_holds),
		cmocka_unit_test(test_exact_and_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
