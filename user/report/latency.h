/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Per-request latency: from the request's first byte handed to send() to
 * the last byte of its response returned by recv(), kept in the log-linear
 * histogram of stats.h (64 buckets per power of two: within 0.8 %, up to
 * 2^40 ns, about 18 minutes). With --rate, requests follow a constant-rate
 * schedule and latency is also measured from each request's intended send
 * time (corrected for coordinated omission, as wrk2 does).
 * Pure: no I/O, no clocks, no allocation.
 */
#ifndef REQPERF_LATENCY_H
#define REQPERF_LATENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "stats.h"

#define RP_LAT_NPCT 5 /* p50 p90 p99 p99.9 p99.99 */
#define RP_LAT_LATE_NS 1000000ull /* a request sent this late missed its slot */
#define RP_LAT_MAX_WINDOW (1u << 20) /* most requests in flight per connection */

extern const double rp_lat_pct[RP_LAT_NPCT];
extern const char *const rp_lat_pct_name[RP_LAT_NPCT]; /* "p50" ... "p99.99" */
extern const char *const rp_lat_pct_key[RP_LAT_NPCT]; /* "p50" ... "p9999" */

/* What a worker measured; travels in its result. */
struct rp_lat_result {
	int32_t on; /* latency was recorded */
	int32_t rate; /* --rate: lat is corrected, sent is uncorrected */
	struct rp_stats lat; /* from the intended send time (closed loop: the actual one) */
	struct rp_stats sent; /* --rate only: from the actual send */
	/* --rate: the client's own lag, from the later of a request's slot
	 * and the response that opened its window to its send */
	uint64_t late; /* requests with a lag >= RP_LAT_LATE_NS */
	uint64_t unsent; /* --duration: slots before the end never sent */
	uint64_t lag_max_ns;
	/* Nagle / delayed-ACK stalls: requests with bytes still unsent after
	 * the send() that wrote their last byte (SIOCOUTQNSD > 0: Nagle, the
	 * congestion window or autocork held them), and of those the ones
	 * answered RP_STALL_NS or more after that send */
	uint64_t held;
	uint64_t stalls;
};

/* A stall waited at least the delayed-ACK timer's minimum (Linux
 * TCP_DELACK_MIN, HZ/25 = 40 ms at any HZ) for its answer. */
#define RP_STALL_NS 40000000ULL

/* One latency distribution as reported; ns. */
struct rp_lat_summary {
	uint64_t n;
	uint64_t min;
	uint64_t max;
	double mean;
	uint64_t p[RP_LAT_NPCT];
};

/* A worker's (or the run's) latency figures. */
struct rp_lat_report {
	bool on;
	bool rate;
	struct rp_lat_summary lat; /* corrected with --rate */
	struct rp_lat_summary sent; /* uncorrected, --rate only */
	uint64_t late;
	uint64_t unsent;
	uint64_t lag_max_ns;
	uint64_t held, stalls; /* rp_lat_result's */
};

/* One progress interval: counts in the interval, p99 of its responses
 * and of the whole run so far (0: none yet). */
struct rp_interval {
	double t_s; /* end of the interval, seconds since the start */
	double dt_s;
	uint64_t responses;
	uint64_t errors;
	uint64_t retrans;
	uint64_t p99_ns;
	uint64_t p99_run_ns;
};

void lat_result_init(struct rp_lat_result *r, bool on, bool rate);
void lat_summarize(const struct rp_stats *s, struct rp_lat_summary *out);
void lat_report_from(struct rp_lat_report *out, const struct rp_lat_result *r);
/* Adds src into dst (histograms merged, counters summed, maxima kept). */
void lat_result_merge(struct rp_lat_result *dst, const struct rp_lat_result *src);
/* The schedule was not kept: more than 1 % of requests late, or any unsent. */
bool lat_schedule_missed(const struct rp_lat_report *r, uint64_t requests);

/*
 * The constant-rate schedule. rate requests/s over streams = workers *
 * connections; each stream (one connection) sends every period_ns, and
 * stream s starts s / rate seconds after the run, so the whole run's
 * requests are evenly spaced. Slot i of a stream is at
 * first_ns + i * period_ns.
 */
struct rp_sched_slot {
	double period_ns;
	uint64_t first_ns;
};
void lat_schedule(struct rp_sched_slot *s, double rate, int workers, int conns, int worker,
		  int conn, uint64_t start_ns);
static inline uint64_t lat_slot_ns(const struct rp_sched_slot *s, uint64_t i)
{
	return s->first_ns + (uint64_t)((double)i * s->period_ns);
}
/* Slots due at now (those with a time <= now): a count, 0 before the first. */
uint64_t lat_slots_due(const struct rp_sched_slot *s, uint64_t now);

/* Smallest power of two >= n + 1 (a ring that never wraps onto an
 * unanswered request); 0 when n exceeds RP_LAT_MAX_WINDOW. */
uint32_t lat_ring_size(uint64_t n);

/* "P:S" (ms): pause P every S, 1 <= P < S <= 3600000; 0 or -1. */
int lat_parse_pause(const char *s, uint32_t *pause_ms, uint32_t *every_ms);

#endif /* REQPERF_LATENCY_H */
