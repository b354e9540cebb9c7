// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The --compare JSON document: settings, summary, and every round. */
#include <math.h>

#include "compare_stats.h"
#include "json.h"
#include "report_compare.h"

/* NaN (not measured) is null. */
static void kv_num(struct json_writer *j, const char *key, double v)
{
	json_key(j, key);
	if (isnan(v))
		json_null(j);
	else
		json_double(j, v);
}

static void write_config(struct json_writer *j, const struct rp_config *c)
{
	json_key(j, "config");
	json_begin_object(j);
	json_kv_i64(j, "workers", c->workers);
	json_kv_u64(j, "requests", c->requests);
	json_kv_double(j, "duration_s", c->duration_s);
	json_kv_string(j, "mode", mode_name(c->mode));
	json_kv_i64(j, "connections", c->connections);
	json_kv_u64(j, "recv_size", c->recv_size);
	json_kv_i64(j, "priority", c->priority);
	json_kv_string(j, "probe", probe_name(c->probe));
	json_end_object(j);
}

static void write_settings(struct json_writer *j, const struct rp_compare_report *c)
{
	json_key(j, "settings");
	json_begin_array(j);
	for (int s = 0; s < c->nsettings; s++) {
		json_begin_object(j);
		json_kv_string(j, "name", c->settings[s].name);
		json_kv_bool(j, "affinity", c->settings[s].affinity);
		json_kv_string(j, "sched", sched_name(c->settings[s].sched));
		json_kv_string(j, "probe",
			       c->settings[s].probe_off ? "off"
			       : c->config		? probe_name(c->config->probe)
							: "on");
		json_kv_bool(j, "baseline", s == 0);
		json_end_object(j);
	}
	json_end_array(j);
}

static int gather(const struct rp_compare_report *c, int s, int m, double *v)
{
	int n = 0;

	for (int i = 0; i < c->nrounds && n < CSTATS_MAX_N; i++)
		if (c->rounds[i].setting == s && c->rounds[i].status == 0)
			v[n++] = c->rounds[i].v[m];
	return n;
}

static void write_summary_metric(struct json_writer *j, const struct rp_compare_report *c, int s,
				 int m)
{
	double base[CSTATS_MAX_N], v[CSTATS_MAX_N];
	int nb = gather(c, 0, m, base), n = gather(c, s, m, v);
	struct cstats_cmp cmp;

	cstats_compare(v, n, base, nb, &cmp);
	json_key(j, compare_metric_key(m));
	json_begin_object(j);
	json_kv_i64(j, "n", cmp.n);
	kv_num(j, "median", cmp.median);
	kv_num(j, "min", cmp.lo);
	kv_num(j, "max", cmp.hi);
	kv_num(j, "ratio", cmp.ratio);
	json_kv_bool(j, "significant", cmp.significant);
	kv_num(j, "mann_whitney_p", cmp.p);
	kv_num(j, "min_possible_p", cmp.p_min);
	kv_num(j, "cliffs_delta", cmp.delta);
	json_end_object(j);
}

static void write_summary(struct json_writer *j, const struct rp_compare_report *c)
{
	json_key(j, "summary");
	json_begin_array(j);
	for (int s = 0; s < c->nsettings; s++) {
		json_begin_object(j);
		json_kv_string(j, "setting", c->settings[s].name);
		json_key(j, "metrics");
		json_begin_object(j);
		for (int m = 0; m < RP_NCM; m++)
			write_summary_metric(j, c, s, m);
		json_end_object(j);
		json_end_object(j);
	}
	json_end_array(j);
}

