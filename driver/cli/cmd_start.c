// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `reqperf run --start-at`: the start barrier of several client hosts. */
#include <argp.h>
#include <time.h>

#include "cmd_start.h"
#include "config.h"
#include "start_at.h"

enum {
	OPT_START_AT = 3100,
};

static const struct argp_option options[] = {
	{"start-at", OPT_START_AT, "TIME", 0,
	 "Release the workers at this wall-clock time (Unix seconds or "
	 "YYYY-MM-DDTHH:MM:SS[.frac]Z, at most an hour ahead), so runs on several hosts "
	 "start together",
	 0},
	{},
};

static double realtime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	struct rp_config *c = st->input;
	char why[200];

	switch (key) {
	case OPT_START_AT:
		if (start_at_parse(arg, realtime_now(), START_AT_MAX_AHEAD, &c->start_at, why,
				   sizeof(why)) < 0)
			argp_error(st, "%s", why);
		break;
	case ARGP_KEY_END:
		/* One start for one run: rounds and sweeps start many. */
		if (c->start_at > 0 && (c->compare || c->sweep_loss || c->sweep_mtu))
			argp_error(st, "--start-at starts one run: not with --compare or a sweep");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_start_argp = {options, parse_arg, NULL, NULL, NULL, NULL, NULL};
