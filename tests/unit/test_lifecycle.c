// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The per-response lifecycle join on hand-made calls, server records and
 * packets: byte ranges, sequence wrap, retransmissions, two places,
 * reconnects, what cannot be placed, the stage percentiles. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "lifecycle.h"

#define MAXC 65536 /* calls, server records, packets (one world) */

#define SPORT 8080
#define REQ 100 /* request bytes */

/* One worker's calls, the server's records, the packets. */
struct world {
	struct rp_uevent u[MAXC];
	struct rp_event k[MAXC];
	size_t n;
	struct rp_uresp resp[MAXC];
	size_t nresp;
	struct rp_event srv[MAXC];
	size_t nsrv;
	struct rp_wire_pev pkt[MAXC];
	size_t npkt;
	uint64_t done[4]; /* responses completed per connection index */
	bool no_kernel;
	/* what join() made of them */
	struct rp_lc *r;
	size_t nr;
	struct rp_lc_summary s;
};

/* Each test gets an empty world, freed after it with what it joined. */
static int world_new(void **state)
{
	*state = calloc(1, sizeof(struct world));
	return *state ? 0 : -1;
}

static int world_free(void **state)
{
	struct world *w = *state;

	free(w->r);
	free(w);
	return 0;
}

/* A client call on connection ci (client port cport) at time t: user
 * [t, t+100], kernel [t+10, t+90], starting at stream position seq. */
static size_t ccall(struct world *w, uint16_t ci, uint16_t cport, int dir, uint32_t seq,
		    int64_t ret, uint64_t t)
{
	size_t i = w->n++;

	w->u[i] = (struct rp_uevent){.start_ns = t,
				     .end_ns = t + 100,
				     .ret = ret,
				     .len = 256,
				     .conn = ci,
				     .dir = (uint8_t)dir,
				     .seq = w->done[ci]};
	w->k[i] = (struct rp_event){.start_ns = t + 10,
				    .end_ns = t + 90,
				    .len = 256,
				    .ret = ret,
				    .dir = (uint16_t)dir,
				    .flags = w->no_kernel ? 0 : RP_EV_SEQ | RP_EV_SEGS,
				    .skbs = 1,
				    .seq = seq,
				    .lport = cport,
				    .rport = SPORT};
	return i;
}

/* A recv whose bytes end responses at the given offsets (0-terminated). */
static void crecv(struct world *w, uint16_t ci, uint16_t cport, uint32_t seq, int64_t ret,
		  uint64_t t, const uint32_t *ends)
{
	size_t i = ccall(w, ci, cport, RP_RECV, seq, ret, t);

	w->k[i].queued = 1; /* more queued: a full read is buffer-limited */

	for (; ends && *ends; ends++) {
		w->resp[w->nresp++] = (struct rp_uresp){(uint32_t)i, *ends};
		w->u[i].done++;
		w->done[ci]++;
	}
}

static void scall(struct world *w, uint16_t cport, int dir, uint32_t seq, int64_t ret, uint64_t t0,
		  uint64_t t1)
{
	w->srv[w->nsrv++] = (struct rp_event){.start_ns = t0,
					      .end_ns = t1,
					      .ret = ret,
					      .dir = (uint16_t)dir,
					      .flags = RP_EV_SEQ,
					      .skbs = 1,
					      .size_goal = 65483,
					      .seq = seq,
					      .lport = SPORT,
					      .rport = cport};
}

static void packet(struct world *w, uint16_t cport, int at, int dir, uint32_t seq, uint32_t plen,
		   uint64_t t)
{
	w->pkt[w->npkt++] = (struct rp_wire_pev){.ns = t,
						 .seq = seq,
						 .plen = plen,
						 .cport = cport,
						 .segs = 1,
						 .at = (uint8_t)at,
						 .dir = (uint8_t)dir};
}

/* A request and the server's answer on it: the client's send at t, the
 * server's read of it at t+100..t+150 and its write of bytes at
 * t+200..t+250. */
