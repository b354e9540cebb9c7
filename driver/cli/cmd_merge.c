// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* reqperf merge: the CLI over user/compare/merge.c (reading, checking, writing). */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_merge.h"
#include "merge.h"

#define MERGE_MAX 256

struct merge_opts {
	const char *files[MERGE_MAX];
	size_t n;
	bool force;
	const char *out; /* NULL or "-": stdout */
	const char *server; /* --server: the server's reqperf trace --json */
};

enum {
	OPT_FORCE = 0x100,
	OPT_SERVER,
};

static const struct argp_option options[] = {
	{"force", OPT_FORCE, NULL, 0, "Merge runs whose configs differ (never versions or targets)",
	 0},
	{"json", 'j', "FILE", 0, "Write the merged JSON report to FILE (default: stdout)", 0},
	{"server", OPT_SERVER, "FILE", 0,
	 "The server's `reqperf trace --json` of the same interval, joined as the server side", 0},
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	struct merge_opts *o = state->input;

	switch (key) {
	case OPT_FORCE:
		o->force = true;
		return 0;
	case 'j':
		o->out = arg;
		return 0;
	case OPT_SERVER:
		o->server = arg;
		return 0;
	case ARGP_KEY_ARG:
		if (o->n == MERGE_MAX)
			argp_error(state, "at most %d reports", MERGE_MAX);
		o->files[o->n++] = arg;
		return 0;
	case ARGP_KEY_END:
		if (o->n < 2)
			argp_error(state, "needs two or more reports");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const char doc[] = "Combine the JSON reports of runs from several client hosts against "
			  "one server into one report: counters and histograms summed, a "
			  "\"hosts\" array with each host's own rows.";

static int load(struct merge_opts *o, json_t **docs)
{
	for (size_t i = 0; i < o->n; i++) {
		json_error_t e;

		docs[i] = json_load_file(o->files[i], 0, &e);
		if (!docs[i]) {
			fprintf(stderr, "reqperf merge: %s:%d: %s\n", o->files[i], e.line, e.text);
			return -1;
		}
	}
	return 0;
}

static int check_all(struct merge_opts *o, json_t **docs)
{
	char why[512];

	for (size_t i = 0; i < o->n; i++)
		if (merge_check(docs[0], docs[i], o->force, why, sizeof(why)) < 0) {
			fprintf(stderr, "reqperf merge: %s vs %s: %s\n", o->files[0], o->files[i],
				why);
			return -1;
		}
	return 0;
}

static int write_out(const struct merge_opts *o, json_t *m)
{
	FILE *f = !o->out || !strcmp(o->out, "-") ? stdout : fopen(o->out, "w");
	int err;

	if (!f) {
		fprintf(stderr, "reqperf merge: cannot write %s\n", o->out);
		return 1;
	}
	err = json_dumpf(m, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	fputc('\n', f);
	err |= f == stdout ? fflush(f) : fclose(f);
	if (err) {
		fprintf(stderr, "reqperf merge: cannot write %s\n", o->out ? o->out : "stdout");
		return 1;
	}
	return 0;
}

/* --server: the trace document, read and joined; one line when it fails. */
static int join_server(const struct merge_opts *o, json_t *m)
{
	json_error_t e;
	json_t *t = json_load_file(o->server, 0, &e);
	char why[512];
	int rc;

	if (!t) {
		fprintf(stderr, "reqperf merge: %s:%d: %s\n", o->server, e.line, e.text);
		return -1;
	}
	rc = merge_server(m, t, o->server, why, sizeof(why));
	if (rc < 0)
		fprintf(stderr, "reqperf merge: %s\n", why);
	json_decref(t);
	return rc;
}

const struct argp cmd_merge_argp = {options, parse_arg, "A.json B.json ...", doc, NULL, NULL, NULL};

int cmd_merge(int argc, char **argv)
{
	struct merge_opts o = {0};
	json_t *docs[MERGE_MAX] = {0}, *m = NULL;
	char why[512];
	int rc = 2, differ = 0;

	if (argp_parse(&cmd_merge_argp, argc, argv, 0, NULL, &o))
		return 2;
	if (load(&o, docs) < 0 || check_all(&o, docs) < 0)
		goto out;
	m = merge_reports(docs, o.files, o.n, why, sizeof(why));
	if (!m) {
		fprintf(stderr, "reqperf merge: %s\n", why);
		goto out;
	}
	if (o.server && (differ = join_server(&o, m)) < 0)
		goto out;
	rc = write_out(&o, m);
	/* The server's bytes against the clients': DIFFER exits 3, as the
	 * run's path view and reqperf join do. */
	if (!rc && differ > 0) {
		fprintf(stderr, "reqperf merge: the server's bytes differ from the clients' "
				"(server_trace.bytes)\n");
		rc = 3;
	}
out:
	json_decref(m);
	for (size_t i = 0; i < o.n; i++)
		json_decref(docs[i]);
	return rc;
}
