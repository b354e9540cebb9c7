// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <stdlib.h>

#include "report_latency.h"

static void row(FILE *out, const char *label, const struct rp_lat_summary *s)
{
	char b[32];

	fprintf(out, "  %-10s", label);
	if (!s->n) {
		fprintf(out, " no responses\n");
		return;
	}
	for (int i = 0; i < RP_LAT_NPCT; i++) {
		report_fmt_ns(b, sizeof(b), (double)s->p[i]);
		fprintf(out, "%11s", b);
	}
	report_fmt_ns(b, sizeof(b), (double)s->max);
	fprintf(out, "%11s\n", b);
}

static void rows(FILE *out, const char *who, const struct rp_lat_report *l)
{
	char label[32];

	if (!l->rate) {
		row(out, who, &l->lat);
		return;
	}
	snprintf(label, sizeof(label), "%s corr", who);
	row(out, label, &l->lat);
	snprintf(label, sizeof(label), "%s uncorr", who);
	row(out, label, &l->sent);
}

static void schedule_line(FILE *out, const struct rp_report *r)
{
	const struct rp_lat_report *l = &r->lat;
	char b[32];

	report_fmt_ns(b, sizeof(b), (double)l->lag_max_ns);
	fprintf(out, "schedule: %.0f/s asked, %.0f/s answered, %" PRIu64 " slots never sent\n",
		r->config->rate, r->totals.rps, l->unsent);
	fprintf(out, "  client lag >= 1 ms: %" PRIu64 " of %" PRIu64 " requests (max %s)\n",
		l->late, r->totals.requests, b);
	if (lat_schedule_missed(l, r->totals.requests))
		fprintf(out,
			"schedule NOT kept: this client and server could not keep this rate\n");
}

void report_latency_text(FILE *out, const struct rp_report *r, bool per_worker)
{
	if (!r->lat.on) {
		if (r->config && !r->config->latency_off && r->config->mode == RP_MODE_BURST &&
		    r->totals.responses)
			fprintf(out,
				"request latency: not recorded (burst over %u per connection)\n",
				RP_LAT_MAX_WINDOW);
		return;
	}
	if (r->lat.rate)
		fprintf(out, "request latency, --rate: corr from the intended send time, "
			     "uncorr from the send\n");
	else
		fprintf(out, "request latency: first byte to send() .. last byte from recv()\n");
	fprintf(out, "  %-10s", "");
	for (int i = 0; i < RP_LAT_NPCT; i++)
		fprintf(out, "%11s", rp_lat_pct_name[i]);
	fprintf(out, "%11s\n", "max");
	for (int i = 0; per_worker && i < r->nworkers; i++) {
		char who[16];

		snprintf(who, sizeof(who), "w%d", r->workers[i].id);
		if (r->workers[i].lat.on)
			rows(out, who, &r->workers[i].lat);
	}
	rows(out, "all", &r->lat);
	/* held: bytes still unsent after the request's last send() */
	fprintf(out,
		"  nagle stalls (>= 40 ms): %" PRIu64 " of %" PRIu64
		" held requests; TCP_NODELAY %s\n",
		r->lat.stalls, r->lat.held, r->config && r->config->nodelay ? "on" : "off");
	if (r->lat.rate && r->config)
		schedule_line(out, r);
}

static void summary_json(struct json_writer *j, const char *key, const struct rp_lat_summary *s)
{
	char k[24];

	json_key(j, key);
	json_begin_object(j);
	json_kv_u64(j, "n", s->n);
	json_kv_u64(j, "min", s->min);
	json_kv_double(j, "mean", s->mean);
	for (int i = 0; i < RP_LAT_NPCT; i++) {
		snprintf(k, sizeof(k), "%s", rp_lat_pct_key[i]);
		json_kv_u64(j, k, s->p[i]);
	}
	json_kv_u64(j, "max", s->max);
	json_end_object(j);
}

void report_latency_worker_json(struct json_writer *j, const struct rp_lat_report *l)
{
	json_key(j, "latency_ns");
	if (!l->on) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	summary_json(j, l->rate ? "corrected" : "request", &l->lat);
	json_key(j, "stalls");
	json_begin_object(j);
	json_kv_u64(j, "held", l->held);
	json_kv_u64(j, "stalled", l->stalls);
	json_kv_u64(j, "threshold", RP_STALL_NS);
	json_end_object(j);
	if (l->rate) {
		summary_json(j, "uncorrected", &l->sent);
		json_kv_u64(j, "late", l->late);
		json_kv_u64(j, "unsent", l->unsent);
		json_kv_u64(j, "lag_max", l->lag_max_ns);
	}
	json_end_object(j);
}

static void intervals_json(struct json_writer *j, const struct rp_report *r)
{
	json_key(j, "intervals");
	json_begin_array(j);
	for (size_t i = 0; i < r->nintervals; i++) {
		const struct rp_interval *v = &r->intervals[i];

		json_begin_object(j);
		json_kv_double(j, "t_s", v->t_s);
		json_kv_double(j, "dt_s", v->dt_s);
		json_kv_u64(j, "responses", v->responses);
		json_kv_double(j, "responses_per_s", v->dt_s > 0 ? v->responses / v->dt_s : 0);
		json_kv_u64(j, "p99_ns", v->p99_ns);
		json_kv_u64(j, "p99_run_ns", v->p99_run_ns);
		json_kv_u64(j, "errors", v->errors);
		json_kv_u64(j, "retransmits", v->retrans);
		json_end_object(j);
	}
	json_end_array(j);
}

/* The run's latency histogram, its non-empty buckets only: what lets
 * reqperf merge compute the percentiles of several hosts' runs exactly. */
static void hist_json(struct json_writer *j, const struct rp_report *r)
{
	const struct rp_stats *s = &r->lat_hist;
	uint64_t *idx = malloc(sizeof(uint64_t) * RP_HIST_BUCKETS);
	uint64_t *cnt = malloc(sizeof(uint64_t) * RP_HIST_BUCKETS);
	size_t n = 0;

	if (!idx || !cnt) {
		free(idx);
		free(cnt);
		return;
	}
	for (size_t i = 0; i < RP_HIST_BUCKETS; i++)
		if (s->hist[i]) {
			idx[n] = i;
			cnt[n++] = s->hist[i];
		}
	json_key(j, "latency_hist");
	json_begin_object(j);
	json_kv_string(j, "of", r->lat.rate ? "corrected" : "request");
	json_kv_u64(j, "sub_bits", RP_HIST_SUB_BITS);
	json_kv_u64(j, "buckets", RP_HIST_BUCKETS);
	json_kv_u64_array(j, "index", idx, n);
	json_kv_u64_array(j, "count", cnt, n);
	json_end_object(j);
	free(idx);
	free(cnt);
}

void report_latency_json(struct json_writer *j, const struct rp_report *r)
{
	const struct rp_config *c = r->config;

	report_latency_worker_json(j, &r->lat);
	if (r->lat.on && r->lat_hist.n)
		hist_json(j, r);
	if (r->lat.rate && c) {
		json_key(j, "schedule");
		json_begin_object(j);
		json_kv_double(j, "rate_asked", c->rate);
		json_kv_bool(j, "kept", !lat_schedule_missed(&r->lat, r->totals.requests));
		json_end_object(j);
	}
	if (r->intervals)
		intervals_json(j, r);
}
