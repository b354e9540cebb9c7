// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The wire view: tc programs on the interfaces the run's packets cross
 * (lo's egress, or both ends of the --netns veth pair, egress and
 * ingress). They follow only the run's own connections: a connection is
 * taken up when one of the run's processes sends its SYN to the server,
 * and every later packet of that 4-tuple, either way, is counted. Packets
 * are never changed or dropped (TC_ACT_UNSPEC: tc goes on as without us).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "rp_pkt.bpf.h"
#include "rp_wire.h"
#include "rp_wire_seq.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define TC_ACT_UNSPEC_ (-1)

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

/* Set by the loader before load. Addresses and port in network order. */
const volatile __u32 srv_addr[4];
const volatile __u16 srv_port;
const volatile __u32 srv_family;
const volatile __u32 snaplen; /* 0: no capture */
const volatile __u32 loopback; /* 1: lo, one egress pass is the path */
const volatile __u32 packet_events; /* 1: every data packet into rp_wire_pev */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rp_wire_slot);
} rp_wire_cnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1); /* set by the loader */
	__type(key, struct rp_wire_key);
	__type(value, struct rp_wire_flow);
} rp_wire_flows SEC(".maps");

/* The run's processes: their SYNs start a followed connection. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1); /* set by the loader */
	__type(key, __u32);
	__type(value, __u32);
} rp_wire_tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RP_WIRE_NDROPS);
	__type(key, __u32);
	__type(value, __u64);
} rp_wire_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096); /* set by the loader with --pcap */
} rp_wire_pcap SEC(".maps");

/* --lifecycle: one record per data packet of a followed connection at
 * each place (sized by the loader; a page when off). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rp_wire_pevs SEC(".maps");

struct rp_wire_parsed {
	struct rp_wire_key k;
	__u32 dir;
	__u32 seq;
	__u32 plen;
	__u32 flags;
};

static __always_inline void wire_drop(__u32 what)
{
	__u64 *n = bpf_map_lookup_elem(&rp_wire_drops, &what);

	if (n)
		(*n)++;
}

static __always_inline bool is_server(const __u32 a[4], __u16 port)
{
	return port == srv_port && a[0] == srv_addr[0] && a[1] == srv_addr[1] &&
	       a[2] == srv_addr[2] && a[3] == srv_addr[3];
}

/* 0: one of the server's TCP packets, parsed; 1: not ours; -1: unreadable. */
static __always_inline int wire_parse(struct __sk_buff *skb, struct rp_wire_parsed *p)
{
	struct rp_pkt k = {};
	int rc = rp_pkt_parse(skb, &k);

	if (rc)
		return rc;
	if (k.family != srv_family)
		return 1;
	if (is_server(k.dst, k.dport)) {
		p->dir = RP_WIRE_C2S;
		__builtin_memcpy(p->k.caddr, k.src, sizeof(k.src));
		__builtin_memcpy(p->k.saddr, k.dst, sizeof(k.dst));
		p->k.cport = k.sport;
		p->k.sport = k.dport;
	} else if (is_server(k.src, k.sport)) {
		p->dir = RP_WIRE_S2C;
		__builtin_memcpy(p->k.caddr, k.dst, sizeof(k.dst));
		__builtin_memcpy(p->k.saddr, k.src, sizeof(k.src));
		p->k.cport = k.dport;
		p->k.sport = k.sport;
	} else {
		return 1;
	}
	p->k.family = k.family;
	p->plen = k.plen;
	p->seq = k.seq;
	p->flags = k.flags;
	return 0;
}

/* The followed connection, or a new one for a SYN one of the run's
 * processes sends; NULL for everything else. */
