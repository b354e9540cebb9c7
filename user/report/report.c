// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* What all renderers share: names, totals, the extra-recv breakdown. */
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "schema.h"

#define HIST_STARS 30

const struct rp_feature_info rp_features[RP_NFEATURES] = {
	{RP_FEAT_SENDMSG_LOCKED, "sendmsg_locked", "tcp/tcp_sendmsg_locked", "skbs per send"},
	{RP_FEAT_SKB_COPY, "skb_copy", "skb/skb_copy_datagram_iovec", "skbs per recv"},
	{RP_FEAT_RETRANSMIT, "retransmit", "tcp/tcp_retransmit_skb", "retransmits"},
	{RP_FEAT_SOCK_STATE, "sock_state", "sock/inet_sock_set_state", "exact segment counts"},
	{RP_FEAT_SCHED, "sched", "sched/sched_switch (4 args)", "scheduler view"},
};

const char *backend_name(enum rp_backend b)
{
	switch (b) {
	case RP_BACKEND_OFF:
		return "off";
	case RP_BACKEND_FENTRY:
		return "fentry";
	case RP_BACKEND_KPROBE:
		return "kprobe";
	case RP_BACKEND_TRACEPOINT:
		return "tracepoint";
	}
	return "unknown";
}

const char *backend_time_definition(enum rp_backend b)
{
	switch (b) {
	case RP_BACKEND_OFF:
		return "not measured";
	case RP_BACKEND_FENTRY:
	case RP_BACKEND_KPROBE:
		return "entry to return of tcp_sendmsg / tcp_recvmsg";
	case RP_BACKEND_TRACEPOINT:
		return "syscall entry to the socket layer's return";
	}
	return "unknown";
}

void calls_from_stats(struct rp_calls *c, const struct rp_stats *s, double trim_sigma)
{
	struct rp_hist_view v = {
		.counts = s->hist,
		.nbuckets = RP_HIST_BUCKETS,
		.sub_bits = RP_HIST_SUB_BITS,
	};

	stats_summarize(s, trim_sigma, &c->ns);
	hist_to_log2(&v, c->log2);
}

/* Pairwise combination of (n, mean, population stddev); exact. */
static void merge_summary(struct rp_summary *d, const struct rp_summary *s)
{
	double na = (double)d->n, nb = (double)s->n, n = na + nb;
	double delta = s->mean - d->mean;
	double m2;

	if (s->n == 0)
		return;
	if (d->n == 0 || s->min < d->min)
		d->min = s->min;
	if (s->max > d->max)
		d->max = s->max;
	m2 = na * d->stddev * d->stddev + nb * s->stddev * s->stddev + delta * delta * na * nb / n;
	d->mean += delta * nb / n;
	d->stddev = sqrt(m2 / n);
	d->n += s->n;
}

static void add_calls(struct rp_calls *d, const struct rp_calls *s)
{
	family_merge(&rp_calls_family, d, s);
	merge_summary(&d->ns, &s->ns);
}

double rp_cpu_mean_ns(const struct rp_cpu_report *c, int d)
{
	return c->calls[d] ? (double)c->ns_sum[d] / (double)c->calls[d] : 0;
}

/* The seed's "req. p/s": 1 / mean call time. */
static double seed_rate(const struct rp_calls *c)
{
	return c->ns.n && c->ns.mean > 0 ? 1e9 / c->ns.mean : 0;
}

void report_totals(struct rp_report *r)
{
	struct rp_totals *t = &r->totals;
	double elapsed = t->elapsed_s;

	memset(t, 0, sizeof(*t));
	t->elapsed_s = elapsed;
	for (int i = 0; i < r->nworkers; i++) {
		const struct rp_worker_report *w = &r->workers[i];

		family_merge(&rp_worker_family, &t->counts, &w->counts);
		t->seed_send_rate += seed_rate(&w->user[RP_SEND]);
		t->seed_recv_rate += seed_rate(&w->user[RP_RECV]);
		for (int d = 0; d < RP_NDIR; d++)
			add_calls(&t->user[d], &w->user[d]);
		if (!w->has_kernel)
			continue;
		t->has_kernel = true;
		for (int d = 0; d < RP_NDIR; d++)
			add_calls(&t->kernel[d], &w->kernel[d]);
	}
	t->rps = elapsed > 0 ? (double)t->responses / elapsed : 0;
}

