/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What `reqperf trace` checks about its target in /proc: a --pid that is
 * gone, a kernel thread or in another network namespace; whether any task
 * named --comm exists.
 */
#ifndef REQPERF_TRACE_TARGET_H
#define REQPERF_TRACE_TARGET_H

#include <stdbool.h>
#include <stddef.h>

enum trace_pid_state {
	TRACE_PID_OK = 0,
	TRACE_PID_GONE,
	TRACE_PID_KTHREAD,
};

/* The state of pid; its comm in comm (may be "" when unreadable). */
enum trace_pid_state trace_pid_state(long pid, char *comm, size_t len);
/* True when pid's network namespace differs from ours; its name
 * ("net:[4026531840]") in ns. */
bool trace_pid_other_netns(long pid, char *ns, size_t len);
/* True when some thread of some process is named comm now. */
bool trace_comm_exists(const char *comm);
/* The comm of pid into buf ("?" when unknown). */
void trace_pid_comm(long pid, char *buf, size_t len);

#endif /* REQPERF_TRACE_TARGET_H */
