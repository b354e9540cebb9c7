/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Interface settings through ioctls on a datagram socket: the socket's
 * network namespace is the one acted on, so a socket made inside a
 * namespace configures that namespace's interfaces from anywhere.
 */
#ifndef REQPERF_NETIF_H
#define REQPERF_NETIF_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "report.h"

/* The settings an end gets; each call returns 0, or -1 with a one-line
 * reason in err. */
int netif_set_addr(int ctl, const char *ifname, uint32_t addr, int prefix, char *err, size_t cap);
int netif_set_mtu(int ctl, const char *ifname, uint32_t mtu, char *err, size_t cap);
int netif_up(int ctl, const char *ifname, char *err, size_t cap);
/* Sets TSO, GSO and GRO as asked (RP_TOGGLE_KEEP leaves one alone). */
int netif_set_offloads(int ctl, const char *ifname, const struct rp_config *cfg, char *err,
		       size_t cap);
/* Fills e->ifname, mtu, tso, gso, gro as in effect (unknown: 0 / -1). */
void netif_read(int ctl, const char *ifname, struct rp_link_end *e);

#endif /* REQPERF_NETIF_H */
