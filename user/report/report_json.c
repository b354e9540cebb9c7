// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The JSON report: the contract in DESIGN.md plus every kernel figure. */
#include "callpath.h"
#include "events.h"
#include "json.h"
#include "lifecycle.h"
#include "segments.h"
#include "sock_rows.h"
#include "report.h"
#include "report_latency.h"
#include "report_impair.h"
#include "report_mib.h"
#include "report_bpf.h"
#include "report_json.h"
#include "report_link.h"
#include "report_path.h"
#include "schema.h"

static void write_ns(struct json_writer *j, const struct rp_summary *s, bool pct)
{
	json_key(j, "ns");
	json_begin_object(j);
	json_kv_u64(j, "n", s->n);
	json_kv_u64(j, "min", s->min);
	json_kv_double(j, "mean", s->mean);
	json_kv_u64(j, "max", s->max);
	json_kv_double(j, "stddev", s->stddev);
	if (pct) {
		json_kv_u64(j, "p50", s->p50);
		json_kv_u64(j, "p90", s->p90);
		json_kv_u64(j, "p99", s->p99);
		json_kv_u64(j, "p999", s->p999);
	}
	json_end_object(j);
}

/* A figure fed by an optional tracepoint is null when it was not loaded. */
static void kv_feature_u64(struct json_writer *j, const char *key, uint64_t v, bool have)
{
	json_key(j, key);
	if (have)
		json_u64(j, v);
	else
		json_null(j);
}

/* Where a family's fields are written: which side and direction, what
 * the kernel loaded, whether the percentiles are wanted. */
struct fields_ctx {
	int dir; /* RP_SEND, RP_RECV, -1: no direction */
	bool kernel;
	bool pct;
	unsigned features;
};

static bool field_listed(const struct rp_field *f, const struct fields_ctx *x)
{
	if ((f->flags & RP_FF_KERNEL) && !x->kernel)
		return false;
	if ((f->flags & RP_FF_SEND) && x->dir != RP_SEND)
		return false;
	return !((f->flags & RP_FF_RECV) && x->dir != RP_RECV);
}

static void write_tcp_info(struct json_writer *j, const struct rp_tcpinfo *t);

/* Every field of fam in base, in table order. */
static void write_fields(struct json_writer *j, const struct rp_family *fam, const void *base,
			 const struct fields_ctx *x)
{
	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];
		const void *p = (const char *)base + f->off;
		bool have = field_have(f, x->dir, x->features);

		if (!field_listed(f, x))
			continue;
		if (f->kind == RP_FK_SUMMARY) {
			write_ns(j, p, x->pct);
		} else if (f->kind == RP_FK_NESTED) {
			write_tcp_info(j, p);
		} else if (f->kind == RP_FK_HIST && have) {
			json_kv_u64_array(j, f->name, p, f->size / sizeof(uint64_t));
		} else if (f->kind == RP_FK_HIST) {
			json_key(j, f->name);
			json_null(j);
		} else if (f->kind == RP_FK_NAMED) {
			json_key(j, f->name);
			json_begin_object(j);
			for (size_t k = 0; k < f->sub->n; k++)
				json_kv_u64(j, f->sub->fields[k].name,
					    field_u64(p, &f->sub->fields[k]));
			json_end_object(j);
		} else {
			kv_feature_u64(j, f->name, field_u64(base, f), have);
		}
	}
}

/* CALLS of the contract; kernel adds its own figures, pct the percentiles. */
static void write_calls(struct json_writer *j, const char *key, const struct rp_calls *c,
			bool kernel, bool pct, int dir, unsigned features)
{
	struct fields_ctx x = {dir, kernel, pct, features};

	json_key(j, key);
	json_begin_object(j);
	write_fields(j, &rp_calls_family, c, &x);
	json_end_object(j);
}

void report_json_side(struct json_writer *j, const char *key, const struct rp_calls *c, bool kernel,
		      bool pct, unsigned features)
{
	json_key(j, key);
	json_begin_object(j);
	write_calls(j, "send", &c[RP_SEND], kernel, pct, RP_SEND, features);
	write_calls(j, "recv", &c[RP_RECV], kernel, pct, RP_RECV, features);
	json_end_object(j);
}

