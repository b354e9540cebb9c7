/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --netns: two network namespaces joined by a veth pair, the workers in
 * one and the embedded sink in the other, removed on every way out.
 */
#ifndef REQPERF_NETNS_H
#define REQPERF_NETNS_H

#include <stdbool.h>

#include "config.h"
#include "netns_plan.h"
#include "report.h"

struct rp_netns {
	bool active; /* netns_setup() ran: teardown has work */
	struct rp_netns_plan plan;
	bool made[RP_LINK_ENDS]; /* ours to delete */
	int ctl[RP_LINK_ENDS]; /* a socket made inside each, for ioctls */
};

/* Removes what dead runs left, creates the namespaces and the link, sets
 * addresses, MTU and offloads. On error prints one line and returns -1;
 * netns_teardown() then removes whatever was made. */
int netns_setup(struct rp_netns *ns, const struct rp_config *cfg);
/* Deletes our namespaces (and with them the veth pair); idempotent. */
void netns_teardown(struct rp_netns *ns);
/* In a child of the driver, before any socket: with --netns, enters the
 * driver's namespace for end (RP_LINK_CLIENT or RP_LINK_SINK). Returns 0,
 * or -1 with errno; without --netns does nothing. */
int netns_join(const struct rp_config *cfg, int end);
/* The address end listens or connects from: "169.254.77.2", "127.0.0.1"
 * without --netns. driver: the driver's pid. */
void netns_host(const struct rp_config *cfg, long driver, int end, char *buf, size_t cap);
/* The link as in effect, both ends. */
void netns_read_link(const struct rp_netns *ns, struct rp_link *l);
/* Each namespace's TcpExt counters (mib.h); m[i].read false when they
 * could not be read. Before netns_teardown(). */
struct rp_mib;
void netns_read_mib(const struct rp_netns *ns, struct rp_mib m[RP_LINK_ENDS]);
/* Without --netns: the embedded sink's loopback, read the same way. */
void netns_read_loopback(struct rp_link *l);

#endif /* REQPERF_NETNS_H */
