// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `reqperf run`: options, validation, then the run itself (run.c). */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "reqperf.h"
#include "cmd_run.h"
#include "run.h"

enum {
	OPT_TARGET = 't',
	OPT_WORKERS = 'w',
	OPT_REQUESTS = 'n',
	OPT_DURATION = 'd',
	OPT_MODE = 'm',
	OPT_CONNS = 'c',
	OPT_RECV_SIZE = 'r',
	OPT_JSON = 'j',
	OPT_QUIET = 'q',
	OPT_VERBOSE = 'v',
	OPT_AFFINITY = 1000,
	OPT_CPUS,
	OPT_SCHED,
	OPT_PRIORITY,
	OPT_TRIM,
	OPT_CSV,
	OPT_PROBE,
	OPT_HIST,
	OPT_PATH,
	OPT_HEADER,
	OPT_BODY,
	OPT_SINK_THREADS,
	OPT_ECHO,
	OPT_NODELAY,
	OPT_IDLE,
	OPT_CONNECT_TIMEOUT,
};

static const char doc[] =
	"Measure send()/recv() per call from user space and from the kernel.\n"
	"\n"
	"Forks one worker per CPU (pinned, SCHED_RR), sends HTTP requests to an\n"
	"embedded sink (or --target) and times every send() and recv(); eBPF\n"
	"programs record the kernel's side of the same calls.\n"
	"\n"
	"EXAMPLES:\n"
	"  reqperf run                         # default: seed's workload, all CPUs\n"
	"  reqperf run -w 2 -n 512 --json -    # JSON report on stdout\n"
	"  reqperf run --mode pingpong -d 5    # 5 s of request/response\n"
	"  reqperf run --affinity off --sched other --hist\n"
	"  reqperf run --echo 1536             # the seed's raw TCP experiment\n"
	"  reqperf run --target 127.0.0.1:8080 --probe off";

static const struct argp_option options[] = {
	{"target", OPT_TARGET, "HOST:PORT", 0, "Server to load (default: embedded sink)", 0},
	{"workers", OPT_WORKERS, "N", 0, "Worker processes (default: online CPUs)", 0},
	{"requests", OPT_REQUESTS, "N", 0, "Requests per worker (default 512)", 0},
	{"duration", OPT_DURATION, "SECONDS", 0, "Run for a time instead of a count", 0},
	{"mode", OPT_MODE, "MODE", 0, "burst | pingpong | pipeline:K (default burst)", 0},
	{"connections", OPT_CONNS, "C", 0, "Connections per worker (default 1)", 0},
	{"recv-size", OPT_RECV_SIZE, "BYTES", 0, "Bytes asked per recv() (default 1024)", 0},
	{"affinity", OPT_AFFINITY, "on|off", 0, "Pin each worker to a CPU (default on)", 0},
	{"cpus", OPT_CPUS, "LIST", 0, "CPUs to pin to, e.g. 0,2-3 (default: all)", 0},
	{"sched", OPT_SCHED, "rr|fifo|other", 0, "Workers' policy (default rr)", 0},
	{"priority", OPT_PRIORITY, "P", 0, "Real-time priority (default: max)", 0},
	{"trim-sigma", OPT_TRIM, "S", 0, "Drop samples beyond S sigma (seed: 2)", 0},
	{"probe", OPT_PROBE, "P", 0, "auto | fentry | kprobe | tracepoint | off", 0},
	{"json", OPT_JSON, "FILE", 0, "Write the JSON report (- for stdout)", 0},
	{"csv", OPT_CSV, "FILE", 0, "Write one CSV row per worker (- for stdout)", 0},
	{"hist", OPT_HIST, NULL, 0, "Show log2 histograms of user vs kernel time", 0},
	{"path", OPT_PATH, "PATH", 0, "Request path (default /)", 0},
	{"header", OPT_HEADER, "'NAME: VALUE'", 0, "Extra request header (repeatable)", 0},
	{"body-size", OPT_BODY, "BYTES", 0, "Embedded sink's body size (default 3072)", 0},
	{"sink-threads", OPT_SINK_THREADS, "N", 0, "Embedded sink's threads (default 1)", 0},
	{"echo", OPT_ECHO, "SIZE", 0, "Raw TCP echo of SIZE-byte messages, not HTTP", 0},
	{"nodelay", OPT_NODELAY, NULL, 0, "Set TCP_NODELAY (default: Nagle on, as the seed)", 0},
	{"idle-timeout", OPT_IDLE, "SECONDS", 0, "Fail a run stalled this long (default 2)", 0},
	{"connect-timeout", OPT_CONNECT_TIMEOUT, "SECONDS", 0, "Connect bound (default 2)", 0},
	{"quiet", OPT_QUIET, NULL, 0, "No text report", 0},
	{"verbose", OPT_VERBOSE, NULL, 0, "Explain backend choice and more", 0},
	{},
};