static void request(struct world *w, uint16_t cport, uint32_t cseq, uint32_t sseq, int64_t bytes,
		    uint64_t t)
{
	ccall(w, 0, cport, RP_SEND, cseq, REQ, t);
	scall(w, cport, RP_RECV, cseq, REQ, t + 100, t + 150);
	scall(w, cport, RP_SEND, sseq, bytes, t + 200, t + 250);
}

static int join(struct world *w, bool wire, bool lo)
{
	struct rp_lc_worker lw = {
		.id = 0, .u = w->u, .k = w->k, .n = w->n, .resp = w->resp, .nresp = w->nresp};
	struct rp_lc_input in = {.nworkers = 1,
				 .w = &lw,
				 .request_len = REQ,
				 .srv = w->srv,
				 .nsrv = w->nsrv,
				 .wire = wire,
				 .pkt = w->pkt,
				 .npkt = w->npkt,
				 .loopback = lo};

	return lifecycle_join(&in, &w->r, &w->nr, &w->s);
}

/* Client ISN+1 and server ISN+1 just below 2^32: offsets must wrap. */
#define CB 0xffffff80u
#define SB 0xfffffff0u

/* Two requests in one send, both read by one server recv, both responses
 * (300 bytes each) in one server write and one packet on lo, read by
 * three recv(256) calls: the classic burst shape. */
static void two_in_one(struct world *w)
{
	static const uint32_t e2[] = {44, 0}, e3[] = {88, 0};

	ccall(w, 0, 40000, RP_SEND, CB, 2 * REQ, 1000);
	scall(w, 40000, RP_RECV, CB, 2 * REQ, 1150, 1200);
	scall(w, 40000, RP_SEND, SB, 600, 1300, 1400);
	packet(w, 40000, RP_WIRE_TX, RP_WIRE_S2C, SB, 600, 1350);
	packet(w, 40000, RP_WIRE_TX, RP_WIRE_C2S, CB, 200, 1100);
	crecv(w, 0, 40000, SB, 256, 1500, NULL);
	crecv(w, 0, 40000, SB + 256, 256, 1700, e2);
	crecv(w, 0, 40000, SB + 512, 88, 1900, e3);
}

