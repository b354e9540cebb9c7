/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Link impairments on the --netns veth pair, per direction: what was asked
 * (parsed from --loss, --dup, --link-rate, --delay, --reorder, --seed), which
 * kernel mechanism does each part, and the tc command lines for the qdisc
 * parts. Pure logic, no I/O: driver/run/impair_tc.c carries it out.
 *
 * Mechanisms: loss and duplication come from a tc ingress BPF program
 * (bpf/impair.bpf.c) on every kernel, so they are reproducible by packet
 * number; the rate from TBF; delay, jitter and reordering only from netem
 * (sch_netem), refused where the kernel lacks it.
 */
#ifndef REQPERF_IMPAIR_H
#define REQPERF_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rp_impair.h"

#define RP_IMPAIR_DEFAULT_SEED 1
#define RP_IMPAIR_ARGV_MAX 32

/* Which packets one action hits (the user-side form of rp_impair_rule). */
struct rp_impair_action {
	enum rp_impair_kind kind;
	double pct; /* RANDOM: percent of data packets, 0 < pct < 100 */
	uint32_t every; /* EVERY: N >= 1 */
	uint32_t nat; /* AT: sorted, distinct, 1-based */
	uint32_t at[RP_IMPAIR_LIST_MAX];
};

struct rp_impair_way {
	struct rp_impair_action loss, dup;
	uint64_t rate_bps; /* TBF, bits per second; 0: no limit */
	bool delay; /* netem delay set (may be 0 ms with jitter) */
	double delay_ms, jitter_ms;
	double reorder_pct; /* netem: percent sent at once, ahead of delayed ones */
};

struct rp_impair {
	bool asked; /* any impairment option given, even "0%" (a sweep's baseline) */
	uint64_t seed;
	bool seed_set;
	struct rp_impair_way way[RP_IMP_NDIRS];
};

/* One connection's retransmissions on one end, by class. */
struct rp_retrans_conn {
	uint32_t end; /* RP_LINK_CLIENT, RP_LINK_SINK: who retransmitted */
	uint16_t lport, rport;
	uint64_t events[RP_RTX_NCLASSES];
	uint64_t segs[RP_RTX_NCLASSES];
};

#define RP_RETRANS_REPORT_MAX 64 /* connections listed; the sums cover all */

/* What ran, for the report: the tc program's counters per direction. */
struct rp_impair_report {
	bool active; /* impairments were set up on the link */
	bool bpf; /* the tc programs were attached */
	struct rp_impair_count count[RP_IMP_NDIRS];
	bool retrans; /* the tcp_retransmit_skb program ran */
	char retrans_why[160]; /* why not, when it did not */
	uint64_t retrans_lost; /* events not counted: the map was full */
	uint64_t retrans_segs[2][RP_RTX_NCLASSES]; /* [end][class], all connections */
	uint64_t retrans_events[2][RP_RTX_NCLASSES];
	int nconns; /* connections that retransmitted (listed: up to the max) */
	struct rp_retrans_conn conns[RP_RETRANS_REPORT_MAX];
};

/* Each parser takes "[c2s:|s2c:]VALUE" (no prefix: both directions) and
 * returns 0, or -1 with a one-line reason in err.
 *   --loss, --dup  P%  (random, 0 <= P < 100) | every:N | at:N1,N2,...
 *   --link-rate    NUMBER{bit,kbit,mbit,gbit}, > 0
 *   --delay        MS[:JITTER_MS], each >= 0
 *   --reorder      P% (0 < P < 100; needs --delay) */
int impair_parse_loss(struct rp_impair *im, const char *arg, char *err, size_t cap);
int impair_parse_dup(struct rp_impair *im, const char *arg, char *err, size_t cap);
int impair_parse_rate(struct rp_impair *im, const char *arg, char *err, size_t cap);
int impair_parse_delay(struct rp_impair *im, const char *arg, char *err, size_t cap);
int impair_parse_reorder(struct rp_impair *im, const char *arg, char *err, size_t cap);
/* Across options, once all are parsed: NULL when consistent. */
const char *impair_check(const struct rp_impair *im);

bool impair_any(const struct rp_impair *im);
/* The name of a retransmission class: "fast", "rto", "probe" */
const char *impair_rtx_name(int cls);

/* Loss or duplication in any direction: the tc BPF program is needed. */
bool impair_needs_bpf(const struct rp_impair *im);
bool impair_way_netem(const struct rp_impair_way *w);
bool impair_way_qdisc(const struct rp_impair_way *w);
/* The rules the BPF program reads (its read-only data). */
void impair_rules(const struct rp_impair *im, struct rp_impair_rules *out);

/* TBF's burst for a rate: 4 ms at the rate, at least two frames. */
uint32_t impair_tbf_burst(uint64_t rate_bps, uint32_t mtu);
#define RP_IMPAIR_TBF_LATENCY_MS 100 /* TBF's queue: this long at the rate */

/* `tc -n NS qdisc add dev IF root ...` for way w into argv (pointers into
 * buf); returns the argc, 0 when the way needs no qdisc. With a rate and
 * netem both, this is the TBF root; impair_netem_child_argv() adds netem
 * under it. */
int impair_qdisc_argv(const struct rp_impair_way *w, const char *ns, const char *ifname,
		      uint32_t mtu, char *argv[RP_IMPAIR_ARGV_MAX], char *buf, size_t cap);
int impair_netem_child_argv(const struct rp_impair_way *w, const char *ns, const char *ifname,
			    char *argv[RP_IMPAIR_ARGV_MAX], char *buf, size_t cap);

/* "c2s", "s2c"; and what each is in words */
const char *impair_dir_name(int dir);
const char *impair_dir_words(int dir);
/* "random 1%", "every:10", "at:3,7,12" (the CLI spelling) */
void impair_action_fmt(const struct rp_impair_action *a, char *buf, size_t cap);
/* "100 Mbit/s" */
void impair_rate_fmt(uint64_t bps, char *buf, size_t cap);

#endif /* REQPERF_IMPAIR_H */
