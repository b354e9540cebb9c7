// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --compare statistics, round order and rendering; scheduler folding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "btf_args.h"
#include "compare_stats.h"
#include "report_compare.h"
#include "tracer_sched.h"

static void assert_near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.17g, want %.17g (+- %g)", got, want, tol);
}

static void test_median(void **state)
{
	const double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2}, gaps[] = {NAN, 7, NAN, 9};

	(void)state;
	assert_near(cstats_median(odd, 3), 3, 0);
	assert_near(cstats_median(even, 4), 2.5, 0);
	assert_near(cstats_median(gaps, 4), 8, 0);
	assert_true(isnan(cstats_median(gaps, 1)));
	assert_true(isnan(cstats_median(NULL, 0)));
}

static void test_range(void **state)
{
	const double v[] = {NAN, 4, -2, 9, NAN};
	double lo, hi;

	(void)state;
	assert_int_equal(cstats_range(v, 5, &lo, &hi), 3);
	assert_near(lo, -2, 0);
	assert_near(hi, 9, 0);
	assert_int_equal(cstats_range(v, 1, &lo, &hi), 0);
	assert_true(isnan(lo) && isnan(hi));
}

/* Known exact values: fully apart samples of m and n give 2 / C(m+n, m). */
static void test_mann_whitney_known(void **state)
{
	const double a5[] = {1, 2, 3, 4, 5}, b5[] = {6, 7, 8, 9, 10};
	const double a3[] = {1, 2, 3}, b3[] = {4, 5, 6};
	const double same[] = {1, 1, 1};

	(void)state;
	assert_near(cstats_mann_whitney_p(a5, 5, b5, 5), 2.0 / 252, 1e-12);
	assert_near(cstats_mann_whitney_p(b5, 5, a5, 5), 2.0 / 252, 1e-12);
	assert_near(cstats_mann_whitney_p(a3, 3, b3, 3), 0.1, 1e-12);
	assert_near(cstats_mann_whitney_p(a3, 2, b3, 2), 2.0 / 6, 1e-12);
	assert_near(cstats_mann_whitney_p(same, 3, same, 3), 1, 0);
	assert_near(cstats_mann_whitney_p(a3, 3, NULL, 0), 1, 0);
}

/* Every split of 1..7 into 4 and 3 values: the exact p from counting. */
static void test_mann_whitney_enumerated(void **state)
{
	int count[13] = {0}, total = 0;

	(void)state;
	for (int mask = 0; mask < 128; mask++) {
		int u = 0;

		if (__builtin_popcount(mask) != 4)
			continue;
		for (int i = 0; i < 7; i++)
			for (int j = 0; j < 7; j++)
				u += (mask >> i & 1) && !(mask >> j & 1) && i > j;
		count[u]++;
		total++;
	}
	assert_int_equal(total, 35);
	for (int mask = 0; mask < 128; mask++) {
		double a[4], b[3], tail = 0;
		int na = 0, nb = 0, u = 0, lo;

		if (__builtin_popcount(mask) != 4)
			continue;
		for (int i = 0; i < 7; i++) {
			if (mask >> i & 1)
				a[na++] = i;
			else
				b[nb++] = i;
		}
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 3; j++)
				u += a[i] > b[j];
		lo = u < 12 - u ? u : 12 - u;
		for (int k = 0; k <= lo; k++)
			tail += count[k];
		assert_near(cstats_mann_whitney_p(a, 4, b, 3), fmin(1, 2 * tail / total), 1e-12);
	}
}

static void test_compare_rule(void **state)
{
	const double base[] = {10, 11, 12, 10.5, 11.5}, apart[] = {20, 21, 22, 20.5, 21.5};
	const double overlap[] = {11.9, 13, 14, 15, 16}, zero[] = {0, 0, 0, 0, 0};
	struct cstats_cmp c;

	(void)state;
	cstats_compare(apart, 5, base, 5, &c);
	assert_true(c.significant);
	assert_near(c.ratio, 21.0 / 11, 1e-12);
	assert_near(c.lo, 20, 0);
	assert_near(c.hi, 22, 0);
	assert_int_equal(c.n, 5);
	/* one round inside the baseline's spread: not significant */
	cstats_compare(overlap, 5, base, 5, &c);
	assert_false(c.significant);
	/* apart, but three rounds each cannot reach p < 0.05 */
	cstats_compare(apart, 3, base, 3, &c);
	assert_false(c.significant);
	assert_near(c.p, 0.1, 1e-12);
	/* the baseline against itself */
	cstats_compare(base, 5, base, 5, &c);
	assert_false(c.significant);
	assert_near(c.ratio, 1, 0);
	/* a zero baseline has no ratio */
	cstats_compare(apart, 5, zero, 5, &c);
	assert_true(isnan(c.ratio));
	assert_true(c.significant);
}

