// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The latency, open-loop and progress options of `reqperf run`. */
#include <argp.h>
#include <stddef.h>
#include <string.h>

#include "cli_num.h"
#include "cmd_latency.h"
#include "config.h"
#include "latency.h"
#include "parse.h"

enum {
	OPT_RATE = 3000,
	OPT_INTERVAL,
	OPT_LATENCY,
	OPT_SINK_PAUSE,
};

static const struct argp_option options[] = {
	{"rate", OPT_RATE, "R", 0,
	 "Open loop: R requests/s for the whole run, evenly over workers and connections; "
	 "latency corrected from the intended send time (needs pingpong or pipeline:K)",
	 0},
	{"interval", OPT_INTERVAL, "S", 0,
	 "One progress line every S seconds (stderr, JSON series)", 0},
	{"latency", OPT_LATENCY, "on|off", 0, "Per-request latency (default on)", 0},
	{"sink-pause", OPT_SINK_PAUSE, "P:S", 0,
	 "Embedded sink stops answering for P ms every S ms (a test mode)", 0},
	{},
};

static void check(struct argp_state *st, const struct rp_config *c)
{
	if (c->rate > 0 && c->mode == RP_MODE_BURST)
		argp_error(st,
			   "--rate needs --mode pingpong or pipeline:K (a burst has no schedule)");
	if (c->rate > 0 && c->latency_off)
		argp_error(st, "--rate measures latency: drop --latency off");
	if (c->sink_pause_ms && c->target[0])
		argp_error(st, "--sink-pause needs the embedded sink (no --target)");
}

static const struct cli_num nums[] = {
	{OPT_RATE, "--rate", 0.001, 1e9, CLI_DBL, offsetof(struct rp_config, rate), "requests/s"},
	{OPT_INTERVAL, "--interval", 0.01, 86400, CLI_DBL, offsetof(struct rp_config, interval_s),
	 "seconds"},
};

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	struct rp_config *c = st->input;

	switch (key) {
	case OPT_LATENCY:
		if (strcmp(arg, "on") && strcmp(arg, "off"))
			argp_error(st, "--latency: expected on or off, got '%s'", arg);
		c->latency_off = !strcmp(arg, "off");
		break;
	case OPT_SINK_PAUSE:
		if (lat_parse_pause(arg, &c->sink_pause_ms, &c->sink_pause_every_ms) < 0)
			argp_error(st, "--sink-pause: expected P:S in ms with 1 <= P < S, got '%s'",
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

const struct argp cmd_latency_argp = {options, parse_arg, NULL, NULL, NULL, NULL, NULL};
