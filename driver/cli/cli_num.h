/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Numeric options described once per command: a row each (range, type,
 * where it goes in struct rp_config), parsed and refused the same way. */
#ifndef REQPERF_CLI_NUM_H
#define REQPERF_CLI_NUM_H

#include <argp.h>
#include <stddef.h>

enum cli_num_type {
	CLI_INT,
	CLI_U32,
	CLI_U64,
	CLI_DBL,
};

struct cli_num {
	int key;
	const char *name; /* "--workers" */
	double min, max;
	enum cli_num_type type;
	size_t off; /* in the argp input (struct rp_config) */
	const char *unit; /* said after the range when refused, or NULL */
};

/* key's row of tab[n]: arg checked against its range (one argp_error line
 * and exit 2 otherwise) and stored. ARGP_ERR_UNKNOWN when key has none. */
error_t cli_num_parse(const struct cli_num *tab, size_t n, int key, const char *arg,
		      struct argp_state *st);

#define CLI_NUM_PARSE(tab, key, arg, st) \
	cli_num_parse(tab, sizeof(tab) / sizeof(tab[0]), key, arg, st)

#endif /* REQPERF_CLI_NUM_H */
