/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --bpf-stats: what the kernel says reqperf's own programs cost during a
 * run (run count and run time of each program, its size), per response.
 */
#ifndef REQPERF_REPORT_BPF_H
#define REQPERF_REPORT_BPF_H

#include <stdint.h>
#include <stdio.h>

struct json_writer;
struct rp_report;

#define RP_MAX_PROG_COSTS 48

/* One loaded program, from bpf_prog_info while the kernel's run-time
 * statistics were on (BPF_ENABLE_STATS). */
struct rp_prog_cost {
	char name[32]; /* "rp_sys_enter" */
	uint64_t runs; /* run_cnt: every run, any task's */
	uint64_t run_ns; /* run_time_ns */
	uint32_t insns; /* verified (xlated) instructions */
	uint32_t jited_bytes; /* native code size */
};

struct rp_bpf_costs {
	int n;
	struct rp_prog_cost progs[RP_MAX_PROG_COSTS];
};

/* Pure: run time of all programs per response; 0 without responses. */
double report_bpf_ns_per_response(const struct rp_bpf_costs *c, uint64_t responses);
/* "bpf cost" lines: the total per response, then one line per program
 * that ran, largest first. Nothing when r->bpf is NULL. */
void report_bpf_text(FILE *out, const struct rp_report *r);
/* "bpf_stats": {"responses", "ns_per_response", "programs": [{"name",
 * "runs", "run_ns", "insns", "jited_bytes"}]}; nothing when
 * r->bpf is NULL. */
void report_bpf_json(struct json_writer *j, const struct rp_report *r);

#endif /* REQPERF_REPORT_BPF_H */
