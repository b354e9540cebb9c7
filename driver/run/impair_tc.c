// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Impairments carried out on the --netns veth pair: the tc ingress program
 * attached with libbpf's bpf_tc_* calls from inside each namespace (their
 * netlink socket acts on the namespace it is made in), TBF and netem with
 * iproute2's `tc -n`. Everything lives on the two veth ends, so deleting
 * the namespaces (the next run does that after a SIGKILL) removes it too;
 * impair_teardown() removes it explicitly first on every other way out.
 */
#include <errno.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "impair_tc.h" /* the shared layouts before the skeleton */
#include "impair.skel.h"
#include "ipcmd.h"

#define TC_TIMEOUT_MS 5000

/* The program for data arriving at end i: at the sink's end -> c2s. */
static struct bpf_program *prog_of(struct impair_bpf *s, int end)
{
	return end == RP_LINK_SINK ? s->progs.rp_impair_c2s : s->progs.rp_impair_s2c;
}

/* Runs fn inside namespace ns, then returns to ours. */
static int in_ns(const char *ns, int (*fn)(struct rp_impair_tc *, int, char *, size_t),
		 struct rp_impair_tc *t, int end, char *err, size_t cap)
{
	char path[sizeof(RP_NETNS_DIR) + 64];
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd, rc;

