// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The per-call summary in the text and JSON reports: recv calls against
 * responses, the extra calls by class, calls and skbs per response, and
 * the integrity evidence, per worker and in total.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "json.h"
#include "report_text.h"

/* The classes an extra recv call can have, in the order shown. */
static const enum rp_ev_class extra_classes[] = {
	RP_EC_PARTIAL, RP_EC_BUFFER, RP_EC_SHORT_QUEUED, RP_EC_EXACT,
	RP_EC_EAGAIN,  RP_EC_ERROR,  RP_EC_EOF,
};
#define NEXTRA (sizeof(extra_classes) / sizeof(extra_classes[0]))

static double per(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0;
}

static void row_name(char *b, size_t n, const struct rp_ev_worker *w)
{
	if (w->id < 0)
		snprintf(b, n, "total");
	else
		snprintf(b, n, "w%d", w->id);
}

static void print_calls_row(FILE *out, const struct rp_ev_worker *w)
{
	char name[16];

	row_name(name, sizeof(name), w);
	fprintf(out,
		" %-6s %10" PRIu64 " %10" PRIu64 " %8" PRId64 " %10" PRIu64 " %6" PRIu64
		" %7" PRIu64 " %9.2f\n",
		name, w->calls[RP_RECV], w->responses, events_extra(w), w->cls[RP_EC_FULL],
		w->multi_calls, w->multi, per(w->calls[RP_RECV], w->responses));
}

static void print_class_row(FILE *out, const struct rp_ev_worker *w)
{
	char name[16];

	row_name(name, sizeof(name), w);
	fprintf(out, " %-6s", name);
	for (size_t i = 0; i < NEXTRA; i++)
		fprintf(out, " %9" PRIu64, w->cls[extra_classes[i]]);
	fputc('\n', out);
}

static void print_tables(FILE *out, const struct rp_ev_summary *s)
{
	bool many = s->nworkers > 1;

	fprintf(out, " %-6s %10s %10s %8s %10s %6s %7s %9s\n", "", "recv calls", "responses",
		"extra", "completing", "multi", "surplus", "calls/rsp");
	for (int i = 0; i < s->nworkers; i++)
		print_calls_row(out, &s->w[i]);
	if (many)
		print_calls_row(out, &s->total);
	fprintf(out, " extra = partial + buffer + short-q + exact + eagain + error + eof"
		     " - surplus\n"
		     " (short = partial + short-q; full-buffer = buffer + exact)\n");
	fprintf(out, " %-6s %9s %9s %9s %9s %9s %9s %9s\n", "", "partial", "buffer", "short-q",
		"exact", "eagain", "error", "eof");
	for (int i = 0; i < s->nworkers; i++)
		print_class_row(out, &s->w[i]);
	if (many)
		print_class_row(out, &s->total);
}

static void print_dist(FILE *out, const char *head, const uint64_t *v, int n)
{
	struct tline l;

	tl_begin(&l, out, head, 3, "  ");
	for (int i = 0; i < n; i++)
		if (v[i])
			tl_add(&l, "%d%s:%" PRIu64, i, i == n - 1 ? "+" : "", v[i]);
	if (!l.items)
		tl_add(&l, "none");
	tl_end(&l);
}

static void print_per_response(FILE *out, const struct rp_ev_worker *t)
{
	struct tline l;

	print_dist(out, " recv calls per response: ", t->cpr, RP_EV_CPR_SLOTS);
	if (!t->joined) {
		fprintf(out, " skbs and segments: no joined kernel records\n");
		return;
	}
	print_dist(out, " skbs per data recv:      ", t->skbs_per_recv, RP_SKB_SLOTS);
	tl_begin(&l, out, " per response: ", 3, ", ");
	tl_add(&l, "skbs drained %.3g", per(t->skbs[RP_RECV], t->responses));
	if (t->segs_known) {
		tl_add(&l, "data segments in %.3g", per(t->segs_in, t->responses));
		tl_add(&l, "out %.3g", per(t->segs_out, t->responses));
	} else {
		tl_add(&l, "data segments n/a");
	}
	tl_end(&l);
}

static void print_integrity(FILE *out, const struct rp_ev_summary *s)
{
	const struct rp_ev_worker *t = &s->total;
	const uint64_t *u = t->bytes[RP_EV_USER], *k = t->bytes[RP_EV_KERNEL];
	struct tline l;

	tl_begin(&l, out, " integrity: ", 3, ", ");
	tl_add(&l, "%" PRIu64 " responses", t->responses);
	tl_add(&l, "%" PRIu64 " body bytes verified %s", t->body_bytes,
	       s->echo ? "byte by byte" : "by CRC32");
	tl_add(&l, "%" PRIu64 " corrupt", t->crc_errors);
	if (s->has_kernel) {
		tl_add(&l, "recv bytes user %" PRIu64 " kernel %" PRIu64 ": %s", u[RP_RECV],
		       k[RP_RECV], u[RP_RECV] == k[RP_RECV] ? "equal" : "DIFFER");
		tl_add(&l, "send bytes user %" PRIu64 " kernel %" PRIu64 ": %s", u[RP_SEND],
		       k[RP_SEND], u[RP_SEND] == k[RP_SEND] ? "equal" : "DIFFER");
	}
	tl_end(&l);
}

