// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The path view's model: the conservation checks over every view, the
 * inputs gathered from a report, the wire's sums and field table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include "json.h"
#include "rp_wire_seq.h"
#include "path_check.h"
#include "report_path.h"
#include "wire_pcap.h"
#include "schema.h"
#include "wire_report.h"

/* 1000 bytes out in 2 data segments, 9000 back in 3, every view agreeing. */
static void agreeing(struct rp_path_inputs *in)
{
	memset(in, 0, sizeof(*in));
	for (int v = 0; v < RP_NVIEWS; v++) {
		in->have_bytes[v] = true;
		in->bytes[v][RP_PATH_C2S] = 1000;
		in->bytes[v][RP_PATH_S2C] = 9000;
	}
	for (int v = RP_VIEW_CLIENT_KERNEL; v <= RP_VIEW_SERVER_KERNEL; v++) {
		in->have_segs[v][RP_PATH_C2S] = in->have_segs[v][RP_PATH_S2C] = true;
		in->segs[v][RP_PATH_C2S] = 2;
		in->segs[v][RP_PATH_S2C] = 3;
	}
}

static void test_agreeing_views(void **state)
{
	struct rp_path_check k[RP_PATH_NCHECKS];
	struct rp_path_inputs in;

	(void)state;
	agreeing(&in);
	assert_int_equal(path_checks(&in, k), RP_PATH_NCHECKS);
	assert_true(path_ok(&in));
	assert_string_equal(k[1].what, "bytes s->c");
	assert_int_equal(k[1].v[RP_VIEW_SERVER_USER], 9000);
	assert_false(k[2].have[RP_VIEW_CLIENT_USER]);
	assert_int_equal(k[3].v[RP_VIEW_WIRE_RX], 3);
}

/* A report's check is found again by its what, wherever it stands. */
static void test_index_by_what(void **state)
{
	struct rp_path_check k[RP_PATH_NCHECKS];
	struct rp_path_inputs in;

	(void)state;
	agreeing(&in);
	path_checks(&in, k);
	for (int i = 0; i < RP_PATH_NCHECKS; i++)
		assert_int_equal(path_check_index(k[i].what), i);
	assert_int_equal(path_check_index("bytes"), -1);
	assert_int_equal(path_check_index(NULL), -1);
}

/* Any single view disagreeing, in any check, fails it. */
static void test_each_view_can_differ(void **state)
{
	struct rp_path_inputs in;

	(void)state;
	for (int v = 0; v < RP_NVIEWS; v++)
		for (int d = 0; d < 2; d++) {
			agreeing(&in);
			in.bytes[v][d]++;
			assert_false(path_ok(&in));
			agreeing(&in);
			in.segs[v][d]++;
			assert_int_equal(path_ok(&in), !in.have_segs[v][d]);
		}
	/* a view that did not measure is not compared */
	agreeing(&in);
	in.have_bytes[RP_VIEW_SERVER_KERNEL] = false;
	in.bytes[RP_VIEW_SERVER_KERNEL][0] = 5;
	assert_true(path_ok(&in));
}

static struct rp_report *lo_report(void)
{
	struct rp_report *r = calloc(1, sizeof(*r));

	r->nworkers = 1;
	r->workers = calloc(1, sizeof(*r->workers));
	r->workers[0].has_kernel = true;
	r->workers[0].ktcp.sockets = 1;
	r->workers[0].tcp_info.data_segs_out = 2;
	r->workers[0].tcp_info.data_segs_in = 3;
	r->totals.has_kernel = true;
	r->totals.user[RP_SEND].bytes = r->totals.kernel[RP_SEND].bytes = 1000;
	r->totals.user[RP_RECV].bytes = r->totals.kernel[RP_RECV].bytes = 9000;
	r->has_sink = true;
	r->sink.bytes_in = 1000;
	r->sink.bytes_out = 9000;
	r->server.traced = r->server.has_kernel = true;
	r->server.kernel[RP_RECV].bytes = 1000;
	r->server.kernel[RP_SEND].bytes = 9000;
	r->server.ktcp.sockets = 1;
	r->server.ktcp.data_segs_in = 2;
	r->server.ktcp.data_segs_out = 3;
	r->wire.on = r->wire.loopback = true;
	/* 448 bytes sent twice: 1448 on the wire, 1000 for the application */
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_C2S].bytes = 1448;
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_C2S].retrans_bytes = 448;
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_C2S].new_bytes = 1000;
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_C2S].data_segs = 2;
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_S2C].bytes = 9000;
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_S2C].new_bytes = 9000;
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_S2C].data_segs = 3;
	return r;
}

