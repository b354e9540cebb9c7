/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The --netns plan: two network namespaces named after the driver's pid,
 * joined by a veth pair whose link-local /30 exists only inside them.
 * Names only, no I/O: driver/run/netns.c carries the plan out.
 */
#ifndef REQPERF_NETNS_PLAN_H
#define REQPERF_NETNS_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "report.h"

#define RP_NETNS_DIR "/var/run/netns" /* where `ip netns add` mounts them */
#define RP_NETNS_PREFIX "reqperf-"
#define RP_NETNS_MTU 1500
#define RP_NETNS_MIN_MTU 68 /* IPv4's minimum */
#define RP_NETNS_MAX_MTU 65535 /* veth's maximum */

struct rp_netns_plan {
	char ns[RP_LINK_ENDS][32]; /* "reqperf-<pid>-c", "reqperf-<pid>-s" */
	char ifname[RP_LINK_ENDS][16]; /* "rp-c", "rp-s" */
	uint32_t addr[RP_LINK_ENDS]; /* host byte order */
	int prefix;
};

void netns_plan(struct rp_netns_plan *p, long pid);
/* The pid in a namespace name netns_plan() makes; 0 for any other name. */
long netns_name_pid(const char *name);
/* "169.254.77.1/30"; without "/N" when prefix < 0 */
void netns_fmt_addr(char *buf, size_t cap, uint32_t addr, int prefix);
/* A file descriptor of the named namespace (setns), or -1 with errno. */
int netns_open(const char *name);
/* "keep", "off", "on" */
const char *toggle_name(enum rp_toggle t);

#endif /* REQPERF_NETNS_PLAN_H */
