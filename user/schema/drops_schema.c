// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The drop counters described once: uint64_t[RP_NDROPS] indexed by enum
 * rp_drop (bpf/reqperf.h), what the kernel programs could not record. The
 * run report's JSON "drops" and text "kernel events lost" line and
 * `reqperf trace`'s "not recorded" line walk this table; a new drop kind
 * is its enum value plus one line here (test_schema fails without it).
 * The --call-path programs' drops (enum rp_cp_drop) are a family too.
 */
#include "callpath.h"
#include "report.h"
#include "schema.h"

#define D(e, k) RP_ELEM(e, k), .label = k

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
	{RP_ELEM(RP_DROP_BAD_SLOT, "other"), .flags = RP_FF_ALIAS, .unit = "calls",
	 .what = "bad_slot's old name, kept one release"},
};

const struct rp_family rp_drops_family = {
	"drops",
	drop_fields,
	sizeof(drop_fields) / sizeof(drop_fields[0]),
	sizeof(uint64_t[RP_NDROPS]),
};

static const struct rp_field cp_drop_fields[] = {
	{D(RP_CP_DROP_RING, "ring_full"), .unit = "calls",
	 .what = "--call-path: the ring buffer was full, a call's kernel record lost"},
	{D(RP_CP_DROP_TASK, "no_task_storage"), .unit = "calls",
	 .what = "--call-path: no task storage, a call not followed"},
};

const struct rp_family rp_cp_drops_family = {
	"call_path_drops",
	cp_drop_fields,
	sizeof(cp_drop_fields) / sizeof(cp_drop_fields[0]),
	sizeof(uint64_t[RP_CP_NDROPS]),
};

const char *drop_name(int i)
{
	const char *n =
		i >= 0 ? family_name_at(&rp_drops_family, (size_t)i * sizeof(uint64_t)) : NULL;

	return n ? n : "unknown";
}
