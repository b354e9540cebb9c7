// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The impairments section: which mechanism ran with which parameters, per
 * direction, and what the tc program counted (text and JSON). */
#include <inttypes.h>
#include <string.h>

#include "report_impair.h"
#include "report_text.h"

#define MECH_BPF "tc-bpf"
#define MECH_TBF "tbf"
#define MECH_NETEM "netem"

static const struct rp_impair *impair_of(const struct rp_report *r)
{
	return r->config && r->impair.active ? &r->config->impair : NULL;
}

/* The tc program of a direction sits at the receiving end; TBF and netem at
 * the sending end's egress. */
static const char *end_if(const struct rp_report *r, int dir, bool receiver)
{
	int sink = (dir == RP_IMP_C2S) == receiver;

	return r->link.end[sink ? RP_LINK_SINK : RP_LINK_CLIENT].ifname;
}

static void add_action(struct tline *l, const char *what, const struct rp_impair_action *a,
		       uint64_t seed, const char *ifn)
{
	char buf[400];

	if (a->kind == RP_IMP_OFF)
		return;
	impair_action_fmt(a, buf, sizeof(buf));
	if (a->kind == RP_IMP_RANDOM)
		tl_add(l, "%s %s seed %" PRIu64 " [" MECH_BPF " ingress %s]", what, buf, seed, ifn);
	else
		tl_add(l, "%s %s [" MECH_BPF " ingress %s]", what, buf, ifn);
}

static void add_qdiscs(struct tline *l, const struct rp_impair_way *w, uint32_t mtu,
		       const char *ifn)
{
	char rate[32];

	if (w->rate_bps) {
		impair_rate_fmt(w->rate_bps, rate, sizeof(rate));
		tl_add(l, "rate %s [" MECH_TBF " egress %s, burst %" PRIu32 " B, latency %d ms]",
		       rate, ifn, impair_tbf_burst(w->rate_bps, mtu), RP_IMPAIR_TBF_LATENCY_MS);
	}
	if (w->delay)
		tl_add(l, "delay %g ms jitter %g ms [" MECH_NETEM " egress %s]", w->delay_ms,
		       w->jitter_ms, ifn);
	if (w->reorder_pct > 0)
		tl_add(l, "reorder %g%% [" MECH_NETEM " egress %s]", w->reorder_pct, ifn);
}

static void print_counts(FILE *out, const struct rp_impair_count *c)
{
	struct tline l;

	tl_begin(&l, out, "    seen ", 8, ", ");
	tl_add(&l, "%llu data packets (%llu segs)", c->data_pkts, c->data_segs);
	tl_add(&l, "lost %llu (%llu segs, %llu B)", c->lost_pkts, c->lost_segs, c->lost_bytes);
	tl_add(&l, "duplicated %llu (%llu segs)", c->dup_pkts, c->dup_segs);
	if (c->dup_failed)
		tl_add(&l, "duplicates refused %llu", c->dup_failed);
	tl_end(&l);
}

/* What each end's own sockets say (TCP_INFO at close): the workers' summed,
 * the sink's from its counters. */
static void tcpinfo_of(const struct rp_report *r, int end, uint64_t *retrans, uint64_t *dsack)
{
	*retrans = *dsack = 0;
	if (end == RP_LINK_SINK) {
		*retrans = r->sink.tcp.total_retrans;
		*dsack = r->sink.tcp.dsack_dups;
		return;
	}
	for (int i = 0; i < r->nworkers; i++) {
		*retrans += r->workers[i].tcp_info.total_retrans;
		*dsack += r->workers[i].tcp_info.dsack_dups;
	}
}

static uint64_t sum3(const uint64_t v[RP_RTX_NCLASSES])
{
	return v[RP_RTX_FAST] + v[RP_RTX_RTO] + v[RP_RTX_PROBE];
}

#define RETRANS_TEXT_CONNS 8

