// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The TCP socket counters described once: struct rp_ktcp (a worker's or
 * the server's sockets, live and closed, summed) and struct rp_ksum (a
 * slot's closed sockets as the kernel folds them, bpf/rp_sock.bpf.h).
 * A live socket is folded into a struct rp_ksum the kernel's way
 * (ktcp_fold_sock), and both sums into struct rp_ktcp by name.
 */
#include "report.h"
#include "schema.h"

#define T(m, kind, merge) RP_FIELD(rp_ktcp, m, #m, RP_FK_##kind, RP_MERGE_##merge)

static const struct rp_field ktcp_fields[] = {
	{T(sockets, U64, SUM), .label = "sockets", .unit = "sockets",
	 .what = "sockets traced, live and closed"},
	{T(inexact, U64, SUM), .label = "seen late", .unit = "sockets",
	 .what = "sockets first seen after data had moved: their segments are lower bounds"},
	{T(data_segs_out, U64, SUM), .unit = "segments",
	 .what = "data segments sent (tcp_sock.data_segs_out deltas)"},
	{T(data_segs_in, U64, SUM), .unit = "segments", .what = "data segments received"},
	{T(segs_out, U64, SUM), .label = "all segs out", .unit = "segments",
	 .what = "all segments sent, pure ACKs and control included"},
	{T(segs_in, U64, SUM), .label = "all segs in", .unit = "segments",
	 .what = "all segments received"},
	{T(retransmits, U64, SUM), .label = "retrans", .need = RP_FEAT_RETRANSMIT,
	 .unit = "segments", .what = "segments retransmitted (tcp_retransmit_skb)"},
	{T(snd_cwnd, U32, GAUGE), .label = "cwnd", .unit = "segments",
	 .what = "congestion window at a call's return, one socket's"},
	{T(srtt_us, U32, GAUGE), .label = "srtt", .flags = RP_FF_UNIT, .unit = "us",
	 .what = "smoothed RTT at a call's return, one socket's"},
	{T(mss, U32, GAUGE), .label = "mss", .unit = "bytes", .what = "mss_cache, one socket's"},
};

const struct rp_family rp_ktcp_family = {
	"ktcp",
	ktcp_fields,
	sizeof(ktcp_fields) / sizeof(ktcp_fields[0]),
	sizeof(struct rp_ktcp),
};

/* Named as the rp_ktcp field each one folds into; calls, bytes and
 * unlisted are `reqperf trace`'s "closed_sockets". */
#define S(m, k, kind, merge) RP_FIELD(rp_ksum, m, k, RP_FK_##kind, RP_MERGE_##merge)

static const struct rp_field ksum_fields[] = {
	{S(sockets, "sockets", U64, SUM)},
	{S(inexact, "inexact", U64, SUM)},
	{S(data_segs_in, "data_segs_in", U64, SUM)},
	{S(data_segs_out, "data_segs_out", U64, SUM)},
	{S(segs_in, "segs_in", U64, SUM)},
	{S(segs_out, "segs_out", U64, SUM)},
	{S(retransmits, "retransmits", U64, SUM)},
	{S(snd_cwnd, "snd_cwnd", U32, GAUGE)},
	{S(srtt_us, "srtt_us", U32, GAUGE)},
	{S(mss_cache, "mss", U32, GAUGE)},
	{S(pad, "pad", U32, OWN), .unit = "", .what = "alignment"},
	{S(calls, "closed_calls", HIST, SUM), .unit = "calls",
	 .what = "the closed sockets' calls, send and recv"},
	{S(bytes, "closed_bytes", HIST, SUM), .unit = "bytes", .what = "and their bytes"},
	{S(unlisted, "unlisted", U64, SUM), .unit = "sockets",
	 .what = "closed sockets with no row in rp_socks_done (it was full)"},
};

const struct rp_family rp_ksum_family = {
	"ksum",
	ksum_fields,
	sizeof(ksum_fields) / sizeof(ksum_fields[0]),
	sizeof(struct rp_ksum),
};

void ktcp_fold_sock(struct rp_ksum *sum, const struct rp_ksock *s)
{
	sum->sockets++;
	sum->inexact += !s->exact;
#define RP_FOLD_DELTA(f) sum->f += (__u32)(s->last_##f - s->first_##f);
	RP_KSOCK_DELTAS(RP_FOLD_DELTA)
#undef RP_FOLD_DELTA
	sum->retransmits += s->retransmits;
	if (!sum->mss_cache) {
		sum->snd_cwnd = s->snd_cwnd;
		sum->srtt_us = s->srtt_us;
		sum->mss_cache = s->mss_cache;
	}
	for (int d = 0; d < RP_NDIR; d++) {
		sum->calls[d] += s->calls[d];
		sum->bytes[d] += s->bytes[d];
	}
}

void ktcp_fold(struct rp_ktcp *k, const struct rp_ksum *sum)
{
	for (size_t i = 0; i < rp_ksum_family.n; i++) {
		const struct rp_field *src = &ksum_fields[i];
		const struct rp_field *dst = family_field(&rp_ktcp_family, src->name);
		struct rp_ktcp one = {0};

		if (!dst)
			continue;
		field_set_u64(&one, dst, field_u64(sum, src));
		field_merge(dst, k, &one);
	}
}
