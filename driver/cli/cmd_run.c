// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `reqperf run`: options, validation, then the run itself (run.c). */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns_plan.h"
#include "outpath.h"
#include "parse.h"
#include "reqperf.h"
#include "cli_num.h"
#include "cmd_run.h"
#include "cmd_events.h"
#include "cmd_latency.h"
#include "cmd_start.h"
#include "cmd_compare.h"
#include "cmd_wire.h"
#include "compare.h"
#include "run.h"
#include "sweep.h"
#include "sweep_run.h"

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
	OPT_CSV_APPEND,
	OPT_PROBE,
	OPT_HIST,
	OPT_PATH,
	OPT_HEADER,
	OPT_BODY,
	OPT_SINK_THREADS,
	OPT_ECHO,
	OPT_NODELAY,
	OPT_REQUEST_WRITES,
	OPT_IDLE,
	OPT_CONNECT_TIMEOUT,
	OPT_RESPONSE_TIMEOUT,
	OPT_MAX_RESPONSE,
	OPT_NETNS,
	OPT_MTU,
	OPT_TSO,
	OPT_GSO,
	OPT_GRO,
	OPT_DETAIL,
	OPT_LOSS,
	OPT_DUP,
	OPT_RATE,
	OPT_DELAY,
	OPT_REORDER,
	OPT_SEED,
	OPT_SWEEP_LOSS,
	OPT_SWEEP_MTU,
	OPT_SWEEP_REPEAT,
	OPT_SWEEP_SVG,
	OPT_SCHED_VIEW,
	OPT_BPF_STATS,
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
	"  reqperf run --compare both --repeat 5  # affinity x SCHED_RR, 20 runs\n"
	"  reqperf run --echo 1536             # the seed's raw TCP experiment\n"
	"  reqperf run --events c.jsonl --svg c.svg   # every call, user | kernel\n"
	"  reqperf run --netns --tso off --gso off   # over veth, MTU 1500\n"
	"  reqperf run --netns --loss s2c:1% --seed 7  # 1 % of responses' packets lost\n"
	"  reqperf run --netns --sweep-loss s2c:0,1,5 --sweep-mtu 1500,9000 --sweep-svg s.svg\n"
	"  reqperf run --wire --pcap run.pcap  # every packet, counted and captured\n"
	"  reqperf run --target 127.0.0.1:8080 --probe off";