static void write_worker(struct json_writer *j, const struct rp_cmp_worker *w)
{
	static const char *const keys[2][RP_NDIR] = {{"send_user_ns", "recv_user_ns"},
						     {"send_kernel_ns", "recv_kernel_ns"}};

	json_begin_object(j);
	json_kv_i64(j, "id", w->id);
	json_kv_i64(j, "cpu", w->cpu);
	json_kv_string(j, "sched", w->sched);
	json_kv_i64(j, "priority", w->priority);
	const struct rp_sched_worker *s = &w->sv;
	const uint64_t nv[2] = {s->ru_nvcsw_lo, s->ru_nvcsw_hi};
	const uint64_t niv[2] = {s->ru_nivcsw_lo, s->ru_nivcsw_hi};

	json_kv_string(j, "kernel_policy", s->kpolicy >= 0 ? sched_policy_name(s->kpolicy) : NULL);
	json_kv_i64(j, "kernel_priority", s->kpolicy >= 0 ? s->kprio : -1);
	for (int k = 0; k < 2; k++)
		for (int d = 0; d < RP_NDIR; d++)
			kv_num(j, keys[k][d], w->mean_ns[k][d]);
	json_kv_u64(j, "send_calls", w->calls[RP_SEND]);
	json_kv_u64(j, "recv_calls", w->calls[RP_RECV]);
	json_kv_bool(j, "has_sched", s->has_kernel);
	json_kv_u64(j, "migrations", s->migrations);
	json_kv_u64(j, "nvcsw", s->nvcsw);
	json_kv_u64(j, "nivcsw", s->nivcsw);
	json_kv_u64(j, "switch_in_unseen", s->switch_in_unseen);
	json_kv_u64(j, "runq_n", s->runq_n);
	json_kv_u64(j, "runq_ns", s->runq_ns);
	json_kv_u64(j, "runq_max_ns", s->runq_max);
	json_kv_u64(j, "oncpu_ns", s->oncpu_ns);
	json_kv_u64(j, "offcpu_ns", s->offcpu_ns);
	kv_num(j, "softirq_share", w->softirq_share);
	json_rusage(j, s->has_rusage, nv, niv);
	json_end_object(j);
}

static void write_round(struct json_writer *j, const struct rp_compare_report *c,
			const struct rp_cmp_round *r)
{
	json_begin_object(j);
	json_kv_i64(j, "index", r->index);
	json_kv_i64(j, "round", r->round);
	json_kv_string(j, "setting", c->settings[r->setting].name);
	json_kv_i64(j, "status", r->status);
	json_kv_double(j, "elapsed_s", r->elapsed_s);
	json_key(j, "metrics");
	json_begin_object(j);
	for (int m = 0; m < RP_NCM; m++)
		kv_num(j, compare_metric_key(m), r->v[m]);
	json_end_object(j);
	json_key(j, "workers");
	json_begin_array(j);
	for (int w = 0; w < r->nworkers; w++)
		write_worker(j, &r->workers[w]);
	json_end_array(j);
	json_end_object(j);
}

int compare_json(FILE *out, const struct rp_compare_report *c)
{
	struct json_writer j;

	json_init(&j, out, true);
	json_begin_object(&j);
	json_kv_string(&j, "tool", "reqperf");
	json_kv_string(&j, "version", c->version);
	json_kv_string(&j, "compare", compare_name(c->what));
	json_kv_i64(&j, "repeat", c->repeat);
	kv_num(&j, "min_possible_p", cstats_min_p(c->repeat, c->repeat));
	json_kv_i64(&j, "rounds_needed", cstats_rounds_needed(CSTATS_ALPHA));
	json_kv_bool(&j, "interrupted", c->interrupted);
	if (c->config)
		write_config(&j, c->config);
	json_kv_string(&j, "backend", backend_name(c->backend));
	kv_num(&j, "load_before", c->load[0] >= 0 ? c->load[0] : NAN);
	kv_num(&j, "load_after", c->load[1] >= 0 ? c->load[1] : NAN);
	json_kv_i64(&j, "cpus_online", c->ncpus_online);
	write_settings(&j, c);
	write_summary(&j, c);
	json_key(&j, "rounds");
	json_begin_array(&j);
	for (int i = 0; i < c->nrounds; i++)
		write_round(&j, c, &c->rounds[i]);
	json_end_array(&j);
	json_end_object(&j);
	return json_finish(&j);
}
