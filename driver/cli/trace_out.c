// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `reqperf trace`'s report, text and JSON; the JSON's kernel sections are
 * the run report's (report_json.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sock_rows.h"
#include "report_json.h"
#include "report_text.h"
#include "schema.h"
#include "trace_out.h"
#include "trace_target.h"

/* A CPU's mean, or "-" when some call of that direction was untimed
 * (its count per CPU is not kept, so the mean would be diluted). */
static void cpu_mean(char *b, size_t n, const struct trace_result *r, const struct rp_cpu_report *c,
		     int d)
{
	if (r->k[d].untimed || !c->calls[d])
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%.0f", rp_cpu_mean_ns(c, d));
}

static void print_cpus(FILE *out, const struct trace_result *r)
{
	char m[RP_NDIR][24];

	fprintf(out, "%-6s %10s %11s %8s %10s %11s %8s\n", "CPU", "send calls", "bytes", "mean ns",
		"recv calls", "bytes", "mean ns");
	for (int i = 0; i < r->ncpus; i++) {
		const struct rp_cpu_report *c = &r->cpus[i];

		if (!c->calls[RP_SEND] && !c->calls[RP_RECV])
			continue;
		for (int d = 0; d < RP_NDIR; d++)
			cpu_mean(m[d], sizeof(m[d]), r, c, d);
		fprintf(out,
			"%-6d %10" PRIu64 " %11" PRIu64 " %8s %10" PRIu64 " %11" PRIu64 " %8s\n",
			c->cpu, c->calls[RP_SEND], c->bytes[RP_SEND], m[RP_SEND], c->calls[RP_RECV],
			c->bytes[RP_RECV], m[RP_RECV]);
	}
}

static void print_totals(FILE *out, const struct rp_calls k[RP_NDIR])
{
	static const char *const names[RP_NDIR] = {"send", "recv"};

	fprintf(out, "\n%-5s %9s %11s %7s %11s %6s %8s %8s %8s %8s %8s\n", "total", "calls",
		"bytes", "t.unkn", "t.unkn B", "EAGAIN", "mean ns", "min", "max", "p50", "p99");
	for (int d = 0; d < RP_NDIR; d++)
		fprintf(out,
			"%-5s %9" PRIu64 " %11" PRIu64 " %7" PRIu64 " %11" PRIu64 " %6" PRIu64
			" %8.0f %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n",
			names[d], k[d].calls, k[d].bytes, k[d].untimed, k[d].untimed_bytes,
			k[d].eagain, k[d].ns.mean, k[d].ns.min, k[d].ns.max, k[d].ns.p50,
			k[d].ns.p99);
	fprintf(out, "t.unkn: returns whose start was not seen (counted in calls and bytes,\n"
		     "        not in the times; docs/kernel-time.md)\n");
}

/* The kernel figures and the sockets' counters, walked from their
 * descriptions (schema.h) as the run report's table and tcp line are. */
static void print_details(FILE *out, const struct trace_result *r)
{
	struct table t = {NULL, r->k, r->features, true, false};
	struct tline l;

	fputc('\n', out);
	print_table(out, &t);
	tl_begin(&l, out, " tcp         ", 13, ", ");
	family_text_items(&l, &rp_ktcp_family, &r->tcp, 0, 0, r->features);
	tl_add(&l, "%" PRIu64 " closed during the trace", (uint64_t)r->closed.sockets);
	tl_end(&l);
}

/* One row per process owning live sockets (--comm may match several). */
static void print_procs(FILE *out, const struct trace_result *r)
{
	uint32_t *seen = calloc((size_t)r->nrows + 1, sizeof(*seen));
	int n = 0;

	if (!seen)
		return;
	for (int i = 0; i < r->nrows; i++) {
		int j = 0;

		while (j < n && seen[j] != r->rows[i].tgid)
			j++;
		if (j == n)
			seen[n++] = r->rows[i].tgid;
	}
	fprintf(out, "\nper process (its sockets)\n%-8s %-15s %7s %10s %11s %10s %11s\n", "pid",
		"comm", "sockets", "send calls", "bytes", "recv calls", "bytes");
	for (int j = 0; j < n; j++) {
		uint64_t socks = 0, c[RP_NDIR] = {0}, b[RP_NDIR] = {0};
		char comm[32];

		for (int i = 0; i < r->nrows; i++) {
			if (r->rows[i].tgid != seen[j])
				continue;
			socks++;
			for (int d = 0; d < RP_NDIR; d++) {
				c[d] += r->rows[i].dir[d].calls;
				b[d] += r->rows[i].dir[d].bytes;
			}
		}
		trace_pid_comm(seen[j], comm, sizeof(comm));
		fprintf(out,
			"%-8u %-15s %7" PRIu64 " %10" PRIu64 " %11" PRIu64 " %10" PRIu64
			" %11" PRIu64 "\n",
			seen[j], comm, socks, c[RP_SEND], b[RP_SEND], c[RP_RECV], b[RP_RECV]);
	}
	free(seen);
}

