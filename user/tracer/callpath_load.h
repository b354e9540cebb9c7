/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --call-path: loads rp_callpath.bpf.c, attaches its six tracepoint
 * programs (links owned by file descriptors: nothing stays attached after
 * any exit), drains its ring buffer on a thread of its own into memory,
 * and hands each worker thread's records over after the run.
 */
#ifndef REQPERF_CALLPATH_LOAD_H
#define REQPERF_CALLPATH_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rp_callpath.h"

struct rp_callpath;

/* ring: ring buffer bytes (a power of 2); limit: records kept in memory,
 * beyond it they are counted as lost. Returns 0, or -1 with one line. */
int callpath_open(struct rp_callpath **out, uint32_t ring, uint64_t limit, bool verbose, char *err,
		  size_t errlen);
int callpath_add_tgid(struct rp_callpath *c, uint32_t tgid);
/* Detaches and drains what is left; then the records are complete. */
void callpath_stop(struct rp_callpath *c);
/* Thread tid's records in the order its calls ended (malloc'd, free it);
 * returns the count, -1 out of memory. */
long callpath_records(const struct rp_callpath *c, uint32_t tid, struct rp_cp_rec **out);
/* What the programs could not record; [RP_CP_DROP_RING] also counts the
 * records beyond the limit. */
void callpath_drops(const struct rp_callpath *c, uint64_t drops[RP_CP_NDROPS]);
/* NULL-safe. */
void callpath_close(struct rp_callpath *c);

#endif /* REQPERF_CALLPATH_LOAD_H */