static void test_burst_lo(void **state)
{
	struct world *w = *state;
	int64_t v;

	two_in_one(w);
	assert_int_equal(join(w, true, true), 0);
	assert_int_equal(w->nr, 2);
	assert_int_equal(w->s.responses, 2);
	assert_int_equal(w->s.connections, 1);
	assert_int_equal(w->s.complete, 2);
	assert_int_equal(
		w->s.bad_write_bytes + w->s.bad_tx_bytes + w->s.bad_rx_bytes + w->s.unordered, 0);
	assert_int_equal(w->s.stray_srv + w->s.stray_pkt + w->s.no_kernel, 0);
	assert_true(lifecycle_ok(&w->s));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(w->r[i].off, 300 * i);
		assert_int_equal(w->r[i].bytes, 300);
		assert_int_equal(w->r[i].index, i);
		assert_int_equal(w->r[i].tcp_index, i);
		assert_int_equal(w->r[i].cport, 40000);
		assert_int_equal(w->r[i].req_send_ns, 1000);
		assert_int_equal(w->r[i].req_read_ns, 1200);
		assert_int_equal(w->r[i].writes, 1);
		assert_int_equal(w->r[i].write_bytes, 300);
		assert_int_equal(w->r[i].write_ns, 1300);
		assert_int_equal(w->r[i].write_end_ns, 1400);
		assert_int_equal(w->r[i].tx.packets, 1);
		assert_int_equal(w->r[i].tx.bytes, 300);
		assert_int_equal(w->r[i].tx.nsizes, 1);
		assert_int_equal(w->r[i].tx.sizes[0], 600);
		assert_int_equal(w->r[i].rx.packets, 0);
		assert_int_equal(w->r[i].recvs, 2);
		assert_int_equal(w->r[i].recv_skbs, 2);
		assert_int_equal(w->r[i].write_skbs, 1);
		assert_int_equal(w->r[i].size_goal, 65483);
		assert_true(lifecycle_ordered(&w->r[i]));
	}
	/* Response 0: recvs 1 and 2 (buffer-limited, completing). */
	assert_int_equal(w->r[0].first_copy_ns, 1590);
	assert_int_equal(w->r[0].cls[RP_EC_BUFFER], 1);
	assert_int_equal(w->r[0].cls[RP_EC_FULL], 1);
	assert_int_equal(w->r[0].last_recv_ns, 1710);
	assert_int_equal(w->r[0].complete_ns, 1800);
	/* Response 1: recvs 2 and 3 (both completing). */
	assert_int_equal(w->r[1].first_copy_ns, 1790);
	assert_int_equal(w->r[1].cls[RP_EC_FULL], 2);
	assert_int_equal(w->r[1].complete_ns, 2000);
	/* Stages: on lo the tx pass is also the arrival. */
	assert_true(lifecycle_stage(&w->r[0], RP_LCS_WRITE_WIRE, &v));
	assert_int_equal(v, 50);
	assert_true(lifecycle_stage(&w->r[0], RP_LCS_WIRE, &v));
	assert_int_equal(v, 0);
	assert_true(lifecycle_stage(&w->r[0], RP_LCS_WIRE_COPY, &v));
	assert_int_equal(v, 1590 - 1350);
	assert_true(lifecycle_stage(&w->r[1], RP_LCS_LATENCY, &v));
	assert_int_equal(v, 1000);
	/* The parts add up to the latency. */
	for (int i = 0; i < 2; i++) {
		int64_t sum = 0;

		for (int st = RP_LCS_REQUEST; st < RP_LCS_LATENCY; st++) {
			if (st == RP_LCS_TO_WIRE || st == RP_LCS_SERVER || st == RP_LCS_REQUEST ||
			    st == RP_LCS_QUEUE || st == RP_LCS_RECV) {
				assert_true(lifecycle_stage(&w->r[i], (enum rp_lc_stage)st, &v));
				sum += v;
			}
		}
		assert_true(lifecycle_stage(&w->r[i], RP_LCS_LATENCY, &v));
		assert_int_equal(sum, v);
	}
	assert_int_equal(w->s.stage[RP_LCS_LATENCY].n, 2);
	assert_int_equal(w->s.stage[RP_LCS_LATENCY].min, 800);
	assert_int_equal(w->s.stage[RP_LCS_LATENCY].max, 1000);
}

/* Without --wire: no packet stages, everything else there. */
static void test_no_wire(void **state)
{
	struct world *w = *state;
	int64_t v;

	two_in_one(w);
	assert_int_equal(join(w, false, false), 0);
	assert_int_equal(w->nr, 2);
	assert_false(w->s.wire);
	assert_int_equal(w->s.complete, 2);
	assert_int_equal(w->s.bad_tx_bytes, 0);
	assert_int_equal(w->r[0].tx.packets, 0);
	assert_false(lifecycle_stage(&w->r[0], RP_LCS_WRITE_WIRE, &v));
	assert_true(lifecycle_stage(&w->r[0], RP_LCS_WRITE_DONE, &v));
	assert_int_equal(v, 500);
	assert_int_equal(w->s.stage[RP_LCS_WRITE_WIRE].n, 0);
}

/* veth: the response leaves as two packets, the first sent twice; GRO
 * merges them at the client's ingress into one. Two server writes (head,
 * body), as aiohttp does. */
