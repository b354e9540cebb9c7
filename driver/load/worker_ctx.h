/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What a worker is given (its context) and what it hands back (its
 * result): the types the I/O loop, the collectors and the parent share,
 * apart from worker_main() itself (worker.h).
 */
#ifndef REQPERF_WORKER_CTX_H
#define REQPERF_WORKER_CTX_H

#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config.h"
#include "events.h"
#include "latency.h"
#include "progress.h"
#include "recv_arith.h"
#include "report.h"
#include "stats.h"

#define WORKER_RESULT_MAGIC 0x72707772u /* "rpwr" */

/* What a worker hands to the parent over its pipe, once, at the end. */
struct worker_result {
	uint32_t magic;
	int32_t id;
	int32_t cpu; /* pinned CPU or -1 */
	int32_t last_cpu; /* CPU it ran on when the I/O phase ended */
	int32_t policy; /* read back before the I/O phase */
	int32_t priority;
	int32_t complete; /* every request answered, no error */
	RP_WORKER_COUNTS_IN; /* report.h, rp_worker_family */
	struct rp_recv_tally recv; /* every recv call's outcome */
	uint64_t t_start_ns; /* CLOCK_MONOTONIC, I/O phase */
	uint64_t t_end_ns;
	struct rp_ucalls call[RP_NDIR];
	struct rp_tcpinfo tcp_info;
	/* The scheduler window around the I/O phase (sched_window.c). */
	uint64_t win_start_ns;
	uint64_t win_end_ns;
	int32_t win_cpu; /* CPU right after the window opened */
	int32_t has_rusage;
	uint64_t ru_nvcsw[2]; /* getrusage deltas over the window: [lo, hi] */
	uint64_t ru_nivcsw[2];
	struct rp_lat_result lat; /* per-request latency (latency.h) */
	char error[160];
	char sched_warning[256]; /* settings that did not take, "; "-joined */
};

struct worker_ctx {
	const struct rp_config *cfg;
	int id;
	int cpu; /* CPU to pin to, or -1 */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	const char *request; /* HTTP request bytes (unused in echo mode) */
	int request_len;
	int barrier_fd; /* read end: EOF means "go" */
	int result_fd; /* write end: 'R' when ready, then the result */
	char *events; /* shared memory: one rp_uev_buf per worker; NULL: off */
	size_t events_stride; /* bytes from one worker's buffer to the next */
	struct rp_sched_win *sched_wins; /* the tracer's windows; NULL: none */
	struct rp_live *live; /* shared progress, one per worker; NULL: none */
};

/* The worker's own per-call record buffer, or NULL. */
static inline struct rp_uev_buf *worker_events(const struct worker_ctx *w)
{
	if (!w->events)
		return NULL;
	return (struct rp_uev_buf *)(w->events + (size_t)w->id * w->events_stride);
}

#endif /* REQPERF_WORKER_CTX_H */