	snprintf(path, sizeof(path), "%s/%s", RP_NETNS_DIR, ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		snprintf(err, cap, "cannot enter namespace %s: %s", ns, strerror(errno));
		rc = -1;
	} else {
		rc = fn(t, end, err, cap);
		if (setns(self, CLONE_NEWNET) < 0) {
			snprintf(err, cap, "cannot return from namespace %s: %s", ns,
				 strerror(errno));
			rc = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	if (self >= 0)
		close(self);
	return rc;
}

static int attach_here(struct rp_impair_tc *t, int end, char *err, size_t cap)
{
	const char *ifn = t->plan->ifname[end];
	LIBBPF_OPTS(bpf_tc_hook, hook, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 1, .priority = 1);
	int rc;

	hook.ifindex = (int)if_nametoindex(ifn);
	if (!hook.ifindex) {
		snprintf(err, cap, "%s: %s", ifn, strerror(errno));
		return -1;
	}
	rc = bpf_tc_hook_create(&hook);
	if (rc < 0 && rc != -EEXIST) {
		snprintf(err, cap, "%s: creating the clsact qdisc: %s", ifn, strerror(-rc));
		return -1;
	}
	t->hooked[end] = true;
	opts.prog_fd = bpf_program__fd(prog_of(t->skel, end));
	rc = bpf_tc_attach(&hook, &opts);
	if (rc < 0) {
		snprintf(err, cap, "%s: attaching the tc ingress program: %s", ifn, strerror(-rc));
		return -1;
	}
	return 0;
}

static int detach_here(struct rp_impair_tc *t, int end, char *err, size_t cap)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	int rc;

	hook.ifindex = (int)if_nametoindex(t->plan->ifname[end]);
	if (!hook.ifindex)
		return 0; /* the link is already gone, and the hook with it */
	rc = bpf_tc_hook_destroy(&hook);
	if (rc < 0 && rc != -ENOENT && rc != -EINVAL) {
		snprintf(err, cap, "%s: removing the clsact qdisc: %s", t->plan->ifname[end],
			 strerror(-rc));
		return -1;
	}
	return 0;
}

/* The namespace's inode number, as sk->__sk_common.skc_net shows it. */
static uint32_t ns_inum(const char *ns)
{
	char path[sizeof(RP_NETNS_DIR) + 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", RP_NETNS_DIR, ns);
	return stat(path, &st) == 0 ? (uint32_t)st.st_ino : 0;
}

/* tcp_retransmit_skb as a BTF tracepoint: needs the kernel's BTF. */
static void plan_retrans(struct rp_impair_tc *t)
{
	for (int end = 0; end < RP_LINK_ENDS; end++)
		t->skel->rodata->rp_netns_inum[end] = ns_inum(t->plan->ns[end]);
	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		snprintf(t->retrans_why, sizeof(t->retrans_why),
			 "no kernel BTF (/sys/kernel/btf/vmlinux) for tp_btf/tcp_retransmit_skb");
		bpf_program__set_autoload(t->skel->progs.rp_impair_retrans, false);
	}
}

static int load_bpf(struct rp_impair_tc *t, const struct rp_config *cfg, char *err, size_t cap)
{
	int rc;

	t->skel = impair_bpf__open();
	if (!t->skel) {
		snprintf(err, cap, "opening the tc program: %s", strerror(errno));
		return -1;
	}
	impair_rules(&cfg->impair, (struct rp_impair_rules *)&t->skel->rodata->rp_rules);
	plan_retrans(t);
	rc = impair_bpf__load(t->skel);
	if (rc < 0) {
		snprintf(err, cap, "loading the tc program: %s", strerror(-rc));
		return -1;
	}
	for (int end = 0; end < RP_LINK_ENDS; end++)
		if (in_ns(t->plan->ns[end], attach_here, t, end, err, cap) < 0)
			return -1;
	if (!t->retrans_why[0]) {
		t->retrans_link = bpf_program__attach(t->skel->progs.rp_impair_retrans);
		if (!t->retrans_link)
			snprintf(t->retrans_why, sizeof(t->retrans_why),
				 "tp_btf/tcp_retransmit_skb: %s", strerror(errno));
	}
	return 0;
}

/* TBF and/or netem on end's egress. */
static int add_qdiscs(struct rp_impair_tc *t, const struct rp_config *cfg, int end, char *err,
		      size_t cap)
{
	const struct rp_impair_way *w = &cfg->impair.way[end];
	const char *ns = t->plan->ns[end], *ifn = t->plan->ifname[end];
	char *argv[RP_IMPAIR_ARGV_MAX], buf[512];

	if (!impair_qdisc_argv(w, ns, ifn, cfg->mtu, argv, buf, sizeof(buf)))
		return 0;
	if (ipcmd_run(argv, TC_TIMEOUT_MS, err, cap) < 0)
		return -1;
	t->qdisc[end] = true;
	if (impair_netem_child_argv(w, ns, ifn, argv, buf, sizeof(buf)) &&
	    ipcmd_run(argv, TC_TIMEOUT_MS, err, cap) < 0)
		return -1;
	return 0;
}

/* netem is a module on stock kernels: load it if we can; a kernel without
 * it then fails the `tc qdisc add` with its own words. */
static void try_netem_module(void)
{
	char *argv[] = {"modprobe", "-q", "sch_netem", NULL};
	char err[128];

	if (access("/proc/sys/kernel/modprobe", F_OK) == 0)
		ipcmd_run(argv, TC_TIMEOUT_MS, err, sizeof(err));
}

int impair_setup(struct rp_impair_tc *t, const struct rp_config *cfg,
		 const struct rp_netns_plan *plan)
{
	bool netem = false;
	char err[512] = "";

	memset(t, 0, sizeof(*t));
	t->plan = plan;
	if (!impair_any(&cfg->impair))
		return 0;
	t->active = true;
	if (load_bpf(t, cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "reqperf: --loss/--dup: %s\n", err);
		return -1;
	}
	for (int end = 0; end < RP_LINK_ENDS; end++)
		netem = netem || impair_way_netem(&cfg->impair.way[end]);
	if (netem)
		try_netem_module();
	for (int end = 0; end < RP_LINK_ENDS; end++) {
		if (add_qdiscs(t, cfg, end, err, sizeof(err)) == 0)
			continue;
		if (strstr(err, "qdisc kind is unknown") && t->qdisc[end])
			fprintf(stderr, "reqperf: --delay/--reorder need sch_netem, which this "
					"kernel does not have\n");
		else if (strstr(err, "qdisc kind is unknown"))
			fprintf(stderr, "reqperf: %s, which this kernel does not have\n",
				cfg->impair.way[end].rate_bps ? "--link-rate needs sch_tbf"
							      : "--delay/--reorder need sch_netem");
		else
			fprintf(stderr, "reqperf: --link-rate/--delay: %s\n", err);
		return -1;
	}
	return 0;
}

/* Every connection's classes from the map, summed per end. */
static void read_retrans(const struct rp_impair_tc *t, struct rp_impair_report *r)
{
	const struct bpf_map *m = t->skel->maps.rp_retrans;
	struct rp_retrans_key k, next, *prev = NULL;
	struct rp_retrans_val v;

	r->retrans_lost = t->skel->bss->rp_retrans_full;
	while (bpf_map__get_next_key(m, prev, &next, sizeof(next)) == 0) {
		k = next;
		prev = &k;
		if (bpf_map__lookup_elem(m, &k, sizeof(k), &v, sizeof(v), 0) < 0 || k.end > 1)
			continue;
		for (int c = 0; c < RP_RTX_NCLASSES; c++) {
			r->retrans_events[k.end][c] += v.events[c];
			r->retrans_segs[k.end][c] += v.segs[c];
		}
		if (r->nconns < RP_RETRANS_REPORT_MAX) {
			struct rp_retrans_conn *c = &r->conns[r->nconns];

			c->end = k.end;
			c->lport = k.lport;
			c->rport = k.rport;
			memcpy(c->events, v.events, sizeof(c->events));
			memcpy(c->segs, v.segs, sizeof(c->segs));
		}
		r->nconns++;
	}
	if (r->nconns > RP_RETRANS_REPORT_MAX)
		r->nconns = RP_RETRANS_REPORT_MAX;
}

void impair_read(const struct rp_impair_tc *t, struct rp_impair_report *r)
{
	memset(r, 0, sizeof(*r));
	r->active = t->active;
	r->bpf = t->skel && t->hooked[RP_LINK_CLIENT] && t->hooked[RP_LINK_SINK];
	if (t->skel)
		memcpy(r->count, t->skel->bss->rp_count, sizeof(r->count));
	r->retrans = t->retrans_link != NULL;
	snprintf(r->retrans_why, sizeof(r->retrans_why), "%s", t->retrans_why);
	if (r->retrans)
		read_retrans(t, r);
}

void impair_teardown(struct rp_impair_tc *t)
{
	char err[512];

	for (int end = 0; t->active && end < RP_LINK_ENDS; end++) {
		char *argv[] = {"tc",  "-n",  (char *)t->plan->ns[end],	    "qdisc",
				"del", "dev", (char *)t->plan->ifname[end], "root",
				NULL};

		if (t->hooked[end] &&
		    in_ns(t->plan->ns[end], detach_here, t, end, err, sizeof(err)) < 0)
			fprintf(stderr, "reqperf: warning: impairments: %s\n", err);
		if (t->qdisc[end] && ipcmd_run(argv, TC_TIMEOUT_MS, err, sizeof(err)) < 0)
			fprintf(stderr, "reqperf: warning: impairments: %s\n", err);
		t->hooked[end] = t->qdisc[end] = false;
	}
	bpf_link__destroy(t->retrans_link);
	t->retrans_link = NULL;
	impair_bpf__destroy(t->skel);
	t->skel = NULL;
	t->active = false;
}
