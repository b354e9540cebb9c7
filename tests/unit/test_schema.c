// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The counter families' descriptions (schema.h) against their structs and
 * renderers: every byte of each struct is a described field, every field
 * reaches the JSON and (scalars) the CSV, summing walks every field, and
 * docs/counters.md is what the tables say.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "callpath.h"
#include "report.h"
#include "schema.h"
#include "segments.h"
#include "tcpinfo.h"
#include "tracer.h"
#include "tracer_sched.h"

static const struct rp_family *const families[] = {
	&rp_calls_family,   &rp_kdir_family,	   &rp_ktcp_family,	 &rp_ksum_family,
	&rp_sink_family,    &rp_drops_family,	   &rp_tcpinfo_family,	 &rp_worker_family,
	&rp_sched_family,   &rp_sched_wcpu_family, &rp_sched_cpu_family, &rp_ksched_family,
	&rp_wire_family,    &rp_wire_drops_family, &rp_holds_family,	 &rp_cp_drops_family,
	&rp_sockrow_family, &rp_sockdir_family,
};
#define NFAM (sizeof(families) / sizeof(families[0]))

/* Every byte of the struct is some field's, fields do not overlap. */
static void test_coverage(void **state)
{
	(void)state;
	for (size_t i = 0; i < NFAM; i++) {
		long gap = family_gap(families[i]);

		if (gap != -1)
			fail_msg("%s: %s at byte %ld of %zu", families[i]->name,
				 gap == -2 ? "fields overlap" : "not described", gap,
				 families[i]->size);
	}
}

/* A struct with a member the table forgets is caught. */
static void test_coverage_catches_a_gap(void **state)
{
	const struct rp_family *k = &rp_ktcp_family;
	struct rp_family less = {"less", k->fields + 1, k->n - 1, k->size};
	struct rp_family two = {"two", k->fields, k->n, k->size + 8};

	(void)state;
	assert_int_equal(family_gap(&less), 0);
	assert_int_equal(family_gap(&two), (long)(offsetof(struct rp_ktcp, mss) + 4));
}

/* A wire drop kind or a wire counter added without its line is caught. */
static void test_wire_gap(void **state)
{
	struct rp_family more = rp_wire_drops_family;
	struct rp_family less = rp_wire_family;

	(void)state;
	more.size += sizeof(uint64_t);
	assert_int_equal(family_gap(&more), (long)(RP_WIRE_NDROPS * sizeof(uint64_t)));
	more = rp_cp_drops_family;
	more.size += sizeof(uint64_t);
	assert_int_equal(family_gap(&more), (long)(RP_CP_NDROPS * sizeof(uint64_t)));
	more = rp_holds_family;
	more.size += sizeof(uint64_t);
	assert_int_equal(family_gap(&more), (long)(RP_NHOLDS * sizeof(uint64_t)));
	for (int i = 0; i < RP_NHOLDS; i++)
		assert_string_not_equal(hold_name(i), "unknown");
	less.n--; /* the histogram, last */
	assert_int_equal(family_gap(&less), (long)offsetof(struct rp_wire_cnt, plen_hist));
}

/* A drop kind added to enum rp_drop without its line is caught: the
 * family is the whole array, so one more slot is a gap. */
static void test_drops_gap(void **state)
{
	struct rp_family more = rp_drops_family;

	(void)state;
	more.size += sizeof(uint64_t);
	assert_int_equal(family_gap(&more), (long)(RP_NDROPS * sizeof(uint64_t)));
	for (int i = 0; i < RP_NDROPS; i++)
		assert_string_not_equal(drop_name(i), "unknown");
	assert_string_equal(drop_name(RP_NDROPS), "unknown");
}

/* The families the kernel's sched value folds into by name. */
static const struct rp_field *sched_dest(const char *name)
{
	const struct rp_field *f = family_field(&rp_sched_family, name);

	return f ? f : family_field(&rp_sched_wcpu_family, name);
}

/* Names unique within a family (and its group); the report's fields say
 * what they are; a kernel-layout field is named after the report field it
 * feeds or says itself what it is. */
