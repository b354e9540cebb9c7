// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `reqperf trace`: attach, count one process's TCP calls, print them. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "cmd_trace.h"
#include "parse.h"
#include "report.h"
#include "sock_rows.h"
#include "trace_out.h"
#include "trace_target.h"
#include "tracer.h"

#define COMM_MAX 15 /* TASK_COMM_LEN - 1 */

struct trace_opts {
	long pid;
	const char *comm;
	double duration; /* 0: until Ctrl-C (or the process exits) */
	enum rp_probe probe;
	bool verbose;
	const char *json; /* --json FILE, "-": stdout */
	long sockets; /* socket rows in the text report */
};

static const char doc[] = "Kernel view of one process's TCP send()/recv() calls.\n"
			  "\n"
			  "Counts the calls of --pid PID, or of every task named --comm NAME,\n"
			  "until --duration passes, the process exits or Ctrl-C, then prints per\n"
			  "CPU, in total, per process and per socket: calls, bytes, calls whose\n"
			  "start was not seen (t.unkn), EAGAIN, in-kernel time, skbs per call,\n"
			  "recv classes, TCP segments, retransmits, cwnd and srtt. Every path\n"
			  "into a TCP socket counts: send/write/writev/sendmsg/sendmmsg/sendfile/\n"
			  "splice, recv/read/readv/recvmsg/recvmmsg, io_uring. Exit 1 when the\n"
			  "target does not exist, is a kernel thread, or (--comm) never ran.\n"
			  "Needs root (or CAP_BPF and CAP_PERFMON).\n"
			  "\n"
			  "EXAMPLES:\n"
			  "  reqperf trace --pid 1234 --duration 5\n"
			  "  reqperf trace --comm nginx --probe tracepoint";

static const struct argp_option options[] = {
	{"pid", 'p', "PID", 0, "trace this process (its tgid)", 0},
	{"comm", 'c', "NAME", 0, "trace every task with this name (up to 15 chars)", 0},
	{"duration", 'd', "S", 0, "stop after S seconds (default: Ctrl-C)", 0},
	{"probe", 'P', "P", 0, "auto | fentry | kprobe | tracepoint", 0},
	{"verbose", 'v', NULL, 0, "libbpf's log and why each backend was rejected", 0},
	{"json", 'j', "FILE", 0, "write the report as JSON ('-': stdout, text to stderr)", 0},
	{"sockets", 's', "N", 0, "socket rows in the text report (default 20)", 0},
	{0},
};

