/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A run's per-call events (--events, --svg, --timeline): the workers' record buffers
 * in shared memory, the kernel ring buffer reader, and after the run the
 * join, the summary in the report and the files.
 */
#ifndef REQPERF_EVENTS_RUN_H
#define REQPERF_EVENTS_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "events.h"
#include "lifecycle.h"
#include "tracer.h"
#include "tracer_events.h"
#include "worker_ctx.h"

struct events_run {
	bool on;
	const struct rp_config *cfg;
	char *area; /* one rp_uev_buf per worker, shared with them */
	size_t area_len;
	uint64_t limit;
	struct tracer_events *te; /* NULL without a kernel view */
	FILE *lines; /* --events, opened before the run */
	FILE *svg; /* --svg */
	FILE *timeline; /* --timeline */
	FILE *lifecycle; /* --lifecycle */
	struct rp_lc_summary lc_sum; /* lifecycle_run.c */
	struct rp_lc *lc; /* one per response */
	size_t nlc;
	const struct rp_tracer *tracer; /* NULL without a kernel view */
	struct rp_ev_summary sum;
	struct rp_ev_pair **pairs; /* per worker */
	size_t *npairs;
};

/* Ring buffer bytes for the tracer: 0 when events are off. */
uint32_t events_run_ring(const struct rp_config *c);
/* Before the workers fork, after the tracer opened (t may be NULL): maps
 * the buffers into tmpl and starts the reader. No-op when events are off.
 * Returns 0, or -1 after a one-line message. */
int events_run_start(struct events_run *e, const struct rp_config *c, struct rp_tracer *t,
		     struct worker_ctx *tmpl);
/* After every worker exited and rep->workers is filled: joins, points
 * rep->events at the summary, writes --events and --svg. Returns 0, or -1
 * when a file could not be written. */
int events_run_finish(struct events_run *e, struct rp_report *rep);
void events_run_free(struct events_run *e);
/* The user buffer of worker i (events on, or --call-path); NULL: off. */
const struct rp_uev_buf *events_run_user(const struct events_run *e, int i);

/* --lifecycle (lifecycle_run.c), after events_run_finish: joins the
 * workers', the server's and the wire's records (w: NULL without --wire),
 * points rep->lifecycle at the summary and writes the file. Returns 0, or
 * -1 when it could not. */
struct rp_wire;
int lifecycle_run_finish(struct events_run *e, const struct rp_wire *w, struct rp_report *rep,
			 uint32_t request_len);

#endif
