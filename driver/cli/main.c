// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* reqperf: one binary, subcommands run, sink, trace; --version, --man. */
#include <argp.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli_doc.h"
#include "cmd_join.h"
#include "cmd_merge.h"
#include "cmd_run.h"
#include "cmd_sink.h"
#include "cmd_trace.h"
#include "tracer.h"
#include "version_info.h"

#ifndef REQPERF_DATE
#define REQPERF_DATE "unknown"
#endif

const char *argp_program_version = "reqperf " REQPERF_VERSION;

/* Every subcommand, once: dispatch, usage, the manual, the completion. */
static const struct cli_command commands[] = {
	{"run", "measure send()/recv() per call, user and kernel side by side", &cmd_run_argp,
	 cmd_run},
	{"sink", "the HTTP sink (or --echo raw TCP server) on its own", &cmd_sink_argp, cmd_sink},
	{"trace", "kernel view of any process's TCP send/recv", &cmd_trace_argp, cmd_trace},
	{"merge", "one report from several client hosts' JSON reports", &cmd_merge_argp, cmd_merge},
	{"join", "a run and a server-side trace's JSON, joined by 4-tuple into one path view",
	 &cmd_join_argp, cmd_join},
};
#define NCOMMANDS ((int)(sizeof(commands) / sizeof(commands[0])))

static const struct cli_manual manual = {
	.version = REQPERF_VERSION,
	.date = REQPERF_DATE,
	.description =
		"reqperf measures what a TCP request/response workload costs, seen from user\n"
		"space and from the kernel at the same time, and explains the difference.\n"
		"\n"
		"A driver forks one worker per CPU; each pins itself to its core, raises\n"
		"itself to SCHED_RR, sends HTTP requests over non-blocking sockets and times\n"
		"every send() and recv(). eBPF programs (libbpf, CO-RE) record the kernel's\n"
		"side of the same calls: time in the kernel, bytes, skbs, TCP segments, the\n"
		"scheduler's view. The report opens with a summary (throughput, user and\n"
		"kernel time per call, byte integrity across user, kernel and sink, why there\n"
		"are more recv() calls than responses, warnings) and one line per worker.\n"
		"\n"
		"Loading the eBPF programs needs root, or CAP_BPF and CAP_PERFMON; without\n"
		"them reqperf run warns once and reports the user side only.\n"
		"\n"
		"How to read the report: /usr/share/doc/reqperf/report.md (docs/report.md\n"
		"in the source tree); README.md points to every other page there.",
	.see_also = "bpftool(8), tc(8), ss(8), nstat(8), wrk(1), "
		    "/usr/share/doc/reqperf/README.md",
};

static void usage(FILE *out)
{
	fprintf(out, "usage: reqperf COMMAND [OPTION...]\n\ncommands:\n");
	for (int i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-7s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'reqperf COMMAND --help' lists a command's options;\n"
		     "reqperf --version shows what this kernel offers, --man the manual page,\n"
		     "--completion bash a completion script.\n");
}

static int version(void)
{
	struct rp_version_info v = {
		.version = REQPERF_VERSION,
		.libbpf_linked = libbpf_version_string(),
		.libbpf_built_major = LIBBPF_MAJOR_VERSION,
		.libbpf_built_minor = LIBBPF_MINOR_VERSION,
	};
	struct utsname u;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	v.kernel = u.release;
	v.machine = u.machine;
	/* libbpf's own messages about probing stay quiet */
	libbpf_set_print(NULL);
	tracer_kernel_facts(&v.facts);
	return version_text(stdout, &v) ? 1 : 0;
}

int main(int argc, char **argv)
{
	/* Bad flags exit 2, as the usage convention of most tools. */
	argp_err_exit_status = 2;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (int i = 0; i < NCOMMANDS; i++) {
		static char name[32];

		if (strcmp(argv[1], commands[i].name))
			continue;
		/* argp names the program after argv[0] in its messages. */
		snprintf(name, sizeof(name), "reqperf %s", commands[i].name);
		argv[1] = name;
		return commands[i].main(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return version();
	if (!strcmp(argv[1], "--man"))
		return cli_manpage(stdout, &manual, commands, NCOMMANDS) ? 1 : 0;
	if (!strcmp(argv[1], "--completion")) {
		if (argc != 3 || strcmp(argv[2], "bash")) {
			fprintf(stderr, "reqperf: --completion: expected 'bash'\n");
			return 2;
		}
		return cli_bash_completion(stdout, commands, NCOMMANDS) ? 1 : 0;
	}
	fprintf(stderr, "reqperf: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
