// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Loss and duplication on the --netns veth link, where the kernel has no
 * netem: one tc (clsact) ingress program per direction, at the receiving
 * end. Not at the sender's egress: a packet dropped there returns an error
 * to the sending socket, which then sends it again as if nothing was lost;
 * dropped after the veth hand-over the sender learns of it only as a real
 * link loss, from ACKs and timers. Only IPv4 TCP packets that carry payload
 * are numbered and impaired; pure ACKs, SYN and FIN pass untouched. A
 * duplicate is a clone put into the same device's receive path again,
 * marked so this program lets it pass the second time.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "rp_impair.h"
#include "rp_pkt.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

const volatile struct rp_impair_rules rp_rules;
/* The two namespaces' inode numbers: which end a socket belongs to. */
const volatile __u32 rp_netns_inum[2];
struct rp_impair_count rp_count[RP_IMP_NDIRS];
__u64 rp_retrans_full; /* connections not counted: the map was full */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RP_RETRANS_MAX_CONNS);
	__type(key, struct rp_retrans_key);
	__type(value, struct rp_retrans_val);
} rp_retrans SEC(".maps");

/* TCP payload bytes of an IPv4 TCP skb; -1 for anything else. */
static __always_inline long tcp_payload(struct __sk_buff *skb)
{
	struct rp_pkt p = {};

	if (rp_pkt_parse(skb, &p) || p.family != RP_AF_INET)
		return -1;
	return p.plen;
}

static __always_inline int impair(struct __sk_buff *skb, __u32 dir)
{
	struct rp_impair_count *c = &rp_count[dir & 1];
	__u32 segs = skb->gso_segs ? skb->gso_segs : 1;
	long payload;
	__u64 n;

	if (skb->mark == RP_IMPAIR_MARK) {
		skb->mark = 0; /* our own duplicate, on its way out */
		return TC_ACT_OK;
	}
	payload = tcp_payload(skb);
	if (payload < 0)
		return TC_ACT_OK;
	__sync_fetch_and_add(&c->tcp_pkts, 1);
	if (payload == 0)
		return TC_ACT_OK;
	n = __sync_fetch_and_add(&c->data_pkts, 1) + 1;
	__sync_fetch_and_add(&c->data_segs, segs);
	if (rp_impair_hit(&rp_rules.loss[dir & 1], rp_rules.seed, RP_IMPAIR_SALT_LOSS | dir << 4,
			  n)) {
		__sync_fetch_and_add(&c->lost_pkts, 1);
		__sync_fetch_and_add(&c->lost_segs, segs);
		__sync_fetch_and_add(&c->lost_bytes, payload);
		return TC_ACT_SHOT;
	}
	if (rp_impair_hit(&rp_rules.dup[dir & 1], rp_rules.seed, RP_IMPAIR_SALT_DUP | dir << 4,
			  n)) {
		skb->mark = RP_IMPAIR_MARK;
		if (bpf_clone_redirect(skb, skb->ifindex, BPF_F_INGRESS) == 0) {
			__sync_fetch_and_add(&c->dup_pkts, 1);
			__sync_fetch_and_add(&c->dup_segs, segs);
		} else {
			__sync_fetch_and_add(&c->dup_failed, 1);
		}
		skb->mark = 0;
	}
	return TC_ACT_OK;
}

SEC("tc")
int rp_impair_c2s(struct __sk_buff *skb)
{
	return impair(skb, RP_IMP_C2S);
}

SEC("tc")
int rp_impair_s2c(struct __sk_buff *skb)
{
	return impair(skb, RP_IMP_S2C);
}

/* TCP_CA_Open .. TCP_CA_Loss, include/net/tcp.h */
#define CA_RECOVERY 3
#define CA_LOSS 4

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(rp_impair_retrans, const struct sock *sk, const struct sk_buff *skb)
{
	struct rp_retrans_key key = {};
	struct rp_retrans_val zero = {}, *v;
	__u32 inum = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	const struct inet_connection_sock *icsk = (const void *)sk;
	__u8 state = BPF_CORE_READ_BITFIELD_PROBED(icsk, icsk_ca_state);
	struct tcp_skb_cb cb;
	__u32 cls, segs;

	if (inum == rp_netns_inum[0])
		key.end = 0;
	else if (inum == rp_netns_inum[1])
		key.end = 1;
	else
		return 0;
	key.lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	key.rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	cls = state == CA_LOSS ? RP_RTX_RTO : state == CA_RECOVERY ? RP_RTX_FAST : RP_RTX_PROBE;
	bpf_probe_read_kernel(&cb, sizeof(cb), skb->cb);
	segs = cb.tcp_gso_segs ? cb.tcp_gso_segs : 1;
	v = bpf_map_lookup_elem(&rp_retrans, &key);
	if (!v) {
		if (bpf_map_update_elem(&rp_retrans, &key, &zero, BPF_NOEXIST) < 0 &&
		    bpf_map_lookup_elem(&rp_retrans, &key) == NULL) {
			__sync_fetch_and_add(&rp_retrans_full, 1);
			return 0;
		}
		v = bpf_map_lookup_elem(&rp_retrans, &key);
		if (!v)
			return 0;
	}
	__sync_fetch_and_add(&v->events[cls], 1);
	__sync_fetch_and_add(&v->segs[cls], segs);
	return 0;
}
