// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The --compare options of `reqperf run` and their cross-checks. */
#include <argp.h>
#include <stddef.h>
#include <string.h>

#include "cli_num.h"
#include "cmd_compare.h"
#include "compare.h"
#include "config.h"
#include "parse.h"
#include "report_compare.h"

enum {
	OPT_COMPARE = 3000,
	OPT_REPEAT,
};

static const struct argp_option options[] = {
	{"compare", OPT_COMPARE, "affinity|sched|both|probe", 0,
	 "Run each setting in turn and compare them in one table", 0},
	{"repeat", OPT_REPEAT, "R", 0, "--compare: rounds per setting (default 5)", 0},
	{},
};

static void check(struct argp_state *st, struct rp_config *c)
{
	if (c->repeat && !c->compare)
		argp_error(st, "--repeat needs --compare");
	if (!c->compare)
		return;
	if (c->compare == RP_COMPARE_PROBE && c->probe == RP_PROBE_OFF)
		argp_error(st, "--compare probe compares --probe off with tracing on: drop "
			       "--probe off");
	if ((c->compare == RP_COMPARE_SCHED || c->compare == RP_COMPARE_BOTH) &&
	    c->sched == RP_SCHED_OTHER)
		argp_error(st,
			   "--compare %s needs a real-time --sched (rr or fifo) to compare "
			   "with SCHED_OTHER",
			   compare_name((enum rp_compare)c->compare));
	if (c->csv_path)
		argp_error(st, "--csv is one run's table; --compare writes --json");
	if (c->events_path || c->svg_path)
		argp_error(st, "--events and --svg record one run, not --compare");
	if (c->bpf_stats)
		argp_error(st, "--bpf-stats reports one run, not --compare");
	if (c->call_path)
		argp_error(st, "--call-path times one run, not --compare");
	/* Its table compares switches, run-queue waits and softirq shares;
	 * --compare probe measures what a default run's tracing costs. */
	c->sched_view = c->probe != RP_PROBE_OFF && c->compare != RP_COMPARE_PROBE;
}

static const struct cli_num nums[] = {
	{OPT_REPEAT, "--repeat", 1, RP_COMPARE_MAX_REPEAT, CLI_INT,
	 offsetof(struct rp_config, repeat), NULL},
};

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	static const char *const names[] = {"affinity", "sched", "both", "probe"};
	struct rp_config *c = st->input;

	switch (key) {
	case OPT_COMPARE:
		c->compare = 0;
		for (int i = 0; i < 4; i++)
			if (!strcmp(arg, names[i]))
				c->compare = RP_COMPARE_AFFINITY + i;
		if (!c->compare)
			argp_error(st,
				   "--compare: expected affinity, sched, both or probe, got '%s'",
				   arg);
		break;
	case ARGP_KEY_END:
		check(st, c);
		break;
	default:
		return CLI_NUM_PARSE(nums, key, arg, st);
	}
	return 0;
}

const struct argp cmd_compare_argp = {options, parse_arg, NULL, NULL, NULL, NULL, NULL};
