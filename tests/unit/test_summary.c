// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The default text report: a verdict block of fixed length whatever the
 * worker count, one line per worker, the details only with --detail. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_verdict.h"

struct fixture {
	struct rp_config cfg;
	struct rp_report r;
	struct rp_worker_report *w;
	char *text;
	size_t len;
};

static void fill(struct rp_calls *c, uint64_t calls, uint64_t bytes, uint64_t ns)
{
	c->calls = calls;
	c->bytes = bytes;
	c->ns.n = calls;
	c->ns.mean = (double)ns;
	c->ns.min = c->ns.max = c->ns.p50 = ns;
}

/* n identical workers with kernel data, a sink that saw every byte. */
static struct fixture *make(int n)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->w = calloc((size_t)n, sizeof(*f->w));
	assert_non_null(f->w);
	config_defaults(&f->cfg);
	f->r.version = "test";
	f->r.config = &f->cfg;
	snprintf(f->r.target, sizeof(f->r.target), "127.0.0.1:1");
	f->r.backend = RP_BACKEND_TRACEPOINT;
	for (int i = 0; i < RP_NFEATURES; i++)
		f->r.features |= rp_features[i].bit;
	f->r.nworkers = n;
	f->r.workers = f->w;
	for (int i = 0; i < n; i++) {
		struct rp_worker_report *w = &f->w[i];

		w->id = i;
		w->cpu = i % 2;
		snprintf(w->sched, sizeof(w->sched), "SCHED_RR");
		w->priority = 99;
		w->requests = w->responses = 100;
		w->body_bytes = 100 * 3072;
		w->recv.calls = 315;
		w->recv.responses = 100;
		w->recv.outcome[RP_RO_COMPLETING] = 100;
		w->recv.outcome[RP_RO_FULL_BUFFER] = 211;
		w->recv.outcome[RP_RO_SHORT] = 1;
		w->recv.outcome[RP_RO_EAGAIN] = 3;
		w->has_kernel = true;
		for (int k = 0; k < 2; k++) {
			struct rp_calls *c = k ? w->kernel : w->user;

			fill(&c[RP_SEND], 100, 4100, k ? 700 : 2100);
			fill(&c[RP_RECV], 315, 319700, k ? 600 : 2000);
			c[RP_RECV].eagain = 3;
		}
		w->tcp_info.data_segs_out = w->ktcp.data_segs_out = 18;
		w->tcp_info.data_segs_in = w->ktcp.data_segs_in = 8;
		f->r.sink.bytes_in += 4100;
		f->r.sink.bytes_out += 319700;
	}
	f->r.has_sink = true;
	f->r.totals.elapsed_s = 0.5;
	report_totals(&f->r);
	return f;
}

static void render(struct fixture *f, unsigned flags)
{
	FILE *m;

	free(f->text);
	m = open_memstream(&f->text, &f->len);
	assert_non_null(m);
	assert_int_equal(report_text(m, &f->r, flags), 0);
	fclose(m);
}

static void drop(struct fixture *f)
{
	free(f->text);
	free(f->w);
	free(f);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Lines from "summary (" to the blank line that ends the block. */
static int summary_lines(const char *s)
{
	const char *p = strstr(s, "summary (");
	const char *end;

	assert_non_null(p);
	end = strstr(p, "\n\n");
	assert_non_null(end);
	return (int)(count_lines(p) - count_lines(end)) + 1;
}

static void assert_fits(const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\n");

		if (n >= 80)
			fail_msg("%zu columns: %.*s", n, (int)n, s);
		s += n + (s[n] == '\n');
	}
}

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("missing \"%s\" in:\n%s", needle, text);
}

