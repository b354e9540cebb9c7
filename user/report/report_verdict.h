/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The report's verdicts, read off the model once for every renderer: do the
 * byte counts agree across user, kernel and sink, do the kernel's segment
 * counts agree with TCP_INFO, what explains the extra recv calls in total.
 * The summary and the detailed blocks both print these, so they cannot
 * disagree with each other.
 */
#ifndef REQPERF_REPORT_VERDICT_H
#define REQPERF_REPORT_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

/* One direction's bytes in every view that has them. */
struct rp_bytes_check {
	uint64_t user; /* all workers */
	uint64_t traced; /* user bytes of the workers with kernel data */
	uint64_t kernel;
	uint64_t sink; /* bytes in (send) / out (recv) at the embedded sink */
	bool has_kernel, has_sink;
	bool checked; /* some second view exists to compare with */
	bool equal; /* kernel == traced and sink == user, where present */
};
void report_bytes_check(const struct rp_report *r, int dir, struct rp_bytes_check *c);

/* Kernel data-segment counts equal the worker's TCP_INFO deltas. */
bool report_segs_match(const struct rp_worker_report *w);

/* Everything the summary counts over the workers, from the model. */
struct rp_verdict {
	struct rp_bytes_check bytes[RP_NDIR];
	uint64_t body_bytes; /* verified by CRC32 (or byte by byte, echo) */
	struct rp_recv_tally recv; /* every worker's recv tally, summed */
	struct rp_extra_recv extra; /* recv_arith() of that sum, kernel evidence summed */
	uint64_t segs_out, segs_in; /* data segments, TCP_INFO, all workers */
	uint64_t retrans; /* TCP_INFO total_retrans, all workers */
	int kernel_workers; /* workers with kernel data */
	int segs_differ; /* workers whose kernel and TCP_INFO counts differ */
	int segs_late; /* workers with sockets first seen late */
	int sched_checked; /* workers with both switch views */
	int sched_differ; /* of those, kernel outside getrusage's bounds */
	int failed_workers; /* workers with an error message */
	int warned_workers; /* workers with a setting that did not take */
	uint64_t drops; /* kernel events lost, all counters */
	uint64_t sink_trouble; /* bad requests, too large, rejected, errors, timeouts */
};
void report_verdict(const struct rp_report *r, struct rp_verdict *v);

#endif /* REQPERF_REPORT_VERDICT_H */
