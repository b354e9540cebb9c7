// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Namespaces and the veth pair come from iproute2's `ip` (named namespaces
 * under /var/run/netns outlive a killed driver, so the next run can find
 * and remove them); addresses, MTU and offloads are ioctls on a socket
 * made inside each namespace.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipcmd.h"
#include "mib.h"
#include "netif.h"
#include "netns.h"
#include "nsopen.h"

#define IP_TIMEOUT_MS 5000

static bool ns_exists(const char *name)
{
	char path[sizeof(RP_NETNS_DIR) + 256];

	snprintf(path, sizeof(path), "%s/%s", RP_NETNS_DIR, name);
	return access(path, F_OK) == 0 || errno != ENOENT;
}

static int ns_delete(const char *name, char *err, size_t cap)
{
	char *argv[] = {"ip", "netns", "delete", (char *)name, NULL};

	if (!ns_exists(name))
		return 0;
	return ipcmd_run(argv, IP_TIMEOUT_MS, err, cap);
}

/* A run that died without its cleanup (SIGKILL) left its namespaces:
 * remove those whose pid is gone, and any that carry our own pid. Another
 * run may be removing the same ones: gone is as good as removed. */
static void remove_stale(bool quiet)
{
	DIR *d = opendir(RP_NETNS_DIR);
	struct dirent *e;
	char err[512];

	while (d && (e = readdir(d))) {
		long pid = netns_name_pid(e->d_name);

		if (!pid || (pid != getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)))
			continue;
		if (ns_delete(e->d_name, err, sizeof(err)) == 0) {
			if (!quiet)
				fprintf(stderr, "reqperf: removed stale namespace %s\n", e->d_name);
		} else if (ns_exists(e->d_name)) {
			fprintf(stderr, "reqperf: warning: cannot remove stale namespace: %s\n",
				err);
		}
	}
	if (d)
		closedir(d);
}

static int make_link(struct rp_netns *ns, char *err, size_t cap)
{
	struct rp_netns_plan *p = &ns->plan;
	char *veth[] = {"ip",
			"link",
			"add",
			"name",
			p->ifname[RP_LINK_CLIENT],
			"netns",
			p->ns[RP_LINK_CLIENT],
			"type",
			"veth",
			"peer",
			"name",
			p->ifname[RP_LINK_SINK],
			"netns",
			p->ns[RP_LINK_SINK],
			NULL};

	for (int i = 0; i < RP_LINK_ENDS; i++) {
		char *add[] = {"ip", "netns", "add", p->ns[i], NULL};

		if (ipcmd_run(add, IP_TIMEOUT_MS, err, cap) < 0)
			return -1;
		ns->made[i] = true;
	}
	return ipcmd_run(veth, IP_TIMEOUT_MS, err, cap);
}

static int configure_end(struct rp_netns *ns, int i, const struct rp_config *cfg, char *err,
			 size_t cap)
{
	const struct rp_netns_plan *p = &ns->plan;
	const char *ifn = p->ifname[i];

	int fd = netns_open(p->ns[i]);

	if (fd >= 0) {
		/* a socket made inside: ioctls on it act on that namespace */
		ns->ctl[i] = nsopen(fd, nsopen_ctl_socket, NULL);
		close(fd);
	}
	if (fd < 0 || ns->ctl[i] < 0) {
		snprintf(err, cap, "cannot enter namespace %s: %s", p->ns[i], strerror(errno));
		return -1;
	}
	if (netif_set_addr(ns->ctl[i], ifn, p->addr[i], p->prefix, err, cap) < 0 ||
	    netif_set_mtu(ns->ctl[i], ifn, cfg->mtu ? cfg->mtu : RP_NETNS_MTU, err, cap) < 0 ||
	    netif_set_offloads(ns->ctl[i], ifn, cfg, err, cap) < 0 ||
	    netif_up(ns->ctl[i], ifn, err, cap) < 0)
		return -1;
	return 0;
}

