// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The per-call join: a worker is one thread, its calls happen one after
 * the other, and the kernel reports them in the same order, so the i-th
 * user call is the i-th kernel call. Every pair is checked rather than
 * trusted; with records lost on either side nothing is paired at all.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "hist_index.h"

/* Per connection, while walking the calls. */
struct conn_state {
	uint64_t calls; /* recv calls since its last completed response */
	bool seen;
	uint32_t seg0_in, seg0_out; /* counters before its first call */
	uint32_t seg_in, seg_out; /* after its last joined call */
	bool segs_ok;
};

struct join_ctx {
	const struct rp_ev_input *in;
	struct rp_ev_worker *w;
	struct conn_state *conns;
	size_t nconns;
};

const char *events_class_name(enum rp_ev_class c)
{
	static const char *const names[RP_NCLASSES] = {
		[RP_EC_SEND] = "send",
		[RP_EC_FULL] = "completing",
		[RP_EC_PARTIAL] = "partial-arrival",
		[RP_EC_BUFFER] = "buffer-limited",
		[RP_EC_SHORT_QUEUED] = "short-queued",
		[RP_EC_EXACT] = "exact-fill",
		[RP_EC_EAGAIN] = "eagain",
		[RP_EC_ERROR] = "error",
		[RP_EC_EOF] = "eof",
	};

	return (unsigned)c < RP_NCLASSES ? names[c] : "unknown";
}

const char *events_join_name(enum rp_ev_join j)
{
	static const char *const names[] = {"ok", "mismatch", "user-only", "kernel-only"};

	return (unsigned)j < 4 ? names[j] : "unknown";
}

const char *events_why_name(enum rp_ev_why w)
{
	static const char *const names[RP_NWHY] = {"", "count", "tid", "dir", "len", "ret", "time"};

	return (unsigned)w < RP_NWHY ? names[w] : "unknown";
}

const char *events_state_name(enum rp_ev_state s)
{
	static const char *const names[] = {"joined", "user-only", "incomplete", "mismatch"};

	return (unsigned)s < 4 ? names[s] : "unknown";
}

uint32_t events_lat_index(uint64_t ns)
{
	uint32_t i = rp_hist_index(ns, RP_EV_LAT_SUB);

	return i < RP_EV_LAT_SLOTS ? i : RP_EV_LAT_SLOTS - 1;
}

uint64_t events_lat_low(uint32_t i)
{
	return rp_hist_low(i, RP_EV_LAT_SUB);
}

enum rp_ev_class events_classify(const struct rp_uevent *u, const struct rp_event *k)
{
	if (u->dir != RP_RECV)
		return RP_EC_SEND;
	if (u->ret == -EAGAIN)
		return RP_EC_EAGAIN;
	if (u->ret < 0)
		return RP_EC_ERROR;
	if (u->ret == 0)
		return RP_EC_EOF;
	if (u->done)
		return RP_EC_FULL;
	if ((uint64_t)u->ret >= u->len)
		return k && !k->queued ? RP_EC_EXACT : RP_EC_BUFFER;
	return k && k->queued ? RP_EC_SHORT_QUEUED : RP_EC_PARTIAL;
}

static enum rp_ev_why disagree(const struct rp_uevent *u, const struct rp_event *k, uint32_t tid)
{
	if (k->tid != tid)
		return RP_EW_TID;
	if (k->dir != u->dir)
		return RP_EW_DIR;
	if (k->len != RP_EV_LEN_UNKNOWN && k->len != u->len)
		return RP_EW_LEN;
	if (k->ret != u->ret)
		return RP_EW_RET;
	if (k->start_ns < u->start_ns || k->end_ns > u->end_ns)
		return RP_EW_TIME;
	return RP_EW_NONE;
}

static void pair_up(struct rp_ev_pair *p, const struct rp_uevent *u, const struct rp_event *k,
		    uint32_t tid)
{
	p->u = u;
	p->k = k;
	p->why = RP_EW_NONE;
	if (u && k) {
		p->why = (uint8_t)disagree(u, k, tid);
		p->join = p->why ? RP_EJ_MISMATCH : RP_EJ_OK;
	} else {
		p->join = u ? RP_EJ_USER : RP_EJ_KERNEL;
	}
	if (u)
		p->cls = (uint8_t)events_classify(u, p->join == RP_EJ_OK ? k : NULL);
	else
		p->cls = k->dir == RP_SEND ? RP_EC_SEND : RP_NCLASSES;
}