static const struct argp_option options[] = {
	{"target", OPT_TARGET, "HOST:PORT", 0, "Server to load (default: embedded sink)", 0},
	{"workers", OPT_WORKERS, "N", 0, "Worker processes (default: one per CPU we may use)", 0},
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
	{"sched-view", OPT_SCHED_VIEW, NULL, 0,
	 "Kernel scheduler view: switches, run queue, softirqs (costs every switch)", 0},
	{"bpf-stats", OPT_BPF_STATS, NULL, 0, "Report the BPF programs' own run time per response",
	 0},
	{"json", OPT_JSON, "FILE", 0, "Write the JSON report (- for stdout)", 0},
	{"csv", OPT_CSV, "FILE", 0, "Write one CSV row per worker (- for stdout)", 0},
	{"csv-append", OPT_CSV_APPEND, "FILE", 0,
	 "Add the CSV rows to FILE (header once; same columns)", 0},
	{"hist", OPT_HIST, NULL, 0, "Show log2 histograms of user vs kernel time", 0},
	{"detail", OPT_DETAIL, NULL, 0, "Full text report: each worker's block, per-CPU tables", 0},
	{"path", OPT_PATH, "PATH", 0, "Request path (default /)", 0},
	{"header", OPT_HEADER, "'NAME: VALUE'", 0, "Extra request header (repeatable)", 0},
	{"body-size", OPT_BODY, "BYTES", 0, "Embedded sink's body size (default 3072)", 0},
	{"sink-threads", OPT_SINK_THREADS, "N", 0, "Embedded sink's threads (default 1)", 0},
	{"echo", OPT_ECHO, "SIZE", 0, "Raw TCP echo of SIZE-byte messages, not HTTP", 0},
	{"nodelay", OPT_NODELAY, NULL, 0, "Set TCP_NODELAY (default: Nagle on, as the seed)", 0},
	{"request-writes", OPT_REQUEST_WRITES, "N", 0,
	 "Write each request in N send() calls (default 1; 2: write-write-read)", 0},
	{"idle-timeout", OPT_IDLE, "SECONDS", 0, "Fail a run stalled this long (default 2)", 0},
	{"connect-timeout", OPT_CONNECT_TIMEOUT, "SECONDS", 0, "Connect bound (default 2)", 0},
	{"response-timeout", OPT_RESPONSE_TIMEOUT, "SECONDS", 0,
	 "Each response must complete within this (default 2)", 0},
	{"max-response", OPT_MAX_RESPONSE, "BYTES", 0,
	 "Largest response accepted, head and body (default 256 MiB)", 0},
	{"netns", OPT_NETNS, NULL, 0, "Workers and sink in two namespaces joined by veth", 0},
	{"mtu", OPT_MTU, "BYTES", 0, "--netns: MTU of the veth pair (default 1500)", 0},
	{"tso", OPT_TSO, "on|off", 0, "--netns: TCP segmentation offload on both ends", 0},
	{"gso", OPT_GSO, "on|off", 0, "--netns: generic segmentation offload", 0},
	{"gro", OPT_GRO, "on|off", 0, "--netns: generic receive offload", 0},
	{"loss", OPT_LOSS, "[DIR:]P%|every:N|at:N,..", 0,
	 "--netns: drop data packets (tc bpf); DIR c2s or s2c, default both", 0},
	{"dup", OPT_DUP, "[DIR:]P%|every:N|at:N,..", 0, "--netns: duplicate data packets (tc bpf)",
	 0},
	{"link-rate", OPT_RATE, "[DIR:]RATE", 0, "--netns: rate limit, e.g. 100mbit (tbf)", 0},
	{"delay", OPT_DELAY, "[DIR:]MS[:JITTER]", 0, "--netns: delay (netem only)", 0},
	{"reorder", OPT_REORDER, "[DIR:]P%", 0, "--netns: reorder, needs --delay (netem only)", 0},
	{"seed", OPT_SEED, "N", 0, "--netns: seed of random --loss/--dup (default 1)", 0},
	{"sweep-loss", OPT_SWEEP_LOSS, "[DIR:]P,P,..", 0,
	 "--netns: run once per loss % (x --sweep-mtu), one table", 0},
	{"sweep-mtu", OPT_SWEEP_MTU, "M,M,..", 0, "--sweep-loss: MTUs to sweep too", 0},
	{"sweep-repeat", OPT_SWEEP_REPEAT, "R", 0, "--sweep-loss: rounds per setting (default 3)",
	 0},
	{"sweep-svg", OPT_SWEEP_SVG, "FILE", 0, "--sweep-loss: plot the table's figures", 0},
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

/* Numeric options: one row each, validated the same way. */
static const struct cli_num num_opts[] = {
	{OPT_WORKERS, "--workers", 1, RP_MAX_WORKERS, CLI_INT, offsetof(struct rp_config, workers),
	 NULL},
	{OPT_REQUESTS, "--requests", 1, 1e9, CLI_U64, offsetof(struct rp_config, requests), NULL},
	{OPT_CONNS, "--connections", 1, 1000000, CLI_INT, offsetof(struct rp_config, connections),
	 NULL},
	{OPT_RECV_SIZE, "--recv-size", 1, 64 << 20, CLI_U32, offsetof(struct rp_config, recv_size),
	 NULL},
	{OPT_PRIORITY, "--priority", 0, 99, CLI_INT, offsetof(struct rp_config, priority), NULL},
	{OPT_BODY, "--body-size", 0, 64 << 20, CLI_U32, offsetof(struct rp_config, body_size),
	 NULL},
	{OPT_SINK_THREADS, "--sink-threads", 1, 256, CLI_INT,
	 offsetof(struct rp_config, sink_threads), NULL},
	{OPT_ECHO, "--echo", 1, 1 << 20, CLI_U32, offsetof(struct rp_config, echo_size), NULL},
	{OPT_DURATION, "--duration", 0.001, 86400, CLI_DBL, offsetof(struct rp_config, duration_s),
	 NULL},
	{OPT_TRIM, "--trim-sigma", 0.1, 100, CLI_DBL, offsetof(struct rp_config, trim_sigma), NULL},
	{OPT_IDLE, "--idle-timeout", 0.01, 3600, CLI_DBL,
	 offsetof(struct rp_config, idle_timeout_s), NULL},
	{OPT_CONNECT_TIMEOUT, "--connect-timeout", 0.01, 600, CLI_DBL,
	 offsetof(struct rp_config, connect_timeout_s), NULL},
	{OPT_RESPONSE_TIMEOUT, "--response-timeout", 0.01, 3600, CLI_DBL,
	 offsetof(struct rp_config, response_timeout_s), NULL},
	{OPT_MAX_RESPONSE, "--max-response", 64, 1ULL << 40, CLI_U64,
	 offsetof(struct rp_config, max_response), NULL},
	{OPT_MTU, "--mtu", RP_NETNS_MIN_MTU, RP_NETNS_MAX_MTU, CLI_U32,
	 offsetof(struct rp_config, mtu), NULL},
	{OPT_REQUEST_WRITES, "--request-writes", 1, 16, CLI_U32,
	 offsetof(struct rp_config, request_writes), NULL},
};

static void add_header(struct rp_config *c, const char *h, struct argp_state *st)
{
	size_t used = strlen(c->headers);

	if (!strchr(h, ':') || strpbrk(h, "\r\n"))
		argp_error(st, "--header: expected 'Name: value', got '%s'", h);
	if (used + strlen(h) + 3 > sizeof(c->headers))
		argp_error(st, "--header: too many header bytes");
	snprintf(c->headers + used, sizeof(c->headers) - used, "%s\r\n", h);
}

/* --tso, --gso, --gro: on or off */
static void set_offload(struct rp_config *c, int key, const char *arg, struct argp_state *st)
{
	static const char *const onoff[] = {"off", "on"};
	const char *name = key == OPT_TSO ? "--tso" : key == OPT_GSO ? "--gso" : "--gro";
	enum rp_toggle *t = key == OPT_TSO ? &c->tso : key == OPT_GSO ? &c->gso : &c->gro;
	int v = parse_enum(arg, onoff, 2);

	if (v < 0)
		argp_error(st, "%s: expected on or off, got '%s'", name, arg);
	*t = v ? RP_TOGGLE_ON : RP_TOGGLE_OFF;
}

/* --loss, --dup, --link-rate, --delay, --reorder, --seed (impair.h) */
static void parse_impair(struct rp_config *c, int key, const char *arg, struct argp_state *st)
{
	struct rp_impair *im = &c->impair;
	char err[256];
	long v;
	int rc;

	switch (key) {
	case OPT_LOSS:
		rc = impair_parse_loss(im, arg, err, sizeof(err));
		break;
	case OPT_DUP:
		rc = impair_parse_dup(im, arg, err, sizeof(err));
		break;
	case OPT_RATE:
		rc = impair_parse_rate(im, arg, err, sizeof(err));
		break;
	case OPT_DELAY:
		rc = impair_parse_delay(im, arg, err, sizeof(err));
		break;
	case OPT_REORDER:
		rc = impair_parse_reorder(im, arg, err, sizeof(err));
		break;
	default:
		rc = parse_long(arg, 0, LONG_MAX, &v);
		snprintf(err, sizeof(err), "--seed: expected an integer >= 0, got '%s'", arg);
		im->seed = (uint64_t)v;
		im->seed_set = true;
		break;
	}
	if (rc < 0)
		argp_error(st, "%s", err);
	im->asked = true;
}

/* --sweep-*: lists checked now, kept as text for sweep_main() */
static void parse_sweep(struct rp_config *c, int key, char *arg, struct argp_state *st)
{
	struct rp_sweep s = {0};
	char err[200];
	long v;

	if (key == OPT_SWEEP_LOSS && sweep_parse_loss(&s, arg, err, sizeof(err)) < 0)
		argp_error(st, "%s", err);
	if (key == OPT_SWEEP_MTU && sweep_parse_mtu(&s, arg, err, sizeof(err)) < 0)
		argp_error(st, "%s", err);
	if (key == OPT_SWEEP_REPEAT) {
		if (parse_long(arg, 1, RP_SWEEP_MAX_REPEAT, &v) < 0)
			argp_error(st, "--sweep-repeat: expected 1..%d, got '%s'",
				   RP_SWEEP_MAX_REPEAT, arg);
		c->sweep_repeat = (int)v;
	}
	if (key == OPT_SWEEP_LOSS)
		c->sweep_loss = arg;
	if (key == OPT_SWEEP_MTU)
		c->sweep_mtu = arg;
	if (key == OPT_SWEEP_SVG)
		c->sweep_svg = arg;
}

/* Checks across options, once all are parsed; NULL when consistent. */
static const char *check_config(struct rp_config *c)
{
	static char outerr[PATH_MAX + 160];

	if (!c->netns && (c->mtu || c->tso || c->gso || c->gro))
		return "--mtu, --tso, --gso and --gro need --netns";
	if (!c->netns && impair_any(&c->impair))
		return "--loss, --dup, --link-rate, --delay, --reorder and --seed need --netns";
	if (impair_check(&c->impair))
		return impair_check(&c->impair);
	if ((c->sweep_mtu || c->sweep_repeat || c->sweep_svg) && !c->sweep_loss)
		return "--sweep-mtu, --sweep-repeat and --sweep-svg need --sweep-loss";
	if (c->sweep_loss && !c->netns)
		return "--sweep-loss needs --netns";
	if (c->sweep_loss &&
	    (c->compare || c->json_path || c->csv_path || c->events_path || c->svg_path))
		return "--sweep-loss prints its own table (and --sweep-svg): drop --compare, "
		       "--json, --csv, --events and --svg";
	if (c->sweep_loss && (impair_needs_bpf(&c->impair)))
		return "--sweep-loss sets the loss itself: drop --loss and --dup";
	if (c->netns && c->target[0])
		return "--netns runs its own sink: drop --target";
	if (c->netns && !c->mtu)
		c->mtu = RP_NETNS_MTU;
	if (c->priority >= 0 && c->sched == RP_SCHED_OTHER && c->priority != 0)
		return "--priority needs --sched rr or fifo";
	if (c->priority == 0 && c->sched != RP_SCHED_OTHER)
		return "--priority: rr and fifo take 1..99";
	if (c->sched_view && c->probe == RP_PROBE_OFF)
		return "--sched-view is a kernel view: it needs a --probe other than off";
	if (c->bpf_stats && c->probe == RP_PROBE_OFF)
		return "--bpf-stats measures the BPF programs: it needs a --probe other than off";
	if (outpath_check(c, outerr, sizeof(outerr)) < 0)
		return outerr;
	return NULL;
}

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	static const char *const onoff[] = {"off", "on"};
	static const char *const scheds[] = {"rr", "fifo", "other"};
	static const char *const probes[] = {"auto", "fentry", "kprobe", "tracepoint", "off"};
	struct rp_config *c = st->input;
	const char *msg;
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
		c->csv_append = false;
		break;
	case OPT_CSV_APPEND:
		if (!strcmp(arg, "-"))
			argp_error(st, "--csv-append: needs a file, not -");
		c->csv_path = arg;
		c->csv_append = true;
		break;
	case OPT_HIST:
		c->hist = true;
		break;
	case OPT_DETAIL:
		c->detail = true;
		break;
	case OPT_SCHED_VIEW:
		c->sched_view = true;
		break;
	case OPT_BPF_STATS:
		c->bpf_stats = true;
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
	case OPT_NETNS:
		c->netns = true;
		break;
	case OPT_TSO:
	case OPT_GSO:
	case OPT_GRO:
		set_offload(c, key, arg, st);
		break;
	case OPT_LOSS:
	case OPT_DUP:
	case OPT_RATE:
	case OPT_DELAY:
	case OPT_REORDER:
	case OPT_SEED:
		parse_impair(c, key, arg, st);
		break;
	case OPT_SWEEP_LOSS:
	case OPT_SWEEP_MTU:
	case OPT_SWEEP_REPEAT:
	case OPT_SWEEP_SVG:
		parse_sweep(c, key, arg, st);
		break;
	case OPT_QUIET:
		c->quiet = true;
		break;
	case OPT_VERBOSE:
		c->verbose = true;
		break;
	case ARGP_KEY_INIT:
		st->child_inputs[0] = c; /* cmd_events_argp fills the same config */
		st->child_inputs[1] = c; /* and cmd_compare_argp */
		st->child_inputs[2] = c; /* and cmd_wire_argp */
		st->child_inputs[3] = c; /* and cmd_latency_argp */
		st->child_inputs[4] = c; /* and cmd_start_argp */
		break;
	case ARGP_KEY_ARG:
		argp_error(st, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if ((msg = check_config(c)))
			argp_error(st, "%s", msg);
		break;
	default:
		return CLI_NUM_PARSE(num_opts, key, arg, st);
	}
	return 0;
}

static const struct argp_child children[] = {
	{&cmd_events_argp, 0, "Per-call events:", 0},
	{&cmd_compare_argp, 0, "Comparing settings:", 0},
	{&cmd_wire_argp, 0, "The path: server end and wire:", 0},
	{&cmd_latency_argp, 0, "Request latency, open loop, progress:", 0},
	{&cmd_start_argp, 0, "Several client hosts:", 0},
	{},
};

const struct argp cmd_run_argp = {options, parse_arg, NULL, doc, children, NULL, NULL};

int cmd_run(int argc, char **argv)
{
	struct rp_config *cfg = calloc(1, sizeof(*cfg));
	int rc;

	if (!cfg) {
		fprintf(stderr, "reqperf: out of memory\n");
		return 1;
	}
	config_defaults(cfg);
	if (argp_parse(&cmd_run_argp, argc, argv, 0, NULL, cfg)) {
		free(cfg);
		return 2;
	}
	rc = cfg->sweep_loss ? sweep_main(cfg) : cfg->compare ? compare_main(cfg) : run_main(cfg);
	free(cfg);
	return rc;
}