/* 2 and 256 workers: the same summary length, one more line per worker. */
static void test_fixed_length(void **state)
{
	struct fixture *a = make(2), *b = make(256);
	int la, lb;

	(void)state;
	render(a, 0);
	render(b, 0);
	assert_fits(a->text);
	assert_fits(b->text);
	la = summary_lines(a->text);
	lb = summary_lines(b->text);
	/* wider numbers may wrap a sentence once more; workers add nothing */
	assert_true(la < 25 && lb < 25 && abs(la - lb) <= 3);
	assert_int_equal(count_lines(b->text) - count_lines(a->text), 254 + lb - la);
	assert_has(a->text, "warnings: none\n");
	assert_has(a->text, "  0   0 RR/99        100    2.10    0.70    2.00    0.60    215"
			    "        8/18   0\n");
	assert_has(b->text, "255   1 RR/99        100");
	assert_null(strstr(a->text, "worker 0  cpu"));
	assert_null(strstr(a->text, "per cpu"));
	drop(a);
	drop(b);
}

/* The verdict sums the model; the summary says what it says. */
static void test_verdict(void **state)
{
	struct fixture *f = make(3);
	struct rp_verdict v;

	(void)state;
	report_verdict(&f->r, &v);
	assert_int_equal(v.extra.a.extra, 3 * 215);
	assert_int_equal(v.extra.a.full_buffer, 3 * 211);
	assert_true(v.extra.a.closes);
	assert_int_equal(v.segs_out, 3 * 18);
	assert_int_equal(v.kernel_workers, 3);
	assert_int_equal(v.segs_differ, 0);
	assert_true(v.bytes[RP_SEND].equal && v.bytes[RP_RECV].equal);
	render(f, 0);
	assert_has(f->text, "extra recv: 645 = 945 recv calls - 300 responses (0.32 responses");
	assert_has(f->text, "full-buffer 633 (filled the 1024 B buffer,");
	assert_has(f->text, "bytes: send user 12300, kernel 12300, sink 12300, equal\n");
	drop(f);
}

/* Disagreements and losses reach the summary. */
static void test_differ_and_warnings(void **state)
{
	struct fixture *f = make(4);
	int base;

	(void)state;
	render(f, 0);
	base = summary_lines(f->text);
	f->r.sink.bytes_out -= 1;
	f->w[2].ktcp.data_segs_in = 7;
	f->w[1].crc_errors = 2;
	snprintf(f->w[3].error, sizeof(f->w[3].error), "recv: Connection reset by peer");
	f->r.partial = true;
	f->r.drops[RP_DROP_UNMATCHED] = 5;
	f->r.features &= ~RP_FEAT_RETRANSMIT;
	report_totals(&f->r);
	render(f, 0);
	assert_fits(f->text);
	assert_has(f->text, "sink 1278799, DIFFER\n");
	assert_has(f->text, "kernel DIFFER on 3/4 workers");
	assert_has(f->text, "worker 3: recv: Connection reset by peer\n");
	assert_has(f->text, "PARTIAL run");
	assert_has(f->text, "1 workers failed");
	assert_has(f->text, "kernel events lost 5");
	assert_has(f->text, "tracepoints missing");
	assert_has(f->text, "CORRUPT bodies");
	assert_true(summary_lines(f->text) <= base + 3);
	drop(f);
}

/* Huge counts stay in their columns; --detail brings the blocks back. */
static void test_wide_and_detail(void **state)
{
	struct fixture *f = make(1);

	(void)state;
	f->w[0].responses = 123456789012ULL;
	f->w[0].recv.calls = f->w[0].recv.responses + 9876543210ULL;
	f->w[0].tcp_info.data_segs_in = 123456789;
	f->w[0].tcp_info.data_segs_out = 99999;
	f->w[0].user[RP_RECV].ns.p50 = 1234567890;
	report_totals(&f->r);
	render(f, 0);
	assert_fits(f->text);
	assert_has(f->text, " 123G ");
	assert_has(f->text, " 9.88G ");
	assert_has(f->text, " 123M/99999 ");
	assert_has(f->text, " 1234568 ");
	render(f, RP_TEXT_DETAIL);
	assert_fits(f->text);
	assert_has(f->text, "worker 0  cpu 0  SCHED_RR/99");
	assert_has(f->text, "\ntotals (1 workers");
	drop(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_length),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_differ_and_warnings),
		cmocka_unit_test(test_wide_and_detail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
