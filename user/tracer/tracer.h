/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The eBPF loader: opens the skeleton, picks a backend (fentry, kprobe,
 * tracepoint), sets rodata and autoload, loads, attaches, and reads the
 * counters back. Links are owned by file descriptors, never pinned: a
 * killed process leaves nothing attached.
 */
#ifndef REQPERF_TRACER_H
#define REQPERF_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "report.h"
#include "reqperf.h"

struct rp_tracer;
struct bpf_object;
struct bpf_map;
struct rp_kernel_facts;
struct rp_sched_view;
struct rp_bpf_costs;

struct rp_tracer_opts {
	enum rp_probe probe;
	int nslots; /* worker slots, 1..RP_MAX_WORKERS */
	bool server_slot; /* one more slot, after the workers', for the server */
	bool server_events; /* the server's calls go to the events ring too */
	bool server_fresh; /* the server opens every socket while traced (the
			      embedded sink): its TCP counters count from zero */
	bool verbose; /* libbpf's log and one line per rejected backend */
	const char *comm; /* trace --comm: tasks with this name count as slot 0 */
	uint32_t events_ring; /* per-call events ring buffer bytes; 0: off */
	bool no_sched; /* leave the scheduler view's programs unloaded */
	uint64_t max_socks; /* live sockets to trace; the socket map is sized
			     * from it (never below RP_MAX_SOCKS); 0: default */
	/* tracepoint backend: count splice() from sockets, with a program at
	 * every syscall's exit (a process reqperf did not write may splice) */
	bool splice_reads;
};

/* What this kernel offers before any attempt: bpf() permission, BTF,
 * the kprobe PMU, the tracepoints the programs use (backend.h). */
void tracer_kernel_facts(struct rp_kernel_facts *k);
/* Entries of the socket map (rp_socks) for conns live connections: when
 * it is full, new sockets are not traced and counted as sock_full drops. */
uint32_t tracer_socks_entries(uint64_t conns);

/*
 * open -> choose backend -> set rodata/autoload -> load -> attach.
 * Returns 0, or -1 with a one-line reason in err. With RP_PROBE_AUTO, -1
 * means no backend works here (the caller warns and runs user-only); with
 * an explicit probe the reason names that backend. With o->verbose, every
 * rejected backend is also reported on stderr, one line each.
 */
int tracer_open(struct rp_tracer **t, const struct rp_tracer_opts *o, char *err, size_t errlen);
enum rp_backend tracer_backend(const struct rp_tracer *t);
/* RP_FEAT_* of the optional tracepoints loaded. */
unsigned tracer_features(const struct rp_tracer *t);
/* "fentry: reason; kprobe: reason" for the backends tried and rejected
 * before the one in use ("" when the first one worked). */
const char *tracer_rejected(const struct rp_tracer *t);

/* The loaded object, for readers of maps beyond the counters (events);
 * NULL without a tracer. */
struct bpf_object *tracer_bpf_object(const struct rp_tracer *t);
/* The scheduler view (tracer_sched.h); NULL without RP_FEAT_SCHED. */
struct rp_sched_view *tracer_sched(const struct rp_tracer *t);

/* tcp_sendmsg's and tcp_recvmsg's argument counts as read from kernel
 * BTF at load time (tcp_recvmsg: 6 before 5.19, 5 since, 4 on 6.18). */
void tracer_btf_nargs(const struct rp_tracer *t, int *sendmsg, int *recvmsg);

/* Every slot, the server's included; its index, or -1 without one. */
int tracer_nslots(const struct rp_tracer *t);
int tracer_server_slot(const struct rp_tracer *t);

/* Counts tgid's calls in slot (< nslots). Returns 0 or -1. */
int tracer_add_tgid(struct rp_tracer *t, uint32_t tgid, uint32_t slot);

