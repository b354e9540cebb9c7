// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "outpath.h"
#include "output.h"

typedef int (*render_fn)(FILE *out, const struct rp_report *r);

static int write_to(const char *path, render_fn fn, const struct rp_report *r)
{
	FILE *f = outpath_open(path);
	int rc;

	if (!f)
		return -1;
	rc = fn(f, r);
	rc |= outpath_close(f);
	if (rc)
		fprintf(stderr, "reqperf: writing %s failed\n", path);
	return rc ? -1 : 0;
}

static int text(FILE *out, const struct rp_report *r)
{
	unsigned flags =
		(r->config->hist ? RP_TEXT_HIST : 0) | (r->config->verbose ? RP_TEXT_VERBOSE : 0);

	return report_text(out, r, flags);
}

int output_write(const struct rp_report *r)
{
	const struct rp_config *c = r->config;
	bool stdout_taken = outpath_stdout_taken(c);
	int rc = 0;

	/* With --json - the document owns stdout; the text goes to stderr. */
	if (!c->quiet)
		rc |= stdout_taken ? text(stderr, r) : write_to("-", text, r);
	if (c->json_path)
		rc |= write_to(c->json_path, report_json, r);
	if (c->csv_path)
		rc |= write_to(c->csv_path, report_csv, r);
	return rc ? -1 : 0;
}
