// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The per-call event options of `reqperf run` and their cross-checks. */
#include <argp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cli_num.h"
#include "cmd_events.h"
#include "config.h"
#include "parse.h"

enum {
	OPT_EVENTS = 2000,
	OPT_EVENTS_FORMAT,
	OPT_EVENTS_LIMIT,
	OPT_EVENTS_RING,
	OPT_SVG,
	OPT_SINK_SPLIT,
};

/* st->hook: which options were given, to refuse the ones that need another. */
enum {
	GIVEN_FORMAT = 1,
	GIVEN_SIZES = 2
};

static const struct argp_option options[] = {
	{"events", OPT_EVENTS, "FILE", 0, "Write one line per send/recv call, user and kernel", 0},
	{"events-format", OPT_EVENTS_FORMAT, "jsonl|csv", 0, "--events file format (default jsonl)",
	 0},
	{"events-limit", OPT_EVENTS_LIMIT, "N", 0,
	 "Calls kept per worker and side (default 1000000)", 0},
	{"events-ring", OPT_EVENTS_RING, "BYTES", 0, "Kernel ring buffer, a power of 2 (16 MiB)",
	 0},
	{"svg", OPT_SVG, "FILE", 0, "Write an SVG report of the calls (implies events)", 0},
	{"sink-split-ms", OPT_SINK_SPLIT, "MS", 0,
	 "Embedded sink writes each response in two halves, MS apart", 0},
	{},
};

static void given(struct argp_state *st, uintptr_t what)
{
	st->hook = (void *)((uintptr_t)st->hook | what);
}

static void check(struct argp_state *st, const struct rp_config *c)
{
	uintptr_t g = (uintptr_t)st->hook;

	if ((g & GIVEN_FORMAT) && !c->events_path)
		argp_error(st, "--events-format needs --events FILE");
	if ((g & GIVEN_SIZES) && !c->events_path && !c->svg_path && !c->timeline_path)
		argp_error(st,
			   "--events-limit and --events-ring need --events, --svg or --timeline");
	if (c->sink_split_ms && c->target[0])
		argp_error(st, "--sink-split-ms needs the embedded sink (no --target)");
	if (c->sink_split_ms && c->echo_size)
		argp_error(st, "--sink-split-ms works with HTTP responses, not --echo");
}

static const struct cli_num nums[] = {
	{OPT_EVENTS_LIMIT, "--events-limit", 1, 10000000, CLI_U64,
	 offsetof(struct rp_config, events_limit), NULL},
	{OPT_SINK_SPLIT, "--sink-split-ms", 1, 10000, CLI_U32,
	 offsetof(struct rp_config, sink_split_ms), NULL},
};

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	struct rp_config *c = st->input;
	long v;

	switch (key) {
	case OPT_EVENTS:
		c->events_path = arg;
		break;
	case OPT_SVG:
		c->svg_path = arg;
		break;
	case OPT_EVENTS_FORMAT:
		if (strcmp(arg, "jsonl") && strcmp(arg, "csv"))
			argp_error(st, "--events-format: expected jsonl or csv, got '%s'", arg);
		c->events_csv = !strcmp(arg, "csv");
		given(st, GIVEN_FORMAT);
		break;
	case OPT_EVENTS_LIMIT:
		given(st, GIVEN_SIZES);
		return CLI_NUM_PARSE(nums, key, arg, st);
	case OPT_EVENTS_RING:
		if (parse_long(arg, 65536, 1L << 30, &v) < 0 || (v & (v - 1)))
			argp_error(st,
				   "--events-ring: expected a power of 2 in 65536..1073741824, got "
				   "'%s'",
				   arg);
		c->events_ring = (uint32_t)v;
		given(st, GIVEN_SIZES);
		break;
	case ARGP_KEY_END:
		check(st, c);
		break;
	default:
		return CLI_NUM_PARSE(nums, key, arg, st);
	}
	return 0;
}

const struct argp cmd_events_argp = {options, parse_arg, NULL, NULL, NULL, NULL, NULL};
