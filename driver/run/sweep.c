// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The sweep's rounds: every loss x MTU setting once per round, in the
 * order --compare uses (rotated each round), each a whole --netns run
 * with its own namespaces, program and counters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_compare.h"
#include "run.h"
#include "sweep.h"
#include "sweep_run.h"

struct take {
	struct rp_sweep_round *round;
	bool got;
};

static int take_round(const struct rp_report *rep, void *arg)
{
	struct take *t = arg;

	t->got = true;
	sweep_round_from_report(rep, t->round);
	return 0;
}

static void round_config(struct rp_config *rc, const struct rp_config *cfg,
			 const struct rp_sweep *s, const struct rp_sweep_setting *set)
{
	char spec[64], err[160];

	*rc = *cfg;
	rc->mtu = set->mtu;
	rc->quiet = true;
	rc->json_path = NULL;
	rc->csv_path = NULL;
	rc->sweep_loss = NULL;
	rc->impair.asked = true; /* loss 0 too: the same programs count */
	for (int d = s->dir_lo; d < s->dir_hi; d++) {
		snprintf(spec, sizeof(spec), "%s:%g%%", impair_dir_name(d), set->loss_pct);
		impair_parse_loss(&rc->impair, spec, err, sizeof(err));
	}
}

static int write_svg(const struct rp_sweep *s, const char *path)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "reqperf: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	sweep_svg(f, s);
	rc = fclose(f);
	if (rc)
		fprintf(stderr, "reqperf: writing %s failed\n", path);
	return rc ? -1 : 0;
}

int sweep_main(struct rp_config *cfg)
{
	struct rp_sweep s = {0};
	struct rp_config *rc = malloc(sizeof(*rc));
	char err[200];
	int total, status = 0;

	if (!rc || sweep_parse_loss(&s, cfg->sweep_loss, err, sizeof(err)) < 0 ||
	    (cfg->sweep_mtu && sweep_parse_mtu(&s, cfg->sweep_mtu, err, sizeof(err)) < 0)) {
		fprintf(stderr, "reqperf: %s\n", rc ? err : "out of memory");
		free(rc);
		return rc ? 2 : 1;
	}
	s.repeat = cfg->sweep_repeat ? cfg->sweep_repeat : RP_SWEEP_DEFAULT_REPEAT;
	total = sweep_plan(&s, cfg->mtu) * s.repeat;
	s.rounds = calloc((size_t)total, sizeof(*s.rounds));
	for (int round = 0; s.rounds && round < s.repeat && !s.interrupted; round++)
		for (int i = 0; i < s.nsettings && !s.interrupted; i++) {
			struct rp_sweep_round *r = &s.rounds[s.nrounds];
			struct take t = {r, false};
			int set = compare_order(round, i, s.nsettings);

			round_config(rc, cfg, &s, &s.settings[set]);
			r->setting = set;
			r->round = round;
			r->status = run_once(rc, take_round, &t);
			s.interrupted = run_interrupted();
			if (!t.got) {
				s.interrupted = true; /* could not even start: stop */
				break;
			}
			s.nrounds++;
			if (!cfg->quiet)
				fprintf(stderr, "reqperf: sweep %d/%d: loss %g%% mtu %u%s\n",
					s.nrounds, total, s.settings[set].loss_pct,
					s.settings[set].mtu, r->status ? ", FAILED" : "");
		}
	if (!cfg->quiet && s.nrounds)
		sweep_text(stdout, &s);
	if (cfg->sweep_svg && s.nrounds && write_svg(&s, cfg->sweep_svg) < 0)
		status = 1;
	for (int i = 0; i < s.nrounds; i++)
		status |= s.rounds[i].status != 0;
	if (s.nrounds < total)
		status = 1;
	free(s.rounds);
	free(rc);
	return status;
}
