// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "report_bpf.h"

struct fixture {
	struct rp_config cfg;
	struct rp_worker_report w[2];
	struct rp_cpu_report cpus[2];
	struct rp_report r;
	char *text;
	size_t len;
};

static void assert_near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.17g, want %.17g (+- %g)", got, want, tol);
}

/* A summary with n samples, half at mean - sd, half at mean + sd. */
static void set_ns(struct rp_calls *c, uint64_t n, double mean, double sd)
{
	c->ns.n = n;
	c->ns.mean = mean;
	c->ns.stddev = sd;
	c->ns.min = (uint64_t)(mean - sd);
	c->ns.max = (uint64_t)(mean + sd);
	c->ns.p50 = c->ns.p90 = c->ns.p99 = c->ns.p999 = (uint64_t)(mean + sd);
}

static void fill_calls(struct rp_calls *c, uint64_t calls, uint64_t bytes, double mean)
{
	c->calls = calls;
	c->bytes = bytes;
	set_ns(c, calls, mean, mean / 10);
	c->log2[(int)log2(mean)] = calls;
}

/* Worker 0: user + kernel; worker 1: user only (its kernel side absent). */
static struct fixture *make_fixture(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct rp_worker_report *w;
	struct rp_stats *s = malloc(sizeof(*s));

	assert_non_null(f);
	assert_non_null(s);
	config_defaults(&f->cfg);
	f->cfg.workers = 2;
	f->r.version = "0.1-test";
	f->r.config = &f->cfg;
	snprintf(f->r.target, sizeof(f->r.target), "127.0.0.1:40123");
	f->r.backend = RP_BACKEND_TRACEPOINT;
	f->r.features = RP_FEAT_SENDMSG_LOCKED | RP_FEAT_SKB_COPY | RP_FEAT_RETRANSMIT |
			RP_FEAT_SOCK_STATE | RP_FEAT_SCHED;
	f->r.nworkers = 2;
	f->r.workers = f->w;
	for (int i = 0; i < 2; i++) {
		w = &f->w[i];
		w->id = i;
		w->cpu = 1 - i;
		snprintf(w->sched, sizeof(w->sched), "SCHED_RR");
		w->priority = 99;
		w->requests = 512;
		w->responses = i ? 256 : 512;
		w->body_bytes = w->responses * 3072;
		w->user[RP_SEND].calls = 512;
		w->user[RP_SEND].bytes = 512 * 18;
		w->user[RP_RECV].eagain = 300;
		w->user[RP_RECV].short_calls = 700;
		w->tcp_info.data_segs_out = 512;
		w->tcp_info.data_segs_in = 1024;
	}
	/* worker 0's user send times come from real stats: 1000 ns and 3000 ns */
	stats_init(s);
	for (int i = 0; i < 256; i++) {
		stats_record(s, 1000);
		stats_record(s, 3000);
	}
	calls_from_stats(&f->w[0].user[RP_SEND], s, 0);
	free(s);
	fill_calls(&f->w[0].user[RP_RECV], 1712, 512 * 3226, 4000);
	/* 1712 calls: 300 EAGAIN; 1412 with data: 500 completed responses
	 * (12 completed two each), 800 filled the buffer, 112 returned short */
	f->w[0].recv = (struct rp_recv_tally){.calls = 1712,
					      .responses = 512,
					      .outcome = {[RP_RO_COMPLETING] = 500,
							  [RP_RO_FULL_BUFFER] = 800,
							  [RP_RO_SHORT] = 112,
							  [RP_RO_EAGAIN] = 300},
					      .multi_calls = 12};
	w = &f->w[0];
	w->has_kernel = true;
	fill_calls(&w->kernel[RP_SEND], 512, 512 * 18, 1500);
	w->kernel[RP_SEND].skbs = 512;
	w->kernel[RP_SEND].data_segs = 512;
	w->kernel[RP_SEND].skb_hist[1] = 512;
	fill_calls(&w->kernel[RP_RECV], 1712, 512 * 3226, 1000);
	w->kernel[RP_RECV].eagain = 300;
	w->kernel[RP_RECV].skbs = 2400;
	w->kernel[RP_RECV].data_segs = 1024;
	w->kernel[RP_RECV].short_empty = 500;
	w->kernel[RP_RECV].full_queued = 400;
	w->kernel[RP_RECV].short_queued = 12;
	w->kernel[RP_RECV].skb_hist[1] = 1000;
	w->kernel[RP_RECV].skb_hist[15] = 3;
	w->ktcp.sockets = 1;
	w->ktcp.data_segs_out = 512;
	w->ktcp.data_segs_in = 1024;
	w->ktcp.snd_cwnd = 10;
	w->ktcp.srtt_us = 12;
	w->ktcp.mss = 32768;
	fill_calls(&f->w[1].user[RP_SEND], 512, 0, 3000);
	f->w[1].user[RP_SEND].bytes = 512 * 18;
	fill_calls(&f->w[1].user[RP_RECV], 1000, 256 * 3226, 2000);
	f->w[1].recv = (struct rp_recv_tally){.calls = 1000,
					      .responses = 256,
					      .outcome = {[RP_RO_COMPLETING] = 256,
							  [RP_RO_FULL_BUFFER] = 400,
							  [RP_RO_SHORT] = 44,
							  [RP_RO_EAGAIN] = 300}};
	for (int c = 0; c < 2; c++) {
		f->cpus[c].cpu = c;
		f->cpus[c].calls[RP_SEND] = c ? 512 : 0;
		f->cpus[c].calls[RP_RECV] = c ? 1712 : 0;
		f->cpus[c].ns_sum[RP_SEND] = c ? 512 * 1500 : 0;
		f->cpus[c].ns_sum[RP_RECV] = c ? 1712 * 1000 : 0;
	}
	f->r.ncpus = 2;
	f->r.cpus = f->cpus;
	f->r.has_sink = true;
	f->r.sink.requests = 768;
	f->r.sink.responses = 768;
	f->r.sink.bytes_in = 1024 * 18;
	f->r.sink.bytes_out = 768 * 3226;
	f->r.sink.connections = 2;
	f->r.totals.elapsed_s = 2.0;
	report_totals(&f->r);
	return f;
}