static void test_veth_retrans(void **state)
{
	struct world *w = *state;
	static const uint32_t e[] = {200, 0};

	request(w, 40001, 1, 7, 50, 1000);
	scall(w, 40001, RP_SEND, 57, 150, 1260, 1300);
	packet(w, 40001, RP_WIRE_TX, RP_WIRE_S2C, 7, 50, 1230);
	packet(w, 40001, RP_WIRE_TX, RP_WIRE_S2C, 7, 50, 1270); /* again */
	packet(w, 40001, RP_WIRE_TX, RP_WIRE_S2C, 57, 150, 1280);
	packet(w, 40001, RP_WIRE_RX, RP_WIRE_S2C, 7, 200, 1400);
	crecv(w, 0, 40001, 7, 200, 1500, e);
	assert_int_equal(join(w, true, false), 0);
	assert_int_equal(w->nr, 1);
	assert_int_equal(w->r[0].writes, 2);
	assert_int_equal(w->r[0].write_bytes, 200);
	assert_int_equal(w->r[0].write_ns, 1200);
	assert_int_equal(w->r[0].write_end_ns, 1300);
	assert_int_equal(w->r[0].tx.packets, 2);
	assert_int_equal(w->r[0].tx.retrans, 1);
	assert_int_equal(w->r[0].tx.bytes, 200);
	assert_int_equal(w->r[0].tx.first_ns, 1230);
	assert_int_equal(w->r[0].tx.last_ns, 1280);
	assert_int_equal(w->r[0].rx.packets, 1);
	assert_int_equal(w->r[0].rx.bytes, 200);
	assert_int_equal(w->r[0].rx.last_ns, 1400);
	assert_int_equal(w->s.bad_tx_bytes + w->s.bad_rx_bytes + w->s.unordered, 0);
	assert_int_equal(w->s.complete, 1);
}

/* Reordering at the client's ingress (two CPUs' backlogs): a late packet
 * fills a hole, its bytes are new; a copy of bytes already seen is a
 * retransmission. */
static void test_rx_reorder(void **state)
{
	struct world *w = *state;
	static const uint32_t e[] = {300, 0};

	request(w, 40006, 1, 11, 300, 1000);
	packet(w, 40006, RP_WIRE_TX, RP_WIRE_S2C, 11, 300, 1260);
	packet(w, 40006, RP_WIRE_RX, RP_WIRE_S2C, 211, 100, 1300); /* third first */
	packet(w, 40006, RP_WIRE_RX, RP_WIRE_S2C, 11, 100, 1310);
	packet(w, 40006, RP_WIRE_RX, RP_WIRE_S2C, 111, 100, 1320); /* the hole */
	packet(w, 40006, RP_WIRE_RX, RP_WIRE_S2C, 61, 100, 1330); /* half again */
	crecv(w, 0, 40006, 11, 300, 1500, e);
	assert_int_equal(join(w, true, false), 0);
	assert_int_equal(w->nr, 1);
	assert_int_equal(w->r[0].rx.packets, 3);
	assert_int_equal(w->r[0].rx.bytes, 300);
	assert_int_equal(w->r[0].rx.retrans, 1);
	assert_int_equal(w->r[0].rx.first_ns, 1300);
	assert_int_equal(w->r[0].rx.last_ns, 1320);
	assert_int_equal(w->s.bad_rx_bytes + w->s.unordered, 0);
}

/* A reconnect: the connection index gets a new client port and a new
 * stream; a later connection on the same port with another ISN is a
 * third one. Records naming no known stream are counted, not placed. */
