// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>

#include "config.h"

/* The seed's workload: one worker per CPU, pinned, SCHED_RR at the maximum
 * priority, 512 requests each sent in a burst, recv(1024), a 3072-byte
 * body. workers 0 means one per CPU the driver may run on (its affinity
 * mask, so `taskset` is honoured), resolved when the run starts. */
void config_defaults(struct rp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->requests = 512;
	c->mode = RP_MODE_BURST;
	c->pipeline = 8;
	c->connections = 1;
	c->recv_size = 1024;
	c->request_writes = 1;
	c->affinity = true;
	c->sched = RP_SCHED_RR;
	c->priority = -1;
	c->idle_timeout_s = 2.0;
	c->connect_timeout_s = 2.0;
	c->response_timeout_s = 2.0; /* wrk's --timeout */
	c->max_response = 256ULL << 20;
	strcpy(c->path, "/");
	c->probe = RP_PROBE_AUTO;
	c->body_size = 3072;
	c->sink_threads = 1;
	c->impair.seed = RP_IMPAIR_DEFAULT_SEED;
}

const char *mode_name(enum rp_mode m)
{
	switch (m) {
	case RP_MODE_BURST:
		return "burst";
	case RP_MODE_PINGPONG:
		return "pingpong";
	case RP_MODE_PIPELINE:
		return "pipeline";
	}
	return "unknown";
}

const char *probe_name(enum rp_probe p)
{
	switch (p) {
	case RP_PROBE_AUTO:
		return "auto";
	case RP_PROBE_FENTRY:
		return "fentry";
	case RP_PROBE_KPROBE:
		return "kprobe";
	case RP_PROBE_TRACEPOINT:
		return "tracepoint";
	case RP_PROBE_OFF:
		return "off";
	}
	return "unknown";
}

const char *sched_name(enum rp_sched s)
{
	switch (s) {
	case RP_SCHED_RR:
		return "rr";
	case RP_SCHED_FIFO:
		return "fifo";
	case RP_SCHED_OTHER:
		return "other";
	}
	return "unknown";
}