static void free_fixture(struct fixture *f)
{
	free(f->text);
	free(f);
}

static void render_text(struct fixture *f, unsigned flags)
{
	FILE *m = open_memstream(&f->text, &f->len);

	assert_non_null(m);
	assert_int_equal(report_text(m, &f->r, flags), 0);
	fclose(m);
}

static void assert_lines_fit(const char *text)
{
	int lineno = 1;

	while (*text) {
		size_t n = strcspn(text, "\n");

		if (n >= 80)
			fail_msg("line %d has %zu columns: %.*s", lineno, n, (int)n, text);
		if (memchr(text, '\t', n))
			fail_msg("line %d has a tab", lineno);
		text += n + (text[n] == '\n');
		lineno++;
	}
}

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("missing \"%s\" in:\n%s", needle, text);
}

static void test_totals(void **state)
{
	struct fixture *f = make_fixture();
	const struct rp_totals *t = &f->r.totals;

	(void)state;
	assert_int_equal(t->requests, 1024);
	assert_int_equal(t->responses, 768);
	assert_near(t->rps, 384.0, 1e-9);
	/* send: worker 0 has 512 samples at 1000/3000 (mean 2000, sd 1000),
	 * worker 1 512 samples mean 3000 sd 300; together mean 2500 and
	 * var = (1000^2 + 300^2) / 2 + 500^2 */
	assert_int_equal(t->user[RP_SEND].calls, 1024);
	assert_int_equal(t->user[RP_SEND].ns.n, 1024);
	assert_near(t->user[RP_SEND].ns.mean, 2500, 1e-9);
	assert_near(t->user[RP_SEND].ns.stddev, sqrt((1e6 + 9e4) / 2 + 25e4), 1e-9);
	assert_int_equal(t->user[RP_SEND].ns.min, 1000);
	assert_int_equal(t->user[RP_SEND].ns.max, 3300);
	assert_int_equal(t->user[RP_SEND].ns.p50, 0);
	assert_int_equal(t->user[RP_SEND].log2[9], 256); /* 1000 */
	assert_int_equal(t->user[RP_SEND].log2[11], 768); /* 3000 (x 256 + 512) */
	/* the seed's rates: 1 / mean per worker, summed */
	assert_near(t->seed_send_rate, 1e9 / 2000 + 1e9 / 3000, 1e-6);
	assert_near(t->seed_recv_rate, 1e9 / 4000 + 1e9 / 2000, 1e-6);
	/* kernel: worker 0 only */
	assert_true(t->has_kernel);
	assert_int_equal(t->kernel[RP_RECV].calls, 1712);
	assert_int_equal(t->kernel[RP_RECV].full_queued, 400);
	assert_int_equal(t->kernel[RP_RECV].skb_hist[15], 3);
	assert_near(t->kernel[RP_SEND].ns.mean, 1500, 1e-9);
	/* elapsed 0: no rate, no NaN */
	f->r.totals.elapsed_s = 0;
	report_totals(&f->r);
	assert_true(f->r.totals.rps == 0);
	free_fixture(f);
}