/* Both sides' records in call order; one line per call. */
static size_t build_pairs(const struct rp_ev_input *in, struct rp_ev_pair *p, size_t nu, bool join)
{
	const struct rp_uevent *u = in->user ? in->user->ev : NULL;
	uint32_t tid = in->user ? in->user->tid : 0;
	size_t i, n = 0;

	if (join) {
		for (i = 0; i < nu || i < in->nk; i++)
			pair_up(&p[n++], i < nu ? &u[i] : NULL, i < in->nk ? &in->k[i] : NULL, tid);
		return n;
	}
	for (i = 0; i < nu; i++)
		pair_up(&p[n++], &u[i], NULL, tid);
	for (i = 0; in->has_kernel && i < in->nk; i++)
		pair_up(&p[n++], NULL, &in->k[i], tid);
	return n;
}

static void count_response(struct join_ctx *x, const struct rp_uevent *u)
{
	struct rp_ev_worker *w = x->w;
	struct conn_state *c = &x->conns[u->conn];

	c->calls++;
	if (!u->done)
		return;
	w->cpr[c->calls < RP_EV_CPR_SLOTS ? c->calls : RP_EV_CPR_SLOTS - 1]++;
	/* A call completing several responses paid for the first one only. */
	w->cpr[0] += u->done - 1u;
	w->multi += u->done - 1u;
	w->multi_calls += u->done > 1;
	c->calls = 0;
}

/* Segment counters over each connection's calls, first to last. */
static void count_segs(struct join_ctx *x, const struct rp_uevent *u, const struct rp_event *k)
{
	struct conn_state *c = &x->conns[u->conn];
	uint32_t in0 = k->data_segs_in - k->segs_in, out0 = k->data_segs_out - k->segs_out;

	/* A new socket behind the same connection (a reconnect) restarts its
	 * counters: fold the old one's span first. */
	if (c->seen && (k->flags & RP_EV_SEGS) && (in0 < c->seg_in || out0 < c->seg_out)) {
		x->w->segs_in += c->seg_in - c->seg0_in;
		x->w->segs_out += c->seg_out - c->seg0_out;
		c->seen = false;
	}
	if (!c->seen) {
		c->seen = true;
		c->segs_ok = k->flags & RP_EV_SEGS;
		c->seg0_in = in0;
		c->seg0_out = out0;
	}
	c->seg_in = k->data_segs_in;
	c->seg_out = k->data_segs_out;
}

static void count_user(struct join_ctx *x, const struct rp_ev_pair *p)
{
	const struct rp_uevent *u = p->u;
	struct rp_ev_worker *w = x->w;

	w->calls[u->dir]++;
	w->lat[RP_EV_USER][u->dir][events_lat_index(u->end_ns - u->start_ns)]++;
	if (u->ret > 0)
		w->bytes[RP_EV_USER][u->dir] += (uint64_t)u->ret;
	if (u->dir != RP_RECV)
		return;
	w->cls[p->cls]++;
	w->responses += u->done;
	w->crc_bad += u->bad;
	if (p->join == RP_EJ_OK)
		w->evidence++;
	count_response(x, u);
}

static void count_kernel(struct join_ctx *x, const struct rp_ev_pair *p)
{
	const struct rp_event *k = p->k;
	struct rp_ev_worker *w = x->w;
	int dir = k->dir == RP_SEND ? RP_SEND : RP_RECV;

	w->lat[RP_EV_KERNEL][dir][events_lat_index(k->end_ns - k->start_ns)]++;
	if (k->ret > 0)
		w->bytes[RP_EV_KERNEL][dir] += (uint64_t)k->ret;
	if (p->join != RP_EJ_OK)
		return;
	w->joined++;
	w->skbs[dir] += k->skbs;
	if (dir == RP_RECV && k->ret > 0)
		w->skbs_per_recv[k->skbs < RP_SKB_SLOTS ? k->skbs : RP_SKB_SLOTS - 1]++;
	count_segs(x, p->u, k);
}