static void test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < NFAM; i++) {
		const struct rp_family *fam = families[i];

		for (size_t a = 0; a < fam->n; a++) {
			const struct rp_field *f = &fam->fields[a];

			for (size_t b = a + 1; b < fam->n; b++)
				if (!strcmp(f->name, fam->fields[b].name))
					fail_msg("%s: %s twice", fam->name, f->name);
			if (fam == &rp_kdir_family && family_field(&rp_calls_family, f->name))
				continue;
			if (fam == &rp_ksum_family && family_field(&rp_ktcp_family, f->name))
				continue;
			if (fam == &rp_ksched_family && sched_dest(f->name))
				continue;
			if (!f->what || !f->what[0] || !f->unit)
				fail_msg("%s.%s: no description", fam->name, f->name);
		}
	}
}

/* Every byte set, so every field is non-zero. */
static void fill(void *p, size_t n, uint8_t v)
{
	memset(p, v, n);
}

/* Summing walks every field: each field of the sum differs from the
 * one-sided value unless its rule says it keeps one (gauge, max, min). */
static void test_merge_every_field(void **state)
{
	struct rp_sink_counters a, b, sum;
	struct rp_kdir ka, kb, ks;

	(void)state;
	fill(&a, sizeof(a), 1);
	fill(&b, sizeof(b), 1);
	sum = a;
	family_merge(&rp_sink_family, &sum, &b);
	for (size_t i = 0; i < rp_sink_family.n; i++) {
		const struct rp_field *f = &rp_sink_family.fields[i];

		if (f->merge == RP_MERGE_SUM && f->kind == RP_FK_U64)
			assert_int_equal(field_u64(&sum, f), 2 * field_u64(&a, f));
	}
	/* The kernel's per-CPU sum: 128-bit carry, min, max. */
	memset(&ka, 0, sizeof(ka));
	memset(&kb, 0, sizeof(kb));
	ka.ns_sq_lo = ~0ULL;
	kb.ns_sq_lo = 2;
	ka.ns_min = 5;
	kb.ns_min = 3;
	ka.ns_max = 9;
	kb.ns_max = 7;
	ka.full_queued = 4;
	kb.full_queued = 6;
	ks = ka;
	family_merge(&rp_kdir_family, &ks, &kb);
	assert_int_equal(ks.ns_sq_lo, 1);
	assert_int_equal(ks.ns_sq_hi, 1);
	assert_int_equal(ks.ns_min, 3);
	assert_int_equal(ks.ns_max, 9);
	assert_int_equal(ks.full_queued, 10);
}

/* A live socket folds the kernel's way; sums fold into rp_ktcp by name,
 * the live socket's gauges first. */
static void test_ktcp_fold(void **state)
{
	struct rp_ksock s = {.exact = 0,
			     .first_data_segs_in = 0xfffffffe,
			     .last_data_segs_in = 3,
			     .first_segs_out = 10,
			     .last_segs_out = 15,
			     .retransmits = 2,
			     .snd_cwnd = 10,
			     .srtt_us = 40,
			     .mss_cache = 1448};
	struct rp_ksum live = {0}, closed = {.sockets = 3, .data_segs_in = 7, .mss_cache = 536};
	struct rp_ktcp k = {0};

	(void)state;
	ktcp_fold_sock(&live, &s);
	ktcp_fold(&k, &live);
	ktcp_fold(&k, &closed);
	assert_int_equal(k.sockets, 4);
	assert_int_equal(k.inexact, 1);
	assert_int_equal(k.data_segs_in, 5 + 7); /* the u32 counter wrapped */
	assert_int_equal(k.segs_out, 5);
	assert_int_equal(k.retransmits, 2);
	assert_int_equal(k.snd_cwnd, 10);
	assert_int_equal(k.srtt_us, 40);
	assert_int_equal(k.mss, 1448);
}

/* sched_fold_cpu walks every field of the kernel's value: each one that is
 * not its own code lands in a namesake of the worker or its CPU row by
 * that field's rule, once per CPU. */