static void test_totals_empty(void **state)
{
	struct rp_report r = {0};

	(void)state;
	report_totals(&r);
	assert_true(r.totals.rps == 0 && r.totals.seed_send_rate == 0);
	assert_true(r.totals.user[RP_SEND].ns.mean == 0);
	assert_false(r.totals.has_kernel);
}

/* The byte checks behind "equal" / "DIFFER" and exit 3: user bytes of the
 * traced workers against the kernel's, all user bytes against the sink's. */
static void test_bytes_verdict(void **state)
{
	struct fixture *f = make_fixture();
	struct rp_report *r = &f->r;
	int d;

	(void)state;
	for (d = 0; d < RP_NDIR; d++) {
		uint64_t traced = r->workers[0].user[d].bytes, all = r->totals.user[d].bytes;

		r->totals.kernel[d].bytes = traced;
		if (d == RP_SEND)
			r->sink.bytes_in = all;
		else
			r->sink.bytes_out = all;
		assert_int_equal(report_bytes_verdict(r, d), 0);
	}
	r->sink.bytes_in++; /* a foreign client's request reached the sink */
	assert_int_equal(report_bytes_verdict(r, RP_SEND), 1);
	assert_int_equal(report_bytes_verdict(r, RP_RECV), 0);
	r->sink.bytes_in--;
	r->totals.kernel[RP_RECV].bytes--;
	assert_int_equal(report_bytes_verdict(r, RP_RECV), 1);
	r->has_sink = false;
	r->totals.has_kernel = false;
	assert_int_equal(report_bytes_verdict(r, RP_RECV), -1); /* nothing to compare */
	free_fixture(f);
}

static void test_extra_recv(void **state)
{
	struct fixture *f = make_fixture();
	struct rp_extra_recv x;

	(void)state;
	report_extra_recv(&f->w[0], &x);
	assert_int_equal(x.a.extra, 1200);
	assert_int_equal(x.a.eagain, 300);
	assert_int_equal(x.a.failed, 0);
	assert_int_equal(x.a.full_buffer, 800);
	assert_int_equal(x.a.short_reads, 112);
	assert_int_equal(x.a.surplus, 12);
	assert_int_equal(x.a.multi_calls, 12);
	assert_true(x.a.closes);
	assert_true(x.has_kernel);
	assert_int_equal(x.k_full_queued, 400);
	assert_int_equal(x.k_short_empty, 500);
	/* 12 calls failed instead of completing: still closes */
	f->w[0].recv.outcome[RP_RO_FAILED] = 12;
	f->w[0].recv.outcome[RP_RO_COMPLETING] = 488;
	report_extra_recv(&f->w[0], &x);
	assert_int_equal(x.a.failed, 12);
	assert_int_equal(x.a.surplus, 24);
	assert_true(x.a.closes);
	/* counters that do not sum to the calls are said, never clamped */
	f->w[0].recv.outcome[RP_RO_FAILED] = 13;
	report_extra_recv(&f->w[0], &x);
	assert_false(x.a.closes);
	report_extra_recv(&f->w[1], &x);
	assert_false(x.has_kernel);
	free_fixture(f);
}

