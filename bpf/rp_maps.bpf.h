/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Tunables, maps and the small helpers every program of reqperf.bpf.c uses:
 * which task is traced (slot lookup) and the drop counters.
 */
#ifndef REQPERF_MAPS_BPF_H
#define REQPERF_MAPS_BPF_H

#define RP_TASK_COMM_LEN 16
#define RP_MAX_INFLIGHT 8192
#define RP_MAX_SOCKS 16384
#define RP_LEN_UNKNOWN (~0ULL)

/* Set by the loader between open and load. */
const volatile char rp_comm[RP_TASK_COMM_LEN] = {}; /* "": no comm filter */
const volatile __u32 rp_recvmsg_nargs = 5; /* tcp_recvmsg arity */
/* The range of registered tgids (workers fork one after another): tasks
 * outside it leave every hot handler before any map lookup. */
__u32 rp_tgid_lo = 0xffffffff;
__u32 rp_tgid_hi = 0;

/* One call in flight per thread, keyed by pid_tgid: from its entry (or the
 * syscall's entry) to its return. */
struct rp_call {
	__u64 start_ns;
	__u64 sk;
	__u64 len; /* requested bytes, RP_LEN_UNKNOWN when not known */
	__u32 slot;
	__u32 dir;
	__u32 skbs; /* skbs filled (send) or copied from (recv) so far */
	__u32 size_goal;
	__u32 flags; /* recv flags (MSG_PEEK) */
	__u32 multi; /* sendmmsg/recvmmsg: one socket call per message */
};

/* tgid -> slot, filled by user space before the workers start. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RP_MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} rp_tgids SEC(".maps");

/* The counters, per slot and CPU; max_entries is set to the slot count. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rp_kslot);
} rp_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RP_MAX_INFLIGHT);
	__type(key, __u64);
	__type(value, struct rp_call);
} rp_calls SEC(".maps");

/* Traced sockets, keyed by struct sock address. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RP_MAX_SOCKS);
	__type(key, __u64);
	__type(value, struct rp_ksock);
} rp_socks SEC(".maps");

/* Closed sockets' deltas per slot; max_entries is set to the slot count. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rp_ksum);
} rp_closed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RP_NDROPS);
	__type(key, __u32);
	__type(value, __u64);
} rp_drops SEC(".maps");

static __always_inline void rp_drop(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&rp_drops, &what);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline bool rp_comm_matches(void)
{
	char comm[RP_TASK_COMM_LEN];
	int i;

	if (bpf_get_current_comm(comm, sizeof(comm)))
		return false;
#pragma unroll
	for (i = 0; i < RP_TASK_COMM_LEN; i++) {
		if (comm[i] != rp_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* False for a task that cannot be traced: no map work for it. */
static __always_inline bool rp_maybe_traced(__u32 tgid)
{
	return rp_comm[0] || (tgid >= rp_tgid_lo && tgid <= rp_tgid_hi);
}

/* 0 and the slot when the task tgid is traced, -1 otherwise. */
static __always_inline int rp_lookup_slot(__u32 tgid, __u32 *slot)
{
	__u32 *s;

	if (!rp_maybe_traced(tgid))
		return -1;
	s = bpf_map_lookup_elem(&rp_tgids, &tgid);

	if (s) {
		*slot = *s;
		return 0;
	}
	if (rp_comm[0] && rp_comm_matches()) {
		*slot = 0;
		return 0;
	}
	return -1;
}

static __always_inline bool rp_current_traced(void)
{
	__u32 slot;

	return !rp_lookup_slot(bpf_get_current_pid_tgid() >> 32, &slot);
}

#endif /* REQPERF_MAPS_BPF_H */