static void print_retrans(FILE *out, const struct rp_report *r)
{
	const struct rp_impair_report *ir = &r->impair;
	static const char *const head[] = {"  client ", "  sink   "};
	struct tline l;

	if (!ir->retrans) {
		fprintf(out, "retransmits: not classified (%s)\n", ir->retrans_why);
		return;
	}
	fprintf(out, "retransmits (segments; class by congestion state at "
		     "tcp_retransmit_skb):\n");
	for (int end = 0; end < RP_LINK_ENDS; end++) {
		const uint64_t *sg = ir->retrans_segs[end];
		uint64_t ti, dsack;

		tcpinfo_of(r, end, &ti, &dsack);
		tl_begin(&l, out, head[end], 11, ", ");
		tl_add(&l, "fast %" PRIu64 " + rto %" PRIu64 " + probe %" PRIu64 " = %" PRIu64,
		       sg[RP_RTX_FAST], sg[RP_RTX_RTO], sg[RP_RTX_PROBE], sum3(sg));
		if (sum3(sg) == ti)
			tl_add(&l, "tcp_info total_retrans %" PRIu64 ": match", ti);
		else
			tl_add(&l, "tcp_info total_retrans %" PRIu64 ": DIFFER by %" PRId64, ti,
			       (int64_t)(ti - sum3(sg)));
		tl_add(&l, "spurious (D-SACKs received) %" PRIu64, dsack);
		tl_end(&l);
	}
	for (int i = 0; i < ir->nconns && i < RETRANS_TEXT_CONNS; i++) {
		const struct rp_retrans_conn *c = &ir->conns[i];

		fprintf(out,
			"  %s port %u -> %u: fast %" PRIu64 ", rto %" PRIu64 ", probe %" PRIu64
			"\n",
			c->end == RP_LINK_CLIENT ? "client" : "sink", c->lport, c->rport,
			c->segs[RP_RTX_FAST], c->segs[RP_RTX_RTO], c->segs[RP_RTX_PROBE]);
	}
	if (ir->nconns > RETRANS_TEXT_CONNS)
		fprintf(out, "  (%d more connections in the JSON report)\n",
			ir->nconns - RETRANS_TEXT_CONNS);
	if (ir->retrans_lost)
		fprintf(out, "  %" PRIu64 " retransmits not counted: the map was full\n",
			ir->retrans_lost);
}

void report_impair_text(FILE *out, const struct rp_report *r)
{
	const struct rp_impair *im = impair_of(r);
	uint32_t mtu = r->link.end[RP_LINK_CLIENT].mtu;

	if (!im)
		return;
	for (int d = 0; d < RP_IMP_NDIRS; d++) {
		const struct rp_impair_way *w = &im->way[d];
		char head[64];
		struct tline l;
		size_t items;

		snprintf(head, sizeof(head), "impair %s (%s): ", impair_dir_name(d),
			 impair_dir_words(d));
		tl_begin(&l, out, head, 4, ", ");
		add_action(&l, "loss", &w->loss, im->seed, end_if(r, d, true));
		add_action(&l, "dup", &w->dup, im->seed, end_if(r, d, true));
		add_qdiscs(&l, w, mtu, end_if(r, d, false));
		items = (size_t)l.items;
		if (!items)
			tl_add(&l, "none");
		tl_end(&l);
		if (r->impair.bpf)
			print_counts(out, &r->impair.count[d]);
	}
	print_retrans(out, r);
}

static void write_action(struct json_writer *j, const char *key, const struct rp_impair_action *a,
			 uint64_t seed)
{
	static const char *const model[] = {"off", "random", "every", "at"};
	uint64_t at[RP_IMPAIR_LIST_MAX];

	json_key(j, key);
	if (a->kind == RP_IMP_OFF) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kv_string(j, "mechanism", MECH_BPF);
	json_kv_string(j, "model", model[a->kind]);
	if (a->kind == RP_IMP_RANDOM) {
		json_kv_double(j, "percent", a->pct);
		json_kv_u64(j, "seed", seed);
	}
	if (a->kind == RP_IMP_EVERY)
		json_kv_u64(j, "every", a->every);
	for (uint32_t i = 0; i < a->nat; i++)
		at[i] = a->at[i];
	if (a->kind == RP_IMP_AT)
		json_kv_u64_array(j, "at", at, a->nat);
	json_end_object(j);
}

static void write_qdiscs(struct json_writer *j, const struct rp_impair_way *w, uint32_t mtu)
{
	json_key(j, "rate");
	if (w->rate_bps) {
		json_begin_object(j);
		json_kv_string(j, "mechanism", MECH_TBF);
		json_kv_u64(j, "bits_per_s", w->rate_bps);
		json_kv_u64(j, "burst_bytes", impair_tbf_burst(w->rate_bps, mtu));
		json_kv_u64(j, "latency_ms", RP_IMPAIR_TBF_LATENCY_MS);
		json_end_object(j);
	} else {
		json_null(j);
	}
	json_key(j, "netem");
	if (impair_way_netem(w)) {
		json_begin_object(j);
		json_kv_double(j, "delay_ms", w->delay_ms);
		json_kv_double(j, "jitter_ms", w->jitter_ms);
		json_kv_double(j, "reorder_percent", w->reorder_pct);
		json_end_object(j);
	} else {
		json_null(j);
	}
}

