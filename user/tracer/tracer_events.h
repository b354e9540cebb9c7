/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The reader of the per-call events ring buffer: a thread drains it while
 * the workers run and keeps each worker slot's events in arrival order
 * (which is call order for a single-threaded worker), up to a limit.
 */
#ifndef REQPERF_TRACER_EVENTS_H
#define REQPERF_TRACER_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "tracer.h"

struct tracer_events;

/* Starts draining t's ring buffer (t opened with events_ring > 0) into
 * nslots arrays of at most limit events each. Returns 0, or -1 with a
 * one-line reason in err. */
int tracer_events_start(struct tracer_events **out, struct rp_tracer *t, int nslots, uint64_t limit,
			char *err, size_t errlen);
/* Drains what is left and stops the thread; call when the traced calls
 * have ended (the workers exited). Idempotent. */
void tracer_events_stop(struct tracer_events *te);
/* Slot's events in arrival order; *n set to their count. */
const struct rp_event *tracer_events_slot(const struct tracer_events *te, int slot, size_t *n);
/* Slot's events that were not kept: ring buffer full, or over the limit. */
uint64_t tracer_events_lost(const struct tracer_events *te, int slot);
/* Events with a slot outside 0..nslots-1 (none expected). */
uint64_t tracer_events_stray(const struct tracer_events *te);
/* NULL-safe; stops first. */
void tracer_events_free(struct tracer_events *te);

#endif /* REQPERF_TRACER_EVENTS_H */
