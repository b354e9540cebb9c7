// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Numeric options: range-checked, stored by their row's type. */
#include <stdint.h>

#include "cli_num.h"
#include "parse.h"

static void store(const struct cli_num *o, void *input, long v, double d)
{
	char *field = (char *)input + o->off;

	switch (o->type) {
	case CLI_INT:
		*(int *)field = (int)v;
		break;
	case CLI_U32:
		*(uint32_t *)field = (uint32_t)v;
		break;
	case CLI_U64:
		*(uint64_t *)field = (uint64_t)v;
		break;
	case CLI_DBL:
		*(double *)field = d;
		break;
	}
}

error_t cli_num_parse(const struct cli_num *tab, size_t n, int key, const char *arg,
		      struct argp_state *st)
{
	for (size_t i = 0; i < n; i++) {
		const struct cli_num *o = &tab[i];
		double d = 0;
		long v = 0;
		int bad;

		if (o->key != key)
			continue;
		if (o->type == CLI_DBL)
			bad = parse_double(arg, o->min, o->max, &d);
		else
			bad = parse_long(arg, (long)o->min, (long)o->max, &v);
		if (bad)
			argp_error(st, "%s: expected %.10g..%.10g%s%s, got '%s'", o->name, o->min,
				   o->max, o->unit ? " " : "", o->unit ? o->unit : "", arg);
		store(o, st->input, v, d);
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}
