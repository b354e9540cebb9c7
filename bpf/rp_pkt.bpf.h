/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A TCP packet's headers read from a tc (__sk_buff) program: shared by the
 * wire view (rp_wire.bpf.c) and the link impairments (impair.bpf.c), so
 * the two count the same packets the same way.
 */
#ifndef RP_PKT_BPF_H
#define RP_PKT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define RP_ETH_HLEN 14
#define RP_ETH_P_IP 0x0800
#define RP_ETH_P_IPV6 0x86DD
#define RP_AF_INET 2
#define RP_AF_INET6 10

struct rp_pkt {
	__u32 family; /* RP_AF_INET or RP_AF_INET6 */
	__u32 src[4]; /* IPv4: [0]; network order */
	__u32 dst[4];
	__u16 sport; /* network order */
	__u16 dport;
	__u32 seq; /* host order */
	__u32 plen; /* TCP payload bytes */
	__u32 flags; /* the TCP flags byte */
};

/* 0: a TCP packet (not a fragment), *p filled; 1: anything else; -1: its
 * headers could not be read. */
static __always_inline int rp_pkt_parse(struct __sk_buff *skb, struct rp_pkt *p)
{
	struct tcphdr th;
	__u32 l4;

	if (skb->protocol == bpf_htons(RP_ETH_P_IP)) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, RP_ETH_HLEN, &ip, sizeof(ip)))
			return -1;
		if (ip.protocol != IPPROTO_TCP || (ip.frag_off & bpf_htons(0x3fff)))
			return 1;
		p->src[0] = ip.saddr;
		p->dst[0] = ip.daddr;
		l4 = RP_ETH_HLEN + ip.ihl * 4;
		p->family = RP_AF_INET;
	} else if (skb->protocol == bpf_htons(RP_ETH_P_IPV6)) {
		struct ipv6hdr ip6;

		if (bpf_skb_load_bytes(skb, RP_ETH_HLEN, &ip6, sizeof(ip6)))
			return -1;
		if (ip6.nexthdr != IPPROTO_TCP)
			return 1;
		__builtin_memcpy(p->src, ip6.saddr.in6_u.u6_addr32, sizeof(p->src));
		__builtin_memcpy(p->dst, ip6.daddr.in6_u.u6_addr32, sizeof(p->dst));
		l4 = RP_ETH_HLEN + sizeof(ip6);
		p->family = RP_AF_INET6;
	} else {
		return 1;
	}
	if (bpf_skb_load_bytes(skb, l4, &th, sizeof(th)))
		return -1;
	l4 += th.doff * 4;
	if (skb->len < l4)
		return -1;
	p->sport = th.source;
	p->dport = th.dest;
	p->plen = skb->len - l4;
	p->seq = bpf_ntohl(th.seq);
	p->flags = ((__u8 *)&th)[13];
	return 0;
}

#endif /* RP_PKT_BPF_H */