int netns_setup(struct rp_netns *ns, const struct rp_config *cfg)
{
	char err[512] = "";
	int rc = 0;

	memset(ns, 0, sizeof(*ns));
	for (int i = 0; i < RP_LINK_ENDS; i++)
		ns->ctl[i] = -1;
	netns_plan(&ns->plan, (long)getpid());
	ns->active = true;
	if (geteuid() != 0) {
		fprintf(stderr, "reqperf: --netns needs root: it creates network namespaces\n");
		return -1;
	}
	remove_stale(cfg->quiet);
	if (make_link(ns, err, sizeof(err)) < 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < RP_LINK_ENDS; i++)
		rc = configure_end(ns, i, cfg, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "reqperf: --netns: %s\n", err);
	return rc;
}

void netns_teardown(struct rp_netns *ns)
{
	char err[512];

	for (int i = 0; ns->active && i < RP_LINK_ENDS; i++) {
		if (ns->ctl[i] >= 0)
			close(ns->ctl[i]);
		ns->ctl[i] = -1;
		if (ns->made[i] && ns_delete(ns->plan.ns[i], err, sizeof(err)) < 0)
			fprintf(stderr, "reqperf: warning: --netns: %s\n", err);
		ns->made[i] = false;
	}
}

int netns_join(const struct rp_config *cfg, int end)
{
	struct rp_netns_plan p;
	int fd, rc;

	if (!cfg->netns)
		return 0;
	netns_plan(&p, (long)getppid());
	fd = netns_open(p.ns[end]);
	if (fd < 0)
		return -1;
	rc = setns(fd, CLONE_NEWNET);
	close(fd);
	return rc;
}

void netns_host(const struct rp_config *cfg, long driver, int end, char *buf, size_t cap)
{
	struct rp_netns_plan p;

	if (!cfg->netns) {
		snprintf(buf, cap, "127.0.0.1");
		return;
	}
	netns_plan(&p, driver);
	netns_fmt_addr(buf, cap, p.addr[end], -1);
}

void netns_read_link(const struct rp_netns *ns, struct rp_link *l)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->kind, sizeof(l->kind), "veth");
	for (int i = 0; i < RP_LINK_ENDS; i++) {
		struct rp_link_end *e = &l->end[i];

		snprintf(e->netns, sizeof(e->netns), "%s", ns->plan.ns[i]);
		netns_fmt_addr(e->addr, sizeof(e->addr), ns->plan.addr[i], ns->plan.prefix);
		netif_read(ns->ctl[i], ns->plan.ifname[i], e);
	}
}

void netns_read_loopback(struct rp_link *l)
{
	int ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(l, 0, sizeof(*l));
	snprintf(l->kind, sizeof(l->kind), "loopback");
	for (int i = 0; i < RP_LINK_ENDS; i++) {
		snprintf(l->end[i].addr, sizeof(l->end[i].addr), "127.0.0.1/8");
		netif_read(ctl, "lo", &l->end[i]);
	}
	if (ctl >= 0)
		close(ctl);
}

/* /proc/net/netstat as the named namespace sees it, parsed into m: the
 * file is opened inside it (nsopen.h), the driver never leaves its own.
 * When it cannot be read, one warning line; m->read stays false. */
static void read_mib_in(const char *name, struct rp_mib *m)
{
	int nsfd = netns_open(name), fd = -1, err;
	char buf[16384];
	size_t len = 0;
	ssize_t n = 0;

	if (nsfd >= 0) {
		fd = nsopen(nsfd, nsopen_file, "/proc/thread-self/net/netstat");
		err = errno;
		close(nsfd);
		errno = err;
	}
	while (fd >= 0 && len + 1 < sizeof(buf) &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	if (fd < 0 || n < 0) {
		fprintf(stderr, "reqperf: warning: --netns: netstat of %s: %s\n", name,
			strerror(errno));
	} else {
		buf[len] = '\0';
		mib_parse(m, buf);
	}
	if (fd >= 0)
		close(fd);
}

void netns_read_mib(const struct rp_netns *ns, struct rp_mib m[RP_LINK_ENDS])
{
	for (int i = 0; i < RP_LINK_ENDS; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		if (ns->active)
			read_mib_in(ns->plan.ns[i], &m[i]);
	}
}
