// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Request latency and the --rate schedule on the worker's side (lat_io.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <linux/types.h>

#include "hist_index.h"
#include "io_state.h"

uint64_t lat_started(const struct conn *c)
{
	return c->sent + (c->off > 0);
}

/* Most requests one connection may have begun and not seen answered. */
static uint64_t window(const struct io *io)
{
	if (io->cfg->mode == RP_MODE_PINGPONG)
		return 1;
	if (io->cfg->mode == RP_MODE_PIPELINE)
		return (uint64_t)io->cfg->pipeline;
	return io->round + 1; /* burst: a round, its split remainder */
}

int lat_setup(struct io *io)
{
	struct lat_io *l = &io->lat;
	uint32_t size;

	memset(l, 0, sizeof(*l));
	l->live = io->w->live ? &io->w->live[io->w->id] : NULL;
	if (!io->res->lat.on)
		return 0;
	size = lat_ring_size(window(io));
	if (!size) {
		io->res->lat.on = 0; /* a burst too large to keep every send time */
		return 0;
	}
	for (int i = 0; i < io->nconns; i++) {
		/* calloc touches nothing; the memset faults the pages in now. */
		io->conns[i].lat.sent_ns = malloc(size * sizeof(uint64_t));
		io->conns[i].lat.held_ns = malloc(size * sizeof(uint64_t));
		if (!io->conns[i].lat.sent_ns || !io->conns[i].lat.held_ns)
			return -1;
		memset(io->conns[i].lat.sent_ns, 0, size * sizeof(uint64_t));
		memset(io->conns[i].lat.held_ns, 0, size * sizeof(uint64_t));
	}
	l->mask = size - 1;
	l->res = &io->res->lat;
	l->rate = io->res->lat.rate;
	return 0;
}

void lat_start(struct io *io, uint64_t start_ns)
{
	for (int i = 0; io->lat.rate && i < io->nconns; i++)
		lat_schedule(&io->conns[i].lat.slot, io->cfg->rate, io->cfg->workers, io->nconns,
			     io->w->id, i, start_ns);
	io->lat.next_publish_ns = start_ns;
}

void lat_sent(struct io *io, struct conn *c, uint64_t started0, uint64_t t0)
{
	struct lat_io *l = &io->lat;
	uint64_t end = lat_started(c);

	if (!l->res)
		return;
	/* A stream waiting for its next slot is not a stalled server. */
	if (l->rate && started0 == c->answered && end > started0)
		io->last_progress_ns = t0;
	for (uint64_t i = started0; i < end; i++) {
		c->lat.sent_ns[i & l->mask] = t0;
		if (l->rate) {
			/* The client's own lag: after the slot came and the
			 * window had room; waiting for the server is not it. */
			uint64_t slot = lat_slot_ns(&c->lat.slot, i);
			uint64_t ready = slot > c->lat.freed_ns ? slot : c->lat.freed_ns;
			uint64_t lag = t0 > ready ? t0 - ready : 0;

			if (lag >= RP_LAT_LATE_NS)
				l->res->late++;
			if (lag > l->res->lag_max_ns)
				l->res->lag_max_ns = lag;
		}
	}
}

void lat_held(struct io *io, struct conn *c, uint64_t done, size_t len, uint64_t t1)
{
	struct lat_io *l = &io->lat;
	uint64_t held = 0;
	int unsent = 0;

	if (!l->res || !done)
		return;
	if (ioctl(c->fd, SIOCOUTQNSD, &unsent) == 0 && unsent > 0)
		held = ((uint64_t)unsent + len - 1) / len; /* the last ones written */
	if (held > done)
		held = done;
	l->res->held += held;
	for (uint64_t i = c->sent - done; i < c->sent; i++)
		c->lat.held_ns[i & l->mask] = i >= c->sent - held ? t1 : 0;
}

