/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The CLI's documentation, generated from the very argp tables the
 * commands parse with: the reqperf(1) manual page and a bash completion
 * script. Adding an option to a command's table adds it to --help, the
 * manual and the completion at once; tests/integration/test_cli.py checks
 * that they agree.
 */
#ifndef REQPERF_CLI_DOC_H
#define REQPERF_CLI_DOC_H

#include <argp.h>
#include <stdio.h>

/* One subcommand: `reqperf NAME [OPTION...]`. */
struct cli_command {
	const char *name;
	const char *summary; /* one line, for usage and the manual */
	const struct argp *argp; /* its options, children included */
	int (*main)(int argc, char **argv);
};

/* The manual's fixed prose, besides what the commands' tables give. */
struct cli_manual {
	const char *version;
	const char *date; /* "2026-12-05" */
	const char *description; /* paragraphs separated by blank lines */
	const char *see_also; /* "bpftool(8), tc(8)" */
};

/* reqperf(1) in man(7) markup. Returns 0, or -1 when writing failed. */
int cli_manpage(FILE *out, const struct cli_manual *m, const struct cli_command *cmds, int n);
/* A bash completion script for `complete -F`. Returns 0 or -1. */
int cli_bash_completion(FILE *out, const struct cli_command *cmds, int n);

/* Calls fn for each documented option of a (children first-level and
 * deeper, hidden and doc-only entries skipped), with the group header in
 * effect ("" for the command's own). */
typedef void (*cli_option_fn)(const struct argp_option *o, const char *group, void *ctx);
void cli_for_each_option(const struct argp *a, cli_option_fn fn, void *ctx);

#endif /* REQPERF_CLI_DOC_H */