static void test_text_full(void **state)
{
	struct fixture *f = make_fixture();

	(void)state;
	render_text(f, RP_TEXT_HIST | RP_TEXT_VERBOSE | RP_TEXT_DETAIL);
	assert_lines_fit(f->text);
	assert_has(f->text, "reqperf 0.1-test: 2 workers x 512 requests, burst, recv 1024 B");
	assert_has(f->text, "backend: tracepoint (kernel time = syscall entry");
	assert_has(f->text, "worker 0  cpu 1  SCHED_RR/99  512/512 responses  crc ok");
	assert_has(f->text, "worker 1  cpu 0  SCHED_RR/99  256/512 responses");
	assert_has(f->text,
		   " mean             2.000 us     1.500 us       4.000 us     1.000 us\n");
	assert_has(f->text,
		   " skbs/call                         1.00                        1.40\n");
	assert_has(f->text,
		   " recv       1712 calls for 512 responses, 0.30 responses per call,\n"
		   "            12 calls completed 2 or more\n"
		   " extra recv 1200 = full-buffer 800 + short 112 + eagain 300\n"
		   "            + (-12 surplus responses)\n"
		   " evidence   kernel, all data recvs: short+empty 500, full+queued 400\n");
	assert_has(f->text, "kernel out 512 in 1024, tcp_info out 512 in 1024: match");
	assert_has(f->text, "cwnd 10, srtt 12 us");
	assert_has(f->text, "no traced calls for this worker");
	assert_has(f->text, "in total: req. p/s: 833333.33, recv. p/s: 750000.00, "
			    "send/recv ratio: 1.11:1");
	assert_has(f->text, "768/1024 in 2.000 s, 384.0 responses/s (wall)");
	assert_has(f->text, "send bytes: user 18432 (9216 traced), kernel 9216, sink 18432: equal");
	assert_has(f->text, "sink: requests 768, responses 768, connections 2, bytes in 18432");
	assert_has(f->text,
		   "cpu 1                     512     1.500 us         1712     1.000 us\n");
	assert_has(f->text, " send, kernel time:");
	assert_has(f->text, " send, user time:\n     ns            : count      distribution\n"
			    "    512 -> 1023    : 256        |******************************|\n"
			    "   1024 -> 2047    : 0          |                              |\n"
			    "   2048 -> 4095    : 256        |******************************|\n");
	assert_has(f->text, " skbs/recv  1: 1000, >=15: 3");
	assert_true(strstr(f->text, "PARTIAL") == NULL);
	assert_true(strstr(f->text, "missing tracepoints") == NULL);
	free_fixture(f);
}

static void test_text_backend_off(void **state)
{
	struct fixture *f = make_fixture();

	(void)state;
	f->r.backend = RP_BACKEND_OFF;
	f->r.features = 0;
	f->cfg.probe = RP_PROBE_OFF;
	f->w[0].has_kernel = false;
	f->r.ncpus = 0;
	f->r.has_sink = false;
	report_totals(&f->r);
	render_text(f, RP_TEXT_DETAIL);
	assert_lines_fit(f->text);
	assert_has(f->text, "backend: off, no kernel figures (--probe off)");
	assert_has(f->text, " user                 send         recv\n calls                 512   "
			    "      1712\n");
	assert_true(strstr(f->text, "kernel\n") == NULL);
	assert_true(strstr(f->text, "skbs/call") == NULL);
	assert_true(strstr(f->text, "missing tracepoints") == NULL);
	assert_has(f->text, " extra recv 1200 = full-buffer 800 + short 112 + eagain 300\n"
			    "            + (-12 surplus responses)\n");
	assert_false(strstr(f->text, " evidence "));
	assert_has(f->text, "send bytes: user 18432\n");
	free_fixture(f);
}