static void count_pair(struct join_ctx *x, const struct rp_ev_pair *p, size_t i)
{
	struct rp_ev_worker *w = x->w;

	if (p->join == RP_EJ_MISMATCH || (w->state == RP_ES_JOINED && p->join != RP_EJ_OK)) {
		w->mismatches++;
		if (w->first_mismatch < 0) {
			w->first_mismatch = (int64_t)i;
			w->first_why = p->join == RP_EJ_MISMATCH ? p->why : RP_EW_COUNT;
		}
	}
	if (p->u)
		count_user(x, p);
	if (p->k)
		count_kernel(x, p);
}

static void finish_segs(struct join_ctx *x)
{
	struct rp_ev_worker *w = x->w;
	bool any = false;

	w->segs_known = true;
	for (size_t c = 0; c < x->nconns; c++) {
		if (!x->conns[c].seen)
			continue;
		any = true;
		w->segs_known = w->segs_known && x->conns[c].segs_ok;
		w->segs_in += x->conns[c].seg_in - x->conns[c].seg0_in;
		w->segs_out += x->conns[c].seg_out - x->conns[c].seg0_out;
	}
	w->segs_known = w->segs_known && any;
}

/* Appends "what: a in the calls, b counted" to w->disagree when a != b. */
static bool differ(struct rp_ev_worker *w, const char *what, uint64_t events, uint64_t counter)
{
	size_t len = strlen(w->disagree);

	if (events == counter)
		return false;
	snprintf(w->disagree + len, sizeof(w->disagree) - len,
		 "%s%s: %" PRIu64 " in the calls, %" PRIu64 " counted", len ? "; " : "", what,
		 events, counter);
	return true;
}

/*
 * The recorded calls against the worker's own counters, when all kept:
 * every pair is compared and each differing one named. The classes that
 * need the kernel's queue sum to the worker's outcomes (recv_arith.h):
 * full-buffer = buffer-limited + exact-fill, short = partial-arrival +
 * short-queued, failed = error + eof.
 */
static void cross_check(struct rp_ev_worker *w, const struct rp_worker_report *r)
{
	const uint64_t *c = w->cls, *o = r->recv.outcome;
	int bad = 0;

	w->body_bytes = r->body_bytes;
	w->crc_errors = r->crc_errors;
	if (w->lost[RP_EV_USER])
		return;
	w->checked = true;
	w->disagree[0] = '\0';
	bad += differ(w, "send calls", w->calls[RP_SEND], r->user[RP_SEND].calls);
	bad += differ(w, "recv calls", w->calls[RP_RECV], r->user[RP_RECV].calls);
	bad += differ(w, "responses", w->responses, r->responses);
	bad += differ(w, "completing", c[RP_EC_FULL], o[RP_RO_COMPLETING]);
	bad += differ(w, "full-buffer", c[RP_EC_BUFFER] + c[RP_EC_EXACT], o[RP_RO_FULL_BUFFER]);
	bad += differ(w, "short", c[RP_EC_PARTIAL] + c[RP_EC_SHORT_QUEUED], o[RP_RO_SHORT]);
	bad += differ(w, "eagain", c[RP_EC_EAGAIN], o[RP_RO_EAGAIN]);
	bad += differ(w, "failed", c[RP_EC_ERROR] + c[RP_EC_EOF], o[RP_RO_FAILED]);
	bad += differ(w, "multi-response calls", w->multi_calls, r->recv.multi_calls);
	bad += differ(w, "crc errors", w->crc_bad, r->crc_errors);
	w->agrees = bad == 0;
}

static void start_worker(const struct rp_ev_input *in, struct rp_ev_worker *w, size_t nu)
{
	memset(w, 0, sizeof(*w));
	w->id = in->id;
	w->tid = in->user ? in->user->tid : 0;
	w->first_mismatch = -1;
	w->events[RP_EV_USER] = nu;
	w->events[RP_EV_KERNEL] = in->has_kernel ? in->nk : 0;
	w->lost[RP_EV_USER] = in->user ? in->user->dropped : 0;
	w->lost[RP_EV_KERNEL] = in->has_kernel ? in->k_lost : 0;
	if (!in->has_kernel)
		w->state = RP_ES_USER_ONLY;
	else if (w->lost[RP_EV_USER] || w->lost[RP_EV_KERNEL])
		w->state = RP_ES_INCOMPLETE;
	else
		w->state = RP_ES_JOINED;
}

