// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* reqperf merge: checks that refuse, sums, exact ns summaries, hosts. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "merge.h"

/* A report of one host: samples xs as the user send ns summary. */
static json_t *report(const char *version, const char *target, int conns, const double *xs, int n,
		      int buckets)
{
	double sum = 0, sq = 0, lo = xs[0], hi = xs[0];
	json_t *log2 = json_array();

	for (int i = 0; i < n; i++) {
		sum += xs[i];
		lo = fmin(lo, xs[i]);
		hi = fmax(hi, xs[i]);
	}
	for (int i = 0; i < n; i++)
		sq += (xs[i] - sum / n) * (xs[i] - sum / n);
	for (int i = 0; i < buckets; i++)
		json_array_append_new(log2, json_integer(i == 3 ? n : 0));
	return json_pack("{s:s, s:s, s:{s:s, s:i, s:i, s:s}, s:b, s:{s:i}, s:[{s:i}],"
			 " s:{s:i, s:f, s:f, s:{s:{s:i, s:i, s:{s:i, s:f, s:f, s:f, s:f, s:f},"
			 " s:o}}}}",
			 "tool", "reqperf", "version", version, "config", "target", target,
			 "workers", 1, "connections", conns, "mode", "burst", "partial", 0, "drops",
			 "sock_full", 1, "workers", "id", 0, "totals", "requests", n, "elapsed_s",
			 1.0 * n, "rps", 10.0, "user", "send", "calls", n, "bytes", 100 * n, "ns",
			 "n", n, "min", lo, "mean", sum / n, "max", hi, "stddev", sqrt(sq / n),
			 "p50", xs[n / 2], "log2", log2);
}

static const double A[] = {1, 2, 3, 4, 100};
static const double B[] = {7, 8, 9};

static json_t *ns_of(json_t *doc)
{
	return json_object_get(
		json_object_get(json_object_get(json_object_get(doc, "totals"), "user"), "send"),
		"ns");
}

static void test_merge_exact(void **state)
{
	json_t *docs[2] = {report("v1", "h:80", 4, A, 5, 41), report("v1", "h:80", 4, B, 3, 41)};
	json_t *all = report("v1", "h:80", 4, (double[]){1, 2, 3, 4, 100, 7, 8, 9}, 8, 41);
	const char *names[2] = {"a", "b"};
	char why[256] = "";
	json_t *m, *ns, *want = ns_of(all);

	(void)state;
	assert_int_equal(merge_check(docs[0], docs[1], false, why, sizeof(why)), 0);
	m = merge_reports(docs, names, 2, why, sizeof(why));
	assert_non_null(m);
	ns = ns_of(m);
	assert_int_equal(json_integer_value(json_object_get(ns, "n")), 8);
	assert_true(fabs(json_real_value(json_object_get(ns, "mean")) -
			 json_real_value(json_object_get(want, "mean"))) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(ns, "stddev")) -
			 json_real_value(json_object_get(want, "stddev"))) < 1e-9);
	assert_true(json_real_value(json_object_get(ns, "min")) == 1);
	assert_true(json_real_value(json_object_get(ns, "max")) == 100);
	assert_null(json_object_get(ns, "p50")); /* not mergeable from summaries */
	json_t *t = json_object_get(m, "totals");
	assert_int_equal(json_integer_value(json_object_get(t, "requests")), 8);
	assert_true(json_real_value(json_object_get(t, "elapsed_s")) == 5.0); /* longest */
	assert_true(json_real_value(json_object_get(t, "rps")) == 20.0); /* summed */
	json_t *send = json_object_get(json_object_get(t, "user"), "send");
	assert_int_equal(json_integer_value(json_object_get(send, "bytes")), 800);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(send, "log2"), 3)), 8);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(m, "drops"), "sock_full")), 2);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(m, "config"), "workers")), 2);
	assert_int_equal(json_array_size(json_object_get(m, "workers")), 2);
	assert_int_equal(json_array_size(json_object_get(m, "hosts")), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(m, "hosts"), 1), "host")),
			    "b");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(m, "workers"), 0), "host")),
			    "a");
	/* the inputs are untouched */
	assert_int_equal(json_integer_value(json_object_get(ns_of(docs[0]), "n")), 5);
	json_decref(m);
	json_decref(all);
	json_decref(docs[0]);
	json_decref(docs[1]);
}

static void refused(json_t *a, json_t *b, bool force, const char *words)
{
	char why[256] = "";

	assert_int_equal(merge_check(a, b, force, why, sizeof(why)), -1);
	if (!strstr(why, words))
		fail_msg("'%s' lacks '%s'", why, words);
	assert_null(strchr(why, '\n'));
	json_decref(a);
	json_decref(b);
}

static void test_refusals(void **state)
{
	char why[256];
	json_t *a, *b;

	(void)state;
	refused(report("v1", "h:80", 4, A, 5, 41), report("v2", "h:80", 4, A, 5, 41), true,
		"version differs");
	refused(report("v1", "h:80", 4, A, 5, 41), report("v1", "h:81", 4, A, 5, 41), true,
		"target differs");
	refused(report("v1", "h:80", 4, A, 5, 41), report("v1", "h:80", 8, A, 5, 41), false,
		"config connections differs: 4 vs 8");
	refused(report("v1", "h:80", 4, A, 5, 41), report("v1", "h:80", 4, A, 5, 40), true,
		"bucket layout differs");
	refused(json_pack("{s:s}", "tool", "x"), report("v1", "h:80", 4, A, 5, 41), false,
		"not a reqperf run report");
	a = report("v1", "h:80", 4, A, 5, 41);
	b = report("v1", "h:80", 8, A, 5, 41);
	assert_int_equal(merge_check(a, b, true, why, sizeof(why)), 0); /* --force */
	json_decref(a);
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_exact),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