static void free_report(struct rp_report *r)
{
	free(r->workers);
	free(r);
}

static void test_inputs_from_report(void **state)
{
	struct rp_report *r = lo_report();
	struct rp_path_inputs in;

	(void)state;
	report_path_inputs(r, &in);
	assert_true(report_path_ok(r));
	/* lo: one pass, no "arrived" view */
	assert_false(in.have_bytes[RP_VIEW_WIRE_RX]);
	assert_int_equal(in.bytes[RP_VIEW_WIRE_TX][RP_PATH_C2S], 1000);
	assert_int_equal(in.bytes[RP_VIEW_SERVER_KERNEL][RP_PATH_S2C], 9000);
	assert_int_equal(in.segs[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S], 2);
	/* an inexact server socket leaves its segments out of the checks */
	r->server.ktcp.inexact = 1;
	r->server.ktcp.data_segs_in = 1;
	report_path_inputs(r, &in);
	assert_false(in.have_segs[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S]);
	assert_true(report_path_ok(r));
	/* a server socket missing from the sums leaves its segments out */
	r->server.ktcp.inexact = 0;
	r->server.ktcp.sockets = 0;
	report_path_inputs(r, &in);
	assert_false(in.have_segs[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S]);
	r->server.ktcp.sockets = 1;
	r->server.ktcp.inexact = 1;
	/* a reconnect leaves the client's TCP_INFO out */
	r->workers[0].reconnects = 1;
	r->workers[0].tcp_info.data_segs_out = 1;
	report_path_inputs(r, &in);
	assert_false(in.have_segs[RP_VIEW_CLIENT_KERNEL][RP_PATH_C2S]);
	/* the server's kernel disagreeing fails the run's path */
	r->server.kernel[RP_SEND].bytes = 8999;
	assert_false(report_path_ok(r));
	/* a connection the wire did not follow: its sums are left out */
	r->server.kernel[RP_SEND].bytes = 9000;
	r->wire.drops[RP_WIRE_DROP_FLOWS] = 1;
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_S2C].bytes = 4500;
	report_path_inputs(r, &in);
	assert_false(in.have_bytes[RP_VIEW_WIRE_TX]);
	assert_false(in.have_segs[RP_VIEW_WIRE_TX][RP_PATH_C2S]);
	assert_true(report_path_ok(r));
	/* a retransmission: the receivers' segment counts are apart from the
	 * senders', only the senders' side of each direction is compared */
	r->wire.drops[RP_WIRE_DROP_FLOWS] = 0;
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_S2C].bytes = 9000;
	r->wire.sum.c[RP_WIRE_TX][RP_WIRE_S2C].new_bytes = 9000;
	r->workers[0].reconnects = 0;
	r->workers[0].tcp_info.data_segs_out = 2;
	r->workers[0].tcp_info.total_retrans = 1;
	r->workers[0].tcp_info.data_segs_in = 2; /* one of 3 lost on the way */
	r->server.ktcp.inexact = 0;
	r->server.ktcp.data_segs_in = 2;
	report_path_inputs(r, &in);
	assert_true(in.have_segs[RP_VIEW_CLIENT_KERNEL][RP_PATH_C2S]);
	assert_false(in.have_segs[RP_VIEW_CLIENT_KERNEL][RP_PATH_S2C]);
	assert_false(in.have_segs[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S]);
	assert_true(in.have_segs[RP_VIEW_SERVER_KERNEL][RP_PATH_S2C]);
	assert_true(report_path_ok(r));
	/* nothing to show: nothing to fail */
	r->server.traced = r->wire.on = false;
	assert_true(report_path_ok(r));
	free_report(r);
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

