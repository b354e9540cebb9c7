// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A traced socket's report row described once (struct rp_sock_row and its
 * per-direction struct rp_sock_dir, sock_rows.h): where each field comes
 * from in the kernel's struct rp_ksock, its JSON key (`reqperf trace`'s
 * "sockets", the run report's "connections") and its text column. Table
 * order is the JSON and the column order.
 */
#include <stddef.h>

#include "schema.h"
#include "sock_rows.h"

/* Read from struct rp_ksock's member m; per direction at [d] unless the
 * field is RP_FF_RECV (one value, the recv side's). */
#define K(m)                                                                                    \
	.src_off = offsetof(struct rp_ksock, m), .src_size = sizeof(((struct rp_ksock *)0)->m), \
	.src = "rp_ksock." #m
#define KD(m)                                                                                      \
	.src_off = offsetof(struct rp_ksock, m), .src_size = sizeof(((struct rp_ksock *)0)->m[0]), \
	.src = "rp_ksock." #m "[dir]"
#define D(m, kind, merge) RP_FIELD(rp_sock_dir, m, #m, RP_FK_##kind, RP_MERGE_##merge)

static const struct rp_field sockdir_fields[] = {
	{D(calls, U64, SUM), KD(calls), .label = "calls", .unit = "calls",
	 .what = "calls on the socket that returned"},
	{D(bytes, U64, SUM), KD(bytes), .label = "bytes", .unit = "bytes",
	 .what = "bytes they moved"},
	{D(eagain, U64, SUM), KD(eagain), .label = "EAGAIN", .unit = "calls",
	 .what = "calls that returned EAGAIN"},
	{D(untimed, U64, SUM), KD(untimed), .label = "t.unkn", .unit = "calls",
	 .what = "returns whose start was not seen (in calls and bytes, not timed)"},
	{D(full_queued, U64, SUM), K(full_queued), .label = "buf-lim", .flags = RP_FF_RECV,
	 .unit = "calls", .what = "recv filled the buffer, bytes left queued"},
	{D(short_empty, U64, SUM), K(short_empty), .label = "partial", .flags = RP_FF_RECV,
	 .unit = "calls", .what = "recv short, nothing left queued (partial arrival)"},
	{D(short_queued, U64, SUM), K(short_queued), .flags = RP_FF_RECV, .unit = "calls",
	 .what = "recv short, bytes queued"},
};

const struct rp_family rp_sockdir_family = {
	"sock_dir",
	sockdir_fields,
	sizeof(sockdir_fields) / sizeof(sockdir_fields[0]),
	sizeof(struct rp_sock_dir),
};

#define R(m, k, kind, merge) RP_FIELD(rp_sock_row, m, k, RP_FK_##kind, RP_MERGE_##merge)
/* Folded the kernel's way (ktcp_fold_sock) and taken by name. */
#define FOLD .src = "rp_ksum (ktcp_fold_sock)"

static const char *const state_names[] = {"open", "closed"};

static const struct rp_field sockrow_fields[] = {
	{R(local, "local", STR, OWN), .label = "local", .unit = "",
	 .what = "the socket's own address:port (IPv6 in brackets; v4-mapped as IPv4)"},
	{R(remote, "remote", STR, OWN), .label = "remote", .unit = "", .what = "its peer's"},
	{R(tgid, "pid", U32, GAUGE), K(tgid), .label = "pid", .unit = "",
	 .what = "the process whose call made the entry"},
	{.name = "send",
	 .off = offsetof(struct rp_sock_row, dir[RP_SEND]),
	 .size = sizeof(struct rp_sock_dir),
	 .kind = RP_FK_NESTED,
	 .merge = RP_MERGE_OWN,
	 .flags = RP_FF_SEND,
	 .label = "s.",
	 .unit = "",
	 .what = "its send calls (sock_dir)"},
	{.name = "recv",
	 .off = offsetof(struct rp_sock_row, dir[RP_RECV]),
	 .size = sizeof(struct rp_sock_dir),
	 .kind = RP_FK_NESTED,
	 .merge = RP_MERGE_OWN,
	 .flags = RP_FF_RECV,
	 .label = "r.",
	 .unit = "",
	 .what = "its recv calls (sock_dir)"},
	{R(data_segs_out, "data_segs_out", U64, SUM), FOLD, .label = "segsout", .unit = "segments",
	 .what = "data segments out while traced (last - first snapshot)"},
	{R(data_segs_in, "data_segs_in", U64, SUM), FOLD, .label = "segsin", .unit = "segments",
	 .what = "data segments in while traced"},
	{R(retransmits, "retransmits", U64, SUM), FOLD, .label = "retr", .unit = "segments",
	 .what = "segments retransmitted (tcp_retransmit_skb)"},
	{R(snd_cwnd, "snd_cwnd", U32, GAUGE), FOLD, .label = "cwnd", .unit = "segments",
	 .what = "congestion window at the last call's return"},
	{R(srtt_us, "srtt_us", U32, GAUGE), FOLD, .label = "srtt us", .unit = "us",
	 .what = "smoothed RTT at the last call's return"},
	{R(mss, "mss", U32, GAUGE), FOLD, .unit = "bytes", .what = "mss_cache"},
	{R(exact, "exact", BOOL, OWN), K(exact), .unit = "",
	 .what = "first seen before any data moved (else its segments are lower bounds)"},
	{R(closed, "closed", BOOL, OWN), .label = "state", .texts = state_names, .unit = "",
	 .what = "closed while traced (its last figures)"},
};

const struct rp_family rp_sockrow_family = {
	"sock_row",
	sockrow_fields,
	sizeof(sockrow_fields) / sizeof(sockrow_fields[0]),
	sizeof(struct rp_sock_row),
};
