// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TCP_INFO described once (struct rp_tcpinfo): each field with the
 * struct tcp_info member it is read from and how two connections' values
 * combine. Reading a connection, summing the sink's threads, the JSON
 * "tcp_info" objects, the CSV tcp_info_* columns and the text report's
 * "sink tcp_info:" line (its labelled counters) walk this table; the
 * sender line derives times and shares from the rest (report_sender.c).
 */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/tcp.h>

#include "schema.h"
#include "tcpinfo.h"

#define T(m, k, kind, merge, ti)                                    \
	RP_FIELD(rp_tcpinfo, m, k, RP_FK_##kind, RP_MERGE_##merge), \
		.src_off = offsetof(struct tcp_info, ti),           \
		.src_size = sizeof(((struct tcp_info *)0)->ti), .src = #ti

/* Table order is the JSON and CSV order. */
static const struct rp_field tcpinfo_fields[] = {
	{RP_FIELD(rp_tcpinfo, conns, "connections", RP_FK_U64, RP_MERGE_SUM), .unit = "connections",
	 .what = "connections read (at their close)"},
	{T(data_segs_out, "data_segs_out", U64, SUM, tcpi_data_segs_out), .flags = RP_FF_DELTA,
	 .label = "data segs out", .unit = "segments", .what = "data segments sent"},
	{T(data_segs_in, "data_segs_in", U64, SUM, tcpi_data_segs_in), .flags = RP_FF_DELTA,
	 .label = "data segs in", .unit = "segments", .what = "data segments received"},
	{T(total_retrans, "total_retrans", U64, SUM, tcpi_total_retrans), .flags = RP_FF_DELTA,
	 .label = "retrans", .unit = "segments", .what = "segments retransmitted"},
	{T(dsack_dups, "dsack_dups", U64, SUM, tcpi_dsack_dups), .flags = RP_FF_DELTA,
	 .label = "dsack received", .unit = "segments",
	 .what = "duplicate segments received (a probe or a retransmit of data already here)"},
	{T(reord_seen, "reord_seen", U64, SUM, tcpi_reord_seen), .unit = "events",
	 .what = "reordering events the sender detected"},
	{T(snd_mss, "snd_mss", U32, MAX, tcpi_snd_mss), .unit = "bytes",
	 .what = "send MSS, the largest over the connections"},
	{T(rcv_mss, "rcv_mss", U32, MAX, tcpi_rcv_mss), .unit = "bytes",
	 .what = "receive MSS estimate, the largest"},
	{T(snd_cwnd, "snd_cwnd", U32, LAST, tcpi_snd_cwnd), .unit = "segments",
	 .what = "congestion window of the last connection closed"},
	{T(rtt_us, "rtt_us", U32, LAST, tcpi_rtt), .unit = "us", .what = "its smoothed RTT"},
	{T(busy_us, "busy_us", U64, SUM, tcpi_busy_time), .unit = "us",
	 .what = "sender busy: some data unacknowledged (tcp_chrono)"},
	{T(rwnd_limited_us, "rwnd_limited_us", U64, SUM, tcpi_rwnd_limited), .unit = "us",
	 .what = "of busy, the peer's receive window stopped the sender"},
	{T(sndbuf_limited_us, "sndbuf_limited_us", U64, SUM, tcpi_sndbuf_limited), .unit = "us",
	 .what = "of busy, its own send buffer did (the rest: cwnd-limited or app-paced)"},
	{T(delivery_rate_max, "delivery_rate_max", U64, MAX, tcpi_delivery_rate), .unit = "B/s",
	 .what = "highest delivery rate at a close"},
};

const struct rp_family rp_tcpinfo_family = {
	"tcp_info",
	tcpinfo_fields,
	sizeof(tcpinfo_fields) / sizeof(tcpinfo_fields[0]),
	sizeof(struct rp_tcpinfo),
};

void tcpinfo_from(struct rp_tcpinfo *one, const struct tcp_info *ti)
{
	memset(one, 0, sizeof(*one));
	for (size_t i = 0; i < rp_tcpinfo_family.n; i++) {
		const struct rp_field *f = &tcpinfo_fields[i];

		field_set_u64(one, f, f->src_size ? field_src_u64(ti, f, 0) : 1);
	}
}

void tcpinfo_since(struct rp_tcpinfo *one, const struct rp_tcpinfo *at)
{
	for (size_t i = 0; i < rp_tcpinfo_family.n; i++) {
		const struct rp_field *f = &tcpinfo_fields[i];
		uint64_t mask = f->src_size < 8 ? (1ULL << (8 * f->src_size)) - 1 : ~0ULL;

		/* the kernel's counter wraps at its own width */
		if (f->flags & RP_FF_DELTA)
			field_set_u64(one, f, (field_u64(one, f) - field_u64(at, f)) & mask);
	}
}

void tcpinfo_sum(struct rp_tcpinfo *d, const struct rp_tcpinfo *a)
{
	if (a->conns) /* none read: nothing, not even a last cwnd */
		family_merge(&rp_tcpinfo_family, d, a);
}

void tcpinfo_add_conn(struct rp_tcpinfo *t, const struct tcp_info *ti)
{
	struct rp_tcpinfo one;

	tcpinfo_from(&one, ti);
	tcpinfo_sum(t, &one);
}

int tcpinfo_add_fd(struct rp_tcpinfo *t, int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return -1;
	tcpinfo_add_conn(t, &ti);
	return 0;
}