static void test_text_missing_features(void **state)
{
	struct fixture *f = make_fixture();

	(void)state;
	f->r.features &= ~(RP_FEAT_RETRANSMIT | RP_FEAT_SKB_COPY);
	render_text(f, RP_TEXT_DETAIL);
	assert_lines_fit(f->text);
	assert_has(f->text,
		   "missing tracepoints: skb/skb_copy_datagram_iovec (skbs per recv: n/a)");
	assert_has(f->text, "tcp/tcp_retransmit_skb (retransmits: n/a)");
	assert_has(f->text,
		   " skbs/call                         1.00                         n/a\n");
	assert_has(f->text, "retrans n/a,");
	assert_has(f->text, "cwnd 10, srtt 12 us");
	free_fixture(f);
}

/* Without --sched-view the scheduler view is not missing, only off; the
 * --bpf-stats block: the total per response, then each program that ran,
 * largest run time first. */
static void test_text_sched_off_bpf_costs(void **state)
{
	struct fixture *f = make_fixture();
	struct rp_bpf_costs c = {.n = 3,
				 .progs = {{"rp_tp_send", 768, 92160, 300, 1800},
					   {"rp_sys_enter", 1536, 153600, 200, 1200},
					   {"rp_retrans", 0, 0, 20, 90}}};

	(void)state;
	f->r.features &= ~(unsigned)RP_FEAT_SCHED;
	f->r.bpf = &c;
	assert_int_equal(f->r.totals.responses, 768);
	assert_near(report_bpf_ns_per_response(&c, 768), 320.0, 1e-9);
	assert_near(report_bpf_ns_per_response(&c, 0), 0.0, 0);
	render_text(f, 0);
	assert_lines_fit(f->text);
	assert_true(strstr(f->text, "missing tracepoints") == NULL);
	assert_has(f->text, "bpf cost: 320 ns per response");
	assert_has(f->text,
		   "  rp_sys_enter           2.00 runs x   100 ns =    200 ns  (200 insns)\n"
		   "  rp_tp_send             1.00 runs x   120 ns =    120 ns  (300 insns)\n");
	assert_true(strstr(f->text, "rp_retrans") == NULL);
	f->cfg.sched_view = true;
	free(f->text);
	render_text(f, 0);
	assert_has(f->text, "missing tracepoints: sched/sched_switch (4 args)");
	free_fixture(f);
}

static void test_text_partial_and_long(void **state)
{
	struct fixture *f = make_fixture();

	(void)state;
	f->r.partial = true;
	snprintf(f->w[1].error, sizeof(f->w[1].error),
		 "recv: connection reset by peer after 256 responses; the sink closed "
		 "it with 256 requests outstanding, %s",
		 "and this sentence makes it wrap twice");
	memset(f->r.target, 'x', sizeof(f->r.target) - 1);
	f->r.target[sizeof(f->r.target) - 1] = '\0';
	f->w[0].user[RP_RECV].bytes = 123456789012345678ULL;
	f->r.drops[RP_DROP_UNMATCHED] = 7;
	report_totals(&f->r);
	render_text(f, RP_TEXT_HIST | RP_TEXT_DETAIL);
	assert_lines_fit(f->text);
	assert_has(f->text, "*** PARTIAL REPORT: a worker failed or the run was interrupted ***");
	assert_has(f->text, "worker 1: recv: connection reset by peer");
	assert_has(f->text,
		   "\n          it with 256 requests outstanding, and this sentence makes it wrap\n"
		   "          twice\n");
	assert_has(f->text, "target xxxxxxxx");
	assert_has(f->text, "kernel events lost: inflight_full 0, sock_full 0, unmatched 7");
	assert_has(f->text,
		   " bytes                9216         9216      1.235e+17      1651712\n");
	free_fixture(f);
}

