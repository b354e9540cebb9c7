/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Backend choice, pure: which families to try for a requested --probe, in
 * which order, whether the kernel's facts rule one out before trying, how a
 * failed load or attach reads to a user, and the verdict over all attempts.
 * No I/O: the loader (tracer.c) gathers the facts and makes the attempts.
 */
#ifndef REQPERF_BACKEND_H
#define REQPERF_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "reqperf.h"

#define RP_NFAMILIES 3
#define RP_REASON_LEN 160

/* What the loader learnt about the running kernel before any attempt. */
struct rp_kernel_facts {
	bool bpf_ok; /* a trivial program loads: bpf() is permitted */
	int bpf_errno; /* why not, when !bpf_ok */
	bool btf; /* /sys/kernel/btf/vmlinux could be loaded */
	bool kprobe_pmu; /* kprobe perf PMU or tracefs kprobe_events exists */
	int sendmsg_nargs; /* tcp_sendmsg arity in BTF, -1 when absent */
	int recvmsg_nargs; /* tcp_recvmsg arity (6 before 5.19, 5 since) */
	bool tp_sys_enter; /* raw tracepoints, by btf_trace_<name> typedef */
	bool tp_send_length;
	bool tp_recv_length;
	bool tp_sendmsg_locked;
	bool tp_skb_copy;
	bool tp_retransmit;
	bool tp_set_state;
	bool tp_uring_submit; /* io_uring_submit_req(req) */
	int sendpage_nargs; /* tcp_sendpage arity, -1 when absent (6.5+) */
	bool splice_read; /* tcp_splice_read in BTF (splice from a socket) */
	bool tp_sys_exit;
	bool tp_sched; /* sched_switch/wakeup/migrate_task, softirq_entry/exit */
	/* Helpers the kernel has, from its BTF's enum bpf_func_id. */
	bool task_storage; /* bpf_task_storage_get, bpf_get_current_task_btf: 5.11 */
	bool func_ret; /* bpf_get_func_ret, bpf_get_func_arg: 5.17 */
};

enum rp_stage {
	RP_STAGE_OPEN = 0,
	RP_STAGE_LOAD = 1,
	RP_STAGE_ATTACH = 2,
};

/* One family tried (or ruled out by the facts). */
struct rp_attempt {
	enum rp_backend backend;
	int err; /* 0: loaded and attached; else a negative errno */
	char reason[RP_REASON_LEN];
};

/* Families to try for p, best first; returns how many (0 for off). */
int backend_candidates(enum rp_probe p, enum rp_backend out[RP_NFAMILIES]);

/* 0 when b may work on this kernel, else -1 with the reason in why. */
int backend_precheck(enum rp_backend b, const struct rp_kernel_facts *k, char *why, size_t len);

/* RP_FEAT_* of the optional tracepoints and functions the kernel has. */
unsigned backend_features(const struct rp_kernel_facts *k);

/* Whether the program in ELF section sec is loaded for backend b with the
 * optional tracepoints in features: its own family's entry points and the
 * available optional programs, nothing else (unknown sections: no). */
bool backend_autoload(const char *sec, enum rp_backend b, unsigned features);

/* A one-line reason for a failed step: err is the negative errno libbpf
 * returned, prog the program that failed (NULL when unknown). */
void backend_failure(enum rp_backend b, enum rp_stage stage, int err, const char *prog,
		     const struct rp_kernel_facts *k, char *why, size_t len);

/* The first attempt that succeeded, or RP_BACKEND_OFF with one line in
 * err: the explicit backend and its reason, or every family's reason
 * (identical reasons said once). */
enum rp_backend backend_verdict(enum rp_probe p, const struct rp_attempt *att, int n, char *err,
				size_t errlen);

#endif /* REQPERF_BACKEND_H */
