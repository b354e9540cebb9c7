// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The wire view's counters described once: struct rp_wire_cnt, one
 * direction at one place (bpf/rp_wire.h), summed over CPUs and
 * connections, and the tc programs' drops (enum rp_wire_drop). The text
 * rows, the JSON "wire" object and the CPU sum walk these tables.
 */
#include "schema.h"
#include "wire_report.h"

#define F(m, kind) RP_FIELD(rp_wire_cnt, m, #m, RP_FK_##kind, RP_MERGE_SUM), .label = #m

static const struct rp_field wire_fields[] = {
	{F(packets, U64), .unit = "skbs", .what = "skbs at the hook; a GSO or GRO skb is one"},
	{F(segs, U64), .unit = "segments",
	 .what = "TCP segments: gso_segs of a GSO skb, else 1; the packets on the wire once "
		 "segmentation is done"},
	{F(bytes, U64), .unit = "bytes", .what = "TCP payload bytes, retransmissions included"},
	{F(data_packets, U64), .unit = "skbs", .what = "skbs carrying payload"},
	{F(data_segs, U64), .unit = "segments", .what = "segments of the skbs carrying payload"},
	{F(gso_packets, U64), .unit = "skbs", .what = "skbs of more than one segment"},
	{F(gso_size_sum, U64), .unit = "bytes",
	 .what = "gso_size summed over those skbs (/ gso_packets: the MSS they are cut at)"},
	{F(pure_acks, U64), .unit = "packets", .what = "ACK only: no payload, no SYN, FIN or RST"},
	{F(syn, U64), .unit = "packets", .what = "packets with SYN"},
	{F(fin, U64), .unit = "packets", .what = "packets with FIN"},
	{F(rst, U64), .unit = "packets", .what = "packets with RST"},
	{F(retrans_packets, U64), .unit = "skbs",
	 .what = "data skbs starting below the highest sequence number already seen in that "
		 "direction at that place: retransmissions at the sender's egress; at the "
		 "receiver's ingress also packets that arrive late (reordered)"},
	{F(retrans_bytes, U64), .unit = "bytes", .what = "payload bytes below that number"},
	{F(new_bytes, U64), .unit = "bytes",
	 .what = "payload bytes above that number, which they then raise: each byte of the "
		 "stream once whatever the order; the wire's bytes in the path checks"},
	{RP_FIELD(rp_wire_cnt, plen_hist, "payload_log2_hist", RP_FK_HIST, RP_MERGE_SUM),
	 .unit = "skbs",
	 .what = "skbs by TCP payload bytes, log2: bucket 0 holds 0, bucket b holds [2^(b-1), "
		 "2^b), the last everything above"},
};

const struct rp_family rp_wire_family = {
	"wire",
	wire_fields,
	sizeof(wire_fields) / sizeof(wire_fields[0]),
	sizeof(struct rp_wire_cnt),
};

#define D(e, k) RP_ELEM(e, k), .label = k

static const struct rp_field wire_drop_fields[] = {
	{D(RP_WIRE_DROP_FLOWS, "flow_map_full"), .unit = "connections",
	 .what = "the flow map was full: a connection not followed (its packets not counted)"},
	{D(RP_WIRE_DROP_PCAP, "pcap_not_written"), .unit = "packets",
	 .what = "the pcap ring was full or the copy failed: a packet not written"},
	{D(RP_WIRE_DROP_PARSE, "unreadable"), .unit = "packets",
	 .what = "a headers load failed: a packet not counted"},
	{D(RP_WIRE_DROP_PKTS, "packet_events_lost"), .unit = "packets",
	 .what = "the packet-event ring (--lifecycle) was full: a data packet not recorded"},
};

const struct rp_family rp_wire_drops_family = {
	"wire_drops",
	wire_drop_fields,
	sizeof(wire_drop_fields) / sizeof(wire_drop_fields[0]),
	sizeof(uint64_t[RP_WIRE_NDROPS]),
};
