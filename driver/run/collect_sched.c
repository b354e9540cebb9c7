// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The scheduler view of a finished run: workers' windows + kernel maps. */
#include <stdlib.h>

#include "collect_sched.h"
#include "tracer_sched.h"

static void collect_rusage(struct rp_sched_worker *s, const struct worker_result *r)
{
	s->has_rusage = r->has_rusage;
	s->ru_nvcsw_lo = r->ru_nvcsw[0];
	s->ru_nvcsw_hi = r->ru_nvcsw[1];
	s->ru_nivcsw_lo = r->ru_nivcsw[0];
	s->ru_nivcsw_hi = r->ru_nivcsw[1];
	s->window_ns = r->win_end_ns > r->win_start_ns ? r->win_end_ns - r->win_start_ns : 0;
	s->window_cpu = r->win_cpu;
	s->kpolicy = -1;
}

static void collect_cpus(struct rp_report *rep, struct rp_sched_view *v)
{
	rep->sched_cpus = calloc(RP_MAX_CPUS, sizeof(*rep->sched_cpus));
	if (!rep->sched_cpus)
		return;
	rep->nsched_cpus = sched_view_read_cpus(v, rep->sched_cpus, RP_MAX_CPUS);
	if (rep->nsched_cpus < 0)
		rep->nsched_cpus = 0;
	for (int i = 0; i < rep->nworkers; i++) {
		const struct rp_sched_worker *s = &rep->workers[i].sched_view;

		for (int cpu = 0; cpu < s->ncpus && cpu < rep->nsched_cpus; cpu++)
			rep->sched_cpus[cpu].worker_oncpu_ns += s->cpus[cpu].oncpu_ns;
	}
}

void collect_sched(struct rp_report *rep, struct rp_tracer *t, const struct worker_result *res,
		   const size_t *got)
{
	struct rp_sched_view *v = tracer_sched(t);

	for (int i = 0; rep->workers && i < rep->nworkers; i++) {
		const struct worker_result *r = &res[i];
		struct rp_sched_worker *s = &rep->workers[i].sched_view;
		struct rp_sched_hint h = {r->win_start_ns, r->win_end_ns, r->win_cpu};

		if (!got[i] || !r->has_rusage)
			continue;
		collect_rusage(s, r);
		if (v && sched_view_read_slot(v, (uint32_t)i, &h, s) < 0) {
			free(s->cpus);
			s->cpus = NULL;
			s->ncpus = 0;
			s->has_kernel = false;
		}
	}
	if (v && rep->workers)
		collect_cpus(rep, v);
}