static int parse_probe(const char *s, enum rp_probe *p)
{
	static const char *const names[] = {"auto", "fentry", "kprobe", "tracepoint"};
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*p = (enum rp_probe)i;
			return 0;
		}
	return -1;
}

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	struct trace_opts *o = st->input;

	switch (key) {
	case 'p':
		if (parse_long(arg, 1, INT_MAX, &o->pid))
			argp_error(st, "--pid: expected a process id, got '%s'", arg);
		break;
	case 'c':
		if (!arg[0] || strlen(arg) > COMM_MAX)
			argp_error(st, "--comm: expected 1..%d characters, got '%s'", COMM_MAX,
				   arg);
		o->comm = arg;
		break;
	case 'd':
		if (parse_double(arg, 0.001, 86400, &o->duration))
			argp_error(st, "--duration: expected 0.001..86400 seconds, got '%s'", arg);
		break;
	case 'P':
		if (parse_probe(arg, &o->probe))
			argp_error(st,
				   "--probe: expected auto, fentry, kprobe or tracepoint, got '%s'",
				   arg);
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'j':
		if (!arg[0])
			argp_error(st, "--json: expected a file name or '-'");
		o->json = arg;
		break;
	case 's':
		if (parse_long(arg, 0, 1000000, &o->sockets))
			argp_error(st, "--sockets: expected 0..1000000, got '%s'", arg);
		break;
	case ARGP_KEY_ARG:
		argp_error(st, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!o->pid == !o->comm)
			argp_error(st, "expected exactly one of --pid PID and --comm NAME");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleeps in steps of at most 100 ms until the duration, a signal or the
 * traced process's exit; notes whether a task named --comm was seen.
 * Returns the seconds traced. */
static double collect(const struct trace_opts *o, bool *comm_seen)
{
	double start = now_s(), left;
	struct timespec step;
	char comm[32];

	while (!stop) {
		if (o->comm && !*comm_seen)
			*comm_seen = trace_comm_exists(o->comm);
		left = o->duration > 0 ? o->duration - (now_s() - start) : 0.1;
		if (left <= 0)
			break;
		if (o->pid && trace_pid_state(o->pid, comm, sizeof(comm)) == TRACE_PID_GONE) {
			fprintf(stderr, "reqperf trace: process %ld exited after %.1f s\n", o->pid,
				now_s() - start);
			break;
		}
		left = left < 0.1 ? left : 0.1;
		step.tv_sec = 0;
		step.tv_nsec = (long)(left * 1e9);
		nanosleep(&step, NULL);
	}
	return now_s() - start;
}

/* The closed sockets first: a socket closing between the two reads is
 * then in neither list rather than in both (its calls are in the totals). */
static int read_rows(struct rp_tracer *t, struct trace_result *r)
{
	struct rp_ksock *live = NULL, *done = NULL;
	int nd = tracer_read_socks(t, 0, true, &done);
	int nl = tracer_read_socks(t, 0, false, &live);
	int rc = -1;

	if (nl < 0 || nd < 0)
		goto out;
	r->rows = calloc((size_t)(nl + nd) + 1, sizeof(*r->rows));
	if (!r->rows)
		goto out;
	for (int i = 0; i < nl; i++)
		sock_row_from(&r->rows[i], &live[i]);
	for (int i = 0; i < nd; i++) {
		sock_row_from(&r->rows[nl + i], &done[i]);
		r->rows[nl + i].closed = 1;
	}
	r->nrows = nl + nd;
	sock_rows_sort(r->rows, (size_t)r->nrows);
	rc = 0;
out:
	free(live);
	free(done);
	return rc;
}

static int read_result(struct rp_tracer *t, struct trace_result *r)
{
	r->backend = tracer_backend(t);
	r->features = tracer_features(t);
	if (tracer_read_slot(t, 0, r->k, &r->tcp) || tracer_read_closed(t, 0, &r->closed) ||
	    read_rows(t, r))
		return -1;
	r->cpus = calloc(RP_MAX_CPUS, sizeof(*r->cpus));
	if (!r->cpus)
		return -1;
	r->ncpus = tracer_read_cpus(t, r->cpus, RP_MAX_CPUS);
	tracer_drops(t, r->drops);
	return 0;
}

static int write_report(const struct trace_opts *o, const struct trace_result *r)
{
	FILE *js = NULL;
	int rc = 0;

	if (o->json) {
		js = strcmp(o->json, "-") ? fopen(o->json, "w") : stdout;
		if (!js) {
			fprintf(stderr, "reqperf trace: --json: cannot write '%s': %s\n", o->json,
				strerror(errno));
			return 1;
		}
		if (trace_print_json(js, r) || (js != stdout && fclose(js))) {
			fprintf(stderr, "reqperf trace: --json: write failed\n");
			rc = 1;
		}
	}
	trace_print_text(js == stdout ? stderr : stdout, r);
	return rc;
}

/* One line and exit 1 for a target that cannot be traced. */
static int check_target(const struct trace_opts *o, char *comm, size_t len)
{
	char ns[64];

	if (!o->pid) {
		snprintf(comm, len, "%s", o->comm);
		return 0;
	}
	switch (trace_pid_state(o->pid, comm, len)) {
	case TRACE_PID_GONE:
		fprintf(stderr, "reqperf trace: no process %ld\n", o->pid);
		return -1;
	case TRACE_PID_KTHREAD:
		fprintf(stderr,
			"reqperf trace: process %ld (%s) is a kernel thread: it makes no "
			"socket calls of its own\n",
			o->pid, comm);
		return -1;
	default:
		break;
	}
	if (trace_pid_other_netns(o->pid, ns, sizeof(ns)))
		fprintf(stderr,
			"reqperf trace: note: process %ld is in another network namespace "
			"(%s); addresses are that namespace's\n",
			o->pid, ns);
	return 0;
}

static int trace(const struct trace_opts *o)
{
	struct rp_tracer_opts to = {.probe = o->probe,
				    .nslots = 1,
				    .verbose = o->verbose,
				    .comm = o->comm,
				    .no_sched = true,
				    .splice_reads = true};
	struct sigaction sa = {.sa_handler = on_signal};
	struct trace_result r = {.pid = o->pid, .max_rows = (int)o->sockets};
	struct rp_tracer *t = NULL;
	bool comm_seen = false;
	char err[512], comm[32];
	int rc = 1;

	if (check_target(o, comm, sizeof(comm)))
		return 1;
	r.comm = comm;
	if (tracer_open(&t, &to, err, sizeof(err))) {
		fprintf(stderr, "reqperf trace: %s\n", err);
		return 1;
	}
	if (o->pid && tracer_add_tgid(t, (uint32_t)o->pid, 0)) {
		fprintf(stderr, "reqperf trace: cannot register pid %ld (it exited?)\n", o->pid);
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "reqperf trace: %s backend attached; %s\n", backend_name(tracer_backend(t)),
		o->duration > 0 ? "tracing" : "Ctrl-C to stop");
	r.secs = collect(o, &comm_seen);
	if (read_result(t, &r)) {
		fprintf(stderr, "reqperf trace: cannot read the kernel counters\n");
		goto out;
	}
	/* A task may have lived between two looks at /proc: its calls count. */
	if (o->comm && !comm_seen && !r.k[RP_SEND].calls && !r.k[RP_RECV].calls) {
		fprintf(stderr, "reqperf trace: no task named '%s' ran during the %.1f s traced\n",
			o->comm, r.secs);
		goto out;
	}
	rc = write_report(o, &r);
out:
	tracer_close(t);
	free(r.rows);
	free(r.cpus);
	return rc;
}

const struct argp cmd_trace_argp = {options, parse_arg, NULL, doc, NULL, NULL, NULL};

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o = {.probe = RP_PROBE_AUTO, .sockets = 20};

	if (argp_parse(&cmd_trace_argp, argc, argv, 0, NULL, &o))
		return 2;
	return trace(&o);
}
