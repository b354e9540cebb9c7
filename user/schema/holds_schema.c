// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * What held a send's bytes at its return, described once: uint64_t
 * [RP_NHOLDS] by enum rp_hold (bpf/reqperf.h, rp_hold.bpf.h). The calls'
 * "held" field (worker and server sends alike), the segments' held_out and
 * held_in (JSON and text) walk this table; docs/segments.md says how each
 * class is read from the tcp_sock.
 */
#include "schema.h"
#include "segments.h"

#define H(e, k) RP_ELEM(e, k), .unit = "sends"

/* label NULL: not an item of the text's "held" lines (none is their
 * "N of M sends left bytes unsent"). */
static const struct rp_field hold_fields[] = {
	{H(RP_HOLD_NONE, "none"), .what = "nothing stayed unsent"},
	{H(RP_HOLD_AUTOCORK, "autocork"), .label = "autocork",
	 .what = "autocork: the tail below its size goal, earlier skbs in the qdisc or device"},
	{H(RP_HOLD_CWND, "cwnd"), .label = "cwnd", .what = "packets in flight >= snd_cwnd"},
	{H(RP_HOLD_RWND, "rwnd"), .label = "rwnd",
	 .what = "the next segment ends beyond the peer's window"},
	{H(RP_HOLD_CORK, "cork"), .label = "cork",
	 .what = "TCP_CORK or MSG_MORE with a partial head segment"},
	{H(RP_HOLD_NAGLE, "nagle"), .label = "nagle",
	 .what = "Nagle: a partial head segment while a small one is unacknowledged"},
	{H(RP_HOLD_TSQ, "tsq"), .label = "tsq",
	 .what = "TCP small queues: throttled with a full head segment"},
	{H(RP_HOLD_OTHER, "other"), .label = "other",
	 .what = "none of these (internal pacing, TSO deferral, ...)"},
};

const struct rp_family rp_holds_family = {
	"holds",
	hold_fields,
	sizeof(hold_fields) / sizeof(hold_fields[0]),
	sizeof(uint64_t[RP_NHOLDS]),
};

const char *hold_name(int i)
{
	const char *n =
		i >= 0 ? family_name_at(&rp_holds_family, (size_t)i * sizeof(uint64_t)) : NULL;

	return n ? n : "unknown";
}