void lat_done(struct io *io, struct conn *c, uint64_t answered0, uint64_t t1)
{
	struct lat_io *l = &io->lat;

	if (!l->res)
		return;
	for (uint64_t i = answered0; i < c->answered; i++) {
		uint64_t sent = c->lat.sent_ns[i & l->mask], from = sent, ns;

		if (l->rate) {
			from = lat_slot_ns(&c->lat.slot, i);
			stats_record(&l->res->sent, t1 > sent ? t1 - sent : 0);
		}
		ns = t1 > from ? t1 - from : 0;
		stats_record(&l->res->lat, ns);
		if (c->lat.held_ns[i & l->mask] && t1 - c->lat.held_ns[i & l->mask] >= RP_STALL_NS)
			l->res->stalls++;
		c->lat.freed_ns = t1;
		if (l->live) {
			uint32_t b = rp_hist_index(ns, RP_HIST_SUB_BITS);

			l->live->hist[b < RP_HIST_BUCKETS ? b : RP_HIST_BUCKETS - 1]++;
		}
	}
}

bool lat_may_send(const struct io *io, const struct conn *c, uint64_t now)
{
	if (!io->lat.rate || c->off)
		return true;
	return lat_slot_ns(&c->lat.slot, c->sent) <= now;
}

uint64_t lat_due_cap(const struct io *io, const struct conn *c, uint64_t k, uint64_t now)
{
	uint64_t due;

	if (!io->lat.rate)
		return k;
	due = lat_slots_due(&c->lat.slot, now);
	due = due > c->sent ? due - c->sent : 1; /* c->off: the started one */
	return k < due ? k : due;
}

uint64_t lat_next_slot(const struct io *io)
{
	uint64_t next = UINT64_MAX, w = window(io);

	if (!io->lat.rate || !io->open)
		return next;
	for (int i = 0; i < io->nconns; i++) {
		const struct conn *c = &io->conns[i];
		uint64_t t;

		if (c->fd < 0 || c->off || c->sent >= c->quota || c->sent - c->answered >= w)
			continue;
		t = lat_slot_ns(&c->lat.slot, c->sent);
		if (t < next)
			next = t;
	}
	return next;
}

static uint64_t retransmits(const struct io *io)
{
	uint64_t n = io->res->tcp_info.total_retrans;

	for (int i = 0; i < io->nconns; i++) {
		const struct conn *c = &io->conns[i];
		struct tcp_info ti;
		socklen_t len = sizeof(ti);

		if (c->fd >= 0 && getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0)
			n += (uint32_t)(ti.tcpi_total_retrans - c->ti0.total_retrans);
	}
	return n;
}

void lat_publish(struct io *io, uint64_t now, bool force)
{
	struct rp_live *v = io->lat.live;

	if (!v || (!force && now < io->lat.next_publish_ns))
		return;
	io->lat.next_publish_ns = now + RP_LIVE_PUBLISH_NS;
	__atomic_store_n(&v->responses, io->res->responses, __ATOMIC_RELAXED);
	__atomic_store_n(&v->errors, io->res->errors, __ATOMIC_RELAXED);
	__atomic_store_n(&v->retrans, retransmits(io), __ATOMIC_RELAXED);
}

void lat_finish(struct io *io)
{
	struct lat_io *l = &io->lat;

	/* With --duration, slots up to the deadline were owed a request. */
	for (int i = 0; l->rate && io->deadline_ns && i < io->nconns; i++) {
		const struct conn *c = &io->conns[i];
		uint64_t due = lat_slots_due(&c->lat.slot, io->deadline_ns - 1);

		if (due > c->sent)
			l->res->unsent += due - c->sent;
	}
	for (int i = 0; i < io->nconns; i++) {
		free(io->conns[i].lat.sent_ns);
		free(io->conns[i].lat.held_ns);
		io->conns[i].lat.sent_ns = NULL;
		io->conns[i].lat.held_ns = NULL;
	}
	l->res = NULL;
}
