/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The sink forked next to the workers when no --target is given. */
#ifndef REQPERF_EMBEDDED_SINK_H
#define REQPERF_EMBEDDED_SINK_H

#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "report.h"

struct embedded_sink {
	pid_t pid;
	uint16_t port;
	struct rp_sink_counters *counters; /* shared with the child */
};

/* Forks the sink on an ephemeral loopback port; fills cfg->target. */
int embedded_sink_start(struct embedded_sink *s, struct rp_config *cfg);
/* Stops it (SIGTERM, bounded wait, then SIGKILL) and copies its final
 * counters. Returns 0 when it exited cleanly. */
int embedded_sink_stop(struct embedded_sink *s, struct rp_sink_counters *out);

#endif
