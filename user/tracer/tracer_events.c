// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Drains the rp_events ring buffer on a thread of its own, so the driver's
 * collection loop stays as it is. The programs wake us only when the ring
 * is a quarter full; a 20 ms poll picks up the rest.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "tracer_events.h"
#include "grow.h"

#define POLL_MS 20

struct slot_events {
	struct rp_event *ev;
	size_t n, cap;
	uint64_t over; /* over the limit */
};

struct tracer_events {
	struct ring_buffer *rb;
	const struct bpf_map *lost_map;
	pthread_t thread;
	bool running;
	int stop; /* __atomic */
	int nslots;
	uint64_t limit;
	uint64_t stray;
	struct slot_events *slot;
};

static void keep(struct slot_events *s, const struct rp_event *e, uint64_t limit)
{
	struct rp_event *ev;

	if (s->n >= limit) {
		s->over++;
		return;
	}
	ev = grow(s->ev, &s->cap, s->n, sizeof(*ev), 4096, (size_t)limit);
	if (!ev) {
		s->over++;
		return;
	}
	s->ev = ev;
	s->ev[s->n++] = *e;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct tracer_events *te = ctx;
	const struct rp_event *e = data;

	if (size < sizeof(*e) || e->slot >= (uint32_t)te->nslots) {
		te->stray++;
		return 0;
	}
	keep(&te->slot[e->slot], e, te->limit);
	return 0;
}

static void *reader(void *arg)
{
	struct tracer_events *te = arg;

	while (!__atomic_load_n(&te->stop, __ATOMIC_ACQUIRE)) {
		ring_buffer__poll(te->rb, POLL_MS);
		ring_buffer__consume(te->rb);
	}
	return NULL;
}

int tracer_events_start(struct tracer_events **out, struct rp_tracer *t, int nslots, uint64_t limit,
			char *err, size_t errlen)
{
	struct bpf_object *obj = tracer_bpf_object(t);
	const struct bpf_map *rb = obj ? bpf_object__find_map_by_name(obj, "rp_events") : NULL;
	struct tracer_events *te;

	*out = NULL;
	if (!rb) {
		snprintf(err, errlen, "no per-call events ring buffer in the loaded programs");
		return -1;
	}
	te = calloc(1, sizeof(*te));
	if (!te || !(te->slot = calloc((size_t)nslots, sizeof(*te->slot)))) {
		free(te);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	te->nslots = nslots;
	te->limit = limit;
	te->lost_map = bpf_object__find_map_by_name(obj, "rp_ev_lost");
	te->rb = ring_buffer__new(bpf_map__fd(rb), on_event, te, NULL);
	if (!te->rb) {
		snprintf(err, errlen, "cannot read the events ring buffer: %s", strerror(errno));
		tracer_events_free(te);
		return -1;
	}
	errno = pthread_create(&te->thread, NULL, reader, te);
	if (errno) {
		snprintf(err, errlen, "cannot start the events reader: %s", strerror(errno));
		tracer_events_free(te);
		return -1;
	}
	te->running = true;
	*out = te;
	return 0;
}

void tracer_events_stop(struct tracer_events *te)
{
	if (!te || !te->running)
		return;
	__atomic_store_n(&te->stop, 1, __ATOMIC_RELEASE);
	pthread_join(te->thread, NULL);
	te->running = false;
	/* The traced calls have ended: whatever they submitted is here now. */
	ring_buffer__consume(te->rb);
}

const struct rp_event *tracer_events_slot(const struct tracer_events *te, int slot, size_t *n)
{
	*n = 0;
	if (!te || slot < 0 || slot >= te->nslots)
		return NULL;
	*n = te->slot[slot].n;
	return te->slot[slot].ev;
}

uint64_t tracer_events_lost(const struct tracer_events *te, int slot)
{
	uint32_t key = (uint32_t)slot;
	uint64_t ring = 0;

	if (!te || slot < 0 || slot >= te->nslots)
		return 0;
	if (te->lost_map)
		bpf_map__lookup_elem(te->lost_map, &key, sizeof(key), &ring, sizeof(ring), 0);
	return ring + te->slot[slot].over;
}

uint64_t tracer_events_stray(const struct tracer_events *te)
{
	return te ? te->stray : 0;
}

void tracer_events_free(struct tracer_events *te)
{
	if (!te)
		return;
	tracer_events_stop(te);
	ring_buffer__free(te->rb);
	for (int i = 0; te->slot && i < te->nslots; i++)
		free(te->slot[i].ev);
	free(te->slot);
	free(te);
}