void report_json_ktcp(struct json_writer *j, const struct rp_ktcp *k, unsigned features)
{
	struct fields_ctx x = {-1, true, false, features};

	json_key(j, "ktcp");
	json_begin_object(j);
	write_fields(j, &rp_ktcp_family, k, &x);
	json_end_object(j);
}

static void write_tcp_info(struct json_writer *j, const struct rp_tcpinfo *t)
{
	struct fields_ctx x = {-1, true, false, ~0u};

	json_key(j, "tcp_info");
	json_begin_object(j);
	write_fields(j, &rp_tcpinfo_family, t, &x);
	json_end_object(j);
}

static void write_extra_recv(struct json_writer *j, const struct rp_worker_report *w)
{
	struct rp_extra_recv x;

	report_extra_recv(w, &x);
	json_key(j, "extra_recv");
	json_begin_object(j);
	json_kv_i64(j, "total", x.a.extra);
	json_kv_u64(j, "recv_calls", x.a.calls);
	json_kv_u64(j, "responses", x.a.responses);
	json_kv_u64(j, "completing", x.a.completing);
	json_kv_u64(j, "full_buffer", x.a.full_buffer);
	json_kv_u64(j, "short", x.a.short_reads);
	json_kv_u64(j, "eagain", x.a.eagain);
	json_kv_u64(j, "failed", x.a.failed);
	json_kv_u64(j, "multi_response_calls", x.a.multi_calls);
	json_kv_u64(j, "surplus_responses", x.a.surplus);
	json_kv_double(j, "responses_per_recv_call", x.a.responses_per_call);
	json_kv_double(j, "recv_calls_per_response", x.a.calls_per_response);
	json_kv_bool(j, "closes", x.a.closes);
	kv_feature_u64(j, "kernel_short_empty", x.k_short_empty, x.has_kernel);
	kv_feature_u64(j, "kernel_full_queued", x.k_full_queued, x.has_kernel);
	json_end_object(j);
}

static void write_worker(struct json_writer *j, const struct rp_report *r,
			 const struct rp_worker_report *w)
{
	struct fields_ctx x = {-1, true, false, ~0u};

	json_begin_object(j);
	json_kv_i64(j, "id", w->id);
	json_kv_i64(j, "cpu", w->cpu);
	json_kv_string(j, "sched", w->sched);
	json_kv_i64(j, "priority", w->priority);
	write_fields(j, &rp_worker_family, &w->counts, &x);
	json_kv_i64(j, "extra_recv_calls", (int64_t)w->recv.calls - (int64_t)w->recv.responses);
	write_extra_recv(j, w);
	json_kv_string(j, "error", w->error[0] ? w->error : NULL);
	json_kv_string(j, "warning", w->warning[0] ? w->warning : NULL);
	report_json_side(j, "user", w->user, false, true, r->features);
	if (w->has_kernel) {
		report_json_side(j, "kernel", w->kernel, true, true, r->features);
		report_json_ktcp(j, &w->ktcp, r->features);
	}
	write_tcp_info(j, &w->tcp_info);
	report_sched_worker_json(j, w);
	report_latency_worker_json(j, &w->lat);
	json_end_object(j);
}

static void write_config(struct json_writer *j, const struct rp_report *r,
			 const struct rp_config *c)
{
	json_key(j, "config");
	json_begin_object(j);
	json_kv_string(j, "target", r->target);
	json_kv_i64(j, "workers", c->workers);
	json_kv_u64(j, "requests", c->requests);
	json_kv_double(j, "duration_s", c->duration_s);
	json_kv_string(j, "mode", mode_name(c->mode));
	json_kv_i64(j, "pipeline", c->pipeline);
	json_kv_i64(j, "connections", c->connections);
	json_kv_u64(j, "recv_size", c->recv_size);
	json_kv_u64(j, "echo_size", c->echo_size);
	json_kv_bool(j, "nodelay", c->nodelay);
	json_kv_bool(j, "affinity", c->affinity);
	json_key(j, "cpus");
	json_begin_array(j);
	for (int i = 0; i < c->ncpus && i < RP_MAX_CPUS; i++)
		json_i64(j, c->cpus[i]);
	json_end_array(j);
	json_kv_string(j, "sched", sched_name(c->sched));
	json_kv_i64(j, "priority", c->priority);
	json_kv_double(j, "trim_sigma", c->trim_sigma);
	json_kv_string(j, "path", c->path);
	json_kv_string(j, "probe", probe_name(c->probe));
	json_kv_u64(j, "body_size", c->body_size);
	json_kv_i64(j, "sink_threads", c->sink_threads);
	json_end_object(j);
}

