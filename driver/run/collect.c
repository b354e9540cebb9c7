// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "report_sched.h"

void collect_worker(struct rp_worker_report *w, const struct worker_result *r,
		    const struct rp_config *cfg)
{
	w->id = r->id;
	w->cpu = r->cpu;
	snprintf(w->sched, sizeof(w->sched), "%s", sched_policy_name(r->policy));
	w->priority = r->priority;
	w->counts = r->counts;
	snprintf(w->error, sizeof(w->error), "%s", r->error);
	snprintf(w->warning, sizeof(w->warning), "%s", r->sched_warning);
	for (int d = 0; d < RP_NDIR; d++)
		calls_from_ucalls(&w->user[d], &r->call[d], cfg->trim_sigma);
	w->recv = r->recv;
	w->tcp_info = r->tcp_info;
	lat_report_from(&w->lat, &r->lat);
}

void collect_latency(struct rp_report *rep, const struct worker_result *res, const size_t *got,
		     int n)
{
	struct rp_lat_result *all = malloc(sizeof(*all));

	if (!all)
		return;
	lat_result_init(all, false, false);
	for (int i = 0; i < n; i++)
		if (got[i])
			lat_result_merge(all, &res[i].lat);
	lat_report_from(&rep->lat, all);
	rep->lat_hist = all->lat;
	free(all);
}

double collect_elapsed(const struct worker_result *res, const size_t *got, int n)
{
	uint64_t start = UINT64_MAX, end = 0;

	for (int i = 0; i < n; i++) {
		if (!got[i] || !res[i].t_end_ns)
			continue;
		if (res[i].t_start_ns < start)
			start = res[i].t_start_ns;
		if (res[i].t_end_ns > end)
			end = res[i].t_end_ns;
	}
	return end > start ? (double)(end - start) / 1e9 : 0.0;
}
