// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The producers and renderers that walk a family's table read every field:
 * TCP_INFO into rp_tcpinfo, the worker's timed calls into rp_calls, the
 * worker counters into the totals, a kernel socket into its report row
 * (and the row into JSON and its text table). test_schema.c proves the
 * tables describe their structs whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/tcp.h>

#include "json.h"
#include "report.h"
#include "report_text.h"
#include "schema.h"
#include "sock_rows.h"
#include "tcpinfo.h"

static void fill(void *p, size_t n, uint8_t v)
{
	memset(p, v, n);
}

static void want(const char *text, const char *what, const char *a, const char *b)
{
	char key[160];

	snprintf(key, sizeof(key), what, a, b);
	if (!strstr(text, key))
		fail_msg("%s not in the output", key);
}

/* Every rp_tcpinfo field is read from its struct tcp_info member (or
 * counts the connection); a delta field is what moved since connect, at
 * the kernel counter's width; summing walks every field by its rule. */
static void test_tcpinfo_walk(void **state)
{
	struct tcp_info ti;
	struct rp_tcpinfo one, at, sum = {0};

	(void)state;
	memset(&ti, 0x01, sizeof(ti));
	tcpinfo_from(&one, &ti);
	for (size_t i = 0; i < rp_tcpinfo_family.n; i++) {
		const struct rp_field *f = &rp_tcpinfo_family.fields[i];

		if (!field_u64(&one, f))
			fail_msg("tcp_info.%s: not read", f->name);
		if (f->src_size &&
		    !(f->src_off < sizeof(ti) && f->src_size <= sizeof(ti) - f->src_off))
			fail_msg("tcp_info.%s: source outside struct tcp_info", f->name);
	}
	assert_int_equal(one.conns, 1);
	assert_int_equal(one.snd_mss, 0x01010101);
	at = one;
	at.data_segs_out = one.data_segs_out + 5; /* the counter wrapped since */
	tcpinfo_since(&one, &at);
	assert_int_equal(one.data_segs_out, 0xfffffffbu);
	assert_int_equal(one.data_segs_in, 0);
	assert_int_equal(one.snd_mss, 0x01010101); /* not a counter */
	tcpinfo_sum(&sum, &one);
	tcpinfo_sum(&sum, &one);
	for (size_t i = 0; i < rp_tcpinfo_family.n; i++) {
		const struct rp_field *f = &rp_tcpinfo_family.fields[i];
		uint64_t v = field_u64(&one, f);

		if (field_u64(&sum, f) != (f->merge == RP_MERGE_SUM ? 2 * v : v))
			fail_msg("tcp_info.%s: not summed by its rule", f->name);
	}
}

/* The worker's timed calls (struct rp_ucalls) are read by the rp_calls
 * table: its sources tile rp_ucalls, and each one lands in its field. */
static void test_ucalls_sources(void **state)
{
	struct rp_field src[16];
	struct rp_family fam = {"ucalls", src, 0, sizeof(struct rp_ucalls)};
	static struct rp_ucalls u;
	static struct rp_calls c;

	(void)state;
	for (size_t i = 0; i < rp_calls_family.n; i++) {
		const struct rp_field *f = &rp_calls_family.fields[i];

		if (f->src_size) {
			src[fam.n] = *f;
			src[fam.n].off = f->src_off;
			src[fam.n++].size = f->src_size;
		} else if (f->kind == RP_FK_SUMMARY) {
			assert_string_equal(f->src, "rp_ucalls.ns");
			src[fam.n] = *f;
			src[fam.n].off = offsetof(struct rp_ucalls, ns);
			src[fam.n++].size = sizeof(u.ns);
		} else if (!(f->flags & (RP_FF_KERNEL | RP_FF_ALIAS)) && f->kind == RP_FK_U64) {
			fail_msg("calls.%s: a user-side counter with no source", f->name);
		}
	}
	assert_int_equal(family_gap(&fam), -1);
	u.calls = 11;
	u.bytes = 12;
	u.eagain = 13;
	u.short_calls = 14;
	u.errors = 15;
	calls_from_ucalls(&c, &u, 0);
	for (size_t i = 0; i < rp_calls_family.n; i++) {
		const struct rp_field *f = &rp_calls_family.fields[i];

		if (f->src_size)
			assert_int_equal(field_u64(&c, f), field_src_u64(&u, f, 0));
	}
}

