// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --call-path in the text and JSON reports. */
#include <inttypes.h>

#include "callpath.h"
#include "json.h"
#include "schema.h"

static const char *const class_titles[RP_CPC_N] = {"send", "recv, data", "recv, none"};

static void row(FILE *out, const char *title, const char *stat, const struct rp_cp_stat *st,
		int which)
{
	fprintf(out, "  %-11s %-5s", title, stat);
	for (int s = 0; s < RP_CPS_N; s++) {
		if (s == RP_CPS_USER)
			fprintf(out, " =");
		if (s == RP_CPS_KERNEL)
			fprintf(out, "  |");
		if (!st[s].calls)
			fprintf(out, " %7s", "-");
		else if (which == 0)
			fprintf(out, " %7" PRIu64, st[s].p50_ns);
		else
			fprintf(out, " %7.0f", st[s].mean_ns);
	}
	fputc('\n', out);
}

void callpath_report_text(FILE *out, const struct rp_cp_report *r)
{
	char calls[32];

	if (!r->on)
		return;
	fprintf(out, "\ncall path: one call's time by stage, ns (--call-path; docs/overhead.md)\n");
	fprintf(out, "  %-11s %-5s", "calls", "");
	for (int s = 0; s < RP_CPS_N; s++)
		fprintf(out, "%s %7s",
			s == RP_CPS_USER     ? " ="
			: s == RP_CPS_KERNEL ? "  |"
					     : "",
			rp_cp_stage_names[s]);
	fputc('\n', out);
	for (int c = 0; c < RP_CPC_N; c++) {
		const struct rp_cp_stat *st = r->st[c];

		if (!st[RP_CPS_USER].calls)
			continue;
		snprintf(calls, sizeof(calls), "%" PRIu64, st[RP_CPS_USER].calls);
		row(out, class_titles[c], "p50", st, 0);
		row(out, calls, "mean", st, 1);
	}
	fprintf(out,
		"  entry: user t0 -> sys_enter; socket: -> first TCP tracepoint; tcp: -> socket "
		"layer's return;\n  return: -> sys_exit; exit: -> user t1. Means add up to the "
		"user mean; kernel = socket + tcp.\n");
	fprintf(out, "  joined %" PRIu64 " calls", r->joined);
	if (r->user_only || r->mismatched || r->user_dropped)
		fprintf(out,
			"; NOT joined: %" PRIu64 " without a kernel record, %" PRIu64
			" disagreeing, %" PRIu64 " over the events limit",
			r->user_only, r->mismatched, r->user_dropped);
	if (r->kernel_other)
		fprintf(out, "; %" PRIu64 " other syscalls of the workers", r->kernel_other);
	for (size_t i = 0; i < rp_cp_drops_family.n; i++) {
		const struct rp_field *f = &rp_cp_drops_family.fields[i];

		if (field_u64(r->drops, f))
			fprintf(out, "; DROPPED %s %" PRIu64, f->label, field_u64(r->drops, f));
	}
	fputc('\n', out);
}

void callpath_report_json(struct json_writer *j, const struct rp_cp_report *r)
{
	if (!r->on)
		return;
	json_key(j, "call_path");
	json_begin_object(j);
	json_kv_u64(j, "joined", r->joined);
	json_kv_u64(j, "user_only", r->user_only);
	json_kv_u64(j, "mismatched", r->mismatched);
	json_kv_u64(j, "user_dropped", r->user_dropped);
	json_kv_u64(j, "kernel_other", r->kernel_other);
	json_key(j, "drops");
	json_begin_object(j);
	for (size_t i = 0; i < rp_cp_drops_family.n; i++)
		json_kv_u64(j, rp_cp_drops_family.fields[i].name,
			    field_u64(r->drops, &rp_cp_drops_family.fields[i]));
	json_end_object(j);
	for (int c = 0; c < RP_CPC_N; c++) {
		json_key(j, rp_cp_class_names[c]);
		json_begin_object(j);
		for (int s = 0; s < RP_CPS_N; s++) {
			const struct rp_cp_stat *st = &r->st[c][s];

			json_key(j, rp_cp_stage_names[s]);
			json_begin_object(j);
			json_kv_u64(j, "calls", st->calls);
			json_kv_u64(j, "p50_ns", st->p50_ns);
			json_kv_u64(j, "p90_ns", st->p90_ns);
			json_kv_double(j, "mean_ns", st->mean_ns);
			json_end_object(j);
		}
		json_end_object(j);
	}
	json_end_object(j);
}
