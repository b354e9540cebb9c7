// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* reqperf: one binary, subcommands run, sink, trace. */
#include <argp.h>
#include <stdio.h>
#include <string.h>

#include "cmd_merge.h"
#include "cmd_run.h"
#include "cmd_sink.h"
#include "cmd_trace.h"

const char *argp_program_version = "reqperf " REQPERF_VERSION;

static void usage(FILE *out)
{
	fprintf(out, "usage: reqperf COMMAND [OPTION...]\n"
		     "\n"
		     "commands:\n"
		     "  run     measure send()/recv() per call, user and kernel side by side\n"
		     "  sink    the HTTP sink (or --echo raw TCP server) on its own\n"
		     "  trace   kernel view of any process's TCP send/recv\n"
		     "  merge   one report from several client hosts' JSON reports\n"
		     "\n"
		     "'reqperf COMMAND --help' lists a command's options.\n");
}

int main(int argc, char **argv)
{
	/* Bad flags exit 2, as the usage convention of most tools. */
	argp_err_exit_status = 2;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	/* argp names the program after argv[0] in its messages. */
	if (!strcmp(argv[1], "run"))
		return argv[1] = "reqperf run", cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sink"))
		return argv[1] = "reqperf sink", cmd_sink(argc - 1, argv + 1);
	if (!strcmp(argv[1], "merge"))
		return argv[1] = "reqperf merge", cmd_merge(argc - 1, argv + 1);
	if (!strcmp(argv[1], "trace"))
		return argv[1] = "reqperf trace", cmd_trace(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("%s\n", argp_program_version);
		return 0;
	}
	fprintf(stderr, "reqperf: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