/* The sequence space at one place: new bytes are each byte once whether
 * packets come in order, again (retransmitted) or late (reordered). */
static void test_seq_step(void **state)
{
	struct rp_wire_cnt c = {0};
	struct rp_wire_seq s = {0};

	(void)state;
	rp_wire_seq_step(&c, &s, 1000, 0, 1, 0); /* SYN: isn 1000 */
	rp_wire_seq_step(&c, &s, 1001, 100, 0, 0);
	rp_wire_seq_step(&c, &s, 1101, 100, 0, 0);
	assert_int_equal(c.new_bytes, 200);
	assert_int_equal(c.retrans_packets, 0);
	/* the second packet again, then one overlapping the edge */
	rp_wire_seq_step(&c, &s, 1101, 100, 0, 0);
	rp_wire_seq_step(&c, &s, 1151, 100, 0, 0);
	assert_int_equal(c.retrans_packets, 2);
	assert_int_equal(c.retrans_bytes, 150);
	assert_int_equal(c.new_bytes, 250);
	/* reordered: 1351 arrives before 1251 */
	rp_wire_seq_step(&c, &s, 1351, 100, 0, 0);
	rp_wire_seq_step(&c, &s, 1251, 100, 0, 0);
	assert_int_equal(c.new_bytes, 450);
	assert_int_equal(c.retrans_packets, 3);
	/* FIN with data, its retransmission adds nothing new */
	rp_wire_seq_step(&c, &s, 1451, 10, 0, 1);
	rp_wire_seq_step(&c, &s, 1451, 10, 0, 1);
	assert_int_equal(c.new_bytes, 460);
	/* a pure ACK moves nothing; a new SYN on the same 4-tuple restarts */
	rp_wire_seq_step(&c, &s, 1462, 0, 0, 0);
	rp_wire_seq_step(&c, &s, 5, 0, 1, 0);
	rp_wire_seq_step(&c, &s, 6, 40, 0, 0);
	assert_int_equal(c.new_bytes, 500);
	assert_int_equal(c.retrans_packets, 4);
	/* sequence numbers wrap */
	s = (struct rp_wire_seq){0};
	rp_wire_seq_step(&c, &s, 0xffffffa0u, 0, 1, 0);
	rp_wire_seq_step(&c, &s, 0xffffffa1u, 200, 0, 0);
	assert_int_equal(c.new_bytes, 700);
	assert_int_equal(s.nxt, 0xffffffa1u + 200);
}

/* Every counter of the wire's field table and every view is rendered. */
static void test_every_field_rendered(void **state)
{
	struct rp_report *r = lo_report();
	struct json_writer j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	json_init(&j, f, false);
	json_begin_object(&j);
	report_path_json(&j, r);
	json_end_object(&j);
	assert_int_equal(json_finish(&j), 0);
	report_path_text(f, r);
	fclose(f);
	for (size_t i = 0; i < rp_wire_family.n; i++) {
		const struct rp_field *f = &rp_wire_family.fields[i];
		char key[64];

		snprintf(key, sizeof(key), "\"%s\":", f->name);
		assert_non_null(strstr(buf, key));
		snprintf(key, sizeof(key), "\n  %s ", f->label);
		assert_true(!f->label || strstr(buf, key));
	}
	for (size_t i = 0; i < rp_wire_drops_family.n; i++) {
		char key[64];

		snprintf(key, sizeof(key), "\"%s\":", rp_wire_drops_family.fields[i].name);
		assert_non_null(strstr(buf, key));
	}
	for (int v = 0; v < RP_NVIEWS; v++) {
		char key[64];

		snprintf(key, sizeof(key), "\"%s\":", rp_view_names[v]);
		assert_true(v == RP_VIEW_WIRE_RX ? !strstr(buf, key) : !!strstr(buf, key));
	}
	assert_non_null(strstr(buf, "\"payload_log2_hist\":"));
	assert_non_null(strstr(buf, "bytes c->s"));
	assert_null(strstr(buf, "DIFFER"));
	free(buf);
	free_report(r);
}