static void test_reconnect_and_strays(void **state)
{
	struct world *w = *state;
	static const uint32_t e[] = {100, 0};

	request(w, 40002, 1000, 5000, 100, 1000);
	crecv(w, 0, 40002, 5000, 100, 1300, e);
	request(w, 40003, 2000, 6000, 100, 2000);
	crecv(w, 0, 40003, 6000, 100, 2300, e);
	request(w, 40002, 9000, 7000, 100, 3000); /* port used again */
	crecv(w, 0, 40002, 7000, 100, 3300, e);
	scall(w, 41000, RP_SEND, 1, 100, 3400, 3450); /* nobody's */
	scall(w, 40002, RP_SEND, 123456, 100, 3400, 3450); /* outside every stream */
	packet(w, 41000, RP_WIRE_TX, RP_WIRE_S2C, 1, 100, 3420);
	assert_int_equal(join(w, true, true), 0);
	assert_int_equal(w->nr, 3);
	assert_int_equal(w->s.connections, 3);
	assert_int_equal(w->s.stray_srv, 2);
	assert_int_equal(w->s.stray_pkt, 1);
	assert_int_equal(w->s.bad_write_bytes, 0);
	for (size_t i = 0; i < w->nr; i++) {
		assert_int_equal(w->r[i].off, 0);
		assert_int_equal(w->r[i].tcp_index, 0);
		assert_int_equal(w->r[i].index, i);
		assert_int_equal(w->r[i].writes, 1);
		assert_int_equal(w->r[i].req_read_ns, 1150 + 1000 * i);
		assert_int_equal(w->r[i].write_ns, 1200 + 1000 * i);
	}
	/* No packets joined: the packet stages are unknown, counted as bad. */
	assert_int_equal(w->s.bad_tx_bytes, 3);
	assert_false(lifecycle_ok(&w->s));
	w->s.lost = 1; /* then the checks cannot hold: not a disagreement */
	assert_true(lifecycle_ok(&w->s));
}

/* Responses whose recv has no kernel record cannot be placed. */
static void test_no_kernel(void **state)
{
	struct world *w = *state;
	static const uint32_t e[] = {100, 0};

	w->no_kernel = true;
	ccall(w, 0, 40004, RP_SEND, 1, REQ, 1000);
	crecv(w, 0, 40004, 1, 100, 1300, e);
	assert_int_equal(join(w, false, false), 0);
	assert_int_equal(w->nr, 0);
	assert_int_equal(w->s.no_kernel, 1);
}

/* Percentiles are exact nearest ranks over the responses, signed. */
static void test_percentiles(void **state)
{
	struct world *w = *state;
	uint32_t seq = 1;

	ccall(w, 0, 40005, RP_SEND, 1, 100 * REQ, 0);
	scall(w, 40005, RP_RECV, 1, 100 * REQ, 50, 60);
	/* Response i: written at 1000 + 10000 i, completed i*10 ns later
	 * than 1000 ns after that. */
	for (uint32_t i = 0; i < 100; i++) {
		static const uint32_t e[] = {10, 0};
		uint64_t t = 1000 + 10000ull * i;

		scall(w, 40005, RP_SEND, seq, 10, t, t + 5);
		crecv(w, 0, 40005, seq, 10, t + 1000 + 10 * i - 100, e);
		seq += 10;
	}
	assert_int_equal(join(w, false, false), 0);
	assert_int_equal(w->nr, 100);
	assert_int_equal(w->s.stage[RP_LCS_WRITE_DONE].n, 100);
	assert_int_equal(w->s.stage[RP_LCS_WRITE_DONE].min, 1000);
	assert_int_equal(w->s.stage[RP_LCS_WRITE_DONE].p50, 1000 + 10 * 49);
	assert_int_equal(w->s.stage[RP_LCS_WRITE_DONE].p90, 1000 + 10 * 89);
	assert_int_equal(w->s.stage[RP_LCS_WRITE_DONE].p99, 1000 + 10 * 98);
	assert_int_equal(w->s.stage[RP_LCS_WRITE_DONE].max, 1000 + 10 * 99);
}

/* Many connections, one after another on one connection index, client
 * ports used again after 60000 (a new stream each time): every record
 * still finds its own connection. Prints how long the join took (the
 * join indexes connections by port; a scan per record was quadratic). */
#define MANY 16000