void report_extra_recv(const struct rp_worker_report *w, struct rp_extra_recv *x)
{
	const struct rp_calls *k = &w->kernel[RP_RECV];

	memset(x, 0, sizeof(*x));
	recv_arith(&w->recv, &x->a);
	x->has_kernel = w->has_kernel;
	if (x->has_kernel) {
		x->k_short_empty = k->short_empty;
		x->k_full_queued = k->full_queued;
	}
}

void report_run_id(char *b, size_t n, long long start_s, long pid)
{
	time_t t = (time_t)start_s;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(b, n, "%Y%m%dT%H%M%SZ", &tm))
		snprintf(b, n, "%lld", start_s);
	snprintf(b + strlen(b), n - strlen(b), "-%ld", pid);
}

void report_fmt_ns(char *b, size_t n, double ns)
{
	if (ns < 1e3 && ns == (double)(uint64_t)ns)
		snprintf(b, n, "%.0f ns", ns);
	else if (ns < 1e3)
		snprintf(b, n, "%.1f ns", ns);
	else if (ns < 1e6)
		snprintf(b, n, "%.3f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(b, n, "%.3f ms", ns / 1e6);
	else
		snprintf(b, n, "%.3f s", ns / 1e9);
}

void report_print_log2(FILE *out, const char *title, const uint64_t h[RP_LOG2_SLOTS])
{
	int first = -1, last = -1, w;
	uint64_t max = 0;
	char lo[24], hi[24];

	for (int i = 0; i < RP_LOG2_SLOTS; i++) {
		if (!h[i])
			continue;
		first = first < 0 ? i : first;
		last = i;
		max = h[i] > max ? h[i] : max;
	}
	if (last < 0) {
		fprintf(out, " %s: no samples\n", title);
		return;
	}
	w = snprintf(hi, sizeof(hi), "%" PRIu64, (uint64_t)(2ULL << last) - 1);
	w = w < 7 ? 7 : w;
	fprintf(out, " %s:\n%*s%-*s : count      distribution\n", title, w, "ns", w + 4, "");
	for (int i = first; i <= last; i++) {
		int stars = (int)((double)h[i] * HIST_STARS / (double)max);
		char bar[HIST_STARS + 1];

		snprintf(lo, sizeof(lo), "%" PRIu64, i ? (uint64_t)1 << i : 0);
		if (i == RP_LOG2_SLOTS - 1)
			snprintf(hi, sizeof(hi), "inf");
		else
			snprintf(hi, sizeof(hi), "%" PRIu64, ((uint64_t)2 << i) - 1);
		memset(bar, '*', stars);
		bar[stars] = '\0';
		fprintf(out, "%*s -> %-*s : %-10" PRIu64 " |%-*s|\n", w, lo, w, hi, h[i],
			HIST_STARS, bar);
	}
}

int report_bytes_verdict(const struct rp_report *r, int d)
{
	const struct rp_totals *t = &r->totals;
	uint64_t sink = d == RP_SEND ? r->sink.bytes_in : r->sink.bytes_out, traced = 0;

	if (!t->has_kernel && !r->has_sink)
		return -1;
	for (int i = 0; i < r->nworkers; i++)
		if (r->workers[i].has_kernel)
			traced += r->workers[i].user[d].bytes;
	if (t->has_kernel && t->kernel[d].bytes != traced)
		return 1;
	return r->has_sink && sink != t->user[d].bytes;
}
