/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * `reqperf run --netns --sweep-loss LIST [--sweep-mtu LIST]`: the same
 * workload over every loss x MTU setting, rounds in an order rotated as
 * --compare rotates them, then one table of medians over the rounds and
 * an SVG of the main figures against the loss. Pure: the model, parsing
 * and the renderers; driver/run/sweep.c runs the rounds.
 */
#ifndef REQPERF_SWEEP_H
#define REQPERF_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"

#define RP_SWEEP_MAX_LOSS 8
#define RP_SWEEP_MAX_MTU 4
#define RP_SWEEP_MAX_SETTINGS (RP_SWEEP_MAX_LOSS * RP_SWEEP_MAX_MTU)
#define RP_SWEEP_DEFAULT_REPEAT 3
#define RP_SWEEP_MAX_REPEAT 20

/* Per round, from its report. */
enum rp_sweep_metric {
	RP_SW_SEGS_PER_RESP = 0, /* client data segments in / responses */
	RP_SW_RECV_PER_RESP, /* recv calls / responses */
	RP_SW_LOST, /* data packets the tc program dropped, both ways */
	RP_SW_FAST, /* retransmitted segments by class, both ends */
	RP_SW_RTO,
	RP_SW_PROBE,
	RP_SW_DSACK, /* D-SACKs received, both ends */
	RP_SW_STALLS, /* Nagle / delayed-ACK stalls (latency.h), all workers */
	RP_SW_RPS, /* responses per second of wall time */
	RP_SW_P99_MS, /* p99 request latency of the run (first byte sent to last
		       * byte received), NaN when latency was not recorded */
	RP_NSW,
};

struct rp_sweep_setting {
	double loss_pct;
	uint32_t mtu;
};

struct rp_sweep_round {
	int setting;
	int round;
	int status; /* the run's exit status */
	double v[RP_NSW];
};

struct rp_sweep {
	int dir_lo, dir_hi; /* the loss applies to these directions */
	int nloss, nmtu;
	double loss[RP_SWEEP_MAX_LOSS];
	uint32_t mtu[RP_SWEEP_MAX_MTU];
	int repeat;
	int nsettings;
	struct rp_sweep_setting settings[RP_SWEEP_MAX_SETTINGS];
	int nrounds;
	struct rp_sweep_round *rounds; /* nsettings x repeat, caller-owned */
	bool interrupted;
};

/* "[c2s:|s2c:]0,0.1,1,5": percents, each 0 <= P < 100, increasing. */
int sweep_parse_loss(struct rp_sweep *s, const char *arg, char *err, size_t cap);
/* "1500,9000": MTUs within RP_NETNS_MIN_MTU..RP_NETNS_MAX_MTU. */
int sweep_parse_mtu(struct rp_sweep *s, const char *arg, char *err, size_t cap);
/* The loss x MTU settings (mtu_default when no MTU list); returns the count. */
int sweep_plan(struct rp_sweep *s, uint32_t mtu_default);
/* A round's figures from its run's report. */
void sweep_round_from_report(const struct rp_report *r, struct rp_sweep_round *out);
/* The median of metric m over setting i's complete rounds; NaN if none. */
double sweep_median(const struct rp_sweep *s, int setting, int m);
/* One table, a row per setting. */
void sweep_text(FILE *out, const struct rp_sweep *s);
/* Segments and recv calls per response, retransmissions and responses/s
 * against the loss, a line per MTU. */
void sweep_svg(FILE *out, const struct rp_sweep *s);

#endif /* REQPERF_SWEEP_H */
