// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The per-response lifecycle join. Every stream position is an offset
 * from the first byte of its direction on its TCP connection: the
 * client's first send (write_seq) and first recv (copied_seq) of a
 * connection name those bases, so no SYN is needed and sequence numbers
 * wrap harmlessly (offsets are 32-bit differences). A TCP connection is
 * one worker connection index while its client port stays the same;
 * server records and packets name it by the client's port.
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "lifecycle.h"
#include "lifecycle_ports.h"

struct lc_span {
	uint32_t cid;
	uint16_t cls;
	uint16_t skbs;
	uint64_t off, len;
	uint64_t t0, t1;
};

struct lc_resp {
	uint32_t cid;
	struct rp_lc r;
};

/* A growing array of fixed-size items. */
struct vec {
	void *p;
	size_t n, cap, size;
};

static void *vec_add(struct vec *v)
{
	void *p = grow(v->p, &v->cap, v->n, v->size, 256, 0);

	if (!p)
		return NULL;
	v->p = p;
	return memset((char *)v->p + v->n++ * v->size, 0, v->size);
}

struct lc_ctx {
	const struct rp_lc_input *in;
	struct rp_lc_summary *s;
	struct vec conns, sends, recvs, resps;
	struct lc_port *byport; /* every connection, by port, then cid */
	int oom;
};