static void print_join(FILE *out, const struct rp_ev_summary *s)
{
	const struct rp_ev_worker *t = &s->total;
	struct tline l;

	tl_begin(&l, out, " join: ", 3, ", ");
	tl_add(&l, "%s", events_state_name(t->state));
	tl_add(&l, "%" PRIu64 " of %" PRIu64 " user calls paired", t->joined,
	       t->events[RP_EV_USER]);
	tl_add(&l, "%" PRIu64 " kernel records", t->events[RP_EV_KERNEL]);
	tl_add(&l, "lost: user %" PRIu64 " kernel %" PRIu64, t->lost[RP_EV_USER],
	       t->lost[RP_EV_KERNEL]);
	if (t->mismatches)
		tl_add(&l, "%" PRIu64 " MISMATCHED (first: line %" PRId64 ", %s)", t->mismatches,
		       t->first_mismatch, events_why_name(t->first_why));
	if (t->checked)
		tl_add(&l, "worker counters %s", t->agrees ? "agree" : "DISAGREE");
	tl_end(&l);
	if (t->disagree[0])
		print_wrapped(out, "   ", t->disagree);
}

void events_print_text(FILE *out, const struct rp_ev_summary *s)
{
	const struct rp_ev_worker *t = &s->total;

	fprintf(out,
		"\nper-call events: %" PRIu64 " recv calls, %" PRIu64 " with kernel evidence\n",
		t->calls[RP_RECV], t->evidence);
	if (t->state == RP_ES_INCOMPLETE)
		fprintf(out,
			" RECORDS LOST (see join): only the recorded calls are counted below,\n"
			" none paired, classes from the user side alone\n");
	print_tables(out, s);
	print_per_response(out, t);
	print_integrity(out, s);
	print_join(out, s);
}

/* ---- JSON ---- */

static void json_dirs(struct json_writer *j, const char *key, const uint64_t v[RP_NDIR])
{
	json_key(j, key);
	json_begin_object(j);
	json_kv_u64(j, "send", v[RP_SEND]);
	json_kv_u64(j, "recv", v[RP_RECV]);
	json_end_object(j);
}

static void json_classes(struct json_writer *j, const struct rp_ev_worker *w)
{
	json_key(j, "classes");
	json_begin_object(j);
	for (int c = RP_EC_FULL; c < RP_NCLASSES; c++)
		json_kv_u64(j, events_class_name(c), w->cls[c]);
	json_end_object(j);
}

static void json_join(struct json_writer *j, const struct rp_ev_worker *w)
{
	json_kv_string(j, "state", events_state_name(w->state));
	json_kv_u64(j, "user_events", w->events[RP_EV_USER]);
	json_kv_u64(j, "kernel_events", w->events[RP_EV_KERNEL]);
	json_kv_u64(j, "user_lost", w->lost[RP_EV_USER]);
	json_kv_u64(j, "kernel_lost", w->lost[RP_EV_KERNEL]);
	json_kv_u64(j, "lines", w->pairs);
	json_kv_u64(j, "joined", w->joined);
	json_kv_u64(j, "mismatches", w->mismatches);
	json_key(j, "first_mismatch");
	if (w->first_mismatch < 0) {
		json_null(j);
	} else {
		json_begin_object(j);
		json_kv_i64(j, "index", w->first_mismatch);
		json_kv_string(j, "why", events_why_name(w->first_why));
		json_end_object(j);
	}
}

static void json_integrity(struct json_writer *j, const struct rp_ev_worker *w)
{
	json_key(j, "bytes");
	json_begin_object(j);
	json_dirs(j, "user", w->bytes[RP_EV_USER]);
	json_dirs(j, "kernel", w->bytes[RP_EV_KERNEL]);
	json_end_object(j);
	json_kv_u64(j, "crc_bad_responses", w->crc_bad);
	json_kv_u64(j, "body_bytes", w->body_bytes);
	json_kv_u64(j, "crc_errors", w->crc_errors);
	json_kv_bool(j, "checked", w->checked);
	json_kv_bool(j, "agrees", w->agrees);
	json_kv_string(j, "disagree", w->disagree);
}

static void json_worker(struct json_writer *j, const struct rp_ev_worker *w)
{
	json_begin_object(j);
	if (w->id >= 0) {
		json_kv_i64(j, "id", w->id);
		json_kv_u64(j, "tid", w->tid);
	}
	json_join(j, w);
	json_dirs(j, "calls", w->calls);
	json_kv_u64(j, "responses", w->responses);
	json_kv_i64(j, "extra_recv_calls", events_extra(w));
	json_kv_u64(j, "multi", w->multi);
	json_kv_u64(j, "multi_response_calls", w->multi_calls);
	json_classes(j, w);
	json_kv_u64(j, "kernel_evidence", w->evidence);
	json_kv_u64_array(j, "recv_calls_per_response", w->cpr, RP_EV_CPR_SLOTS);
	json_kv_u64_array(j, "skbs_per_recv", w->skbs_per_recv, RP_SKB_SLOTS);
	json_dirs(j, "skbs", w->skbs);
	json_key(j, "data_segs");
	if (w->segs_known) {
		json_begin_object(j);
		json_kv_u64(j, "in", w->segs_in);
		json_kv_u64(j, "out", w->segs_out);
		json_end_object(j);
	} else {
		json_null(j);
	}
	json_integrity(j, w);
	json_end_object(j);
}

void events_write_json(struct json_writer *j, const struct rp_ev_summary *s)
{
	json_key(j, "events");
	json_begin_object(j);
	json_kv_bool(j, "has_kernel", s->has_kernel);
	json_kv_string(j, "body_check", s->echo ? "bytes" : "crc32");
	json_key(j, "workers");
	json_begin_array(j);
	for (int i = 0; i < s->nworkers; i++)
		json_worker(j, &s->w[i]);
	json_end_array(j);
	json_key(j, "total");
	json_worker(j, &s->total);
	json_end_object(j);
}
