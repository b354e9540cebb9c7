// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

/* This run's CSV header line, '\n' included; NULL when out of memory. */
static char *csv_header(const struct rp_report *r)
{
	struct rp_report none = *r;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	none.nworkers = 0;
	report_csv_rows(m, &none, true);
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* --csv-append: the header once, at the top of a new or empty file; a
 * file whose header differs is left alone (a sweep's columns must line up). */
static int csv_append(const char *path, const struct rp_report *r)
{
	char *want = csv_header(r), *have = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int rc;

	if (!want)
		return -1;
	f = fopen(path, "a+");
	if (!f) {
		fprintf(stderr, "reqperf: cannot write %s: %s\n", path, strerror(errno));
		free(want);
		return -1;
	}
	rewind(f);
	n = getline(&have, &cap, f);
	if (n > 0 && strcmp(have, want)) {
		fprintf(stderr,
			"reqperf: --csv-append %s: its header has other columns than this run's;"
			" nothing written\n",
			path);
		rc = -1;
	} else {
		fseek(f, 0, SEEK_END);
		rc = report_csv_rows(f, r, n <= 0);
	}
	free(have);
	free(want);
	rc |= fclose(f);
	return rc ? -1 : 0;
}

static int text(FILE *out, const struct rp_report *r)
{
	unsigned flags = (r->config->hist ? RP_TEXT_HIST : 0) |
			 (r->config->verbose ? RP_TEXT_VERBOSE : 0) |
			 (r->config->detail ? RP_TEXT_DETAIL : 0);

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
	if (c->csv_path && c->csv_append)
		rc |= csv_append(c->csv_path, r);
	else if (c->csv_path)
		rc |= write_to(c->csv_path, report_csv, r);
	return rc ? -1 : 0;
}