/* A worker that never got to run: dashes, no NaN, nothing truncated. */
static void test_text_idle_worker(void **state)
{
	struct fixture *f = make_fixture();
	struct rp_worker_report *w = &f->w[1];

	(void)state;
	memset(w, 0, sizeof(*w));
	w->id = 1;
	w->has_kernel = true;
	report_totals(&f->r);
	render_text(f, RP_TEXT_HIST | RP_TEXT_DETAIL);
	assert_lines_fit(f->text);
	assert_has(f->text, " segments   kernel out 0 in 0, tcp_info out 0 in 0: match,\n"
			    "            retrans (tcp_info) 0\n");
	assert_has(f->text,
		   " skbs/call                            -                           -\n");
	assert_has(f->text, " send, user time: no samples\n");
	if (strstr(f->text, "nan") || strstr(f->text, "..."))
		fail_msg("%s", f->text);
	free_fixture(f);
}

/* Runs python3 with the given assertions on the JSON file at path; the
 * document is in d. Returns 0 when they hold. */
static int python_check(const char *path, const char *asserts, bool quiet)
{
	char script[] = "/tmp/reqperf-check-XXXXXX";
	char cmd[256];
	int fd = mkstemp(script);
	FILE *f = fdopen(fd, "w");
	int rc;

	assert_true(fd >= 0);
	assert_non_null(f);
	fprintf(f, "import json, sys\nd = json.load(open(sys.argv[1]))\n%s", asserts);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "timeout 30 python3 %s %s%s", script, path,
		 quiet ? " 2>/dev/null" : "");
	rc = system(cmd);
	unlink(script);
	return rc;
}

static void write_json(struct fixture *f, char *path)
{
	int fd = mkstemp(path);
	FILE *out = fdopen(fd, "w");

	assert_true(fd >= 0);
	assert_non_null(out);
	assert_int_equal(report_json(out, &f->r), 0);
	assert_int_equal(fclose(out), 0);
}

static void test_json(void **state)
{
	struct fixture *f = make_fixture();
	char path[] = "/tmp/reqperf-test-XXXXXX";

	(void)state;
	snprintf(f->w[1].error, sizeof(f->w[1].error), "bad \"quote\"\n\x01 ok");
	f->r.partial = true;
	write_json(f, path);
	assert_int_equal(
		python_check(
			path,
			"assert d['tool'] == 'reqperf' and d['version'] == '0.1-test'\n"
			"c = d['config']\n"
			"assert c == {**c, 'target': '127.0.0.1:40123', 'workers': 2,"
			" 'requests': 512, 'mode': 'burst', 'recv_size': 1024,"
			" 'affinity': True, 'sched': 'rr', 'probe': 'auto'}, c\n"
			"assert d['backend'] == 'tracepoint' and d['partial'] is True\n"
			"w0, w1 = d['workers']\n"
			"assert w0['user']['send']['calls'] == 512\n"
			"assert w0['user']['send']['ns']['p50'] == 1004\n"
			"assert w0['user']['send']['ns']['p99'] == 2992\n"
			"assert w0['user']['send']['ns']['stddev'] == 1000.0\n"
			"assert w0['kernel']['recv']['skbs'] == 2400\n"
			"assert w0['kernel']['send']['data_segs'] == 512\n"
			"assert w0['kernel']['recv']['skb_hist'][15] == 3\n"
			"assert w0['ktcp']['snd_cwnd'] == 10\n"
			"x = w0['extra_recv']\n"
			"assert x == {**x, 'total': 1200, 'recv_calls': 1712, 'responses': 512,"
			" 'completing': 500, 'full_buffer': 800, 'short': 112, 'eagain': 300,"
			" 'failed': 0, 'multi_response_calls': 12, 'surplus_responses': 12,"
			" 'closes': True, 'kernel_short_empty': 500, 'kernel_full_queued': 400}, "
			"x\n"
			"assert abs(x['responses_per_recv_call'] - 512 / 1712) < 1e-9\n"
			"assert w0['extra_recv_calls'] == 1200\n"
			"assert w0['tcp_info']['data_segs_in'] == 1024\n"
			"assert w0['error'] is None and w0['sched'] == 'SCHED_RR'\n"
			"assert 'kernel' not in w1 and 'ktcp' not in w1\n"
			"assert w1['error'] == 'bad \"quote\"\\n\\x01 ok'\n"
			"assert w1['extra_recv']['short'] == 44\n"
			"assert w1['extra_recv']['kernel_short_empty'] is None\n"
			"t = d['totals']\n"
			"assert t['rps'] == 384.0 and t['elapsed_s'] == 2.0\n"
			"assert abs(t['seed_send_rate'] - 833333.3333333) < 1e-3\n"
			"assert t['per_call_send_rate'] == t['seed_send_rate']\n"
			"assert t['per_call_recv_rate'] == t['seed_recv_rate']\n"
			"assert d['drops']['bad_slot'] == d['drops']['other']\n"
			"assert t['responses'] == 768 and t['crc_errors'] == 0\n"
			"assert t['kernel']['recv']['calls'] == 1712\n"
			"assert d['sink']['bytes_in'] == 18432\n"
			"assert 'tcp_probe' not in d['features']\n"
			"assert d['cpus'][1]['send']['mean_ns'] == 1500.0\n"
			"assert d['drops']['unmatched'] == 0\n",
			false),
		0);
	/* the check itself can fail */
	assert_int_not_equal(python_check(path, "assert d['totals']['rps'] == 1.0\n", true), 0);
	unlink(path);
	free_fixture(f);
}

