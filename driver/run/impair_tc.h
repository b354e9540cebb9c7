/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --loss, --dup, --link-rate, --delay, --reorder on the --netns link: the tc
 * ingress program and the qdiscs, set up after the link and removed before
 * it on every way out.
 */
#ifndef REQPERF_IMPAIR_TC_H
#define REQPERF_IMPAIR_TC_H

#include <stdbool.h>

#include "config.h"
#include "impair.h"
#include "netns_plan.h"

struct impair_bpf;
struct bpf_link;

struct rp_impair_tc {
	bool active; /* impair_setup() had work: teardown has too */
	const struct rp_netns_plan *plan;
	struct impair_bpf *skel;
	bool hooked[RP_LINK_ENDS]; /* clsact made on this end */
	bool qdisc[RP_LINK_ENDS]; /* root qdisc (TBF or netem) added */
	struct bpf_link *retrans_link; /* tp_btf/tcp_retransmit_skb */
	char retrans_why[160]; /* why it is not attached */
};

/* Loads and attaches what cfg->impair asks on the link plan names (made
 * by netns_setup()). Returns 0, or -1 after one line on stderr (a
 * mechanism this kernel lacks is named as such); impair_teardown() then
 * removes whatever was made. */
int impair_setup(struct rp_impair_tc *t, const struct rp_config *cfg,
		 const struct rp_netns_plan *plan);
/* The program's counters so far, and what ran. */
void impair_read(const struct rp_impair_tc *t, struct rp_impair_report *r);
/* Detaches the program, deletes the qdiscs, frees; idempotent. */
void impair_teardown(struct rp_impair_tc *t);

#endif /* REQPERF_IMPAIR_TC_H */