static void test_sched_fold_every_field(void **state)
{
	struct rp_sched_wcpu cpus[2] = {0};
	struct rp_sched_worker w = {.ncpus = 2, .cpus = cpus, .kpolicy = -1};
	struct rp_ksched k = {0};
	const struct rp_family *kf = &rp_ksched_family;

	(void)state;
	for (size_t i = 0; i < kf->n; i++)
		if (kf->fields[i].merge != RP_MERGE_OWN)
			field_set_u64(&k, &kf->fields[i], 100 + i);
	sched_fold_cpu(&w, &k, 0);
	sched_fold_cpu(&w, &k, 1);
	for (size_t i = 0; i < kf->n; i++) {
		const struct rp_field *f = &kf->fields[i];
		const struct rp_field *dw = family_field(&rp_sched_family, f->name);
		const struct rp_field *dc = family_field(&rp_sched_wcpu_family, f->name);

		if (f->merge == RP_MERGE_OWN)
			continue;
		if (!dw && !dc)
			fail_msg("ksched.%s folds into nothing", f->name);
		if (dw && dw->merge != RP_MERGE_OWN)
			assert_int_equal(field_u64(&w, dw),
					 (dw->merge == RP_MERGE_MAX ? 1 : 2) * (100 + i));
		if (dc) {
			assert_int_equal(field_u64(&cpus[0], dc), 100 + i);
			assert_int_equal(field_u64(&cpus[1], dc), 100 + i);
		}
	}
}

/* A socket row: every field with a source is read from struct rp_ksock
 * (or the kernel's fold of it), every field is in its JSON, every
 * labelled one heads a text column. */
static char *render(int (*fn)(FILE *, const struct rp_report *), const struct rp_report *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	assert_non_null(m);
	assert_int_equal(fn(m, r), 0);
	fclose(m);
	return text;
}

static void want(const char *text, const char *what, const char *a, const char *b)
{
	char key[160];

	snprintf(key, sizeof(key), what, a, b);
	if (!strstr(text, key))
		fail_msg("%s not in the output", key);
}

/* Every counter of a scheduler family is in the JSON under its dotted
 * path's last key (the walk opens the groups); with csv, every scalar is
 * a "sched_" column. */
static void want_sched(const char *json, const char *csv, const struct rp_family *fam, bool cols)
{
	char col[64];

	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];
		const char *dot = strchr(f->name, '.');

		if (f->kind == RP_FK_OTHER)
			continue;
		if (dot) {
			snprintf(col, sizeof(col), "%.*s", (int)(dot - f->name), f->name);
			want(json, "\"%s\": {%s", col, "");
		}
		want(json, "\"%s\": %s", dot ? dot + 1 : f->name, "");
		if (!cols || f->kind != RP_FK_U64)
			continue;
		snprintf(col, sizeof(col), "sched_%s", f->name);
		for (char *p = strchr(col, '.'); p; p = strchr(p, '.'))
			*p = '_';
		want(csv, "%s,%s", col, "");
	}
}

/* Every field of the report's families is in the JSON; every scalar in
 * the CSV header with its family's prefix. */