static void test_settings_and_order(void **state)
{
	struct rp_cmp_setting s[RP_CMP_MAX_SETTINGS];
	int seen[4][4] = {{0}};

	(void)state;
	assert_int_equal(compare_settings(RP_COMPARE_AFFINITY, true, RP_SCHED_RR, s), 2);
	assert_string_equal(s[0].name, "on");
	assert_true(s[0].affinity && !s[1].affinity);
	assert_int_equal(s[1].sched, RP_SCHED_RR);
	assert_int_equal(compare_settings(RP_COMPARE_SCHED, false, RP_SCHED_FIFO, s), 2);
	assert_string_equal(s[0].name, "other");
	assert_string_equal(s[1].name, "fifo");
	assert_false(s[0].affinity || s[1].affinity);
	assert_int_equal(compare_settings(RP_COMPARE_BOTH, true, RP_SCHED_RR, s), 4);
	assert_string_equal(s[0].name, "on/other");
	assert_string_equal(s[3].name, "off/rr");
	assert_false(s[0].probe_off || s[3].probe_off);
	/* probe: the same placement and policy, tracing off then on */
	assert_int_equal(compare_settings(RP_COMPARE_PROBE, true, RP_SCHED_RR, s), 2);
	assert_string_equal(s[0].name, "off");
	assert_string_equal(s[1].name, "on");
	assert_true(s[0].probe_off && !s[1].probe_off);
	assert_true(s[0].affinity && s[1].affinity);
	assert_int_equal(s[0].sched, RP_SCHED_RR);
	assert_int_equal(s[1].sched, RP_SCHED_RR);
	assert_int_equal(compare_settings(RP_COMPARE_NONE, true, RP_SCHED_RR, s), 0);
	/* every round runs every setting once; over 4 rounds each setting
	 * takes every position once */
	for (int r = 0; r < 4; r++) {
		int once[4] = {0};

		for (int i = 0; i < 4; i++) {
			int k = compare_order(r, i, 4);

			once[k]++;
			seen[k][i]++;
		}
		for (int k = 0; k < 4; k++)
			assert_int_equal(once[k], 1);
	}
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 4; i++)
			assert_int_equal(seen[k][i], 1);
}

/* Two workers: one with the kernel's scheduler view, one without. */
static void test_round_from_report(void **state)
{
	struct rp_worker_report w[2] = {0};
	struct rp_report r = {.nworkers = 2, .workers = w};
	struct rp_cmp_round round;

	(void)state;
	r.totals.user[RP_SEND].calls = 1024;
	r.totals.user[RP_SEND].ns.mean = 2000;
	r.totals.user[RP_RECV].calls = 3000;
	r.totals.user[RP_RECV].ns.mean = 2500;
	r.totals.rps = 5e4;
	r.totals.seed_send_rate = 7e5;
	w[0].id = 0;
	w[0].sched_view.has_kernel = true;
	w[0].sched_view.kpolicy = 2;
	w[0].sched_view.kprio = 99;
	w[0].sched_view.migrations = 3;
	w[0].sched_view.nivcsw = 4;
	w[0].sched_view.runq_ns = 5000;
	w[0].sched_view.oncpu_ns = 1000000;
	w[0].sched_view.softirq_ns[RP_SOFTIRQ_NET_RX] = 50000;
	w[1].id = 1;
	assert_int_equal(compare_round_from_report(&r, &round), 0);
	assert_near(round.v[RP_CM_SEND_USER], 2000, 0);
	assert_near(round.v[RP_CM_RECV_USER], 2500, 0);
	assert_true(isnan(round.v[RP_CM_SEND_KERNEL]));
	assert_near(round.v[RP_CM_RECV_CALLS], 3000, 0);
	assert_near(round.v[RP_CM_MIGRATIONS], 3, 0);
	assert_near(round.v[RP_CM_NIVCSW], 4, 0);
	assert_near(round.v[RP_CM_SOFTIRQ], 0.05, 1e-12);
	assert_near(round.v[RP_CM_RPS], 5e4, 0);
	assert_int_equal(round.nworkers, 2);
	assert_int_equal(round.workers[0].sv.kpolicy, 2);
	assert_int_equal(round.workers[1].sv.kpolicy, -1);
	assert_null(round.workers[0].sv.cpus);
	assert_true(isnan(round.workers[1].softirq_share));
	/* a worker without kernel figures: no user-kernel gap */
	assert_true(isnan(round.v[RP_CM_GAP]));
	free(round.workers);
	/* with them: user minus kernel time of every call, summed */
	for (int i = 0; i < 2; i++) {
		w[i].has_kernel = true;
		w[i].user[RP_SEND].calls = w[i].kernel[RP_SEND].calls = 100;
		w[i].user[RP_SEND].ns.mean = 3000;
		w[i].kernel[RP_SEND].ns.mean = 1000;
		w[i].user[RP_RECV].calls = w[i].kernel[RP_RECV].calls = 10;
		w[i].user[RP_RECV].ns.mean = 9000;
		w[i].kernel[RP_RECV].ns.mean = 2000;
	}
	assert_int_equal(compare_round_from_report(&r, &round), 0);
	assert_near(round.v[RP_CM_GAP], 2 * (100 * 2000 + 10 * 7000), 1e-6);
	free(round.workers);
}