/* The totals sum every worker counter. */
static void test_worker_totals(void **state)
{
	static struct rp_worker_report w[2];
	struct rp_report r = {.nworkers = 2, .workers = w};

	(void)state;
	fill(&w[0].counts, sizeof(w[0].counts), 1);
	fill(&w[1].counts, sizeof(w[1].counts), 1);
	report_totals(&r);
	for (size_t i = 0; i < rp_worker_family.n; i++) {
		const struct rp_field *f = &rp_worker_family.fields[i];

		assert_int_equal(field_u64(&r.totals.counts, f), 2 * field_u64(&w[0].counts, f));
	}
}

static void test_sock_row_walk(void **state)
{
	static struct rp_ksock k;
	struct rp_sock_row r;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	struct json_writer j;

	(void)state;
	memset(&k, 0x01, sizeof(k));
	k.family = 2; /* AF_INET */
	k.last_data_segs_out += 3; /* the segment counts are last - first */
	k.last_data_segs_in += 4;
	sock_row_from(&r, &k);
	for (size_t i = 0; i < rp_sockrow_family.n; i++) {
		const struct rp_field *f = &rp_sockrow_family.fields[i];

		if (f->src && f->kind != RP_FK_STR && !field_u64(&r, f))
			fail_msg("sock_row.%s: not read from %s", f->name, f->src);
		if (!f->src && f->kind != RP_FK_STR && f->kind != RP_FK_NESTED &&
		    strcmp(f->name, "closed"))
			fail_msg("sock_row.%s: no source", f->name);
	}
	for (int d = 0; d < RP_NDIR; d++)
		for (size_t i = 0; i < rp_sockdir_family.n; i++) {
			const struct rp_field *f = &rp_sockdir_family.fields[i];
			bool recv_only = f->flags & RP_FF_RECV;

			if (!f->src_size)
				fail_msg("sock_dir.%s: no source", f->name);
			if (!field_u64(&r.dir[d], f) != (recv_only && d == RP_SEND))
				fail_msg("sock_dir.%s: %s side read wrong", f->name,
					 d ? "recv" : "send");
		}
	assert_non_null(m);
	json_init(&j, m, true);
	sock_row_json(&j, &r);
	fputc('\n', m);
	assert_int_equal(sock_rows_text(m, &r, 1), 0);
	fclose(m);
	for (size_t i = 0; i < rp_sockrow_family.n; i++) {
		const struct rp_field *f = &rp_sockrow_family.fields[i];

		want(text, "\"%s\": %s", f->name, "");
		if (f->label && f->kind != RP_FK_NESTED)
			want(text, "%s%s", f->label, "");
	}
	for (size_t i = 0; i < rp_sockdir_family.n; i++) {
		const struct rp_field *f = &rp_sockdir_family.fields[i];

		want(text, "\"%s\": %s", f->name, "");
		if (f->label)
			want(text, " r.%s%s", f->label, "");
	}
	free(text);
}

/* The sink's summary (`reqperf sink`, the run report's sink lines) has
 * every labelled sink counter and TCP_INFO counter, "label value". */
static void test_sink_text(void **state)
{
	static struct rp_sink_counters c;
	char *text = NULL, item[96];
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	(void)state;
	assert_non_null(m);
	fill(&c, sizeof(c), 0);
	c.requests = 7;
	c.tcp.total_retrans = 3;
	report_sink_text(m, &c, false);
	fclose(m);
	for (size_t i = 0; i < rp_sink_family.n; i++) {
		const struct rp_field *f = &rp_sink_family.fields[i];

		if (f->label && !(f->flags & RP_FF_ECHO))
			want(text, "%s %s", f->label, "");
	}
	want(text, "sink: requests 7%s%s", "", "");
	for (size_t i = 0; i < rp_tcpinfo_family.n; i++) {
		const struct rp_field *f = &rp_tcpinfo_family.fields[i];

		snprintf(item, sizeof(item), "%s %" PRIu64, f->label ? f->label : "",
			 field_u64(&c.tcp, f));
		if (f->label)
			want(text, "%s%s", item, "");
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcpinfo_walk),  cmocka_unit_test(test_ucalls_sources),
		cmocka_unit_test(test_worker_totals), cmocka_unit_test(test_sock_row_walk),
		cmocka_unit_test(test_sink_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