static __always_inline struct rp_wire_flow *wire_flow(const struct rp_wire_parsed *p, __u32 at)
{
	struct rp_wire_flow *f = bpf_map_lookup_elem(&rp_wire_flows, &p->k), fresh = {};
	__u32 tgid;

	if (f || at != RP_WIRE_TX || p->dir != RP_WIRE_C2S ||
	    (p->flags & (TH_SYN | TH_ACK)) != TH_SYN)
		return f;
	tgid = bpf_get_current_pid_tgid() >> 32;
	if (!bpf_map_lookup_elem(&rp_wire_tgids, &tgid))
		return NULL;
	if (bpf_map_update_elem(&rp_wire_flows, &p->k, &fresh, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(&rp_wire_flows, &p->k)) {
		wire_drop(RP_WIRE_DROP_FLOWS);
		return NULL;
	}
	return bpf_map_lookup_elem(&rp_wire_flows, &p->k);
}

static __always_inline __u32 plen_bucket(__u32 v)
{
	__u32 b = 0;

	if (!v)
		return 0;
#pragma unroll
	for (int i = 0; i < RP_WIRE_PLEN_BUCKETS - 1; i++)
		if (v >> i)
			b = i + 1;
	return b;
}

static __always_inline void wire_capture(struct __sk_buff *skb)
{
	__u64 cap = skb->len < snaplen ? skb->len : snaplen;
	struct rp_wire_pkt *r;

	r = bpf_ringbuf_reserve(&rp_wire_pcap, sizeof(*r), 0);
	if (!r) {
		wire_drop(RP_WIRE_DROP_PCAP);
		return;
	}
	r->ns = bpf_ktime_get_ns();
	r->len = skb->len;
	/* Bounds the verifier sees right at the load: the compiler may not
	 * move them away from it. */
	asm volatile("" : "+r"(cap));
	if (cap < 1 || cap > RP_WIRE_SNAP_MAX || bpf_skb_load_bytes(skb, 0, r->data, cap)) {
		bpf_ringbuf_discard(r, 0);
		wire_drop(RP_WIRE_DROP_PCAP);
		return;
	}
	r->caplen = (__u32)cap;
	bpf_ringbuf_submit(r, 0);
}

/* A data packet's place in its stream, for the per-response lifecycle;
 * a full ring is counted, never silent. */
static __always_inline void wire_packet_event(const struct rp_wire_parsed *p, __u32 at, __u32 segs)
{
	struct rp_wire_pev *e = bpf_ringbuf_reserve(&rp_wire_pevs, sizeof(*e), 0);

	if (!e) {
		wire_drop(RP_WIRE_DROP_PKTS);
		return;
	}
	e->ns = bpf_ktime_get_ns();
	e->seq = p->seq;
	e->plen = p->plen;
	e->cport = bpf_ntohs(p->k.cport);
	e->segs = (__u16)segs;
	e->at = (__u8)at;
	e->dir = (__u8)p->dir;
	e->flags = (__u8)p->flags;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
}

static __always_inline int wire_seen(struct __sk_buff *skb, __u32 at)
{
	struct rp_wire_parsed p = {};
	struct rp_wire_slot *s;
	struct rp_wire_flow *f;
	struct rp_wire_cnt *c;
	__u32 zero = 0, segs;
	int rc = wire_parse(skb, &p);

	if (rc) {
		if (rc < 0)
			wire_drop(RP_WIRE_DROP_PARSE);
		return TC_ACT_UNSPEC_;
	}
	f = wire_flow(&p, at);
	s = bpf_map_lookup_elem(&rp_wire_cnt, &zero);
	if (!f || !s)
		return TC_ACT_UNSPEC_;
	c = &s->c[at & 1][p.dir & 1];
	segs = skb->gso_segs > 1 ? skb->gso_segs : 1;
	c->packets++;
	c->segs += segs;
	c->bytes += p.plen;
	c->plen_hist[plen_bucket(p.plen)]++;
	if (segs > 1) {
		c->gso_packets++;
		c->gso_size_sum += skb->gso_size;
	}
	if (p.plen) {
		c->data_packets++;
		c->data_segs += segs;
	} else if ((p.flags & (TH_SYN | TH_FIN | TH_RST | TH_ACK)) == TH_ACK) {
		c->pure_acks++;
	}
	c->syn += !!(p.flags & TH_SYN);
	c->fin += !!(p.flags & TH_FIN);
	c->rst += !!(p.flags & TH_RST);
	rp_wire_seq_step(c, &f->seq[at & 1][p.dir & 1], p.seq, p.plen, !!(p.flags & TH_SYN),
			 !!(p.flags & TH_FIN));
	if (packet_events && p.plen)
		wire_packet_event(&p, at, segs);
	/* The pcap and the per-connection totals: the client's interface
	 * (lo: its one pass), as tcpdump there would see it. */
	if (loopback || (at == RP_WIRE_TX) == (p.dir == RP_WIRE_C2S)) {
		__u64 now = bpf_ktime_get_ns();

		__sync_fetch_and_add(&f->bytes[p.dir & 1], p.plen);
		__sync_fetch_and_add(&f->segs[p.dir & 1], segs);
		if (!f->first_ns)
			f->first_ns = now;
		f->last_ns = now;
		if (snaplen)
			wire_capture(skb);
	}
	return TC_ACT_UNSPEC_;
}

SEC("tc")
int rp_wire_egress(struct __sk_buff *skb)
{
	return wire_seen(skb, RP_WIRE_TX);
}

SEC("tc")
int rp_wire_ingress(struct __sk_buff *skb)
{
	return wire_seen(skb, RP_WIRE_RX);
}