void report_json_features(struct json_writer *j, const struct rp_report *r)
{
	const struct fields_ctx every = {-1, true, false, ~0u};

	json_key(j, "features");
	json_begin_object(j);
	for (int i = 0; i < RP_NFEATURES; i++)
		json_kv_bool(j, rp_features[i].name, r->features & rp_features[i].bit);
	json_end_object(j);
	json_key(j, "drops");
	json_begin_object(j);
	write_fields(j, &rp_drops_family, r->drops, &every);
	json_end_object(j);
}

void report_json_cpus(struct json_writer *j, const struct rp_report *r)
{
	static const char *const dir[RP_NDIR] = {"send", "recv"};

	json_key(j, "cpus");
	json_begin_array(j);
	for (int i = 0; i < r->ncpus; i++) {
		const struct rp_cpu_report *c = &r->cpus[i];

		json_begin_object(j);
		json_kv_i64(j, "cpu", c->cpu);
		for (int d = 0; d < RP_NDIR; d++) {
			json_key(j, dir[d]);
			json_begin_object(j);
			json_kv_u64(j, "calls", c->calls[d]);
			json_kv_u64(j, "bytes", c->bytes[d]);
			json_kv_u64(j, "ns_sum", c->ns_sum[d]);
			json_kv_double(j, "mean_ns", rp_cpu_mean_ns(c, d));
			json_end_object(j);
		}
		json_end_object(j);
	}
	json_end_array(j);
}

static void write_totals(struct json_writer *j, const struct rp_report *r)
{
	const struct rp_totals *t = &r->totals;

	json_key(j, "totals");
	json_begin_object(j);
	for (size_t i = 0; i < rp_worker_family.n; i++) /* the totals' subset */
		if (rp_worker_family.fields[i].flags & RP_FF_TOTAL)
			json_kv_u64(j, rp_worker_family.fields[i].name,
				    field_u64(&t->counts, &rp_worker_family.fields[i]));
	json_kv_double(j, "elapsed_s", t->elapsed_s);
	json_kv_double(j, "rps", t->rps);
	/* 1 / mean call time, summed over workers (docs/design.md, "the seed
	 * experiment"); seed_*_rate: the old names, kept one release. */
	json_kv_double(j, "per_call_send_rate", t->seed_send_rate);
	json_kv_double(j, "per_call_recv_rate", t->seed_recv_rate);
	json_kv_double(j, "seed_send_rate", t->seed_send_rate);
	json_kv_double(j, "seed_recv_rate", t->seed_recv_rate);
	report_json_side(j, "user", t->user, false, false, r->features);
	if (t->has_kernel)
		report_json_side(j, "kernel", t->kernel, true, false, r->features);
	json_end_object(j);
}

static void write_sink(struct json_writer *j, const struct rp_sink_counters *s, int pid)
{
	struct fields_ctx x = {-1, true, false, ~0u};

	json_key(j, "sink");
	json_begin_object(j);
	json_kv_i64(j, "pid", pid);
	write_fields(j, &rp_sink_family, s, &x);
	json_end_object(j);
}

static void write_seg_dir(struct json_writer *j, const char *key, const struct rp_seg_dir *d)
{
	json_key(j, key);
	json_begin_object(j);
	json_kv_u64(j, "data_segs", d->segs);
	json_kv_u64(j, "messages", d->messages);
	json_kv_u64(j, "bytes", d->bytes);
	if (d->known) {
		json_kv_u64(j, "mss", d->mss);
		json_kv_string(j, "mss_from", d->mss_from);
		json_kv_u64(j, "min_per_message", d->per_msg);
		json_kv_u64(j, "min", d->min);
		json_kv_u64(j, "min_one_stream", d->stream_min);
		json_kv_i64(j, "beyond_min", d->beyond);
		json_kv_double(j, "segs_per_message", (double)d->segs / (double)d->messages);
	}
	json_end_object(j);
}

/* What held the sends of one direction at their return, null without a
 * kernel view of its sender. */
static void write_holds(struct json_writer *j, const char *key, bool have, const uint64_t *held)
{
	json_key(j, key);
	if (!have) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	for (size_t i = 0; i < rp_holds_family.n; i++)
		json_kv_u64(j, rp_holds_family.fields[i].name,
			    field_u64(held, &rp_holds_family.fields[i]));
	json_end_object(j);
}

