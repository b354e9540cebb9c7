/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --call-path: one call's time split at the hooks it passes. Each worker's
 * own clock reads around a call (user t0, t1) are joined with the kernel's
 * record of the same syscall (rp_callpath.bpf.c: sys_enter, the first
 * TCP-level tracepoint, the socket layer's return, sys_exit), and every
 * stage is summarised per kind of call. Pure: arrays in, sums out.
 *
 *   entry   user t0 -> sys_enter      (the syscall instruction, entry work)
 *   socket  sys_enter -> first TCP tracepoint, or the socket layer's return
 *           when TCP never filled/copied an skb (fd lookup, socket layer,
 *           lock_sock, tcp_sendmsg/recvmsg up to the copy)
 *   tcp     first TCP tracepoint -> socket layer's return (the copy, and
 *           for a send the transmit path it runs inline)
 *   return  socket layer's return -> sys_exit
 *   exit    sys_exit -> user t1       (exit work, back to user, clock read)
 *
 * Per call the five add up to user t1 - t0, exactly: so do their means.
 */
#ifndef REQPERF_CALLPATH_USER_H
#define REQPERF_CALLPATH_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rp_callpath.h"

struct rp_uevent;
struct json_writer;

enum rp_cp_stage {
	RP_CPS_ENTRY = 0,
	RP_CPS_SOCKET,
	RP_CPS_TCP,
	RP_CPS_RETURN,
	RP_CPS_EXIT,
	RP_CPS_USER, /* t1 - t0, the sum */
	RP_CPS_KERNEL, /* sys_enter -> socket return: the kernel view's time on
			  the tracepoint backend */
	RP_CPS_N,
};

enum rp_cp_class {
	RP_CPC_SEND = 0,
	RP_CPC_RECV_DATA, /* a recv that returned bytes */
	RP_CPC_RECV_NONE, /* a recv that returned none (EAGAIN, EOF, error) */
	RP_CPC_N,
};

extern const char *const rp_cp_stage_names[RP_CPS_N];
extern const char *const rp_cp_class_names[RP_CPC_N];

/* One stage of one class: every call's value, for medians. */
struct rp_cp_vals {
	uint64_t *v;
	size_t n, cap;
	uint64_t sum;
};

/* The calls joined so far, and what could not be joined. */
struct rp_cp_acc {
	struct rp_cp_vals s[RP_CPC_N][RP_CPS_N];
	uint64_t joined;
	uint64_t user_only; /* a user call with no kernel record inside it */
	uint64_t kernel_other; /* a record inside no user call (another syscall) */
	uint64_t mismatched; /* paired by time, but direction or return differ,
				or the hooks are out of order */
	bool oom;
};

struct rp_cp_stat {
	uint64_t calls; /* 0: the stage does not apply to this class */
	uint64_t p50_ns;
	uint64_t p90_ns;
	double mean_ns;
};

/* What the report prints. */
struct rp_cp_report {
	bool on;
	uint64_t joined, user_only, kernel_other, mismatched;
	uint64_t drops[RP_CP_NDROPS];
	uint64_t user_dropped; /* worker calls beyond the events limit */
	struct rp_cp_stat st[RP_CPC_N][RP_CPS_N];
};

/*
 * Joins one worker's calls u[0..nu) (call order) with its thread's kernel
 * records k[0..nk) (order of sys_exit) into acc: a record pairs with the
 * user call whose [t0, t1] holds its [sys_enter, sys_exit] (one thread is
 * in one syscall at a time, so the pair is unique). Returns 0, -1 out of
 * memory.
 */
int callpath_join(struct rp_cp_acc *acc, const struct rp_uevent *u, size_t nu,
		  const struct rp_cp_rec *k, size_t nk);
/* Percentiles and means of everything joined into r. */
void callpath_summarise(struct rp_cp_acc *acc, struct rp_cp_report *r);
void callpath_acc_free(struct rp_cp_acc *acc);

void callpath_report_text(FILE *out, const struct rp_cp_report *r);
void callpath_report_json(struct json_writer *j, const struct rp_cp_report *r);

#endif /* REQPERF_CALLPATH_USER_H */