static void test_json_no_kernel_no_sink(void **state)
{
	struct fixture *f = make_fixture();
	char path[] = "/tmp/reqperf-test-XXXXXX";

	(void)state;
	f->r.backend = RP_BACKEND_OFF;
	f->r.features = RP_FEAT_SENDMSG_LOCKED;
	f->w[0].has_kernel = false;
	f->r.has_sink = false;
	f->r.config = NULL;
	f->w[0].user[RP_SEND].ns.mean = NAN;
	report_totals(&f->r);
	write_json(f, path);
	assert_int_equal(
		python_check(path,
			     "assert d['backend'] == 'off' and 'sink' not in d\n"
			     "assert all('kernel' not in w for w in d['workers'])\n"
			     "assert 'kernel' not in d['totals']\n"
			     "assert d['workers'][0]['user']['send']['ns']['mean'] is None\n"
			     "assert d['config']['target'] == '127.0.0.1:40123'\n"
			     "assert d['features']['skb_copy'] is False\n",
			     false),
		0);
	unlink(path);
	free_fixture(f);
}

/* Splits one CSV line into fields (RFC 4180 quotes); returns the count. */
static int csv_fields(const char *line, size_t len, char fields[][64], int max)
{
	int n = 0, k = 0;
	bool quoted = false;

	for (size_t i = 0; i <= len && n < max; i++) {
		char ch = i < len ? line[i] : ',';

		if (quoted && ch == '"' && i + 1 < len && line[i + 1] == '"') {
			fields[n][k < 63 ? k++ : k] = '"';
			i++;
		} else if (ch == '"') {
			quoted = !quoted;
		} else if (ch == ',' && !quoted) {
			fields[n++][k] = '\0';
			k = 0;
		} else if (k < 63) {
			fields[n][k++] = ch;
		}
	}
	return n;
}

static int column(char fields[][64], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(fields[i], name))
			return i;
	fail_msg("no column %s", name);
	return -1;
}