/* Four settings x 5 rounds: recv time doubles in the last setting only. */
static void make_compare(struct rp_compare_report *c, struct rp_config *cfg)
{
	config_defaults(cfg);
	cfg->workers = 2;
	memset(c, 0, sizeof(*c));
	c->version = "test";
	c->config = cfg;
	c->what = RP_COMPARE_BOTH;
	c->repeat = 5;
	c->backend = RP_BACKEND_TRACEPOINT;
	c->nsettings = compare_settings(RP_COMPARE_BOTH, true, RP_SCHED_RR, c->settings);
	c->rounds = calloc(20, sizeof(*c->rounds));
	assert_non_null(c->rounds);
	for (int r = 0; r < 5; r++)
		for (int i = 0; i < 4; i++) {
			struct rp_cmp_round *x = &c->rounds[c->nrounds];

			x->index = c->nrounds++;
			x->round = r;
			x->setting = compare_order(r, i, 4);
			for (int m = 0; m < RP_NCM; m++)
				x->v[m] = 1000 + 10 * r;
			if (x->setting == 3)
				x->v[RP_CM_RECV_USER] = 2000 + 10 * r;
			x->v[RP_CM_SEND_KERNEL] = NAN;
			x->workers = calloc(1, sizeof(*x->workers));
			assert_non_null(x->workers);
			x->nworkers = 1;
			x->workers[0].sv.kpolicy = x->setting & 1 ? 2 : 0;
			x->workers[0].sv.kprio = x->setting & 1 ? 99 : 0;
			snprintf(x->workers[0].sched, sizeof(x->workers[0].sched), "%s",
				 x->setting & 1 ? "SCHED_RR" : "SCHED_OTHER");
		}
}

static char *render(int (*fn)(FILE *, const struct rp_compare_report *),
		    const struct rp_compare_report *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	assert_non_null(m);
	assert_int_equal(fn(m, c), 0);
	fclose(m);
	return text;
}

/* A copy of the first line that begins with start. */
static const char *line_with(const char *text, const char *start)
{
	static char line[256];
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, start, strlen(start))) {
			snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
			return line;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	fail_msg("no line starts with '%s'", start);
	return NULL;
}

