// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The loader's other half: the kernel's counters read back — every slot's
 * calls over all CPUs and its histograms, its sockets with one walk of the
 * socket map, the per-CPU table, the drops.
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "tracer.h"
#include "tracer_int.h"
#include "reqperf.skel.h"

int tracer_read_closed(struct rp_tracer *t, uint32_t slot, struct rp_ksum *c)
{
	return bpf_map__lookup_elem(t->skel->maps.rp_closed, &slot, sizeof(slot), c, sizeof(*c), 0);
}

static int read_closed(struct rp_tracer *t, uint32_t n, struct rp_ksum *c)
{
	for (uint32_t slot = 0; slot < n; slot++)
		if (bpf_map__lookup_elem(t->skel->maps.rp_closed, &slot, sizeof(slot), &c[slot],
					 sizeof(c[slot]), 0))
			return -1;
	return 0;
}

/* One walk of the socket map for every slot below n. */
static int read_live_socks(struct rp_tracer *t, uint32_t n, struct rp_ksum *live)
{
	const struct bpf_map *m = t->skel->maps.rp_socks;
	__u64 *keys = NULL;
	struct rp_ksock s;
	int nkeys;

	t->sock_walks++;
	nkeys = tracer_sock_keys(m, &keys);
	if (nkeys < 0)
		return -1;
	for (int i = 0; i < nkeys; i++) {
		if (bpf_map__lookup_elem(m, &keys[i], sizeof(keys[i]), &s, sizeof(s), 0))
			continue; /* closed meanwhile: it is in rp_closed now */
		if (s.slot < n)
			ktcp_fold_sock(&live[s.slot], &s);
	}
	free(keys);
	return 0;
}

/* A socket closing while we read moves from the live map to the closed
 * sums; read again when the closed sums changed under us. */
static int read_sockets(struct rp_tracer *t, uint32_t n, struct rp_ktcp *k)
{
	struct rp_ksum *before = calloc(n, sizeof(*before)), *after = calloc(n, sizeof(*after));
	struct rp_ksum *live = calloc(n, sizeof(*live));
	int tries, err = !before || !after || !live;

	for (tries = 0; !err && tries < 4; tries++) {
		memset(live, 0, n * sizeof(*live));
		err = read_closed(t, n, before) || read_live_socks(t, n, live) ||
		      read_closed(t, n, after);
		if (!err && !memcmp(before, after, n * sizeof(*before)))
			break;
	}
	/* Live sockets first: their cwnd, srtt and mss are the ones shown. */
	for (uint32_t slot = 0; !err && slot < n; slot++) {
		memset(&k[slot], 0, sizeof(k[slot]));
		ktcp_fold(&k[slot], &live[slot]);
		ktcp_fold(&k[slot], &after[slot]);
	}
	free(live);
	free(before);
	free(after);
	return err ? -1 : 0;
}

/* slot's counters over all CPUs and its histograms into kernel[]. */
static int read_calls(struct rp_tracer *t, uint32_t slot, const struct rp_ktcp *ktcp,
		      struct rp_calls kernel[RP_NDIR])
{
	struct rp_kdir_sum *sum;
	struct rp_khists *h;
	int cpu, d, err;

	if (bpf_map__lookup_elem(t->skel->maps.rp_slots, &slot, sizeof(slot), t->percpu,
				 (size_t)t->ncpus * sizeof(*t->percpu), 0))
		return -1;
	sum = calloc(RP_NDIR, sizeof(*sum));
	h = malloc(sizeof(*h));
	err = !sum || !h ||
	      bpf_map__lookup_elem(t->skel->maps.rp_hists, &slot, sizeof(slot), h, sizeof(*h), 0);
	for (d = 0; !err && d < RP_NDIR; d++) {
		for (cpu = 0; cpu < t->ncpus; cpu++)
			tracer_sum_kdir(&sum[d], &t->percpu[cpu].dir[d]);
		tracer_sum_khist(&sum[d], &h->dir[d]);
		tracer_fill_calls(&sum[d], &kernel[d]);
	}
	if (!err)
		memcpy(kernel[RP_SEND].held, h->held, sizeof(h->held));
	free(h);
	free(sum);
	if (err)
		return -1;
	kernel[RP_SEND].data_segs = ktcp->data_segs_out;
	kernel[RP_RECV].data_segs = ktcp->data_segs_in;
	return 0;
}

int tracer_read_slots(struct rp_tracer *t, uint32_t n, struct rp_calls (*kernel)[RP_NDIR],
		      struct rp_ktcp *ktcp, bool *ok)
{
	if (!t || n > t->nslots || read_sockets(t, n, ktcp))
		return -1;
	for (uint32_t slot = 0; slot < n; slot++)
		ok[slot] = !read_calls(t, slot, &ktcp[slot], kernel[slot]);
	return 0;
}

int tracer_read_slot(struct rp_tracer *t, uint32_t slot, struct rp_calls kernel[RP_NDIR],
		     struct rp_ktcp *ktcp)
{
	struct rp_ktcp *all;
	int err;

	if (!t || slot >= t->nslots)
		return -1;
	all = calloc(slot + 1, sizeof(*all));
	err = !all || read_sockets(t, slot + 1, all) || read_calls(t, slot, &all[slot], kernel);
	if (!err)
		*ktcp = all[slot];
	free(all);
	return err ? -1 : 0;
}

unsigned tracer_sock_walks(const struct rp_tracer *t)
{
	return t ? t->sock_walks : 0;
}

int tracer_read_cpus(struct rp_tracer *t, struct rp_cpu_report *cpus, int max)
{
	size_t sz;
	uint32_t slot;
	int cpu, d, n;

	if (!t)
		return 0;
	sz = (size_t)t->ncpus * sizeof(*t->percpu);
	n = t->ncpus < max ? t->ncpus : max;
	for (cpu = 0; cpu < n; cpu++) {
		memset(&cpus[cpu], 0, sizeof(cpus[cpu]));
		cpus[cpu].cpu = cpu;
	}
	for (slot = 0; slot < t->nworkers; slot++) {
		if (bpf_map__lookup_elem(t->skel->maps.rp_slots, &slot, sizeof(slot), t->percpu, sz,
					 0))
			return -1;
		for (cpu = 0; cpu < n; cpu++)
			for (d = 0; d < RP_NDIR; d++) {
				cpus[cpu].calls[d] += t->percpu[cpu].dir[d].calls;
				cpus[cpu].bytes[d] += t->percpu[cpu].dir[d].bytes;
				cpus[cpu].ns_sum[d] += t->percpu[cpu].dir[d].ns_sum;
			}
	}
	return n;
}

/* Program runs the kernel skipped: one of ours was already running on
 * that CPU (a tracepoint hit from inside it, or nested in an interrupt). */
static uint64_t recursion_misses(const struct rp_tracer *t)
{
	struct bpf_program *p;
	uint64_t sum = 0;

	bpf_object__for_each_program(p, t->skel->obj)
	{
		struct bpf_prog_info info = {0};
		uint32_t len = sizeof(info);
		int fd = bpf_program__fd(p);

		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

void tracer_drops(const struct rp_tracer *t, uint64_t drops[RP_NDROPS])
{
	uint32_t i;

	for (i = 0; i < RP_NDROPS; i++) {
		drops[i] = 0;
		if (t && i != RP_DROP_RECURSION)
			bpf_map__lookup_elem(t->skel->maps.rp_drops, &i, sizeof(i), &drops[i],
					     sizeof(drops[i]), 0);
	}
	if (t)
		drops[RP_DROP_RECURSION] = recursion_misses(t);
}