static void test_many_connections(void **state)
{
	struct world *w = *state;
	static const uint32_t e[] = {100, 0};
	struct timespec t0, t1;

	for (uint32_t i = 0; i < MANY; i++) {
		uint16_t port = (uint16_t)(1024 + i % 60000);
		uint32_t cseq = 1000000u * i, sseq = 7u + 3000000u * i;
		uint64_t t = 10000ull * (i + 1);

		request(w, port, cseq, sseq, 100, t);
		packet(w, port, RP_WIRE_TX, RP_WIRE_S2C, sseq, 100, t + 300);
		crecv(w, 0, port, sseq, 100, t + 400, e);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(join(w, true, true), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("test_lifecycle: %d connections, %zu server records, %zu packets joined in "
		      "%.1f ms\n",
		      MANY, w->nsrv, w->npkt,
		      (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			      (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	assert_int_equal(w->nr, MANY);
	assert_int_equal(w->s.connections, MANY);
	assert_int_equal(w->s.stray_srv + w->s.stray_pkt + w->s.no_kernel, 0);
	assert_int_equal(w->s.complete, MANY);
	for (size_t i = 0; i < w->nr; i++) {
		assert_int_equal(w->r[i].cport, 1024 + i % 60000);
		assert_int_equal(w->r[i].writes, 1);
		assert_int_equal(w->r[i].write_ns, 10000ull * (i + 1) + 200);
		assert_int_equal(w->r[i].req_read_ns, 10000ull * (i + 1) + 150);
		assert_int_equal(w->r[i].tx.packets, 1);
	}
}

/* The line a response writes names every field, unknown ones null. */
static void test_lines(void **state)
{
	struct world *w = *state;
	size_t len = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	two_in_one(w);
	assert_int_equal(join(w, true, true), 0);
	assert_int_equal(lifecycle_write_lines(f, w->r, w->nr), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"bytes\":300,"));
	assert_non_null(strstr(buf, "\"rx\":null"));
	assert_non_null(strstr(buf, "\"sizes\":[600]"));
	assert_non_null(strstr(buf, "\"classes\":{\"completing\":1,\"buffer-limited\":1}"));
	assert_non_null(strstr(buf, "\"latency\":800"));
	assert_non_null(strstr(buf, "\"ordered\":true}\n"));
	free(buf);
}

/* The stage table, text and JSON, from the one column list: the text
 * row laid out as it always was, the JSON with every column. */
static void test_stage_rows(void **state)
{
	struct world *w = *state;
	char *buf = NULL, want[256];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_writer j;

	two_in_one(w);
	assert_int_equal(join(w, true, true), 0);
	lifecycle_print_text(f, &w->s);
	json_init(&j, f, false);
	json_begin_object(&j);
	lifecycle_write_json(&j, &w->s);
	json_end_object(&j);
	assert_int_equal(json_finish(&j), 0);
	fclose(f);
	snprintf(want, sizeof(want), "  %-27s %8s %11s %11s %11s %11s %11s\n", "stage", "n", "min",
		 "p50", "p90", "p99", "max");
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), "  %-27s %8d %11s %11s %11s %11s %11s\n", "request latency", 2,
		 "0.800 us", "0.800 us", "1.000 us", "1.000 us", "1.000 us");
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want),
		 "\"%s\":{\"n\":2,\"min\":800,\"p50\":800,\"p90\":1000,\"p99\":1000,\"max\":1000}",
		 lifecycle_stage_name(RP_LCS_LATENCY));
	assert_non_null(strstr(buf, want));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_burst_lo, world_new, world_free),
		cmocka_unit_test_setup_teardown(test_no_wire, world_new, world_free),
		cmocka_unit_test_setup_teardown(test_veth_retrans, world_new, world_free),
		cmocka_unit_test_setup_teardown(test_rx_reorder, world_new, world_free),
		cmocka_unit_test_setup_teardown(test_reconnect_and_strays, world_new, world_free),
		cmocka_unit_test_setup_teardown(test_no_kernel, world_new, world_free),
		cmocka_unit_test_setup_teardown(test_percentiles, world_new, world_free),
		cmocka_unit_test_setup_teardown(test_many_connections, world_new, world_free),
		cmocka_unit_test_setup_teardown(test_lines, world_new, world_free),
		cmocka_unit_test_setup_teardown(test_stage_rows, world_new, world_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
