// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The --compare model: settings, run order, a round's figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_compare.h"

const char *compare_name(enum rp_compare c)
{
	switch (c) {
	case RP_COMPARE_AFFINITY:
		return "affinity";
	case RP_COMPARE_SCHED:
		return "sched";
	case RP_COMPARE_BOTH:
		return "both";
	case RP_COMPARE_PROBE:
		return "probe";
	default:
		return "none";
	}
}

static void set(struct rp_cmp_setting *s, bool affinity, enum rp_sched sched, bool both)
{
	s->affinity = affinity;
	s->sched = sched;
	s->probe_off = false;
	if (both)
		snprintf(s->name, sizeof(s->name), "%s/%s", affinity ? "on" : "off",
			 sched_name(sched));
	else
		snprintf(s->name, sizeof(s->name), "%s", sched_name(sched));
}

int compare_settings(enum rp_compare c, bool affinity, enum rp_sched rt,
		     struct rp_cmp_setting out[RP_CMP_MAX_SETTINGS])
{
	switch (c) {
	case RP_COMPARE_AFFINITY:
		set(&out[0], true, rt, false);
		set(&out[1], false, rt, false);
		snprintf(out[0].name, sizeof(out[0].name), "on");
		snprintf(out[1].name, sizeof(out[1].name), "off");
		return 2;
	case RP_COMPARE_SCHED:
		set(&out[0], affinity, RP_SCHED_OTHER, false);
		set(&out[1], affinity, rt, false);
		return 2;
	case RP_COMPARE_BOTH:
		set(&out[0], true, RP_SCHED_OTHER, true);
		set(&out[1], true, rt, true);
		set(&out[2], false, RP_SCHED_OTHER, true);
		set(&out[3], false, rt, true);
		return 4;
	case RP_COMPARE_PROBE:
		set(&out[0], affinity, rt, false);
		set(&out[1], affinity, rt, false);
		out[0].probe_off = true;
		snprintf(out[0].name, sizeof(out[0].name), "off");
		snprintf(out[1].name, sizeof(out[1].name), "on");
		return 2;
	default:
		return 0;
	}
}

int compare_order(int round, int i, int nsettings)
{
	return nsettings > 0 ? (round + i) % nsettings : 0;
}

const char *compare_metric_key(int m)
{
	static const char *const keys[RP_NCM] = {
		[RP_CM_SEND_USER] = "send_user_ns",
		[RP_CM_SEND_KERNEL] = "send_kernel_ns",
		[RP_CM_RECV_USER] = "recv_user_ns",
		[RP_CM_RECV_KERNEL] = "recv_kernel_ns",
		[RP_CM_SEND_RATE] = "seed_send_rate",
		[RP_CM_RECV_RATE] = "seed_recv_rate",
		[RP_CM_RPS] = "rps",
		[RP_CM_RECV_CALLS] = "recv_calls",
		[RP_CM_MIGRATIONS] = "migrations",
		[RP_CM_NVCSW] = "nvcsw",
		[RP_CM_NIVCSW] = "nivcsw",
		[RP_CM_GAP] = "call_gap_ns",
		[RP_CM_RUNQ] = "runq_ns",
		[RP_CM_SOFTIRQ] = "softirq_share",
	};

	return m >= 0 && m < RP_NCM ? keys[m] : "?";
}

static double mean_of(const struct rp_calls *c)
{
	return c->calls ? c->ns.mean : NAN;
}

static void worker_from_report(const struct rp_worker_report *w, struct rp_cmp_worker *o)
{
	const struct rp_sched_worker *s = &w->sched_view;

	o->id = w->id;
	o->cpu = w->cpu;
	snprintf(o->sched, sizeof(o->sched), "%s", w->sched);
	o->priority = w->priority;
	for (int d = 0; d < RP_NDIR; d++) {
		o->mean_ns[0][d] = mean_of(&w->user[d]);
		o->mean_ns[1][d] = w->has_kernel ? mean_of(&w->kernel[d]) : NAN;
		o->calls[d] = w->user[d].calls;
	}
	o->sv = *s;
	o->sv.cpus = NULL;
	o->sv.ncpus = 0;
	if (!s->has_kernel)
		o->sv.kpolicy = -1;
	o->softirq_share = s->has_kernel ? sched_softirq_share(s) : NAN;
}

