/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `reqperf trace`'s report: text and JSON of what was traced. */
#ifndef REQPERF_TRACE_OUT_H
#define REQPERF_TRACE_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "report.h"
#include "sock_rows.h"

struct trace_result {
	long pid; /* 0 with --comm */
	const char *comm; /* --comm, or the pid's comm */
	double secs;
	enum rp_backend backend;
	unsigned features;
	struct rp_calls k[RP_NDIR]; /* every traced call, all CPUs */
	struct rp_ktcp tcp; /* every traced socket, live and closed */
	struct rp_ksum closed; /* the sockets closed during the trace */
	struct rp_sock_row *rows; /* live and closed sockets, busiest first */
	int nrows;
	int max_rows; /* rows printed in text (all in JSON) */
	struct rp_cpu_report *cpus;
	int ncpus;
	uint64_t drops[RP_NDROPS];
};

void trace_print_text(FILE *out, const struct trace_result *r);
/* Returns 0, or -1 when writing failed. */
int trace_print_json(FILE *out, const struct trace_result *r);

#endif /* REQPERF_TRACE_OUT_H */