static void write_counts(struct json_writer *j, const struct rp_impair_count *c)
{
	json_key(j, "counters");
	json_begin_object(j);
	json_kv_u64(j, "tcp_pkts", c->tcp_pkts);
	json_kv_u64(j, "data_pkts", c->data_pkts);
	json_kv_u64(j, "data_segs", c->data_segs);
	json_kv_u64(j, "lost_pkts", c->lost_pkts);
	json_kv_u64(j, "lost_segs", c->lost_segs);
	json_kv_u64(j, "lost_bytes", c->lost_bytes);
	json_kv_u64(j, "dup_pkts", c->dup_pkts);
	json_kv_u64(j, "dup_segs", c->dup_segs);
	json_kv_u64(j, "dup_failed", c->dup_failed);
	json_end_object(j);
}

static void write_classes(struct json_writer *j, const uint64_t ev[RP_RTX_NCLASSES],
			  const uint64_t sg[RP_RTX_NCLASSES])
{
	for (int c = 0; c < RP_RTX_NCLASSES; c++) {
		json_key(j, impair_rtx_name(c));
		json_begin_object(j);
		json_kv_u64(j, "events", ev[c]);
		json_kv_u64(j, "segs", sg[c]);
		json_end_object(j);
	}
}

static void write_retrans(struct json_writer *j, const struct rp_report *r)
{
	const struct rp_impair_report *ir = &r->impair;
	static const char *const ends[] = {"client", "sink"};

	json_key(j, "retransmits");
	json_begin_object(j);
	json_kv_string(j, "mechanism", "tp_btf/tcp_retransmit_skb");
	json_kv_bool(j, "classified", ir->retrans);
	json_kv_string(j, "why_not", ir->retrans ? NULL : ir->retrans_why);
	json_kv_u64(j, "not_counted", ir->retrans_lost);
	for (int end = 0; end < RP_LINK_ENDS; end++) {
		uint64_t ti, dsack;

		tcpinfo_of(r, end, &ti, &dsack);
		json_key(j, ends[end]);
		json_begin_object(j);
		write_classes(j, ir->retrans_events[end], ir->retrans_segs[end]);
		json_kv_u64(j, "segs", sum3(ir->retrans_segs[end]));
		json_kv_u64(j, "tcp_info_total_retrans", ti);
		json_kv_u64(j, "tcp_info_dsack_dups", dsack);
		json_end_object(j);
	}
	json_key(j, "connections");
	json_begin_array(j);
	for (int i = 0; i < ir->nconns; i++) {
		const struct rp_retrans_conn *c = &ir->conns[i];

		json_begin_object(j);
		json_kv_string(j, "end", ends[c->end & 1]);
		json_kv_u64(j, "lport", c->lport);
		json_kv_u64(j, "rport", c->rport);
		write_classes(j, c->events, c->segs);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

void report_impair_json(struct json_writer *j, const struct rp_report *r)
{
	const struct rp_impair *im = impair_of(r);
	uint32_t mtu = r->link.end[RP_LINK_CLIENT].mtu;

	if (!im)
		return;
	json_key(j, "impairments");
	json_begin_object(j);
	json_kv_u64(j, "seed", im->seed);
	for (int d = 0; d < RP_IMP_NDIRS; d++) {
		const struct rp_impair_way *w = &im->way[d];

		json_key(j, impair_dir_name(d));
		json_begin_object(j);
		json_kv_string(j, "tc_bpf_at", end_if(r, d, true)); /* its ingress */
		json_kv_string(j, "qdisc_at", end_if(r, d, false)); /* its egress */
		write_action(j, "loss", &w->loss, im->seed);
		write_action(j, "dup", &w->dup, im->seed);
		write_qdiscs(j, w, mtu);
		if (r->impair.bpf)
			write_counts(j, &r->impair.count[d]);
		json_end_object(j);
	}
	write_retrans(j, r);
	json_end_object(j);
}