/* Sum over workers and both directions of user minus kernel call time;
 * NaN unless every worker has kernel figures. */
static double call_gap(const struct rp_report *r)
{
	double gap = 0;

	for (int i = 0; i < r->nworkers; i++) {
		const struct rp_worker_report *w = &r->workers[i];

		if (!w->has_kernel)
			return NAN;
		for (int d = 0; d < RP_NDIR; d++)
			gap += w->user[d].ns.mean * (double)w->user[d].calls -
			       w->kernel[d].ns.mean * (double)w->kernel[d].calls;
	}
	return r->nworkers ? gap : NAN;
}

/* Scheduler figures summed over the workers that have them. */
static void sched_sums(const struct rp_report *r, double *v)
{
	uint64_t mig = 0, nv = 0, niv = 0, runq = 0, soft = 0, on = 0;
	int n = 0;

	for (int i = 0; i < r->nworkers; i++) {
		const struct rp_sched_worker *s = &r->workers[i].sched_view;

		if (!s->has_kernel)
			continue;
		n++;
		mig += s->migrations;
		nv += s->nvcsw;
		niv += s->nivcsw;
		runq += s->runq_ns;
		on += s->oncpu_ns;
		for (int k = 0; k < RP_NSOFTIRQ; k++)
			soft += s->softirq_ns[k];
	}
	if (!n)
		return;
	v[RP_CM_MIGRATIONS] = (double)mig;
	v[RP_CM_NVCSW] = (double)nv;
	v[RP_CM_NIVCSW] = (double)niv;
	v[RP_CM_RUNQ] = (double)runq;
	v[RP_CM_SOFTIRQ] = on ? (double)soft / (double)on : NAN;
}

int compare_round_from_report(const struct rp_report *r, struct rp_cmp_round *out)
{
	const struct rp_totals *t = &r->totals;

	for (int m = 0; m < RP_NCM; m++)
		out->v[m] = NAN;
	out->elapsed_s = t->elapsed_s;
	out->v[RP_CM_SEND_USER] = mean_of(&t->user[RP_SEND]);
	out->v[RP_CM_RECV_USER] = mean_of(&t->user[RP_RECV]);
	if (t->has_kernel) {
		out->v[RP_CM_SEND_KERNEL] = mean_of(&t->kernel[RP_SEND]);
		out->v[RP_CM_RECV_KERNEL] = mean_of(&t->kernel[RP_RECV]);
	}
	out->v[RP_CM_SEND_RATE] = t->seed_send_rate;
	out->v[RP_CM_RECV_RATE] = t->seed_recv_rate;
	out->v[RP_CM_RPS] = t->rps;
	out->v[RP_CM_RECV_CALLS] = (double)t->user[RP_RECV].calls;
	out->v[RP_CM_GAP] = call_gap(r);
	sched_sums(r, out->v);
	out->nworkers = 0;
	out->workers = calloc(r->nworkers > 0 ? (size_t)r->nworkers : 1, sizeof(*out->workers));
	if (!out->workers)
		return -1;
	out->nworkers = r->nworkers;
	for (int i = 0; i < r->nworkers; i++)
		worker_from_report(&r->workers[i], &out->workers[i]);
	return 0;
}

void compare_report_free(struct rp_compare_report *c)
{
	for (int i = 0; c->rounds && i < c->nrounds; i++)
		free(c->rounds[i].workers);
	free(c->rounds);
	c->rounds = NULL;
	c->nrounds = 0;
}
