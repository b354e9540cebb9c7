// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `reqperf run --compare`: every setting once per round, in an order
 * rotated each round so slow drift of the machine (heat, other load)
 * lands on all settings alike; then one table over the rounds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "outpath.h"
#include "report_compare.h"
#include "run.h"

struct take {
	struct rp_compare_report *c;
	struct rp_cmp_round *round;
	bool got;
};

/* run_once's callback: keep the round's figures, write nothing. */
static int take_round(const struct rp_report *rep, void *arg)
{
	struct take *t = arg;

	t->got = true;
	if (rep->backend != RP_BACKEND_OFF)
		t->c->backend = rep->backend;
	return compare_round_from_report(rep, t->round);
}

static void round_config(struct rp_config *rc, const struct rp_config *cfg,
			 const struct rp_cmp_setting *s)
{
	*rc = *cfg;
	rc->affinity = s->affinity;
	rc->sched = s->sched;
	if (s->probe_off)
		rc->probe = RP_PROBE_OFF;
	if (s->sched == RP_SCHED_OTHER)
		rc->priority = -1;
	rc->quiet = true;
	rc->json_path = NULL;
	rc->csv_path = NULL;
	rc->compare = 0;
}

static void progress(const struct rp_compare_report *c, const struct rp_cmp_round *r, int total)
{
	if (c->config->quiet)
		return;
	fprintf(stderr, "reqperf: round %d/%d (%d of %d): %-10s %.3f s%s\n", r->index + 1, total,
		r->round + 1, c->repeat, c->settings[r->setting].name, r->elapsed_s,
		r->status ? ", FAILED" : "");
}

/* One round of one setting. -1 when the run could not even start. */
static int run_round(struct rp_compare_report *c, const struct rp_config *cfg, struct rp_config *rc,
		     int round, int s)
{
	struct rp_cmp_round *r = &c->rounds[c->nrounds];
	struct take t = {c, r, false};

	round_config(rc, cfg, &c->settings[s]);
	r->index = c->nrounds;
	r->round = round;
	r->setting = s;
	r->status = run_once(rc, take_round, &t);
	if (!t.got)
		return -1;
	c->nrounds++;
	progress(c, r, c->nsettings * c->repeat);
	return 0;
}

static int run_all(struct rp_compare_report *c, struct rp_config *cfg)
{
	struct rp_config *rc = malloc(sizeof(*rc));
	int err = 0;

	if (!rc)
		return -1;
	for (int round = 0; round < c->repeat && !err && !c->interrupted; round++)
		for (int i = 0; i < c->nsettings && !err && !c->interrupted; i++) {
			err = run_round(c, cfg, rc, round, compare_order(round, i, c->nsettings));
			c->interrupted = run_interrupted();
		}
	/* The rounds' copies resolved the default worker count. */
	if (c->nrounds)
		cfg->workers = rc->workers;
	free(rc);
	return err;
}

static int write_json(const struct rp_compare_report *c, const char *path)
{
	FILE *f = outpath_open(path);
	int rc;

	if (!f)
		return -1;
	rc = compare_json(f, c);
	rc |= outpath_close(f);
	if (rc)
		fprintf(stderr, "reqperf: writing %s failed\n", path);
	return rc ? -1 : 0;
}

static int write_out(const struct rp_compare_report *c)
{
	const struct rp_config *cfg = c->config;
	bool json_stdout = cfg->json_path && !strcmp(cfg->json_path, "-");
	int rc = 0;

	if (!cfg->quiet)
		rc |= compare_text(json_stdout ? stderr : stdout, c);
	if (cfg->json_path)
		rc |= write_json(c, cfg->json_path);
	return rc ? -1 : 0;
}

int compare_main(struct rp_config *cfg)
{
	struct rp_compare_report c = {.version = REQPERF_VERSION, .config = cfg};
	int rc = 0;

	c.what = (enum rp_compare)cfg->compare;
	c.repeat = cfg->repeat ? cfg->repeat : RP_COMPARE_DEFAULT_REPEAT;
	c.nsettings = compare_settings(c.what, cfg->affinity, cfg->sched, c.settings);
	c.rounds = calloc((size_t)(c.nsettings * c.repeat), sizeof(*c.rounds));
	if (!c.nsettings || !c.rounds) {
		fprintf(stderr, "reqperf: --compare: nothing to compare\n");
		free(c.rounds);
		return 1;
	}
	/* Other processes on these CPUs are part of what a round meets. */
	c.load[0] = c.load[1] = -1;
	c.ncpus_online = sysconf(_SC_NPROCESSORS_ONLN);
	getloadavg(&c.load[0], 1);
	if (run_all(&c, cfg) < 0 && !c.interrupted)
		fprintf(stderr, "reqperf: --compare: a round could not run; stopping\n");
	getloadavg(&c.load[1], 1);
	if (c.nrounds && write_out(&c) < 0)
		rc = 1;
	for (int i = 0; i < c.nrounds; i++)
		rc |= c.rounds[i].status != 0;
	if (c.nrounds < c.nsettings * c.repeat)
		rc = 1;
	compare_report_free(&c);
	return rc;
}
