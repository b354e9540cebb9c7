// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The per-response lifecycle's stages (differences of its times), the
 * order its times must be in, and the summary over every response: the
 * checks and exact percentiles per stage. Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"
#include "stats.h"

static uint64_t arrived(const struct rp_lc *r, bool lo)
{
	return lo ? r->tx.last_ns : r->rx.last_ns;
}

static bool diff(uint64_t a, uint64_t b, int64_t *v)
{
	if (!a || !b)
		return false;
	*v = (int64_t)(b - a);
	return true;
}

bool lifecycle_stage(const struct rp_lc *r, enum rp_lc_stage st, int64_t *v)
{
	uint64_t arr = arrived(r, r->lo);

	switch (st) {
	case RP_LCS_WRITE_WIRE:
		return diff(r->write_ns, r->tx.first_ns, v);
	case RP_LCS_WIRE:
		return diff(r->tx.first_ns, arr, v);
	case RP_LCS_WIRE_COPY:
		return diff(arr, r->first_copy_ns, v);
	case RP_LCS_COPY_DONE:
		return diff(r->first_copy_ns, r->complete_ns, v);
	case RP_LCS_WRITE_DONE:
		return diff(r->write_ns, r->complete_ns, v);
	case RP_LCS_REQUEST:
		return diff(r->req_send_ns, r->req_read_ns, v);
	case RP_LCS_SERVER:
		return diff(r->req_read_ns, r->write_ns, v);
	case RP_LCS_TO_WIRE:
		return diff(r->write_ns, arr, v);
	case RP_LCS_QUEUE:
		return diff(arr, r->last_recv_ns, v);
	case RP_LCS_RECV:
		return diff(r->last_recv_ns, r->complete_ns, v);
	case RP_LCS_LATENCY:
		return diff(r->req_send_ns, r->complete_ns, v);
	default:
		return false;
	}
}

const char *lifecycle_stage_name(enum rp_lc_stage st)
{
	static const char *const names[RP_LCS_N] = {
		"write_wire", "wire",	 "wire_copy", "copy_done", "write_done", "request",
		"server",     "to_wire", "queue",     "recv",	   "latency",
	};

	return (unsigned)st < RP_LCS_N ? names[st] : "unknown";
}

/* a <= b where both are known. */
static bool le(uint64_t a, uint64_t b)
{
	return !a || !b || a <= b;
}

bool lifecycle_ordered(const struct rp_lc *r)
{
	uint64_t arr = arrived(r, r->lo);

	return le(r->req_send_ns, r->req_read_ns) && le(r->req_read_ns, r->write_end_ns) &&
	       le(r->write_ns, r->tx.first_ns) && le(r->tx.first_ns, r->tx.last_ns) &&
	       le(r->tx.first_ns, r->rx.first_ns) && le(r->rx.first_ns, r->rx.last_ns) &&
	       le(arr, r->complete_ns) && le(r->tx.first_ns, r->first_copy_ns) &&
	       le(r->write_ns, r->first_copy_ns) && le(r->first_copy_ns, r->complete_ns) &&
	       le(r->last_recv_ns, r->complete_ns);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int percentiles(struct rp_lc_summary *s, const struct rp_lc *r, size_t n)
{
	int64_t *v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return -1;
	for (int st = 0; st < RP_LCS_N; st++) {
		struct rp_lc_pct *p = &s->stage[st];
		size_t m = 0;

		for (size_t i = 0; i < n; i++)
			m += lifecycle_stage(&r[i], (enum rp_lc_stage)st, &v[m]);
		memset(p, 0, sizeof(*p));
		p->n = m;
		if (!m)
			continue;
		qsort(v, m, sizeof(*v), cmp_i64);
		p->min = v[0];
		p->max = v[m - 1];
		p->p50 = v[stats_rank(m, 50) - 1];
		p->p90 = v[stats_rank(m, 90) - 1];
		p->p99 = v[stats_rank(m, 99) - 1];
	}
	free(v);
	return 0;
}

static void check(struct rp_lc_summary *s, const struct rp_lc *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t v;
		bool all = true;

		s->bad_write_bytes += r[i].write_bytes != r[i].bytes;
		s->bad_tx_bytes += s->wire && r[i].tx.bytes != r[i].bytes;
		s->bad_rx_bytes += s->wire && !s->loopback && r[i].rx.bytes != r[i].bytes;
		s->unordered += !lifecycle_ordered(&r[i]);
		for (int st = 0; st < RP_LCS_N; st++)
			if (s->wire ||
			    (st != RP_LCS_WRITE_WIRE && st != RP_LCS_WIRE &&
			     st != RP_LCS_WIRE_COPY && st != RP_LCS_TO_WIRE && st != RP_LCS_QUEUE))
				all = all && lifecycle_stage(&r[i], (enum rp_lc_stage)st, &v);
		s->complete += all;
	}
}

bool lifecycle_ok(const struct rp_lc_summary *s)
{
	return s->lost || s->no_kernel ||
	       !(s->bad_write_bytes || s->bad_tx_bytes || s->bad_rx_bytes || s->unordered);
}

int lifecycle_summarize(struct rp_lc_summary *s, const struct rp_lc *r, size_t n)
{
	check(s, r, n);
	return percentiles(s, r, n);
}