static void test_json_csv_have_every_field(void **state)
{
	static struct rp_worker_report w;
	static struct rp_sched_wcpu wcpu = {.oncpu_ns = 1};
	static struct rp_sched_cpu scpu;
	struct rp_report r = {.nworkers = 1, .workers = &w, .has_sink = true};
	static const char *const dirs[] = {"send", "recv"};
	char *json, *csv;

	(void)state;
	r.features = ~0u;
	r.backend = RP_BACKEND_TRACEPOINT;
	w.has_kernel = true;
	w.sched_view = (struct rp_sched_worker){
		.has_kernel = true, .has_rusage = true, .kpolicy = 2, .ncpus = 1, .cpus = &wcpu};
	r.wire.on = true;
	r.nsched_cpus = 1;
	r.sched_cpus = &scpu;
	report_totals(&r);
	json = render(report_json, &r);
	csv = render(report_csv, &r);
	for (size_t i = 0; i < rp_calls_family.n; i++) {
		const struct rp_field *f = &rp_calls_family.fields[i];

		want(json, "\"%s\": %s", f->name, "");
		if (f->kind == RP_FK_SUMMARY) {
			want(csv, "user_send_%s_n,%s", f->name, "");
			want(csv, "kernel_recv_%s_p999,%s", f->name, "");
		} else if (f->kind == RP_FK_U64 && !(f->flags & RP_FF_ALIAS)) {
			for (int d = 0; d < 2; d++) {
				want(csv, "kernel_%s_%s,", dirs[d], f->name);
				if (!(f->flags & RP_FF_KERNEL))
					want(csv, "user_%s_%s,", dirs[d], f->name);
			}
		}
	}
	want(json, "\"ktcp\": {%s%s", "", "");
	for (size_t i = 0; i < rp_ktcp_family.n; i++) {
		want(json, "\"%s\": %s", rp_ktcp_family.fields[i].name, "");
		want(csv, "ktcp_%s,%s", rp_ktcp_family.fields[i].name, "");
	}
	for (size_t i = 0; i < rp_sink_family.n; i++) {
		const struct rp_field *f = &rp_sink_family.fields[i];

		want(json, "\"%s\": %s", f->name, "");
	}
	want(json, "\"sched_view\": {%s%s", "", "");
	want(json, "\"sched_cpus\": [%s%s", "", "");
	want_sched(json, csv, &rp_sched_family, true);
	want_sched(json, csv, &rp_sched_wcpu_family, false);
	want_sched(json, csv, &rp_sched_cpu_family, false);
	for (size_t i = 0; i < rp_worker_family.n; i++) {
		want(json, "\"%s\": %s", rp_worker_family.fields[i].name, "");
		want(csv, ",%s,%s", rp_worker_family.fields[i].name, "");
	}
	want(json, "\"tcp_info\": {%s%s", "", "");
	for (size_t i = 0; i < rp_tcpinfo_family.n; i++) {
		want(json, "\"%s\": %s", rp_tcpinfo_family.fields[i].name, "");
		want(csv, "tcp_info_%s,%s", rp_tcpinfo_family.fields[i].name, "");
	}
	want(json, "\"held\": {%s%s", "", "");
	for (size_t i = 0; i < rp_holds_family.n; i++)
		want(json, "\"%s\": %s", rp_holds_family.fields[i].name, "");
	want(json, "\"wire\": {%s%s", "", "");
	for (size_t i = 0; i < rp_wire_family.n; i++)
		want(json, "\"%s\": %s", rp_wire_family.fields[i].name, "");
	for (size_t i = 0; i < rp_wire_drops_family.n; i++)
		want(json, "\"%s\": %s", rp_wire_drops_family.fields[i].name, "");
	want(json, "\"drops\": {%s%s", "", "");
	for (size_t i = 0; i < rp_drops_family.n; i++)
		want(json, "\"%s\": %s", rp_drops_family.fields[i].name, "");
	free(json);
	free(csv);
}

#define DOC "docs/counters.md"

/* docs/counters.md is what the tables say (make counters-doc writes it). */
static void test_doc_current(void **state)
{
	char *doc = NULL, *want = NULL;
	size_t dlen = 0, wlen = 0;
	FILE *in = fopen(DOC, "r");
	FILE *m = open_memstream(&want, &wlen);

	(void)state;
	assert_non_null(m);
	assert_int_equal(schema_doc_md(m), 0);
	fclose(m);
	if (!in)
		fail_msg("%s: cannot read (run from the repository's top)", DOC);
	assert_int_equal(getdelim(&doc, &dlen, '\0', in) >= 0, 1);
	fclose(in);
	if (strcmp(doc, want))
		fail_msg("%s differs from the counter tables: make counters-doc", DOC);
	free(doc);
	free(want);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_coverage_catches_a_gap),
		cmocka_unit_test(test_drops_gap),
		cmocka_unit_test(test_wire_gap),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_merge_every_field),
		cmocka_unit_test(test_ktcp_fold),
		cmocka_unit_test(test_sched_fold_every_field),
		cmocka_unit_test(test_json_csv_have_every_field),
		cmocka_unit_test(test_doc_current),
	};

	if (argc == 3 && !strcmp(argv[1], "--write")) {
		FILE *out = fopen(argv[2], "w");

		return !out || schema_doc_md(out) || fclose(out);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