static int parse_mode(struct rp_config *c, const char *s)
{
	long k;

	if (!strcmp(s, "burst")) {
		c->mode = RP_MODE_BURST;
	} else if (!strcmp(s, "pingpong")) {
		c->mode = RP_MODE_PINGPONG;
	} else if (!strncmp(s, "pipeline:", 9)) {
		if (parse_long(s + 9, 1, 65536, &k) < 0)
			return -1;
		c->mode = RP_MODE_PIPELINE;
		c->pipeline = (int)k;
	} else {
		return -1;
	}
	return 0;
}

static int parse_enum(const char *s, const char *const names[], int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static error_t parse_num_opt(int key, char *arg, struct rp_config *c, struct argp_state *st)
{
	long v;
	double d;

	switch (key) {
	case OPT_WORKERS:
		if (parse_long(arg, 1, RP_MAX_SLOTS, &v) < 0)
			argp_error(st, "--workers: expected 1..%d, got '%s'", RP_MAX_SLOTS, arg);
		c->workers = (int)v;
		break;
	case OPT_REQUESTS:
		if (parse_long(arg, 1, 1000000000L, &v) < 0)
			argp_error(st, "--requests: expected 1..1000000000, got '%s'", arg);
		c->requests = (uint64_t)v;
		break;
	case OPT_CONNS:
		if (parse_long(arg, 1, 1024, &v) < 0)
			argp_error(st, "--connections: expected 1..1024, got '%s'", arg);
		c->connections = (int)v;
		break;
	case OPT_RECV_SIZE:
		if (parse_long(arg, 1, 64 << 20, &v) < 0)
			argp_error(st, "--recv-size: expected 1..67108864, got '%s'", arg);
		c->recv_size = (uint32_t)v;
		break;
	case OPT_PRIORITY:
		if (parse_long(arg, 0, 99, &v) < 0)
			argp_error(st, "--priority: expected 0..99, got '%s'", arg);
		c->priority = (int)v;
		break;
	case OPT_BODY:
		if (parse_long(arg, 0, 64 << 20, &v) < 0)
			argp_error(st, "--body-size: expected 0..67108864, got '%s'", arg);
		c->body_size = (uint32_t)v;
		break;
	case OPT_SINK_THREADS:
		if (parse_long(arg, 1, 256, &v) < 0)
			argp_error(st, "--sink-threads: expected 1..256, got '%s'", arg);
		c->sink_threads = (int)v;
		break;
	case OPT_ECHO:
		if (parse_long(arg, 1, 1 << 20, &v) < 0)
			argp_error(st, "--echo: expected 1..1048576, got '%s'", arg);
		c->echo_size = (uint32_t)v;
		break;
	case OPT_DURATION:
		if (parse_double(arg, 0.001, 86400, &d) < 0)
			argp_error(st, "--duration: expected 0.001..86400 seconds, got '%s'", arg);
		c->duration_s = d;
		break;
	case OPT_TRIM:
		if (parse_double(arg, 0.1, 100, &d) < 0)
			argp_error(st, "--trim-sigma: expected 0.1..100, got '%s'", arg);
		c->trim_sigma = d;
		break;
	case OPT_IDLE:
		if (parse_double(arg, 0.01, 3600, &d) < 0)
			argp_error(st, "--idle-timeout: expected 0.01..3600 seconds, got '%s'",
				   arg);
		c->idle_timeout_s = d;
		break;
	case OPT_CONNECT_TIMEOUT:
		if (parse_double(arg, 0.01, 600, &d) < 0)
			argp_error(st, "--connect-timeout: expected 0.01..600 seconds, got '%s'",
				   arg);
		c->connect_timeout_s = d;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void add_header(struct rp_config *c, const char *h, struct argp_state *st)
{
	size_t used = strlen(c->headers);

	if (!strchr(h, ':') || strpbrk(h, "\r\n"))
		argp_error(st, "--header: expected 'Name: value', got '%s'", h);
	if (used + strlen(h) + 3 > sizeof(c->headers))
		argp_error(st, "--header: too many header bytes");
	snprintf(c->headers + used, sizeof(c->headers) - used, "%s\r\n", h);
}

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	static const char *const onoff[] = {"off", "on"};
	static const char *const scheds[] = {"rr", "fifo", "other"};
	static const char *const probes[] = {"auto", "fentry", "kprobe", "tracepoint", "off"};
	struct rp_config *c = st->input;
	char err[128];
	int v;

	switch (key) {
	case OPT_TARGET:
		if (parse_target(arg, err, sizeof(err)) < 0)
			argp_error(st, "--target: %s", err);
		snprintf(c->target, sizeof(c->target), "%s", arg);
		break;
	case OPT_MODE:
		if (parse_mode(c, arg) < 0)
			argp_error(st, "--mode: expected burst, pingpong or pipeline:K, got '%s'",
				   arg);
		break;
	case OPT_AFFINITY:
		if ((v = parse_enum(arg, onoff, 2)) < 0)
			argp_error(st, "--affinity: expected on or off, got '%s'", arg);
		c->affinity = v;
		break;
	case OPT_CPUS:
		c->ncpus = parse_cpu_list(arg, c->cpus, RP_MAX_CPUS, err, sizeof(err));
		if (c->ncpus <= 0)
			argp_error(st, "--cpus: %s", err);
		break;
	case OPT_SCHED:
		if ((v = parse_enum(arg, scheds, 3)) < 0)
			argp_error(st, "--sched: expected rr, fifo or other, got '%s'", arg);
		c->sched = (enum rp_sched)v;
		break;
	case OPT_PROBE:
		if ((v = parse_enum(arg, probes, 5)) < 0)
			argp_error(st,
				   "--probe: expected auto, fentry, kprobe, tracepoint or off, got "
				   "'%s'",
				   arg);
		c->probe = (enum rp_probe)v;
		break;
	case OPT_JSON:
		c->json_path = arg;
		break;
	case OPT_CSV:
		c->csv_path = arg;
		break;
	case OPT_HIST:
		c->hist = true;
		break;
	case OPT_PATH:
		if (arg[0] != '/' || strpbrk(arg, " \r\n"))
			argp_error(st, "--path: expected an absolute path without spaces, got '%s'",
				   arg);
		snprintf(c->path, sizeof(c->path), "%s", arg);
		break;
	case OPT_HEADER:
		add_header(c, arg, st);
		break;
	case OPT_NODELAY:
		c->nodelay = true;
		break;
	case OPT_QUIET:
		c->quiet = true;
		break;
	case OPT_VERBOSE:
		c->verbose = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(st, "unexpected argument '%s'", arg);
		break;
	default:
		return parse_num_opt(key, arg, c, st);
	}
	return 0;
}

static int finish_config(struct rp_config *c)
{
	if (c->priority >= 0 && c->sched == RP_SCHED_OTHER && c->priority != 0) {
		fprintf(stderr, "reqperf: --priority needs --sched rr or fifo\n");
		return -1;
	}
	if (c->json_path && c->csv_path && !strcmp(c->json_path, "-") &&
	    !strcmp(c->csv_path, "-")) {
		fprintf(stderr, "reqperf: --json - and --csv - cannot both write to stdout\n");
		return -1;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	static const struct argp argp = {options, parse_arg, NULL, doc, NULL, NULL, NULL};
	struct rp_config *cfg = calloc(1, sizeof(*cfg));
	int rc;

	if (!cfg) {
		fprintf(stderr, "reqperf: out of memory\n");
		return 1;
	}
	config_defaults(cfg);
	if (argp_parse(&argp, argc, argv, 0, NULL, cfg)) {
		free(cfg);
		return 2;
	}
	if (finish_config(cfg) < 0) {
		free(cfg);
		return 2;
	}
	rc = run_main(cfg);
	free(cfg);
	return rc;
}