static size_t max_conn(const struct rp_uevent *u, size_t n)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (u[i].conn > m)
			m = u[i].conn;
	return m;
}

int events_join(const struct rp_ev_input *in, struct rp_ev_worker *w, struct rp_ev_pair **pairs,
		size_t *npairs)
{
	size_t nu = in->user ? (in->user->n < in->user->cap ? in->user->n : in->user->cap) : 0;
	struct join_ctx x = {.in = in, .w = w};
	struct rp_ev_pair *p;
	size_t n;

	start_worker(in, w, nu);
	*pairs = NULL;
	*npairs = 0;
	x.nconns = nu ? max_conn(in->user->ev, nu) + 1 : 1;
	x.conns = calloc(x.nconns, sizeof(*x.conns));
	p = calloc(nu + in->nk + 1, sizeof(*p));
	if (!x.conns || !p) {
		free(x.conns);
		free(p);
		return -1;
	}
	n = build_pairs(in, p, nu, w->state == RP_ES_JOINED);
	for (size_t i = 0; i < n; i++)
		count_pair(&x, &p[i], i);
	if (w->mismatches)
		w->state = RP_ES_MISMATCH;
	w->pairs = n;
	finish_segs(&x);
	if (in->wr)
		cross_check(w, in->wr);
	free(x.conns);
	*pairs = p;
	*npairs = n;
	return 0;
}

int64_t events_extra(const struct rp_ev_worker *w)
{
	return (int64_t)w->calls[RP_RECV] - (int64_t)w->responses;
}

static void add_u64s(uint64_t *d, const uint64_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] += s[i];
}

static void add_worker(struct rp_ev_worker *t, const struct rp_ev_worker *w)
{
	if (w->state > t->state)
		t->state = w->state;
	if (t->first_mismatch < 0 && w->first_mismatch >= 0) {
		t->first_mismatch = w->first_mismatch;
		t->first_why = w->first_why;
	}
	if (w->disagree[0]) {
		size_t len = strlen(t->disagree);

		snprintf(t->disagree + len, sizeof(t->disagree) - len, "%sworker %d: %s",
			 len ? "; " : "", w->id, w->disagree);
	}
	t->checked = t->checked && w->checked;
	t->agrees = t->agrees && w->agrees;
	t->segs_known = t->segs_known && w->segs_known;
	add_u64s(t->events, w->events, RP_EV_SIDES);
	add_u64s(t->lost, w->lost, RP_EV_SIDES);
	t->pairs += w->pairs;
	t->joined += w->joined;
	t->mismatches += w->mismatches;
	add_u64s(t->calls, w->calls, RP_NDIR);
	t->responses += w->responses;
	t->multi += w->multi;
	t->multi_calls += w->multi_calls;
	add_u64s(t->cls, w->cls, RP_NCLASSES);
	t->evidence += w->evidence;
	add_u64s(t->cpr, w->cpr, RP_EV_CPR_SLOTS);
	add_u64s(t->skbs_per_recv, w->skbs_per_recv, RP_SKB_SLOTS);
	add_u64s(t->skbs, w->skbs, RP_NDIR);
	t->segs_in += w->segs_in;
	t->segs_out += w->segs_out;
	add_u64s(&t->bytes[0][0], &w->bytes[0][0], RP_EV_SIDES * RP_NDIR);
	t->crc_bad += w->crc_bad;
	add_u64s(&t->lat[0][0][0], &w->lat[0][0][0], RP_EV_SIDES * RP_NDIR * RP_EV_LAT_SLOTS);
	t->body_bytes += w->body_bytes;
	t->crc_errors += w->crc_errors;
}

void events_total(struct rp_ev_summary *s)
{
	struct rp_ev_worker *t = &s->total;

	memset(t, 0, sizeof(*t));
	t->id = -1;
	t->first_mismatch = -1;
	t->checked = t->agrees = t->segs_known = s->nworkers > 0;
	for (int i = 0; i < s->nworkers; i++)
		add_worker(t, &s->w[i]);
}