static void print_socks(FILE *out, const struct trace_result *r)
{
	int shown = r->nrows < r->max_rows ? r->nrows : r->max_rows;

	fprintf(out, "\nper socket (busiest first: %d of %d)\n", shown, r->nrows);
	sock_rows_text(out, r->rows, (size_t)shown);
	if (r->closed.unlisted)
		fprintf(out,
			"%" PRIu64
			" closed sockets have no row (no room); they are in the totals\n",
			(uint64_t)r->closed.unlisted);
}

/* Every drop counter that is not 0, by its report name. */
static void print_drops(FILE *out, const uint64_t *d)
{
	const char *sep = "not recorded: ";

	for (size_t i = 0; i < rp_drops_family.n; i++) {
		const struct rp_field *f = &rp_drops_family.fields[i];

		if (f->label && field_u64(d, f)) {
			fprintf(out, "%s%s %" PRIu64, sep, f->label, field_u64(d, f));
			sep = ", ";
		}
	}
	if (sep[0] == ',')
		fprintf(out, "\n");
}

void trace_print_text(FILE *out, const struct trace_result *r)
{
	if (r->pid)
		fprintf(out, "pid %ld (%s)", r->pid, r->comm);
	else
		fprintf(out, "comm %s", r->comm);
	fprintf(out, ", %.1f s, %s backend\n", r->secs, backend_name(r->backend));
	fprintf(out, "kernel time: %s\n\n", backend_time_definition(r->backend));
	print_cpus(out, r);
	print_totals(out, r->k);
	print_details(out, r);
	if (!r->pid)
		print_procs(out, r);
	print_socks(out, r);
	print_drops(out, r->drops);
}

static void json_closed(struct json_writer *j, const struct rp_ksum *c)
{
	json_key(j, "closed_sockets");
	json_begin_object(j);
	json_kv_u64(j, "sockets", c->sockets);
	json_kv_u64(j, "send_calls", c->calls[RP_SEND]);
	json_kv_u64(j, "send_bytes", c->bytes[RP_SEND]);
	json_kv_u64(j, "recv_calls", c->calls[RP_RECV]);
	json_kv_u64(j, "recv_bytes", c->bytes[RP_RECV]);
	json_kv_u64(j, "unlisted", c->unlisted);
	json_end_object(j);
}

int trace_print_json(FILE *out, const struct trace_result *r)
{
	struct rp_report rep = {
		.backend = r->backend, .features = r->features, .ncpus = r->ncpus, .cpus = r->cpus};
	struct json_writer j;

	memcpy(rep.drops, r->drops, sizeof(rep.drops));
	json_init(&j, out, true);
	json_begin_object(&j);
	json_kv_string(&j, "tool", "reqperf");
	json_kv_string(&j, "command", "trace");
	if (r->pid)
		json_kv_i64(&j, "pid", r->pid);
	else
		json_kv_string(&j, "pid", NULL);
	json_kv_string(&j, "comm", r->comm);
	json_kv_double(&j, "duration_s", r->secs);
	json_kv_string(&j, "backend", backend_name(r->backend));
	json_kv_string(&j, "kernel_time", backend_time_definition(r->backend));
	report_json_features(&j, &rep);
	report_json_side(&j, "kernel", r->k, true, true, r->features);
	report_json_ktcp(&j, &r->tcp, r->features);
	report_json_cpus(&j, &rep);
	json_key(&j, "sockets");
	json_begin_array(&j);
	for (int i = 0; i < r->nrows; i++)
		sock_row_json(&j, &r->rows[i]);
	json_end_array(&j);
	json_closed(&j, &r->closed);
	json_end_object(&j);
	return json_finish(&j);
}
