// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --bpf-stats: the programs' own cost per response, as text and JSON. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"
#include "report_bpf.h"

double report_bpf_ns_per_response(const struct rp_bpf_costs *c, uint64_t responses)
{
	uint64_t ns = 0;

	if (!responses)
		return 0;
	for (int i = 0; i < c->n; i++)
		ns += c->progs[i].run_ns;
	return (double)ns / (double)responses;
}

static int by_time(const void *a, const void *b)
{
	const struct rp_prog_cost *x = a, *y = b;

	return x->run_ns < y->run_ns ? 1 : x->run_ns > y->run_ns ? -1 : strcmp(x->name, y->name);
}

void report_bpf_text(FILE *out, const struct rp_report *r)
{
	const struct rp_bpf_costs *c = r->bpf;
	uint64_t resp = r->totals.responses;
	struct rp_prog_cost sorted[RP_MAX_PROG_COSTS];

	if (!c)
		return;
	fprintf(out,
		"bpf cost: %.0f ns per response (run time of every run of reqperf's programs,\n"
		"          any task's, over %d programs)\n",
		report_bpf_ns_per_response(c, resp), c->n);
	if (!resp)
		return;
	memcpy(sorted, c->progs, (size_t)c->n * sizeof(sorted[0]));
	qsort(sorted, (size_t)c->n, sizeof(sorted[0]), by_time);
	for (int i = 0; i < c->n; i++) {
		const struct rp_prog_cost *p = &sorted[i];

		if (!p->runs)
			continue;
		fprintf(out, "  %-20s %6.2f runs x %5.0f ns = %6.0f ns  (%u insns)\n", p->name,
			(double)p->runs / (double)resp, (double)p->run_ns / (double)p->runs,
			(double)p->run_ns / (double)resp, p->insns);
	}
}

void report_bpf_json(struct json_writer *j, const struct rp_report *r)
{
	const struct rp_bpf_costs *c = r->bpf;

	if (!c)
		return;
	json_key(j, "bpf_stats");
	json_begin_object(j);
	json_kv_u64(j, "responses", r->totals.responses);
	json_kv_double(j, "ns_per_response", report_bpf_ns_per_response(c, r->totals.responses));
	json_key(j, "programs");
	json_begin_array(j);
	for (int i = 0; i < c->n; i++) {
		json_begin_object(j);
		json_kv_string(j, "name", c->progs[i].name);
		json_kv_u64(j, "runs", c->progs[i].runs);
		json_kv_u64(j, "run_ns", c->progs[i].run_ns);
		json_kv_u64(j, "insns", c->progs[i].insns);
		json_kv_u64(j, "jited_bytes", c->progs[i].jited_bytes);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}
