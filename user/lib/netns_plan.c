// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "netns_plan.h"

/* 169.254.77.0/30: .1 the workers, .2 the sink. Each run has its own pair
 * of namespaces, so parallel runs reuse the addresses without meeting. */
#define PLAN_NET 0xa9fe4d00u

void netns_plan(struct rp_netns_plan *p, long pid)
{
	static const char tag[RP_LINK_ENDS] = {'c', 's'};

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < RP_LINK_ENDS; i++) {
		snprintf(p->ns[i], sizeof(p->ns[i]), RP_NETNS_PREFIX "%ld-%c", pid, tag[i]);
		snprintf(p->ifname[i], sizeof(p->ifname[i]), "rp-%c", tag[i]);
		p->addr[i] = PLAN_NET + 1 + (uint32_t)i;
	}
	p->prefix = 30;
}

long netns_name_pid(const char *name)
{
	size_t n = strlen(RP_NETNS_PREFIX);
	const char *s = name + n;
	long pid = 0;

	if (strncmp(name, RP_NETNS_PREFIX, n) || *s < '1' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (pid > 99999999)
			return 0;
		pid = pid * 10 + (*s - '0');
	}
	if (s[0] != '-' || (s[1] != 'c' && s[1] != 's') || s[2])
		return 0;
	return pid;
}

void netns_fmt_addr(char *buf, size_t cap, uint32_t addr, int prefix)
{
	snprintf(buf, cap, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
		 addr & 0xff);
	if (prefix >= 0 && strlen(buf) + 4 < cap)
		snprintf(buf + strlen(buf), cap - strlen(buf), "/%d", prefix);
}

const char *toggle_name(enum rp_toggle t)
{
	switch (t) {
	case RP_TOGGLE_KEEP:
		return "keep";
	case RP_TOGGLE_OFF:
		return "off";
	case RP_TOGGLE_ON:
		return "on";
	}
	return "unknown";
}

int netns_open(const char *name)
{
	char path[sizeof(RP_NETNS_DIR) + 256];

	snprintf(path, sizeof(path), "%s/%s", RP_NETNS_DIR, name);
	return open(path, O_RDONLY | O_CLOEXEC);
}