static void write_segments(struct json_writer *j, const struct rp_report *r)
{
	struct rp_segments s;

	report_segments(r, &s);
	json_key(j, "segments");
	json_begin_object(j);
	write_seg_dir(j, "out", &s.out);
	write_seg_dir(j, "in", &s.in);
	json_key(j, "causes");
	json_begin_object(j);
	if (s.has_sink) {
		json_kv_u64(j, "sink_short_reads", s.sink_short_reads);
		json_kv_u64(j, "sink_split_writes", s.sink_split_writes);
		json_kv_u64(j, "sink_send_calls", s.sink_send_calls);
	}
	json_kv_u64(j, "client_short_sends", s.client_short_sends);
	json_kv_bool(j, "client_nodelay", s.nodelay);
	json_end_object(j);
	write_holds(j, "held_out", s.has_held_out, s.held_out);
	write_holds(j, "held_in", s.has_held_in, s.held_in);
	json_kv_string(j, "why", s.why);
	json_end_object(j);
}

/* The server end's kernel view, as a worker's. */
static void write_server(struct json_writer *j, const struct rp_report *r)
{
	const struct rp_server_report *s = &r->server;

	json_key(j, "server");
	json_begin_object(j);
	json_kv_string(j, "what", s->what);
	json_kv_i64(j, "processes", s->nprocs);
	if (s->has_kernel) {
		report_json_side(j, "kernel", s->kernel, true, true, r->features);
		report_json_ktcp(j, &s->ktcp, r->features);
	}
	json_end_object(j);
}

int report_json(FILE *out, const struct rp_report *r)
{
	const struct rp_config *c = r->config;
	struct rp_config defaults;
	struct json_writer j;

	if (!c) {
		config_defaults(&defaults);
		c = &defaults;
	}
	json_init(&j, out, true);
	json_begin_object(&j);
	json_kv_string(&j, "tool", "reqperf");
	json_kv_string(&j, "version", r->version);
	json_kv_string(&j, "run_id", r->run_id[0] ? r->run_id : NULL);
	write_config(&j, r, c);
	/* --start-at: asked and actual release, wall clock (docs/scale.md). */
	if (r->start_at > 0) {
		json_key(&j, "start");
		json_begin_object(&j);
		json_kv_double(&j, "at", r->start_at);
		json_kv_double(&j, "released", r->started_at);
		json_kv_double(&j, "late_s", r->started_at - r->start_at);
		json_end_object(&j);
	}
	json_kv_string(&j, "backend", backend_name(r->backend));
	json_kv_string(&j, "kernel_time", backend_time_definition(r->backend));
	report_json_features(&j, r);
	if (r->backend != RP_BACKEND_OFF) {
		json_key(&j, "btf");
		json_begin_object(&j);
		json_kv_i64(&j, "tcp_sendmsg_nargs", r->sendmsg_nargs);
		json_kv_i64(&j, "tcp_recvmsg_nargs", r->recvmsg_nargs);
		json_end_object(&j);
	}
	json_kv_bool(&j, "partial", r->partial);
	json_key(&j, "workers");
	json_begin_array(&j);
	for (int i = 0; i < r->nworkers; i++)
		write_worker(&j, r, &r->workers[i]);
	json_end_array(&j);
	report_json_cpus(&j, r);
	report_sched_cpus_json(&j, r);
	write_totals(&j, r);
	write_segments(&j, r);
	if (r->has_sink)
		write_sink(&j, &r->sink, r->sink_pid);
	report_link_json(&j, r);
	report_path_json(&j, r);
	if (r->server.traced)
		write_server(&j, r);
	report_latency_json(&j, r);
	report_impair_json(&j, r);
	report_mib_json(&j, r);
	report_bpf_json(&j, r);
	if (r->events)
		events_write_json(&j, r->events);
	if (r->call_path)
		callpath_report_json(&j, r->call_path);
	if (r->conns) {
		json_key(&j, "connections");
		json_begin_array(&j);
		for (int i = 0; i < r->nconns; i++)
			sock_row_json(&j, &r->conns[i]);
		json_end_array(&j);
	}
	if (r->lifecycle)
		lifecycle_write_json(&j, r->lifecycle);
	json_end_object(&j);
	return json_finish(&j);
}