static int cmp_span(const void *a, const void *b)
{
	const struct lc_span *x = a, *y = b;

	if (x->cid != y->cid)
		return x->cid < y->cid ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int cmp_resp(const void *a, const void *b)
{
	const struct lc_resp *x = a, *y = b;

	if (x->cid != y->cid)
		return x->cid < y->cid ? -1 : 1;
	return x->r.off < y->r.off ? -1 : x->r.off > y->r.off;
}

static struct lc_conn *conn_at(struct lc_ctx *c, size_t i)
{
	return (struct lc_conn *)c->conns.p + i;
}

/* The TCP connection worker w's connection index ci is on now. */
static long conn_for(struct lc_ctx *c, long *cur, int w, uint16_t ci, uint16_t lport)
{
	struct lc_conn *x;

	if (cur[ci] >= 0 && conn_at(c, (size_t)cur[ci])->cport == lport)
		return cur[ci];
	x = vec_add(&c->conns);
	if (!x) {
		c->oom = 1;
		return -1;
	}
	x->worker = w;
	x->conn = ci;
	x->cport = lport;
	cur[ci] = (long)c->conns.n - 1;
	return cur[ci];
}

static void add_span(struct lc_ctx *c, struct vec *v, long cid, uint64_t off, uint64_t len,
		     uint64_t t0, uint64_t t1, uint32_t cls, uint32_t skbs)
{
	struct lc_span *sp = vec_add(v);

	if (!sp) {
		c->oom = 1;
		return;
	}
	*sp = (struct lc_span){(uint32_t)cid,
			       (uint16_t)cls,
			       (uint16_t)(skbs < 65535 ? skbs : 65535),
			       off,
			       len,
			       t0,
			       t1};
}

/* One recv that returned data: its bytes, and the responses ending in it. */
static void on_recv(struct lc_ctx *c, long cid, const struct rp_lc_worker *w, size_t i,
		    const struct rp_uresp *ends, size_t nends)
{
	const struct rp_uevent *u = &w->u[i];
	const struct rp_event *k = &w->k[i];
	struct lc_conn *x = conn_at(c, (size_t)cid);
	uint64_t off = (uint32_t)(k->seq - x->s2c_base);

	add_span(c, &c->recvs, cid, off, (uint64_t)u->ret, k->start_ns, k->end_ns,
		 (uint32_t)events_classify(u, k), k->skbs);
	for (size_t j = 0; j < nends; j++) {
		struct lc_resp *r = vec_add(&c->resps);

		if (!r) {
			c->oom = 1;
			return;
		}
		x = conn_at(c, (size_t)cid);
		r->cid = (uint32_t)cid;
		r->r.worker = w->id;
		r->r.conn = u->conn;
		r->r.cport = x->cport;
		r->r.lo = c->in->loopback;
		r->r.index = u->seq + j;
		r->r.tcp_index = x->nresp++;
		r->r.off = x->s2c_end;
		r->r.bytes = off + ends[j].end - x->s2c_end;
		r->r.last_recv_ns = k->start_ns;
		r->r.complete_ns = u->end_ns;
		x->s2c_end = off + ends[j].end;
	}
}

/* One worker's calls in order: connections, sends, recvs, responses. */
static void walk_worker(struct lc_ctx *c, const struct rp_lc_worker *w)
{
	long cur[65536 / 64];
	long *curp = cur;
	size_t j = 0, maxc = 0;

	for (size_t i = 0; i < w->n; i++)
		if (w->u[i].conn + 1u > maxc)
			maxc = w->u[i].conn + 1u;
	if (maxc > sizeof(cur) / sizeof(cur[0]) && !(curp = malloc(maxc * sizeof(*curp)))) {
		c->oom = 1;
		return;
	}
	for (size_t i = 0; i < maxc; i++)
		curp[i] = -1;
	for (size_t i = 0; i < w->n && !c->oom; i++) {
		const struct rp_uevent *u = &w->u[i];
		const struct rp_event *k = w->k ? &w->k[i] : NULL;
		size_t j0 = j;
		struct lc_conn *x;
		long cid;

		while (j < w->nresp && w->resp[j].call == i)
			j++;
		if (!k || !(k->flags & RP_EV_SEQ)) {
			c->s->no_kernel += j - j0;
			continue;
		}
		cid = conn_for(c, curp, w->id, u->conn, k->lport);
		if (cid < 0)
			break;
		x = conn_at(c, (size_t)cid);
		if (u->dir == RP_SEND) {
			if (!x->have_c2s) {
				x->have_c2s = true;
				x->c2s_base = k->seq;
			}
			if (u->ret > 0) {
				uint64_t off = (uint32_t)(k->seq - x->c2s_base);

				add_span(c, &c->sends, cid, off, (uint64_t)u->ret, u->start_ns,
					 u->end_ns, 0, 0);
				x = conn_at(c, (size_t)cid);
				if (off + (uint64_t)u->ret > x->c2s_end)
					x->c2s_end = off + (uint64_t)u->ret;
			}
			continue;
		}
		if (!x->have_s2c) {
			x->have_s2c = true;
			x->s2c_base = k->seq;
		}
		if (u->ret > 0)
			on_recv(c, cid, w, i, &w->resp[j0], j - j0);
	}
	if (curp != cur)
		free(curp);
}

/* First span of connection cid whose bytes reach past off; spans sorted. */
static size_t span_from(const struct vec *v, uint32_t cid, uint64_t off)
{
	const struct lc_span *sp = v->p;
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sp[mid].cid < cid || (sp[mid].cid == cid && sp[mid].off + sp[mid].len <= off))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First response of x whose bytes reach past off. */
static size_t resp_from(const struct lc_ctx *c, const struct lc_conn *x, uint64_t off)
{
	const struct lc_resp *r = c->resps.p;
	size_t lo = x->r0, hi = x->r1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r[mid].r.off + r[mid].r.bytes <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	uint64_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	return hi > lo ? hi - lo : 0;
}

/* The client's side of each response: its recvs and its request's send. */
static void client_side(struct lc_ctx *c, struct lc_resp *rs)
{
	const struct lc_span *rv = c->recvs.p, *sd = c->sends.p;
	uint64_t L = c->in->request_len;

	for (size_t i = 0; i < c->resps.n; i++) {
		struct rp_lc *r = &rs[i].r;
		uint64_t end = r->off + r->bytes;

		for (size_t j = span_from(&c->recvs, rs[i].cid, r->off);
		     j < c->recvs.n && rv[j].cid == rs[i].cid && rv[j].off < end; j++) {
			if (!r->recvs++)
				r->first_copy_ns = rv[j].t1;
			if (rv[j].cls < RP_NCLASSES)
				r->cls[rv[j].cls]++;
			r->recv_skbs += rv[j].skbs;
		}
		if (L) {
			size_t j = span_from(&c->sends, rs[i].cid, r->tcp_index * L);

			if (j < c->sends.n && sd[j].cid == rs[i].cid &&
			    sd[j].off <= r->tcp_index * L)
				r->req_send_ns = sd[j].t0;
		}
	}
}

static void index_ports(struct lc_ctx *c)
{
	c->byport = lc_ports_index(c->conns.p, c->conns.n);
	if (!c->byport)
		c->oom = 1;
}

static long conn_by_port(struct lc_ctx *c, uint16_t cport, uint32_t seq, bool s2c, uint64_t *off)
{
	return lc_ports_find(c->byport, c->conns.p, c->conns.n, cport, seq, s2c, off);
}

static void server_write(struct lc_ctx *c, struct lc_resp *rs, const struct rp_event *e)
{
	uint64_t off, len = (uint64_t)e->ret;
	long cid = conn_by_port(c, e->rport, e->seq, true, &off);
	struct lc_conn *x;

	if (cid < 0) {
		c->s->stray_srv++;
		return;
	}
	x = conn_at(c, (size_t)cid);
	for (size_t i = resp_from(c, x, off); i < x->r1 && rs[i].r.off < off + len; i++) {
		struct rp_lc *r = &rs[i].r;

		r->writes++;
		r->write_skbs += e->skbs;
		r->write_bytes += overlap(off, off + len, r->off, r->off + r->bytes);
		if (off <= r->off) {
			r->write_ns = e->start_ns;
			r->size_goal = e->size_goal;
		}
		if (off + len >= r->off + r->bytes)
			r->write_end_ns = e->end_ns;
	}
}

/* A server recv: the requests whose last byte it read. */
static void server_read(struct lc_ctx *c, struct lc_resp *rs, const struct rp_event *e)
{
	uint64_t off, len = (uint64_t)e->ret, L = c->in->request_len;
	long cid = conn_by_port(c, e->rport, e->seq, false, &off);
	struct lc_conn *x;

	if (cid < 0) {
		c->s->stray_srv++;
		return;
	}
	x = conn_at(c, (size_t)cid);
	for (uint64_t q = off / L; (q + 1) * L - 1 < off + len; q++)
		if (x->r0 + q < x->r1 && rs[x->r0 + q].r.tcp_index == q)
			rs[x->r0 + q].r.req_read_ns = e->end_ns;
}

static void server_side(struct lc_ctx *c, struct lc_resp *rs)
{
	for (size_t i = 0; i < c->in->nsrv; i++) {
		const struct rp_event *e = &c->in->srv[i];

		if (!(e->flags & RP_EV_SEQ) || e->ret <= 0)
			continue;
		if (e->dir == RP_SEND)
			server_write(c, rs, e);
		else if (c->in->request_len)
			server_read(c, rs, e);
	}
}

/* Packets: server-to-client data, grouped by connection and place, in
 * time order, so bytes seen before at that place are retransmitted. */
struct lc_pk {
	uint32_t cid, at;
	uint64_t off;
	const struct rp_wire_pev *p;
};

static int cmp_pk(const void *a, const void *b)
{
	const struct lc_pk *x = a, *y = b;

	if (x->cid != y->cid)
		return x->cid < y->cid ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->p->ns < y->p->ns ? -1 : x->p->ns > y->p->ns;
}

static void pkt_count(struct rp_lc_pkts *k, const struct rp_wire_pev *p, uint64_t bytes)
{
	if (k->nsizes < RP_LC_SIZES)
		k->sizes[k->nsizes++] = p->plen;
	k->packets++;
	k->segs += p->segs;
	k->bytes += bytes;
	if (!k->first_ns || p->ns < k->first_ns)
		k->first_ns = p->ns;
	if (p->ns > k->last_ns)
		k->last_ns = p->ns;
}

/* The bytes already seen at one place of one connection: disjoint,
 * sorted ranges. A byte seen again is retransmitted; a late packet
 * filling a hole (reordering at the receiver) is not. */
struct lc_cover {
	uint64_t (*r)[2];
	size_t n, cap;
};

/* Bytes of [lo, hi) already covered. */
static uint64_t covered(const struct lc_cover *cv, uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;

	for (size_t i = 0; i < cv->n && cv->r[i][0] < hi; i++)
		n += overlap(lo, hi, cv->r[i][0], cv->r[i][1]);
	return n;
}

/* Adds [lo, hi), merging what it touches. Returns -1 when out of memory. */
static int cover_add(struct lc_cover *cv, uint64_t lo, uint64_t hi)
{
	size_t i = 0, j;

	while (i < cv->n && cv->r[i][1] < lo)
		i++;
	for (j = i; j < cv->n && cv->r[j][0] <= hi; j++) {
		lo = cv->r[j][0] < lo ? cv->r[j][0] : lo;
		hi = cv->r[j][1] > hi ? cv->r[j][1] : hi;
	}
	if (i == j) { /* a range of its own at i */
		void *p = grow(cv->r, &cv->cap, cv->n, sizeof(*cv->r), 16, 0);

		if (!p)
			return -1;
		cv->r = p;
		memmove(&cv->r[i + 1], &cv->r[i], (cv->n - i) * sizeof(*cv->r));
		cv->n++;
	} else if (j > i + 1) { /* ranges i..j-1 become one */
		memmove(&cv->r[i + 1], &cv->r[j], (cv->n - j) * sizeof(*cv->r));
		cv->n -= j - i - 1;
	}
	cv->r[i][0] = lo;
	cv->r[i][1] = hi;
	return 0;
}

static void pkt_place(struct lc_ctx *c, struct lc_resp *rs, const struct lc_pk *k,
		      struct lc_cover *cv)
{
	struct lc_conn *x = conn_at(c, k->cid);
	uint64_t off = k->off, end = off + k->p->plen;

	for (size_t i = resp_from(c, x, off); i < x->r1 && rs[i].r.off < end; i++) {
		struct rp_lc *r = &rs[i].r;
		struct rp_lc_pkts *pk = k->at == RP_WIRE_TX ? &r->tx : &r->rx;
		uint64_t lo = off > r->off ? off : r->off;
		uint64_t hi = end < r->off + r->bytes ? end : r->off + r->bytes;
		uint64_t again = covered(cv, lo, hi);

		if (hi - lo > again)
			pkt_count(pk, k->p, hi - lo - again);
		if (again)
			pk->retrans++;
	}
	if (cover_add(cv, off, end) < 0)
		c->oom = 1;
}

static void wire_side(struct lc_ctx *c, struct lc_resp *rs)
{
	struct lc_pk *pk = calloc(c->in->npkt ? c->in->npkt : 1, sizeof(*pk));
	struct lc_cover cv = {0};
	size_t n = 0;

	if (!pk) {
		c->oom = 1;
		return;
	}
	for (size_t i = 0; i < c->in->npkt; i++) {
		const struct rp_wire_pev *p = &c->in->pkt[i];
		uint64_t off;
		long cid;

		if (p->dir != RP_WIRE_S2C || !p->plen)
			continue;
		cid = conn_by_port(c, p->cport, p->seq, true, &off);
		if (cid < 0) {
			c->s->stray_pkt++;
			continue;
		}
		pk[n++] = (struct lc_pk){(uint32_t)cid, p->at, off, p};
	}
	qsort(pk, n, sizeof(*pk), cmp_pk);
	for (size_t i = 0; i < n && !c->oom; i++) {
		if (i == 0 || pk[i].cid != pk[i - 1].cid || pk[i].at != pk[i - 1].at)
			cv.n = 0;
		pkt_place(c, rs, &pk[i], &cv);
	}
	free(cv.r);
	free(pk);
}

static void free_ctx(struct lc_ctx *c)
{
	free(c->conns.p);
	free(c->sends.p);
	free(c->recvs.p);
	free(c->resps.p);
	free(c->byport);
}

int lifecycle_join(const struct rp_lc_input *in, struct rp_lc **out, size_t *n,
		   struct rp_lc_summary *s)
{
	struct lc_ctx c = {.in = in, .s = s};
	struct lc_resp *rs;
	struct rp_lc *r;

	memset(s, 0, sizeof(*s));
	s->on = true;
	s->wire = in->wire;
	s->loopback = in->loopback;
	*out = NULL;
	*n = 0;
	c.conns.size = sizeof(struct lc_conn);
	c.sends.size = c.recvs.size = sizeof(struct lc_span);
	c.resps.size = sizeof(struct lc_resp);
	for (int w = 0; w < in->nworkers && !c.oom; w++)
		walk_worker(&c, &in->w[w]);
	if (c.oom)
		goto oom;
	/* An empty array is NULL, which qsort must not be given. */
	if (c.sends.n)
		qsort(c.sends.p, c.sends.n, sizeof(struct lc_span), cmp_span);
	if (c.recvs.n)
		qsort(c.recvs.p, c.recvs.n, sizeof(struct lc_span), cmp_span);
	if (c.resps.n)
		qsort(c.resps.p, c.resps.n, sizeof(struct lc_resp), cmp_resp);
	rs = c.resps.p;
	for (size_t i = 0; i < c.resps.n; i++) {
		struct lc_conn *x = conn_at(&c, rs[i].cid);

		if (i == 0 || rs[i - 1].cid != rs[i].cid)
			x->r0 = i;
		x->r1 = i + 1;
	}
	s->connections = c.conns.n;
	index_ports(&c);
	if (c.oom)
		goto oom;
	client_side(&c, rs);
	server_side(&c, rs);
	if (in->wire)
		wire_side(&c, rs);
	if (c.oom)
		goto oom;
	r = malloc((c.resps.n ? c.resps.n : 1) * sizeof(*r));
	if (!r)
		goto oom;
	for (size_t i = 0; i < c.resps.n; i++)
		r[i] = rs[i].r;
	*out = r;
	*n = c.resps.n;
	s->responses = c.resps.n;
	free_ctx(&c);
	return lifecycle_summarize(s, r, *n);
oom:
	free_ctx(&c);
	return -1;
}
