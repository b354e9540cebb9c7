// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The scheduler view in the JSON report. */
#include "json.h"
#include "report.h"

static void write_softirq(struct json_writer *j, const char *key, const uint64_t n[RP_NSOFTIRQ],
			  const uint64_t ns[RP_NSOFTIRQ])
{
	json_key(j, key);
	json_begin_object(j);
	if (n) {
		json_kv_u64(j, "net_rx_n", n[RP_SOFTIRQ_NET_RX]);
		json_kv_u64(j, "net_tx_n", n[RP_SOFTIRQ_NET_TX]);
	}
	json_kv_u64(j, "net_rx_ns", ns[RP_SOFTIRQ_NET_RX]);
	json_kv_u64(j, "net_tx_ns", ns[RP_SOFTIRQ_NET_TX]);
	json_end_object(j);
}

void json_rusage(struct json_writer *j, bool has, const uint64_t nvcsw[2], const uint64_t nivcsw[2])
{
	json_key(j, "rusage");
	if (!has) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kv_u64(j, "nvcsw_lo", nvcsw[0]);
	json_kv_u64(j, "nvcsw_hi", nvcsw[1]);
	json_kv_u64(j, "nivcsw_lo", nivcsw[0]);
	json_kv_u64(j, "nivcsw_hi", nivcsw[1]);
	json_end_object(j);
}

static void write_rusage(struct json_writer *j, const struct rp_sched_worker *s)
{
	const uint64_t nv[2] = {s->ru_nvcsw_lo, s->ru_nvcsw_hi};
	const uint64_t niv[2] = {s->ru_nivcsw_lo, s->ru_nivcsw_hi};

	json_rusage(j, s->has_rusage, nv, niv);
}

static void write_cpus(struct json_writer *j, const struct rp_sched_worker *s)
{
	json_key(j, "cpus");
	json_begin_array(j);
	for (int i = 0; i < s->ncpus; i++) {
		const struct rp_sched_wcpu *c = &s->cpus[i];

		if (!c->oncpu_ns && !c->switch_in && !c->calls[RP_SEND] && !c->calls[RP_RECV])
			continue;
		json_begin_object(j);
		json_kv_i64(j, "cpu", i);
		json_kv_u64(j, "oncpu_ns", c->oncpu_ns);
		json_kv_u64(j, "switch_in", c->switch_in);
		json_kv_u64(j, "send_calls", c->calls[RP_SEND]);
		json_kv_u64(j, "recv_calls", c->calls[RP_RECV]);
		write_softirq(j, "softirq", NULL, c->softirq_ns);
		json_end_object(j);
	}
	json_end_array(j);
}

static void write_kernel(struct json_writer *j, const struct rp_sched_worker *s)
{
	json_kv_string(j, "kernel_policy", s->kpolicy >= 0 ? sched_policy_name(s->kpolicy) : NULL);
	json_key(j, "kernel_priority");
	if (s->kpolicy >= 0)
		json_i64(j, s->kprio);
	else
		json_null(j);
	json_kv_bool(j, "kernel_policy_in_window", s->kpolicy_in_window);
	json_kv_u64(j, "migrations", s->migrations);
	json_kv_u64(j, "nvcsw", s->nvcsw);
	json_kv_u64(j, "nivcsw", s->nivcsw);
	json_kv_u64(j, "switch_in", s->switch_in);
	json_kv_u64(j, "switch_in_unseen", s->switch_in_unseen);
	json_kv_u64(j, "oncpu_ns", s->oncpu_ns);
	json_kv_u64(j, "offcpu_ns", s->offcpu_ns);
	json_key(j, "runq");
	json_begin_object(j);
	json_kv_u64(j, "n", s->runq_n);
	json_kv_u64(j, "sum_ns", s->runq_ns);
	json_kv_u64(j, "max_ns", s->runq_max);
	json_kv_u64_array(j, "log2", s->runq_log2, RP_LOG2_SLOTS);
	json_end_object(j);
	write_softirq(j, "softirq", s->softirq_n, s->softirq_ns);
	json_kv_double(j, "softirq_share", sched_softirq_share(s));
	write_cpus(j, s);
}

void report_sched_worker_json(struct json_writer *j, const struct rp_worker_report *w)
{
	const struct rp_sched_worker *s = &w->sched_view;

	json_key(j, "sched_view");
	json_begin_object(j);
	json_kv_bool(j, "has_kernel", s->has_kernel);
	json_kv_u64(j, "window_ns", s->window_ns);
	json_kv_i64(j, "window_cpu", s->window_cpu);
	write_rusage(j, s);
	if (s->has_kernel)
		write_kernel(j, s);
	json_end_object(j);
}

void report_sched_cpus_json(struct json_writer *j, const struct rp_report *r)
{
	json_key(j, "sched_cpus");
	json_begin_array(j);
	for (int i = 0; i < r->nsched_cpus; i++) {
		const struct rp_sched_cpu *c = &r->sched_cpus[i];

		json_begin_object(j);
		json_kv_i64(j, "cpu", c->cpu);
		json_kv_u64(j, "worker_oncpu_ns", c->worker_oncpu_ns);
		write_softirq(j, "softirq", c->softirq_n, c->softirq_ns);
		write_softirq(j, "worker_softirq", NULL, c->worker_softirq_ns);
		json_end_object(j);
	}
	json_end_array(j);
}
