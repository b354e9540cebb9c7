// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <math.h>
#include <string.h>

#include "latency.h"
#include "parse.h"

const double rp_lat_pct[RP_LAT_NPCT] = {50, 90, 99, 99.9, 99.99};
const char *const rp_lat_pct_name[RP_LAT_NPCT] = {"p50", "p90", "p99", "p99.9", "p99.99"};
const char *const rp_lat_pct_key[RP_LAT_NPCT] = {"p50", "p90", "p99", "p999", "p9999"};

void lat_result_init(struct rp_lat_result *r, bool on, bool rate)
{
	memset(r, 0, sizeof(*r));
	r->on = on;
	r->rate = on && rate;
	stats_init(&r->lat);
	stats_init(&r->sent);
}

void lat_summarize(const struct rp_stats *s, struct rp_lat_summary *out)
{
	memset(out, 0, sizeof(*out));
	if (!s->n)
		return;
	out->n = s->n;
	out->min = s->min;
	out->max = s->max;
	out->mean = s->mean;
	for (int i = 0; i < RP_LAT_NPCT; i++)
		out->p[i] = stats_percentile(s, rp_lat_pct[i]);
}

void lat_report_from(struct rp_lat_report *out, const struct rp_lat_result *r)
{
	memset(out, 0, sizeof(*out));
	out->on = r->on;
	out->rate = r->rate;
	if (!r->on)
		return;
	lat_summarize(&r->lat, &out->lat);
	if (r->rate)
		lat_summarize(&r->sent, &out->sent);
	out->late = r->late;
	out->unsent = r->unsent;
	out->lag_max_ns = r->lag_max_ns;
	out->held = r->held;
	out->stalls = r->stalls;
}

void lat_result_merge(struct rp_lat_result *dst, const struct rp_lat_result *src)
{
	if (!src->on)
		return;
	dst->on = 1;
	dst->rate = src->rate;
	stats_merge(&dst->lat, &src->lat);
	stats_merge(&dst->sent, &src->sent);
	dst->late += src->late;
	dst->unsent += src->unsent;
	dst->held += src->held;
	dst->stalls += src->stalls;
	if (src->lag_max_ns > dst->lag_max_ns)
		dst->lag_max_ns = src->lag_max_ns;
}

bool lat_schedule_missed(const struct rp_lat_report *r, uint64_t requests)
{
	if (!r->rate)
		return false;
	return r->unsent > 0 || r->late * 100 > requests;
}

void lat_schedule(struct rp_sched_slot *s, double rate, int workers, int conns, int worker,
		  int conn, uint64_t start_ns)
{
	double streams = (double)workers * conns;
	uint64_t stream = (uint64_t)worker * (uint64_t)conns + (uint64_t)conn;

	s->period_ns = streams * 1e9 / rate;
	s->first_ns = start_ns + (uint64_t)((double)stream * 1e9 / rate);
}

uint64_t lat_slots_due(const struct rp_sched_slot *s, uint64_t now)
{
	double k;

	if (now < s->first_ns)
		return 0;
	k = floor((double)(now - s->first_ns) / s->period_ns) + 1;
	/* lat_slot_ns truncates; the count must agree with it at the edge. */
	while (k > 1 && lat_slot_ns(s, (uint64_t)k - 1) > now)
		k--;
	while (lat_slot_ns(s, (uint64_t)k) <= now)
		k++;
	return (uint64_t)k;
}

uint32_t lat_ring_size(uint64_t n)
{
	uint32_t size = 1;

	if (n > RP_LAT_MAX_WINDOW)
		return 0;
	while (size < n + 1)
		size <<= 1;
	return size;
}

int lat_parse_pause(const char *s, uint32_t *pause_ms, uint32_t *every_ms)
{
	const char *colon = strchr(s, ':');
	char head[24];
	long p, e;

	if (!colon || (size_t)(colon - s) >= sizeof(head))
		return -1;
	memcpy(head, s, (size_t)(colon - s));
	head[colon - s] = '\0';
	if (parse_long(head, 1, 3600000, &p) < 0 || parse_long(colon + 1, 2, 3600000, &e) < 0 ||
	    p >= e)
		return -1;
	*pause_ms = (uint32_t)p;
	*every_ms = (uint32_t)e;
	return 0;
}
