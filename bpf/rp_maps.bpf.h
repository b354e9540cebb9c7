/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Tunables, maps and the small helpers every program of reqperf.bpf.c uses:
 * which task is traced (slot lookup) and the drop counters.
 */
#ifndef REQPERF_MAPS_BPF_H
#define REQPERF_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "reqperf.h"

#define RP_TASK_COMM_LEN 16

/* Set by the loader between open and load. */
const volatile char rp_comm[RP_TASK_COMM_LEN] = {}; /* "": no comm filter */
const volatile __u32 rp_recvmsg_nargs = 5; /* tcp_recvmsg arity */
/* A slot whose sockets all open while traced (the embedded sink's); ~0: none. */
const volatile __u32 rp_fresh_slot = ~0u;
/* The range of registered tgids (workers fork one after another): tasks
 * outside it leave every hot handler before any map lookup. */
__u32 rp_tgid_lo = 0xffffffff;
__u32 rp_tgid_hi = 0;

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct rp_task);
} rp_tasks SEC(".maps");

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

/* The call histograms, per slot (not per CPU); max_entries: slot count. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rp_khists);
} rp_hists SEC(".maps");

/* Traced sockets, keyed by struct sock address. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RP_MAX_SOCKS);
	__type(key, __u64);
	__type(value, struct rp_ksock);
} rp_socks SEC(".maps");

/* The entries of sockets closed while traced, kept for per-socket rows
 * (`reqperf trace`); keyed by close order. When full, a closed socket is
 * still in rp_closed's sums, only its row is missing (counted there). */
#define RP_MAX_DONE 4096
__u64 rp_done_seq = 0;
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RP_MAX_DONE);
	__type(key, __u64);
	__type(value, struct rp_ksock);
} rp_socks_done SEC(".maps");

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

/* Task p's state if it is traced, else NULL; tgid is p's. A task outside
 * the tgid range costs no helper call. */
static __always_inline struct rp_task *rp_task_of(struct task_struct *p, __u32 tgid)
{
	if (!rp_maybe_traced(tgid))
		return NULL;
	return bpf_task_storage_get(&rp_tasks, p, 0, 0);
}

/* The state of task (the current task, of tgid) for a caller that has
 * checked rp_maybe_traced(tgid). */
static __always_inline struct rp_task *rp_task_cur(struct task_struct *task, __u32 tgid,
						   bool create)
{
	struct rp_task *t;
	__u32 slot;

	t = bpf_task_storage_get(&rp_tasks, task, 0, 0);
	if (t || !create || rp_lookup_slot(tgid, &slot))
		return t;
	t = bpf_task_storage_get(&rp_tasks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		rp_drop(RP_DROP_INFLIGHT_FULL);
		return NULL;
	}
	t->call.slot = slot;
	t->ev.fd = -1;
	return t;
}

/* The current task (BTF-typed) and its tgid, read from it with a plain
 * load: one helper call, where bpf_get_current_pid_tgid() would add a
 * second before the task storage lookup. */
static __always_inline struct task_struct *rp_current(__u32 *tgid)
{
	struct task_struct *task = bpf_get_current_task_btf();

	*tgid = task->tgid;
	return task;
}

/* The current thread's state if it is traced, else NULL. The loader
 * creates it for each registered tgid's main thread; create: make it here
 * for another thread of a registered tgid, or one --comm matches. Untraced
 * threads get no state (they are not remembered as such: a tgid may be
 * registered after its first event). Never created from the scheduler's
 * tracepoints, where allocating is not safe on every kernel. */
static __always_inline struct rp_task *rp_task_get(bool create)
{
	__u32 tgid;
	struct task_struct *task = rp_current(&tgid);

	return rp_maybe_traced(tgid) ? rp_task_cur(task, tgid, create) : NULL;
}

#endif /* REQPERF_MAPS_BPF_H */
