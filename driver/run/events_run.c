// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Per-call events around one run. The workers write their own records to
 * memory mapped before the fork (no I/O on their hot path); the kernel's
 * arrive through the ring buffer reader; both are joined once the workers
 * have exited, so nothing here runs while calls are being timed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "events_run.h"
#include "outpath.h"

uint32_t events_run_ring(const struct rp_config *c)
{
	if (!c->events_path && !c->svg_path && !c->timeline_path && !c->lifecycle_path)
		return 0;
	return c->events_ring ? c->events_ring : RP_EVENTS_RING;
}

static int map_buffers(struct events_run *e, int n, struct worker_ctx *tmpl)
{
	size_t page = (size_t)getpagesize();
	size_t stride = (rp_uev_buf_size(e->limit) + page - 1) / page * page;

	e->area_len = stride * (size_t)n;
	e->area = mmap(NULL, e->area_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (e->area == MAP_FAILED) {
		e->area = NULL;
		fprintf(stderr, "reqperf: cannot map %zu MiB for per-call events: %s\n",
			e->area_len >> 20, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++)
		((struct rp_uev_buf *)(e->area + (size_t)i * stride))->cap = e->limit;
	tmpl->events = e->area;
	tmpl->events_stride = stride;
	return 0;
}

/* A bad path fails now, not after the workload ran. */
static int open_out(const char *path, FILE **f)
{
	if (!path)
		return 0;
	*f = outpath_open(path);
	return *f ? 0 : -1;
}

int events_run_start(struct events_run *e, const struct rp_config *c, struct rp_tracer *t,
		     struct worker_ctx *tmpl)
{
	char err[160];

	memset(e, 0, sizeof(*e));
	e->cfg = c;
	e->tracer = t;
	if (!events_run_ring(c) && !c->call_path)
		return 0;
	e->on = true;
	if (open_out(c->events_path, &e->lines) < 0 || open_out(c->svg_path, &e->svg) < 0 ||
	    open_out(c->timeline_path, &e->timeline) < 0 ||
	    open_out(c->lifecycle_path, &e->lifecycle) < 0)
		return -1;
	e->limit = c->events_limit ? c->events_limit : RP_EVENTS_LIMIT;
	if (map_buffers(e, c->workers, tmpl) < 0)
		return -1;
	if (!events_run_ring(c))
		return 0; /* --call-path alone: the workers' records only */
	if (t && tracer_events_start(&e->te, t, tracer_nslots(t), e->limit, err, sizeof(err)) < 0) {
		fprintf(stderr, "reqperf: per-call events: %s\n", err);
		return -1;
	}
	return 0;
}

const struct rp_uev_buf *events_run_user(const struct events_run *e, int i)
{
	size_t stride;

	if (!e->area || i < 0 || i >= e->cfg->workers)
		return NULL; /* events off */
	stride = e->area_len / (size_t)e->cfg->workers;
	return (const struct rp_uev_buf *)(e->area + (size_t)i * stride);
}

static int join_worker(struct events_run *e, const struct rp_report *rep, int i)
{
	const struct rp_worker_report *w = &rep->workers[i];
	struct rp_ev_input in = {
		.id = i,
		.user = events_run_user(e, i),
		.has_kernel = e->te && w->has_kernel,
		.wr = w->sched[0] ? w : NULL, /* empty: the worker gave no result */
	};

	in.k = tracer_events_slot(e->te, i, &in.nk);
	in.k_lost = tracer_events_lost(e->te, i);
	return events_join(&in, &e->sum.w[i], &e->pairs[i], &e->npairs[i]);
}

static void server_lost(const struct events_run *e, int slot, const char *what)
{
	if (tracer_events_lost(e->te, slot))
		fprintf(stderr,
			"reqperf: warning: %s: %llu of the server's kernel records "
			"lost (ring buffer full or over --events-limit)\n",
			what, (unsigned long long)tracer_events_lost(e->te, slot));
}

static int write_lines(struct events_run *e, FILE *f)
{
	enum rp_ev_format fmt = e->cfg->events_csv ? RP_EVF_CSV : RP_EVF_JSONL;
	int rc = events_write_header(f, fmt);

	int slot = tracer_server_slot(e->tracer);

	for (int i = 0; !rc && i < e->sum.nworkers; i++)
		rc = events_write_lines(f, fmt, &e->sum.w[i], e->pairs[i], e->npairs[i]);
	if (!rc && slot >= 0 && e->te) {
		size_t n = 0;
		const struct rp_event *k = tracer_events_slot(e->te, slot, &n);

		server_lost(e, slot, "--events");
		rc = events_write_server(f, fmt, k, n);
	}
	return rc;
}

static void svg_title(const struct events_run *e, char *b, size_t n)
{
	const struct rp_config *c = e->cfg;

	if (c->echo_size)
		snprintf(b, n, "reqperf: %d workers, echo %u B, recv %u B", c->workers,
			 c->echo_size, c->recv_size);
	else
		snprintf(b, n, "reqperf: %d workers, %s, recv %u B, body %u B", c->workers,
			 mode_name(c->mode), c->recv_size, c->body_size);
}

static int write_svg(struct events_run *e, FILE *f)
{
	char title[160];

	svg_title(e, title, sizeof(title));
	return events_write_svg(f, &e->sum, title);
}

static int write_timeline(struct events_run *e, FILE *f)
{
	struct rp_ev_timeline t = {
		.nworkers = e->sum.nworkers,
		.pairs = e->pairs,
		.npairs = e->npairs,
	};
	int slot = tracer_server_slot(e->tracer);

	if (slot >= 0) {
		t.server = tracer_events_slot(e->te, slot, &t.nserver);
		server_lost(e, slot, "--timeline");
	}
	return events_write_timeline(f, &t);
}

/* Writes and closes *f, opened by events_run_start. */
static int write_file(struct events_run *e, FILE **f, const char *path,
		      int (*fn)(struct events_run *, FILE *))
{
	int rc = fn(e, *f);

	rc |= outpath_close(*f);
	*f = NULL;
	if (rc)
		fprintf(stderr, "reqperf: writing %s failed\n", path);
	return rc ? -1 : 0;
}

int events_run_finish(struct events_run *e, struct rp_report *rep)
{
	int n = rep->nworkers, rc = 0;

	if (!e->on || !rep->workers || !events_run_ring(e->cfg))
		return 0;
	tracer_events_stop(e->te);
	e->sum.nworkers = n;
	e->sum.has_kernel = e->te != NULL;
	e->sum.echo = e->cfg->echo_size > 0;
	e->sum.w = calloc((size_t)n, sizeof(*e->sum.w));
	e->pairs = calloc((size_t)n, sizeof(*e->pairs));
	e->npairs = calloc((size_t)n, sizeof(*e->npairs));
	if (!e->sum.w || !e->pairs || !e->npairs) {
		fprintf(stderr, "reqperf: out of memory for per-call events\n");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (join_worker(e, rep, i) < 0) {
			fprintf(stderr, "reqperf: out of memory joining per-call events\n");
			return -1;
		}
	}
	events_total(&e->sum);
	rep->events = &e->sum;
	/* A record no worker owns means the layouts disagree: never silent. */
	if (tracer_events_stray(e->te)) {
		fprintf(stderr, "reqperf: %llu kernel event records matched no worker\n",
			(unsigned long long)tracer_events_stray(e->te));
		rc = -1;
	}
	if (e->lines)
		rc |= write_file(e, &e->lines, e->cfg->events_path, write_lines);
	if (e->svg)
		rc |= write_file(e, &e->svg, e->cfg->svg_path, write_svg);
	if (e->timeline)
		rc |= write_file(e, &e->timeline, e->cfg->timeline_path, write_timeline);
	return rc ? -1 : 0;
}

void events_run_free(struct events_run *e)
{
	if (e->lines)
		outpath_close(e->lines);
	if (e->svg)
		outpath_close(e->svg);
	if (e->timeline)
		outpath_close(e->timeline);
	if (e->lifecycle)
		outpath_close(e->lifecycle);
	free(e->lc);
	tracer_events_free(e->te);
	for (int i = 0; e->pairs && i < e->sum.nworkers; i++)
		free(e->pairs[i]);
	free(e->pairs);
	free(e->npairs);
	free(e->sum.w);
	if (e->area)
		munmap(e->area, e->area_len);
	memset(e, 0, sizeof(*e));
}