/*
 * Sums slot over all CPUs into kernel[RP_SEND] and kernel[RP_RECV]
 * (counters, ns summary with percentiles from the kernel histogram, log2
 * histogram, skbs, data segments) and its sockets' figures into *ktcp.
 * Returns 0, or -1 when the slot cannot be read.
 */
int tracer_read_slot(struct rp_tracer *t, uint32_t slot, struct rp_calls kernel[RP_NDIR],
		     struct rp_ktcp *ktcp);
/* slot's live sockets, or (closed) the ones closed while traced, as a
 * malloc'd array in *out (free it); returns the count, or -1. A live
 * socket that closes meanwhile is in the closed ones. */
int tracer_read_socks(struct rp_tracer *t, uint32_t slot, bool closed, struct rp_ksock **out);
/* The keys of socket map m, sorted, each once (a malloc'd array in *out,
 * free it); returns the count, or -1. */
int tracer_sock_keys(const struct bpf_map *m, __u64 **out);
/* slot's sockets closed so far, summed. Returns 0 or -1. */
int tracer_read_closed(struct rp_tracer *t, uint32_t slot, struct rp_ksum *c);
/* tracer_read_slot for slots 0..n-1 with one walk of the socket map:
 * kernel[slot], ktcp[slot], and ok[slot] false when that slot could not
 * be read. Returns -1 when the sockets could not be read. */
int tracer_read_slots(struct rp_tracer *t, uint32_t n, struct rp_calls (*kernel)[RP_NDIR],
		      struct rp_ktcp *ktcp, bool *ok);
/* Walks of the socket map so far (a report makes one). */
unsigned tracer_sock_walks(const struct rp_tracer *t);
/* Per-CPU totals over the workers' slots; returns the CPUs filled. */

int tracer_read_cpus(struct rp_tracer *t, struct rp_cpu_report *cpus, int max);
/* What the programs could not record, by enum rp_drop. */
void tracer_drops(const struct rp_tracer *t, uint64_t drops[RP_NDROPS]);
/* Kernel ids of the loaded programs (all named "rp_..."); returns the
 * count, at most max. */
int tracer_prog_ids(const struct rp_tracer *t, uint32_t *ids, int max);
/* Turns on the kernel's BPF run-time statistics (BPF_ENABLE_STATS) for as
 * long as the returned fd stays open; -1 with errno when refused. */
int tracer_stats_enable(void);
/* Each loaded program's run count, run time and size into *c. 0 or -1. */
int tracer_prog_costs(const struct rp_tracer *t, struct rp_bpf_costs *c);
/* NULL-safe; destroys the skeleton: every link and program released. */
void tracer_close(struct rp_tracer *t);

/* One direction: counters summed over CPUs, and the slot's histograms. */
struct rp_kdir_sum {
	struct rp_kdir c;
	uint64_t hist_ns[RP_KHIST_BUCKETS];
	uint64_t hist_skbs[RP_SKB_SLOTS];
	uint64_t untimed; /* from the per-slot struct rp_khist */
	uint64_t untimed_bytes;
};

/* Pure: adds one CPU's counters to *sum (start from a zeroed sum). */
void tracer_sum_kdir(struct rp_kdir_sum *sum, const struct rp_kdir *cpu);
/* Pure: adds a slot's histograms (rp_hists) to *sum. */
void tracer_sum_khist(struct rp_kdir_sum *sum, const struct rp_khist *h);

/* Pure: bytes of kernel memory the slot-sized maps take for nslots worker
 * slots on ncpus possible CPUs (values as the kernel stores them; the
 * scheduler view's maps only when sched). docs/design.md has the formula. */
uint64_t tracer_map_bytes(uint64_t nslots, uint64_t ncpus, bool sched);
/* Pure: the report's view of a sum; data_segs is 0 (the socket map's). */
void tracer_fill_calls(const struct rp_kdir_sum *sum, struct rp_calls *out);

#endif /* REQPERF_TRACER_H */