static void test_csv(void **state)
{
	static char head[200][64], row[200][64];
	struct fixture *f = make_fixture();
	const char *p, *line[3];
	size_t len[3];
	int nh, calls, kcalls, err;
	FILE *m;

	(void)state;
	snprintf(f->w[1].error, sizeof(f->w[1].error), "a, \"b\"");
	m = open_memstream(&f->text, &f->len);
	assert_int_equal(report_csv(m, &f->r), 0);
	fclose(m);
	p = f->text;
	for (int i = 0; i < 3; i++) {
		line[i] = p;
		len[i] = strcspn(p, "\n");
		assert_int_equal(p[len[i]], '\n');
		p += len[i] + 1;
	}
	assert_int_equal(*p, '\0');
	nh = csv_fields(line[0], len[0], head, 200);
	assert_true(nh > 60);
	calls = column(head, nh, "user_send_calls");
	kcalls = column(head, nh, "kernel_recv_calls");
	err = column(head, nh, "error");
	assert_int_equal(csv_fields(line[1], len[1], row, 200), nh);
	assert_string_equal(row[calls], "512");
	assert_string_equal(row[kcalls], "1712");
	assert_string_equal(row[column(head, nh, "user_send_ns_mean")], "2000");
	assert_int_equal(csv_fields(line[2], len[2], row, 200), nh);
	assert_string_equal(row[kcalls], "");
	assert_string_equal(row[err], "a, \"b\"");
	free_fixture(f);
}

static void fill_lat(struct rp_lat_report *l, uint64_t scale)
{
	l->on = true;
	l->rate = true;
	l->lat.n = l->sent.n = 4500;
	for (int i = 0; i < RP_LAT_NPCT; i++) {
		l->lat.p[i] = (uint64_t)(i + 1) * 123456789 * scale;
		l->sent.p[i] = (uint64_t)(i + 1) * 1234 * scale;
	}
	l->lat.max = 987654321098ull;
	l->sent.max = 2000000000;
	l->late = 7;
	l->unsent = 12345678;
	l->lag_max_ns = 1500000;
}

/* --rate: corrected and uncorrected rows, the schedule, under 80 columns
 * even with values in seconds and large counts. */
static void test_latency_rate(void **state)
{
	struct fixture *f = make_fixture();
	char *json = NULL;
	size_t len = 0;
	FILE *m;

	(void)state;
	f->cfg.rate = 123456789;
	f->cfg.mode = RP_MODE_PINGPONG;
	fill_lat(&f->w[0].lat, 1);
	fill_lat(&f->w[1].lat, 2);
	fill_lat(&f->r.lat, 1);
	render_text(f, 0);
	assert_null(strstr(f->text, "  w1 corr   ")); /* per worker: --detail */
	free(f->text);
	f->text = NULL;
	render_text(f, RP_TEXT_DETAIL);
	assert_lines_fit(f->text);
	assert_has(f->text, "  w1 corr   ");
	assert_has(f->text, "  all uncorr");
	assert_has(f->text, "12345678 slots never sent");
	assert_has(f->text, "schedule NOT kept");
	m = open_memstream(&json, &len);
	assert_non_null(m);
	assert_int_equal(report_json(m, &f->r), 0);
	fclose(m);
	assert_has(json, "\"uncorrected\": {");
	assert_has(json, "\"p9999\": 617283945");
	assert_has(json, "\"kept\": false");
	free(json);
	free_fixture(f);
}

/* Every drop counter has its own name (bad_slot used to show as "other");
 * test_schema proves each has a line in rp_drops_family with a meaning. */
static void test_drop_names(void **state)
{
	(void)state;
	for (int i = 0; i < RP_NDROPS; i++) {
		assert_string_not_equal(drop_name(i), "other");
		for (int k = 0; k < i; k++)
			assert_string_not_equal(drop_name(i), drop_name(k));
	}
	assert_string_equal(drop_name(RP_DROP_BAD_SLOT), "bad_slot");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_totals_empty),
		cmocka_unit_test(test_extra_recv),
		cmocka_unit_test(test_bytes_verdict),
		cmocka_unit_test(test_text_full),
		cmocka_unit_test(test_text_backend_off),
		cmocka_unit_test(test_text_missing_features),
		cmocka_unit_test(test_text_sched_off_bpf_costs),
		cmocka_unit_test(test_text_partial_and_long),
		cmocka_unit_test(test_text_idle_worker),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_no_kernel_no_sink),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_latency_rate),
		cmocka_unit_test(test_drop_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
