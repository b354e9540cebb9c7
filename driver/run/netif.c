// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Addresses, MTU, up, offloads: legacy ioctls, one interface at a time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "netif.h"
#include "netns_plan.h"

static void ifr_init(struct ifreq *ifr, const char *ifname)
{
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
}

static int fail(char *err, size_t cap, const char *ifname, const char *what)
{
	snprintf(err, cap, "%s: %s: %s", ifname, what, strerror(errno));
	return -1;
}

static void set_sin(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(addr)};

	memcpy(sa, &sin, sizeof(sin));
}

int netif_set_addr(int ctl, const char *ifname, uint32_t addr, int prefix, char *err, size_t cap)
{
	struct ifreq ifr;

	ifr_init(&ifr, ifname);
	set_sin(&ifr.ifr_addr, addr);
	if (ioctl(ctl, SIOCSIFADDR, &ifr) < 0)
		return fail(err, cap, ifname, "setting the address");
	ifr_init(&ifr, ifname);
	set_sin(&ifr.ifr_netmask, prefix ? ~0u << (32 - prefix) : 0);
	if (ioctl(ctl, SIOCSIFNETMASK, &ifr) < 0)
		return fail(err, cap, ifname, "setting the netmask");
	return 0;
}

int netif_set_mtu(int ctl, const char *ifname, uint32_t mtu, char *err, size_t cap)
{
	struct ifreq ifr;

	ifr_init(&ifr, ifname);
	ifr.ifr_mtu = (int)mtu;
	if (ioctl(ctl, SIOCSIFMTU, &ifr) < 0) {
		snprintf(err, cap, "%s: the kernel refused mtu %u: %s", ifname, mtu,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int netif_up(int ctl, const char *ifname, char *err, size_t cap)
{
	struct ifreq ifr;

	ifr_init(&ifr, ifname);
	if (ioctl(ctl, SIOCGIFFLAGS, &ifr) < 0)
		return fail(err, cap, ifname, "reading flags");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(ctl, SIOCSIFFLAGS, &ifr) < 0)
		return fail(err, cap, ifname, "setting it up");
	return 0;
}

static int ethtool_value(int ctl, const char *ifname, uint32_t cmd, uint32_t *v)
{
	struct ethtool_value ev = {.cmd = cmd, .data = *v};
	struct ifreq ifr;

	ifr_init(&ifr, ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(ctl, SIOCETHTOOL, &ifr) < 0)
		return -1;
	*v = ev.data;
	return 0;
}

static int set_one(int ctl, const char *ifname, uint32_t cmd, const char *name, enum rp_toggle t,
		   char *err, size_t cap)
{
	uint32_t v = t == RP_TOGGLE_ON;

	if (t == RP_TOGGLE_KEEP || ethtool_value(ctl, ifname, cmd, &v) == 0)
		return 0;
	snprintf(err, cap, "%s: cannot turn %s %s (ethtool ioctl): %s", ifname, name,
		 toggle_name(t), strerror(errno));
	return -1;
}

int netif_set_offloads(int ctl, const char *ifname, const struct rp_config *cfg, char *err,
		       size_t cap)
{
	if (set_one(ctl, ifname, ETHTOOL_STSO, "tso", cfg->tso, err, cap) < 0 ||
	    set_one(ctl, ifname, ETHTOOL_SGSO, "gso", cfg->gso, err, cap) < 0 ||
	    set_one(ctl, ifname, ETHTOOL_SGRO, "gro", cfg->gro, err, cap) < 0)
		return -1;
	return 0;
}

static int8_t get_one(int ctl, const char *ifname, uint32_t cmd)
{
	uint32_t v = 0;

	return ethtool_value(ctl, ifname, cmd, &v) == 0 ? (int8_t)(v != 0) : -1;
}

void netif_read(int ctl, const char *ifname, struct rp_link_end *e)
{
	struct ifreq ifr;

	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname);
	ifr_init(&ifr, ifname);
	e->mtu = ioctl(ctl, SIOCGIFMTU, &ifr) == 0 ? (uint32_t)ifr.ifr_mtu : 0;
	e->tso = get_one(ctl, ifname, ETHTOOL_GTSO);
	e->gso = get_one(ctl, ifname, ETHTOOL_GGSO);
	e->gro = get_one(ctl, ifname, ETHTOOL_GGRO);
}
