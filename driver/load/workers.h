/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The parent's side of the workers: fork, barrier, results, reaping. */
#ifndef REQPERF_WORKERS_H
#define REQPERF_WORKERS_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "worker_ctx.h"

struct workers {
	int n;
	pid_t *pids;
	int *fds; /* result pipes, read ends */
	size_t *got; /* bytes received per worker (ready byte included) */
	struct worker_result *res;
	int barrier_wr; /* closing it starts every worker at once */
	/* Called about every 100 ms while results are awaited; NULL: none. */
	void (*tick)(void *arg, uint64_t now_ns);
	void *tick_arg;
};

/* Forks n workers (cpus[i] = CPU to pin to, or -1). */
int workers_start(struct workers *ws, const struct worker_ctx *tmpl, const int *cpus, int n);
/* Waits (bounded) until every worker is pinned and scheduled. */
int workers_wait_ready(struct workers *ws, int timeout_ms, volatile sig_atomic_t *stop);
void workers_go(struct workers *ws);
/* Collects every result; on *stop the workers are told to stop and give
 * partial results. Returns the number of complete results. */
int workers_collect(struct workers *ws, volatile sig_atomic_t *stop);
/* Reaps every worker, killing the ones that do not exit in time. */
void workers_reap(struct workers *ws);
void workers_free(struct workers *ws);

#endif
