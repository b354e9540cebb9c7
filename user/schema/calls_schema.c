// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The per-call counters described once: struct rp_calls (one call type,
 * send or recv, as the user or the kernel side saw it) and struct rp_kdir
 * (the kernel's per-CPU value they are read from). Table order is the
 * JSON, CSV and text order.
 */
#include "report.h"
#include "segments.h"
#include "schema.h"

#define C(m, k, kind, merge) RP_FIELD(rp_calls, m, k, RP_FK_##kind, RP_MERGE_##merge)
/* Read from the worker's struct rp_ucalls member m (calls_from_ucalls). */
#define U(m)                                                                                      \
	.src_off = offsetof(struct rp_ucalls, m), .src_size = sizeof(((struct rp_ucalls *)0)->m), \
	.src = "rp_ucalls." #m

static const struct rp_field calls_fields[] = {
	{C(calls, "calls", U64, SUM), U(calls), .label = "calls", .flags = RP_FF_BRIEF,
	 .unit = "calls", .what = "calls that returned (EINTR retried: counted, not an error)"},
	{C(bytes, "bytes", U64, SUM), U(bytes), .label = "bytes", .unit = "bytes",
	 .what = "sum of positive return values"},
	{C(eagain, "eagain", U64, SUM), U(eagain), .label = "eagain", .unit = "calls",
	 .what = "calls that returned EAGAIN"},
	{C(short_calls, "short", U64, SUM), U(short_calls), .label = "short", .unit = "calls",
	 .what = "0 < returned < asked"},
	{C(errors, "errors", U64, SUM), U(errors), .label = "errors", .unit = "calls",
	 .what = "calls that failed with another errno (not EAGAIN, not EINTR)"},
	{C(ns, "ns", SUMMARY, OWN), .src = "rp_ucalls.ns", .unit = "ns",
	 .what = "time per call: n, min, mean, max, stddev, percentiles"},
	{C(log2, "log2", HIST, SUM), .src = "rp_ucalls.ns", .unit = "calls",
	 .what = "time per call, log2 buckets: slot i counts [2^i, 2^(i+1)) ns"},
	{C(untimed, "untimed", U64, SUM), .label = "time unknown", .flags = RP_FF_KERNEL,
	 .unit = "calls",
	 .what = "returns whose start was not seen: in calls and bytes, not in ns"},
	{C(untimed_bytes, "untimed_bytes", U64, SUM), .label = "  its bytes", .flags = RP_FF_KERNEL,
	 .unit = "bytes", .what = "the bytes of those calls"},
	{C(skbs, "skbs", U64, SUM), .label = "skbs/call", .per_call = "%.2f",
	 .flags = RP_FF_KERNEL | RP_FF_SKBS, .unit = "skbs",
	 .what = "skbs filled (send) or drained (recv) by the timed calls"},
	{C(data_segs, "data_segs", U64, SUM), .label = "data segs", .flags = RP_FF_KERNEL,
	 .unit = "segments", .what = "data segments out (send) or in (recv), the sockets' deltas"},
	{C(size_goal_sum, "size_goal_sum", U64, SUM), .label = "size_goal", .per_call = "%.0f B",
	 .flags = RP_FF_KERNEL | RP_FF_SEND | RP_FF_SKBS, .unit = "bytes",
	 .what = "tcp_sendmsg's size_goal at each call's last skb, summed"},
	{C(queued_sum, "queued_sum", U64, SUM), .label = "queued avg", .per_call = "%.0f B",
	 .flags = RP_FF_KERNEL | RP_FF_RECV, .unit = "bytes",
	 .what = "bytes still queued (rcv_nxt - copied_seq) after each call, summed"},
	{C(queued_sum, "unsent_sum", U64, SUM), .flags = RP_FF_KERNEL | RP_FF_SEND | RP_FF_ALIAS,
	 .unit = "bytes",
	 .what = "send's queued_sum: bytes written but unsent (write_seq - snd_nxt) after each "
		 "timed send that wrote bytes, summed (CSV: kernel_send_queued_sum)"},
	{C(full_queued, "full_queued", U64, SUM), .label = "full+queued",
	 .flags = RP_FF_KERNEL | RP_FF_RECV, .unit = "calls",
	 .what = "filled the buffer with bytes left queued (buffer-limited)"},
	{C(short_empty, "short_empty", U64, SUM), .label = "short+empty",
	 .flags = RP_FF_KERNEL | RP_FF_RECV, .unit = "calls",
	 .what = "short with nothing queued (a partial arrival)"},
	{C(short_queued, "short_queued", U64, SUM), .label = "short+queued",
	 .flags = RP_FF_KERNEL | RP_FF_RECV, .unit = "calls",
	 .what = "short with bytes still queued"},
	{C(held, "held", NAMED, SUM), .sub = &rp_holds_family, .flags = RP_FF_KERNEL | RP_FF_SEND,
	 .unit = "calls",
	 .what = "timed sends that wrote bytes, by what held bytes unsent at their return "
		 "(docs/segments.md)"},
	{C(skb_hist, "skb_hist", HIST, SUM), .flags = RP_FF_KERNEL | RP_FF_SKBS, .unit = "calls",
	 .what = "timed calls by skbs filled or drained: 0..14, the last >= 15"},
};

const struct rp_family rp_calls_family = {
	"calls",
	calls_fields,
	sizeof(calls_fields) / sizeof(calls_fields[0]),
	sizeof(struct rp_calls),
};

/* The kernel's per-CPU value (bpf/reqperf.h, filled by rp_account.bpf.h).
 * A field named as one of rp_calls is copied there once summed over the
 * CPUs; the ns_* fields become the "ns" summary (kcounters.c). */
#define K(m, k, merge) RP_FIELD(rp_kdir, m, k, RP_FK_U64, RP_MERGE_##merge)

static const struct rp_field kdir_fields[] = {
	{K(calls, "calls", SUM)},
	{K(bytes, "bytes", SUM)},
	{K(eagain, "eagain", SUM)},
	{K(errors, "errors", SUM)},
	{K(short_calls, "short", SUM)},
	{K(ns_sum, "ns_sum", SUM), .unit = "ns", .what = "in-kernel time of the timed calls"},
	{K(ns_sq_lo, "ns_sq_lo", SUM128), .unit = "ns^2",
	 .what = "sum of squared times, low 64 bits"},
	{K(ns_sq_hi, "ns_sq_hi", OWN), .unit = "ns^2", .what = "and its high 64 bits"},
	{K(ns_min, "ns_min", MIN), .unit = "ns", .what = "shortest timed call (0: none yet)"},
	{K(ns_max, "ns_max", MAX), .unit = "ns", .what = "longest timed call"},
	{K(skbs, "skbs", SUM)},
	{K(size_goal_sum, "size_goal_sum", SUM)},
	{K(queued_sum, "queued_sum", SUM)},
	{K(full_queued, "full_queued", SUM)},
	{K(short_empty, "short_empty", SUM)},
	{K(short_queued, "short_queued", SUM)},
};

const struct rp_family rp_kdir_family = {
	"kdir",
	kdir_fields,
	sizeof(kdir_fields) / sizeof(kdir_fields[0]),
	sizeof(struct rp_kdir),
};

void calls_from_ucalls(struct rp_calls *c, const struct rp_ucalls *u, double trim_sigma)
{
	for (size_t i = 0; i < rp_calls_family.n; i++) {
		const struct rp_field *f = &calls_fields[i];

		if (f->src_size)
			field_set_u64(c, f, field_src_u64(u, f, 0));
	}
	calls_from_stats(c, &u->ns, trim_sigma);
}