/* A record header for the nanosecond dumper, and a file libpcap writes
 * read back by libpcap: link type, snaplen, nanosecond times, bytes. */
static void test_pcap_roundtrip(void **state)
{
	char path[] = "/tmp/reqperf-unit-XXXXXX.pcap", err[256];
	char errbuf[PCAP_ERRBUF_SIZE];
	struct rp_wire_pkt k = {.ns = 5000000001ull, .len = 65226, .caplen = 60};
	const u_char *data;
	struct pcap_pkthdr h, *hp;
	struct wire_pcap *w;
	pcap_t *r;
	int fd;

	(void)state;
	assert_int_equal(wire_pcap_pkthdr(&h, 1764900000123456789ull, 96, 65226), 0);
	assert_int_equal(h.ts.tv_sec, 1764900000);
	assert_int_equal(h.ts.tv_usec, 123456789); /* nanoseconds, kept */
	assert_int_equal(h.caplen, 96);
	assert_int_equal(h.len, 65226);
	assert_int_equal(wire_pcap_pkthdr(&h, 0, 97, 96), -1); /* caplen > len */
	assert_int_equal(wire_pcap_pkthdr(&h, 0, RP_WIRE_SNAP_MAX + 1, 70000), -1);

	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	close(fd);
	w = wire_pcap_open(path, 128, err, sizeof(err));
	assert_non_null(w);
	for (unsigned i = 0; i < k.caplen; i++)
		k.data[i] = (uint8_t)i;
	assert_int_equal(wire_pcap_write(w, &k, sizeof(k)), 0);
	k.ns += 1;
	assert_int_equal(wire_pcap_write(w, &k, sizeof(k)), 0);
	assert_int_equal(wire_pcap_close(w, err, sizeof(err)), 2);

	r = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	assert_non_null(r);
	assert_int_equal(pcap_datalink(r), DLT_EN10MB);
	assert_int_equal(pcap_snapshot(r), 128);
	assert_int_equal(pcap_get_tstamp_precision(r), PCAP_TSTAMP_PRECISION_NANO);
	assert_int_equal(pcap_next_ex(r, &hp, &data), 1);
	assert_int_equal(hp->caplen, 60);
	assert_int_equal(hp->len, 65226);
	assert_memory_equal(data, k.data, 60);
	h = *hp;
	assert_int_equal(pcap_next_ex(r, &hp, &data), 1);
	/* one nanosecond apart: the file keeps nanoseconds */
	assert_int_equal((hp->ts.tv_sec - h.ts.tv_sec) * 1000000000 + hp->ts.tv_usec - h.ts.tv_usec,
			 1);
	assert_int_equal(pcap_next_ex(r, &hp, &data), PCAP_ERROR_BREAK);
	pcap_close(r);
	unlink(path);

	/* a malformed record is counted and fails the close */
	w = wire_pcap_open(path, 128, err, sizeof(err));
	assert_non_null(w);
	k.caplen = 70;
	k.len = 60;
	assert_int_equal(wire_pcap_write(w, &k, sizeof(k)), -1);
	assert_int_equal(wire_pcap_close(w, err, sizeof(err)), -1);
	assert_string_equal(err, "1 malformed capture records");
	unlink(path);

	assert_null(wire_pcap_open("/nonexistent/dir/x.pcap", 128, err, sizeof(err)));
	assert_non_null(strstr(err, "--pcap /nonexistent/dir/x.pcap"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agreeing_views),
		cmocka_unit_test(test_each_view_can_differ),
		cmocka_unit_test(test_index_by_what),
		cmocka_unit_test(test_inputs_from_report),
		cmocka_unit_test(test_sum_slot),
		cmocka_unit_test(test_seq_step),
		cmocka_unit_test(test_every_field_rendered),
		cmocka_unit_test(test_pcap_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
