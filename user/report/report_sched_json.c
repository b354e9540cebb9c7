// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The scheduler view in the JSON report: walks its families (sched_schema.c). */
#include <string.h>

#include "json.h"
#include "report.h"
#include "schema.h"

/* The object a dotted name ("runq.n") belongs to, opened and closed as the
 * walk enters and leaves it. */
struct group {
	char name[32];
	bool open;
};

static const char *group_enter(struct json_writer *j, struct group *g, const char *name)
{
	const char *dot = strchr(name, '.');
	size_t n = dot ? (size_t)(dot - name) : 0;

	if (g->open && (!dot || strncmp(g->name, name, n) || g->name[n])) {
		json_end_object(j);
		g->open = false;
	}
	if (dot && !g->open) {
		snprintf(g->name, sizeof(g->name), "%.*s", (int)n, name);
		json_key(j, g->name);
		json_begin_object(j);
		g->open = true;
	}
	return dot ? dot + 1 : name;
}

static bool in_group(const char *name, const char *group)
{
	size_t n = strlen(group);

	return !strncmp(name, group, n) && name[n] == '.';
}

/* A family's RP_FK_OTHER field: written by the family's own code. */
typedef void own_fn(struct json_writer *j, const void *base, const struct rp_field *f);

/* Every field of fam in base in table order, but those with a flag of
 * skip, those of the group "skip_group" (NULL: none) and, when only is
 * set, every field outside that group. */
static void walk(struct json_writer *j, const struct rp_family *fam, const void *base,
		 unsigned skip, const char *skip_group, const char *only, own_fn *own)
{
	struct group g = {.open = false};

	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];
		const char *key;

		if ((f->flags & skip) || (skip_group && in_group(f->name, skip_group)) ||
		    (only && !in_group(f->name, only)))
			continue;
		key = group_enter(j, &g, f->name);
		if (f->kind == RP_FK_OTHER)
			own(j, base, f);
		else if (f->kind == RP_FK_HIST)
			json_kv_u64_array(j, key, (const uint64_t *)((const char *)base + f->off),
					  f->size / sizeof(uint64_t));
		else
			json_kv_u64(j, key, field_u64(base, f));
	}
	group_enter(j, &g, "");
}

void json_rusage(struct json_writer *j, bool has, const uint64_t nvcsw[2], const uint64_t nivcsw[2])
{
	const struct rp_sched_worker s = {.ru_nvcsw_lo = nvcsw[0],
					  .ru_nvcsw_hi = nvcsw[1],
					  .ru_nivcsw_lo = nivcsw[0],
					  .ru_nivcsw_hi = nivcsw[1]};

	if (has) { /* "rusage": {...}: the walk opens the group */
		walk(j, &rp_sched_family, &s, 0, NULL, "rusage", NULL);
		return;
	}
	json_key(j, "rusage");
	json_null(j);
}

static void own_cpu(struct json_writer *j, const void *base, const struct rp_field *f)
{
	const struct rp_sched_cpu *c = base;

	if (f->off == offsetof(struct rp_sched_cpu, cpu))
		json_kv_i64(j, f->name, c->cpu);
}

static void write_cpus(struct json_writer *j, const struct rp_sched_worker *s)
{
	json_key(j, "cpus");
	json_begin_array(j);
	for (int i = 0; i < s->ncpus; i++) {
		const struct rp_sched_wcpu *c = &s->cpus[i];

		if (!c->oncpu_ns && !c->switch_in && !c->calls[RP_SEND] && !c->calls[RP_RECV])
			continue;
		json_begin_object(j);
		json_kv_i64(j, "cpu", i);
		walk(j, &rp_sched_wcpu_family, c, 0, NULL, NULL, NULL);
		json_end_object(j);
	}
	json_end_array(j);
}

static void own_worker(struct json_writer *j, const void *base, const struct rp_field *f)
{
	const struct rp_sched_worker *s = base;

	switch (f->off) {
	case offsetof(struct rp_sched_worker, has_kernel):
		json_kv_bool(j, f->name, s->has_kernel);
		break;
	case offsetof(struct rp_sched_worker, window_cpu):
		json_kv_i64(j, f->name, s->window_cpu);
		break;
	case offsetof(struct rp_sched_worker, has_rusage): {
		const uint64_t nv[2] = {s->ru_nvcsw_lo, s->ru_nvcsw_hi};
		const uint64_t niv[2] = {s->ru_nivcsw_lo, s->ru_nivcsw_hi};

		json_rusage(j, s->has_rusage, nv, niv);
		break;
	}
	case offsetof(struct rp_sched_worker, kpolicy):
		json_kv_string(j, f->name, s->kpolicy >= 0 ? sched_policy_name(s->kpolicy) : NULL);
		break;
	case offsetof(struct rp_sched_worker, kprio):
		json_key(j, f->name);
		if (s->kpolicy >= 0)
			json_i64(j, s->kprio);
		else
			json_null(j);
		break;
	case offsetof(struct rp_sched_worker, kpolicy_in_window):
		json_kv_bool(j, f->name, s->kpolicy_in_window);
		break;
	case offsetof(struct rp_sched_worker, cpus):
		/* Derived from the softirq group before it, then the array. */
		json_kv_double(j, "softirq_share", sched_softirq_share(s));
		write_cpus(j, s);
		break;
	default: /* kpolicy_ns, ncpus: not in the JSON */
		break;
	}
}

void report_sched_worker_json(struct json_writer *j, const struct rp_worker_report *w)
{
	const struct rp_sched_worker *s = &w->sched_view;

	json_key(j, "sched_view");
	json_begin_object(j);
	walk(j, &rp_sched_family, s, s->has_kernel ? 0 : RP_FF_KERNEL, "rusage", NULL, own_worker);
	json_end_object(j);
}

void report_sched_cpus_json(struct json_writer *j, const struct rp_report *r)
{
	json_key(j, "sched_cpus");
	json_begin_array(j);
	for (int i = 0; i < r->nsched_cpus; i++) {
		json_begin_object(j);
		walk(j, &rp_sched_cpu_family, &r->sched_cpus[i], 0, NULL, NULL, own_cpu);
		json_end_object(j);
	}
	json_end_array(j);
}
