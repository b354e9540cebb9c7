// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The scheduler view in the text report, every line < 80 columns. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_text.h"
#include "schema.h"

const char *sched_policy_name(int policy)
{
	static const char *const names[] = {"SCHED_OTHER",    "SCHED_FIFO", "SCHED_RR",
					    "SCHED_BATCH",    "SCHED_ISO",  "SCHED_IDLE",
					    "SCHED_DEADLINE", "SCHED_EXT"};

	if (policy >= 0 && policy < (int)(sizeof(names) / sizeof(names[0])))
		return names[policy];
	return "unknown";
}

double sched_softirq_share(const struct rp_sched_worker *s)
{
	uint64_t ns = 0;

	for (int i = 0; i < RP_NSOFTIRQ; i++)
		ns += s->softirq_ns[i];
	return s->oncpu_ns ? (double)ns / (double)s->oncpu_ns : 0;
}

bool sched_rusage_agrees(const struct rp_sched_worker *s)
{
	return s->nvcsw >= s->ru_nvcsw_lo && s->nvcsw <= s->ru_nvcsw_hi &&
	       s->nivcsw >= s->ru_nivcsw_lo && s->nivcsw <= s->ru_nivcsw_hi;
}

void report_sched_free(struct rp_report *r)
{
	for (int i = 0; r->workers && i < r->nworkers; i++) {
		free(r->workers[i].sched_view.cpus);
		r->workers[i].sched_view.cpus = NULL;
		r->workers[i].sched_view.ncpus = 0;
	}
	free(r->sched_cpus);
	r->sched_cpus = NULL;
	r->nsched_cpus = 0;
}

static const char *fmt_ns(char *b, size_t n, uint64_t ns)
{
	report_fmt_ns(b, n, (double)ns);
	return b;
}

/* The field of fam named key: its table's label and its value, a time
 * when its unit is ns. The text's layout picks the fields; their words
 * and units come from sched_schema.c. */
static const char *sched_value(char *b, size_t n, const struct rp_field *f, const void *base)
{
	if (f->unit && !strcmp(f->unit, "ns"))
		return fmt_ns(b, n, field_u64(base, f));
	snprintf(b, n, "%" PRIu64, field_u64(base, f));
	return b;
}

static void item(struct tline *l, const struct rp_family *fam, const void *base, const char *key)
{
	const struct rp_field *f = family_field(fam, key);
	char b[32];

	if (f)
		tl_add(l, "%s %s", f->label, sched_value(b, sizeof(b), f, base));
}

static void rusage_item(struct tline *l, const struct rp_sched_worker *s)
{
	if (!s->has_rusage)
		return;
	if (s->ru_nvcsw_lo == s->ru_nvcsw_hi && s->ru_nivcsw_lo == s->ru_nivcsw_hi)
		tl_add(l, "getrusage %" PRIu64 "/%" PRIu64 "%s", s->ru_nvcsw_lo, s->ru_nivcsw_lo,
		       !s->has_kernel		? ""
		       : sched_rusage_agrees(s) ? ": match"
						: ": DIFFER");
	else
		tl_add(l, "getrusage %" PRIu64 "..%" PRIu64 "/%" PRIu64 "..%" PRIu64 "%s",
		       s->ru_nvcsw_lo, s->ru_nvcsw_hi, s->ru_nivcsw_lo, s->ru_nivcsw_hi,
		       !s->has_kernel		? ""
		       : sched_rusage_agrees(s) ? ": within"
						: ": DIFFER");
}

static void print_policy(FILE *out, const struct rp_worker_report *w)
{
	const struct rp_sched_worker *s = &w->sched_view;
	struct tline l;

	tl_begin(&l, out, " sched      ", 12, ", ");
	tl_add(&l, "%.16s/%d", w->sched[0] ? w->sched : "?", w->priority);
	if (s->kpolicy < 0)
		tl_add(&l, "kernel: not seen");
	else
		tl_add(&l, "kernel: %s/%d%s", sched_policy_name(s->kpolicy), s->kprio,
		       s->kpolicy_in_window ? "" : " (just before)");
	item(&l, &rp_sched_family, s, "migrations");
	tl_end(&l);
	tl_begin(&l, out, " switches   ", 12, ", ");
	item(&l, &rp_sched_family, s, "nvcsw");
	item(&l, &rp_sched_family, s, "nivcsw");
	rusage_item(&l, s);
	if (s->switch_in_unseen)
		item(&l, &rp_sched_family, s, "switch_in_unseen");
	tl_end(&l);
}

