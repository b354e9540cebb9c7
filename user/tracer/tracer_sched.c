// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The scheduler view's maps: sizing, the shared window array, reading. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "schema.h"
#include "tracer_sched.h"

struct rp_sched_view {
	const struct bpf_map *sched; /* rp_sched: per slot + 1, per CPU */
	const struct bpf_map *slots; /* rp_slots: calls per slot, per CPU */
	struct rp_sched_win *wins;
	size_t wins_len;
	uint32_t nslots;
	int ncpus;
	struct rp_ksched *ks; /* lookup buffers, one value per possible CPU */
	struct rp_kslot *kslot;
};

int sched_view_configure(struct bpf_object *obj, int nslots)
{
	struct bpf_map *wins = bpf_object__find_map_by_name(obj, "rp_sched_wins");
	struct bpf_map *sched = bpf_object__find_map_by_name(obj, "rp_sched");

	if (!wins || !sched || nslots < 1)
		return -1;
	if (bpf_map__set_max_entries(wins, (uint32_t)nslots + 1) ||
	    bpf_map__set_max_entries(sched, (uint32_t)nslots + 1))
		return -1;
	return 0;
}

static int map_windows(struct rp_sched_view *v, const struct bpf_map *m)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p;

	v->wins_len = ((v->nslots + 1) * sizeof(*v->wins) + page - 1) / page * page;
	p = mmap(NULL, v->wins_len, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(m), 0);
	if (p == MAP_FAILED)
		return -1;
	v->wins = p;
	return 0;
}

struct rp_sched_view *sched_view_open(struct bpf_object *obj, int nslots)
{
	const struct bpf_map *wins = bpf_object__find_map_by_name(obj, "rp_sched_wins");
	struct rp_sched_view *v;

	if (!wins || nslots < 1)
		return NULL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->nslots = (uint32_t)nslots;
	v->ncpus = libbpf_num_possible_cpus();
	v->sched = bpf_object__find_map_by_name(obj, "rp_sched");
	v->slots = bpf_object__find_map_by_name(obj, "rp_slots");
	if (v->ncpus > 0) {
		v->ks = calloc((size_t)v->ncpus, sizeof(*v->ks));
		v->kslot = calloc((size_t)v->ncpus, sizeof(*v->kslot));
	}
	if (!v->sched || !v->slots || !v->ks || !v->kslot || map_windows(v, wins)) {
		sched_view_close(v);
		return NULL;
	}
	return v;
}

struct rp_sched_win *sched_view_windows(const struct rp_sched_view *v)
{
	return v ? v->wins : NULL;
}

void sched_view_close(struct rp_sched_view *v)
{
	if (!v)
		return;
	if (v->wins)
		munmap(v->wins, v->wins_len);
	free(v->ks);
	free(v->kslot);
	free(v);
}

void sched_fold_cpu(struct rp_sched_worker *out, const struct rp_ksched *k, int cpu)
{
	family_fold(&rp_sched_family, out, &rp_ksched_family, k);
	family_fold(&rp_sched_wcpu_family, &out->cpus[cpu], &rp_ksched_family, k);
	for (int i = 0; i < RP_SCHED_LOG2_SLOTS && i < RP_LOG2_SLOTS; i++)
		out->runq_log2[i] += k->runq_hist[i];
	if (k->policy_ns > out->kpolicy_ns) {
		out->kpolicy_ns = k->policy_ns;
		out->kpolicy = (int)k->policy;
		out->kprio = (int)k->rt_priority;
	}
}

void sched_finish(struct rp_sched_worker *out, const uint64_t *last_in,
		  const struct rp_sched_hint *h)
{
	uint64_t closed = 0, latest = 0;
	int i, last = h->cpu;

	out->window_ns = h->end_ns > h->start_ns ? h->end_ns - h->start_ns : 0;
	out->oncpu_ns = out->window_ns > out->offcpu_ns ? out->window_ns - out->offcpu_ns : 0;
	for (i = 0; i < out->ncpus; i++) {
		closed += out->cpus[i].oncpu_ns;
		if (last_in[i] > latest) {
			latest = last_in[i];
			last = i;
		}
	}
	if (last >= 0 && last < out->ncpus && out->oncpu_ns > closed)
		out->cpus[last].oncpu_ns += out->oncpu_ns - closed;
	out->kpolicy_in_window = out->kpolicy_ns >= h->start_ns;
}

/* The slot's traced calls per CPU, from the call counters. */
static int read_calls(struct rp_sched_view *v, uint32_t slot, struct rp_sched_worker *out)
{
	size_t sz = (size_t)v->ncpus * sizeof(*v->kslot);
	int cpu, d;

	if (bpf_map__lookup_elem(v->slots, &slot, sizeof(slot), v->kslot, sz, 0))
		return -1;
	for (cpu = 0; cpu < v->ncpus; cpu++)
		for (d = 0; d < RP_NDIR; d++)
			out->cpus[cpu].calls[d] = v->kslot[cpu].dir[d].calls;
	return 0;
}

int sched_view_read_slot(struct rp_sched_view *v, uint32_t slot, const struct rp_sched_hint *h,
			 struct rp_sched_worker *out)
{
	uint32_t key = slot + 1;
	uint64_t *last_in;
	int cpu;

	if (!v || slot >= v->nslots)
		return -1;
	if (bpf_map__lookup_elem(v->sched, &key, sizeof(key), v->ks,
				 (size_t)v->ncpus * sizeof(*v->ks), 0))
		return -1;
	out->cpus = calloc((size_t)v->ncpus, sizeof(*out->cpus));
	last_in = calloc((size_t)v->ncpus, sizeof(*last_in));
	if (!out->cpus || !last_in) {
		free(last_in);
		return -1;
	}
	out->ncpus = v->ncpus;
	out->kpolicy = -1;
	for (cpu = 0; cpu < v->ncpus; cpu++) {
		sched_fold_cpu(out, &v->ks[cpu], cpu);
		last_in[cpu] = v->ks[cpu].last_in_ns;
	}
	sched_finish(out, last_in, h);
	free(last_in);
	if (read_calls(v, slot, out))
		return -1;
	out->has_kernel = true;
	return 0;
}

int sched_view_read_cpus(struct rp_sched_view *v, struct rp_sched_cpu *cpus, int max)
{
	size_t sz;
	uint32_t key;
	int cpu, i, n;

	if (!v)
		return 0;
	sz = (size_t)v->ncpus * sizeof(*v->ks);
	n = v->ncpus < max ? v->ncpus : max;
	memset(cpus, 0, (size_t)n * sizeof(*cpus));
	for (cpu = 0; cpu < n; cpu++)
		cpus[cpu].cpu = cpu;
	for (key = 0; key <= v->nslots; key++) {
		if (bpf_map__lookup_elem(v->sched, &key, sizeof(key), v->ks, sz, 0))
			return -1;
		for (cpu = 0; cpu < n; cpu++) {
			family_fold(&rp_sched_cpu_family, &cpus[cpu], &rp_ksched_family,
				    &v->ks[cpu]);
			for (i = 0; key && i < RP_NSOFTIRQ; i++)
				cpus[cpu].worker_softirq_ns[i] += v->ks[cpu].softirq_ns[i];
		}
	}
	return n;
}
