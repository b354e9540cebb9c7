/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The wire view's layouts, shared by rp_wire.bpf.c (tc programs on the
 * interfaces a run's packets cross) and user space (user/tracer/wire.c).
 */
#ifndef REQPERF_WIRE_H
#define REQPERF_WIRE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Where a packet was seen: leaving the sender's interface (tc egress) or
 * entering the receiver's (tc ingress, after GRO). On loopback one egress
 * pass is the whole path, so only RP_WIRE_TX is filled. */
enum rp_wire_at {
	RP_WIRE_TX = 0,
	RP_WIRE_RX = 1,
	RP_WIRE_NPLACES = 2,
};

/* Direction of a packet on one of the run's connections. */
enum rp_wire_dir {
	RP_WIRE_C2S = 0, /* client (worker) to server */
	RP_WIRE_S2C = 1,
	RP_WIRE_NDIR = 2,
};

/* TCP payload bytes per packet, log2: bucket 0 holds 0, bucket b >= 1
 * holds [2^(b-1), 2^b), the last one everything from 2^(N-2) up. */
#define RP_WIRE_PLEN_BUCKETS 19

/* One direction at one place, summed over CPUs by the reader. */
struct rp_wire_cnt {
	__u64 packets; /* skbs at the hook (a GSO/GRO skb is one) */
	__u64 segs; /* TCP segments: gso_segs for a GSO skb, else 1 */
	__u64 bytes; /* TCP payload bytes */
	__u64 data_packets; /* skbs carrying payload */
	__u64 data_segs; /* segments of those skbs */
	__u64 gso_packets; /* skbs of more than one segment */
	__u64 gso_size_sum; /* their gso_size, summed */
	__u64 pure_acks; /* ACK, no payload, no SYN/FIN/RST */
	__u64 syn;
	__u64 fin;
	__u64 rst;
	__u64 retrans_packets; /* data skbs starting below the direction's
				  highest sequence number already seen */
	__u64 retrans_bytes; /* payload bytes of those below that number */
	__u64 new_bytes; /* payload bytes above it: each byte once, in any order */
	__u64 plen_hist[RP_WIRE_PLEN_BUCKETS];
};

struct rp_wire_slot {
	struct rp_wire_cnt c[RP_WIRE_NPLACES][RP_WIRE_NDIR];
};

/* A connection of the run, oriented client -> server; addresses in
 * network byte order (IPv4 in the first word, the rest zero). */
struct rp_wire_key {
	__u32 caddr[4];
	__u32 saddr[4];
	__u16 cport; /* network byte order */
	__u16 sport;
	__u32 family; /* AF_INET or AF_INET6 */
};

/* One direction's sequence space at one place (bpf/rp_wire_seq.h). */
struct rp_wire_seq {
	__u32 nxt; /* one past the highest sequence number seen */
	__u32 seen; /* nxt is valid */
};

/* Per connection: the sequence space each direction reached at each
 * place (retransmissions are data below it), and its own byte and
 * segment totals at the place the pcap is written from. */
struct rp_wire_flow {
	struct rp_wire_seq seq[RP_WIRE_NPLACES][RP_WIRE_NDIR];
	__u64 bytes[RP_WIRE_NDIR];
	__u64 segs[RP_WIRE_NDIR];
	__u64 first_ns;
	__u64 last_ns;
};

/* What the programs could not record. */
enum rp_wire_drop {
	RP_WIRE_DROP_FLOWS = 0, /* flow map full: a connection not followed */
	RP_WIRE_DROP_PCAP = 1, /* pcap ring full or copy failed: a packet not written */
	RP_WIRE_DROP_PARSE = 2, /* a headers load failed: a packet not counted */
	RP_WIRE_DROP_PKTS = 3, /* packet-event ring full: a data packet not recorded */
	RP_WIRE_NDROPS = 4,
};

/* Largest --snaplen; the record's data array. */
#define RP_WIRE_SNAP_MAX 256

/* One captured packet for --pcap: its first caplen bytes. */
struct rp_wire_pkt {
	__u64 ns; /* CLOCK_MONOTONIC */
	__u32 len; /* bytes on the wire (a GSO skb's whole length) */
	__u32 caplen;
	__u8 data[RP_WIRE_SNAP_MAX];
};

/* One data packet of a followed connection, at one place, for the
 * per-response lifecycle (--lifecycle with --wire): where its payload
 * sits in its direction's sequence space and when it passed. */
struct rp_wire_pev {
	__u64 ns; /* CLOCK_MONOTONIC */
	__u32 seq; /* TCP sequence number of the first payload byte */
	__u32 plen; /* TCP payload bytes */
	__u16 cport; /* the client's port, host order: names the connection */
	__u16 segs; /* gso_segs, or 1 */
	__u8 at; /* enum rp_wire_at */
	__u8 dir; /* enum rp_wire_dir */
	__u8 flags; /* TCP flags byte */
	__u8 pad;
};

#endif /* REQPERF_WIRE_H */
