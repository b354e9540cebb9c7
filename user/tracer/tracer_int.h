/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The loader's state, shared by its two halves: tracer.c (open, choose a
 * backend, attach, close) and tracer_read.c (read the maps back). */
#ifndef REQPERF_TRACER_INT_H
#define REQPERF_TRACER_INT_H

#include "backend.h"
#include "tracer.h"

struct reqperf_bpf;

struct rp_tracer {
	struct reqperf_bpf *skel;
	enum rp_backend backend;
	unsigned features;
	uint32_t nslots; /* the workers' slots, then the server's if any */
	uint32_t nworkers; /* worker slots: what the per-CPU table sums */
	int sendmsg_nargs; /* from kernel BTF, -1 when unknown */
	int recvmsg_nargs;
	int ncpus;
	struct rp_kslot *percpu; /* lookup buffer: one value per possible CPU */
	struct rp_sched_view *sched; /* NULL without RP_FEAT_SCHED */
	unsigned sock_walks; /* walks of rp_socks so far (one per report) */
	char rejected[RP_NFAMILIES * (RP_REASON_LEN + 16)];
};

#endif
