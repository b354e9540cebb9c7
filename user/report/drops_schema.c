// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The drop counters described once: uint64_t[RP_NDROPS] indexed by enum
 * rp_drop (bpf/reqperf.h), what the kernel programs could not record. The
 * run report's JSON "drops" and text "kernel events lost" line and
 * `reqperf trace`'s "not recorded" line walk this table; a new drop kind
 * is its enum value plus one line here (test_schema fails without it).
 */
#include "report.h"
#include "schema.h"

#define D(e, k)                                                                         \
	.name = k, .label = k, .off = (e) * sizeof(uint64_t), .size = sizeof(uint64_t), \
	.kind = RP_FK_U64, .merge = RP_MERGE_SUM

static const struct rp_field drop_fields[] = {
	{D(RP_DROP_INFLIGHT_FULL, "inflight_full"), .flags = RP_FF_SHOWN, .unit = "threads",
	 .what = "threads whose task storage could not be made: their calls are not timed"},
	{D(RP_DROP_SOCK_FULL, "sock_full"), .flags = RP_FF_SHOWN, .unit = "sockets",
	 .what = "sockets not tracked: the socket map was full"},
	{D(RP_DROP_UNMATCHED, "unmatched"), .flags = RP_FF_SHOWN, .unit = "calls",
	 .what = "fentry/kprobe: an entry whose return was never seen (the thread entered "
		 "again first); that call is not counted"},
	{D(RP_DROP_BAD_SLOT, "bad_slot"), .unit = "calls",
	 .what = "calls of a slot outside the counter maps"},
	{D(RP_DROP_RECURSION, "recursion_misses"), .unit = "runs",
	 .what = "program runs the kernel skipped because one was already running on that CPU "
		 "(bpf_prog_info.recursion_misses, summed by the loader)"},
	/* The old name of bad_slot, JSON only, kept one release (docs/report.md). */
	{.name = "other",
	 .off = RP_DROP_BAD_SLOT * sizeof(uint64_t),
	 .size = sizeof(uint64_t),
	 .kind = RP_FK_U64,
	 .merge = RP_MERGE_SUM,
	 .flags = RP_FF_ALIAS,
	 .unit = "calls",
	 .what = "bad_slot's old name, kept one release"},
};

const struct rp_family rp_drops_family = {
	"drops",
	drop_fields,
	sizeof(drop_fields) / sizeof(drop_fields[0]),
	sizeof(uint64_t[RP_NDROPS]),
};

const char *drop_name(int i)
{
	for (size_t k = 0; k < rp_drops_family.n; k++)
		if (i >= 0 && drop_fields[k].off == (size_t)i * sizeof(uint64_t) &&
		    !(drop_fields[k].flags & RP_FF_ALIAS))
			return drop_fields[k].name;
	return "unknown";
}