static void print_times(FILE *out, const struct rp_sched_worker *s)
{
	char a[32], b[32];
	struct tline l;

	tl_begin(&l, out, " run queue  ", 12, ", ");
	tl_add(&l, "%" PRIu64 " %s", s->runq_n, family_field(&rp_sched_family, "runq.n")->label);
	item(&l, &rp_sched_family, s, "runq.sum_ns");
	if (s->runq_n)
		tl_add(&l, "mean %s", fmt_ns(b, sizeof(b), s->runq_ns / s->runq_n));
	item(&l, &rp_sched_family, s, "runq.max_ns");
	tl_end(&l);
	tl_begin(&l, out, " on cpu     ", 12, ", ");
	tl_add(&l, "%s of %s (%.1f%%)", fmt_ns(a, sizeof(a), s->oncpu_ns),
	       fmt_ns(b, sizeof(b), s->window_ns),
	       s->window_ns ? 100.0 * (double)s->oncpu_ns / (double)s->window_ns : 0);
	item(&l, &rp_sched_family, s, "offcpu_ns");
	tl_end(&l);
	tl_begin(&l, out, " softirq    ", 12, ", ");
	tl_add(&l, "in its context: %s %s",
	       family_field(&rp_sched_family, "softirq.net_rx_ns")->label,
	       fmt_ns(a, sizeof(a), s->softirq_ns[RP_SOFTIRQ_NET_RX]));
	item(&l, &rp_sched_family, s, "softirq.net_tx_ns");
	tl_add(&l, "%.1f%% of its cpu time", 100.0 * sched_softirq_share(s));
	tl_end(&l);
}

static void print_worker_cpus(FILE *out, const struct rp_sched_worker *s)
{
	struct tline l;
	char a[32];

	tl_begin(&l, out, " cpus       ", 12, ", ");
	for (int i = 0; i < s->ncpus; i++) {
		const struct rp_sched_wcpu *c = &s->cpus[i];

		if (!c->oncpu_ns && !c->calls[RP_SEND] && !c->calls[RP_RECV])
			continue;
		tl_add(&l, "cpu %d: on %s, calls %" PRIu64 "+%" PRIu64, i,
		       fmt_ns(a, sizeof(a), c->oncpu_ns), c->calls[RP_SEND], c->calls[RP_RECV]);
	}
	if (!l.items)
		tl_add(&l, "none");
	tl_end(&l);
}

void report_sched_worker_text(FILE *out, const struct rp_report *r,
			      const struct rp_worker_report *w, bool hist)
{
	const struct rp_sched_worker *s = &w->sched_view;
	struct tline l;

	if (!s->has_kernel) {
		if (!s->has_rusage)
			return;
		tl_begin(&l, out, " switches   ", 12, ", ");
		rusage_item(&l, s);
		tl_add(&l, "%s",
		       r->features & RP_FEAT_SCHED    ? "kernel: none"
		       : r->backend != RP_BACKEND_OFF ? "kernel: with --sched-view"
						      : "kernel: n/a");
		tl_end(&l);
		return;
	}
	print_policy(out, w);
	print_times(out, s);
	print_worker_cpus(out, s);
	if (hist)
		report_print_log2(out, "run-queue wait (kernel)", s->runq_log2);
}

/* The --detail table's columns, in its order: cpu family keys. */
static const char *const cpu_cols[] = {"worker_oncpu_ns", "softirq.net_rx_ns",
				       "worker_softirq.net_rx_ns", "softirq.net_tx_ns"};
#define NCOLS (sizeof(cpu_cols) / sizeof(cpu_cols[0]))

void report_sched_cpus_text(FILE *out, const struct rp_report *r)
{
	char v[32];

	if (!r->nsched_cpus)
		return;
	fprintf(out, "\n%-16s", "per cpu (sched)");
	for (size_t k = 0; k < NCOLS; k++)
		fprintf(out, "%*s", CELL_W, family_field(&rp_sched_cpu_family, cpu_cols[k])->label);
	fputc('\n', out);
	for (int i = 0; i < r->nsched_cpus; i++) {
		const struct rp_sched_cpu *c = &r->sched_cpus[i];

		fprintf(out, "cpu %-12d", c->cpu);
		for (size_t k = 0; k < NCOLS; k++)
			fprintf(out, "%*s", CELL_W,
				sched_value(v, sizeof(v),
					    family_field(&rp_sched_cpu_family, cpu_cols[k]), c));
		fputc('\n', out);
	}
	fprintf(out, "  (over the workers' I/O phases; rx in worker: NET_RX softirq run\n"
		     "   in a worker's own context, the rest ran beside the workers)\n");
}