static void test_compare_text(void **state)
{
	struct rp_compare_report c;
	struct rp_config cfg;
	const char *p, *l;
	char *text;

	(void)state;
	make_compare(&c, &cfg);
	text = render(compare_text, &c);
	for (p = text; *p;) {
		const char *nl = strchr(p, '\n');

		assert_non_null(nl);
		assert_true(nl - p < 80);
		assert_true(nl == p || nl[-1] != ' ');
		p = nl + 1;
	}
	l = line_with(text, "setting ");
	assert_non_null(strstr(l, "on/other"));
	assert_non_null(strstr(l, "off/rr"));
	assert_non_null(strstr(line_with(text, "rounds ok"), "5/5"));
	assert_non_null(strstr(line_with(text, "policy (kernel)"), "RR/99"));
	/* recv user: 1.02 us at baseline; off/rr twice that, outside the spread */
	l = line_with(text, "recv user us");
	assert_non_null(strstr(l, "1.020"));
	assert_non_null(strstr(l, "1.020 x1.00~"));
	assert_non_null(strstr(l, "2.020 x1.98*"));
	assert_non_null(strstr(line_with(text, "send kernel us"), "-"));
	assert_null(strstr(line_with(text, "send user us"), "*"));
	free(text);
	compare_report_free(&c);
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void test_compare_json(void **state)
{
	struct rp_compare_report c;
	struct rp_config cfg;
	char *text;

	(void)state;
	make_compare(&c, &cfg);
	text = render(compare_json, &c);
	assert_int_equal(count(text, "\"index\": "), 20);
	assert_int_equal(count(text, "\"setting\": \"off/rr\""), 5 + 1);
	assert_int_equal(count(text, "\"baseline\": true"), 1);
	assert_non_null(strstr(text, "\"send_kernel_ns\": null"));
	assert_non_null(strstr(text, "\"compare\": \"both\""));
	free(text);
	compare_report_free(&c);
}

/* A worker switched in on CPU 1 last: the unclosed stretch goes there. */
static void test_sched_fold(void **state)
{
	struct rp_ksched k[2] = {0};
	struct rp_sched_wcpu cpus[2] = {0};
	struct rp_sched_worker w = {.ncpus = 2, .cpus = cpus, .kpolicy = -1};
	struct rp_sched_hint h = {.start_ns = 1000, .end_ns = 11000, .cpu = 0};
	uint64_t last_in[2];

	(void)state;
	k[0].nvcsw = 1;
	k[0].oncpu_ns = 3000; /* window start to the first switch-out */
	k[0].policy = 0;
	k[0].policy_ns = 900; /* seen just before the window */
	k[1].migrations = 1;
	k[1].switch_in = 1;
	k[1].offcpu_ns = 2000;
	k[1].last_in_ns = 6000;
	k[1].runq_n = 1;
	k[1].runq_ns = 500;
	k[1].runq_max = 500;
	k[1].runq_hist[8] = 1;
	k[1].policy = 2;
	k[1].rt_priority = 99;
	k[1].policy_ns = 6000;
	for (int i = 0; i < 2; i++) {
		sched_fold_cpu(&w, &k[i], i);
		last_in[i] = k[i].last_in_ns;
	}
	sched_finish(&w, last_in, &h);
	assert_int_equal(w.window_ns, 10000);
	assert_int_equal(w.oncpu_ns, 8000);
	assert_int_equal(cpus[0].oncpu_ns, 3000);
	assert_int_equal(cpus[1].oncpu_ns, 5000);
	assert_int_equal(w.migrations, 1);
	assert_int_equal(w.runq_log2[8], 1);
	assert_int_equal(w.kpolicy, 2);
	assert_int_equal(w.kprio, 99);
	assert_true(w.kpolicy_in_window);
}

/* No switch at all: everything ran on the CPU the window opened on. */
static void test_sched_fold_no_switch(void **state)
{
	struct rp_ksched k[2] = {0};
	struct rp_sched_wcpu cpus[2] = {0};
	struct rp_sched_worker w = {.ncpus = 2, .cpus = cpus, .kpolicy = -1};
	struct rp_sched_hint h = {.start_ns = 1000, .end_ns = 5000, .cpu = 1};
	uint64_t last_in[2] = {0, 0};

	(void)state;
	k[1].policy = 2;
	k[1].rt_priority = 50;
	k[1].policy_ns = 990;
	for (int i = 0; i < 2; i++)
		sched_fold_cpu(&w, &k[i], i);
	sched_finish(&w, last_in, &h);
	assert_int_equal(cpus[1].oncpu_ns, 4000);
	assert_int_equal(cpus[0].oncpu_ns, 0);
	assert_int_equal(w.kprio, 50);
	assert_false(w.kpolicy_in_window);
	w.has_rusage = true;
	w.ru_nvcsw_hi = 1;
	assert_true(sched_rusage_agrees(&w));
	w.nivcsw = 1;
	assert_false(sched_rusage_agrees(&w));
}

/* The layout the sched_switch program relies on (prev_state, 5.18+). */
static void test_btf_tracepoint_nargs(void **state)
{
	struct btf *btf = btf__load_vmlinux_btf();

	(void)state;
	if (!btf)
		skip();
	assert_int_equal(btf_tracepoint_nargs(btf, "sched_switch"), 4);
	assert_int_equal(btf_tracepoint_nargs(btf, "softirq_entry"), 1);
	assert_int_equal(btf_tracepoint_nargs(btf, "sched_migrate_task"), 2);
	assert_int_equal(btf_tracepoint_nargs(btf, "no_such_tracepoint"), -1);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_mann_whitney_known),
		cmocka_unit_test(test_mann_whitney_enumerated),
		cmocka_unit_test(test_compare_rule),
		cmocka_unit_test(test_settings_and_order),
		cmocka_unit_test(test_round_from_report),
		cmocka_unit_test(test_compare_text),
		cmocka_unit_test(test_compare_json),
		cmocka_unit_test(test_sched_fold),
		cmocka_unit_test(test_sched_fold_no_switch),
		cmocka_unit_test(test_btf_tracepoint_nargs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
