// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Progress lines while a run goes (progress.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "progress.h"

int progress_open(struct progress *p, const struct rp_config *cfg, int nworkers)
{
	size_t len = (size_t)nworkers * sizeof(struct rp_live);

	memset(p, 0, sizeof(*p));
	p->cfg = cfg;
	p->nworkers = nworkers;
	p->tty = !cfg->quiet && !cfg->interval_s && !cfg->compare && isatty(STDERR_FILENO);
	if (!p->tty && !cfg->interval_s)
		return 0;
	p->live = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	p->hist = calloc(RP_HIST_BUCKETS, sizeof(uint64_t));
	p->prev_hist = calloc(RP_HIST_BUCKETS, sizeof(uint64_t));
	if (p->live == MAP_FAILED || !p->hist || !p->prev_hist) {
		if (p->live == MAP_FAILED)
			p->live = NULL;
		fprintf(stderr, "reqperf: progress: out of memory\n");
		return -1;
	}
	return 0;
}

uint64_t progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void progress_start(struct progress *p, uint64_t now_ns)
{
	p->start_ns = now_ns;
	p->next_ns = now_ns + (p->cfg->interval_s ? (uint64_t)(p->cfg->interval_s * 1e9)
						  : RP_LIVE_TTY_AFTER_NS);
}

static uint64_t pct(const uint64_t *h, double q)
{
	struct rp_hist_view v = {
		.counts = h, .nbuckets = RP_HIST_BUCKETS, .sub_bits = RP_HIST_SUB_BITS};
	uint64_t n = 0;

	for (uint32_t i = 0; i < RP_HIST_BUCKETS; i++)
		n += h[i];
	return hist_percentile(&v, n, q);
}

/* Sums the workers' published state into one interval. */
static void sample(struct progress *p, uint64_t now, struct rp_interval *v)
{
	uint64_t resp = 0, errors = 0, retrans = 0;

	memset(p->hist, 0, RP_HIST_BUCKETS * sizeof(uint64_t));
	for (int w = 0; w < p->nworkers; w++) {
		const struct rp_live *l = &p->live[w];

		resp += __atomic_load_n(&l->responses, __ATOMIC_RELAXED);
		errors += __atomic_load_n(&l->errors, __ATOMIC_RELAXED);
		retrans += __atomic_load_n(&l->retrans, __ATOMIC_RELAXED);
		for (uint32_t i = 0; i < RP_HIST_BUCKETS; i++)
			p->hist[i] += __atomic_load_n(&l->hist[i], __ATOMIC_RELAXED);
	}
	v->t_s = (double)(now - p->start_ns) / 1e9;
	v->dt_s = v->t_s - p->prev_t;
	p->prev_t = v->t_s;
	v->responses = resp - p->prev_responses;
	v->errors = errors;
	v->retrans = retrans;
	v->p99_run_ns = pct(p->hist, 99);
	p->prev_responses = resp;
	for (uint32_t i = 0; i < RP_HIST_BUCKETS; i++) {
		uint64_t now_i = p->hist[i];

		p->hist[i] = now_i >= p->prev_hist[i] ? now_i - p->prev_hist[i] : 0;
		p->prev_hist[i] = now_i;
	}
	v->p99_ns = pct(p->hist, 99);
}

static void print(const struct progress *p, const struct rp_interval *v)
{
	char a[32], b[32];

	report_fmt_ns(a, sizeof(a), (double)v->p99_ns);
	report_fmt_ns(b, sizeof(b), (double)v->p99_run_ns);
	fprintf(stderr, "%s%7.1f s %10.0f resp/s  p99 %s (run %s)  errors %llu  retrans %llu%s",
		p->tty ? "\r\033[K" : "", v->t_s, v->dt_s > 0 ? v->responses / v->dt_s : 0, a, b,
		(unsigned long long)v->errors, (unsigned long long)v->retrans, p->tty ? "" : "\n");
	fflush(stderr);
}

static int keep(struct progress *p, const struct rp_interval *v)
{
	struct rp_interval *s = grow(p->series, &p->cap, p->n, sizeof(*s), 64, 0);

	if (!s)
		return -1;
	p->series = s;
	p->series[p->n++] = *v;
	return 0;
}

void progress_tick(struct progress *p, uint64_t now_ns)
{
	struct rp_interval v;

	if (!p->live || !p->start_ns || now_ns < p->next_ns)
		return;
	sample(p, now_ns, &v);
	if (p->cfg->interval_s) {
		p->next_ns += (uint64_t)(p->cfg->interval_s * 1e9);
		if (p->next_ns <= now_ns) /* the driver was late: no burst of lines */
			p->next_ns = now_ns + (uint64_t)(p->cfg->interval_s * 1e9);
		if (keep(p, &v) < 0)
			fprintf(stderr, "reqperf: progress: out of memory, series cut\n");
	} else {
		p->next_ns = now_ns + 1000000000ull;
	}
	if (!p->cfg->quiet)
		print(p, &v);
	p->shown = p->tty;
}

void progress_finish(struct progress *p, struct rp_report *rep)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = false;
	rep->intervals = p->series;
	rep->nintervals = p->n;
}

void progress_close(struct progress *p)
{
	if (p->live)
		munmap(p->live, (size_t)p->nworkers * sizeof(struct rp_live));
	free(p->hist);
	free(p->prev_hist);
	free(p->series);
	memset(p, 0, sizeof(*p));
}
