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
#include "tracer.h"

#define COMM_MAX 15 /* TASK_COMM_LEN - 1 */

struct trace_opts {
	long pid;
	const char *comm;
	double duration; /* 0: until Ctrl-C (or the process exits) */
	enum rp_probe probe;
	bool verbose;
};

static const char doc[] = "Kernel view of one process's TCP send()/recv() calls.\n"
			  "\n"
			  "Counts the calls of --pid PID, or of every task named --comm NAME,\n"
			  "until --duration passes, the process exits or Ctrl-C, then prints per\n"
			  "CPU and in total: calls, bytes, EAGAIN, in-kernel time, skbs per call\n"
			  "and TCP segments. Needs root (or CAP_BPF and CAP_PERFMON).\n"
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

static bool process_gone(long pid)
{
	return pid && kill((pid_t)pid, 0) && errno == ESRCH;
}

/* Sleeps in steps of at most 100 ms until the duration, a signal or the
 * traced process's exit; returns the seconds traced. */
static double collect(const struct trace_opts *o)
{
	double start = now_s(), left;
	struct timespec step;

	while (!stop) {
		left = o->duration > 0 ? o->duration - (now_s() - start) : 0.1;
		if (left <= 0)
			break;
		if (process_gone(o->pid)) {
			fprintf(stderr, "reqperf trace: process %ld exited\n", o->pid);
			break;
		}
		left = left < 0.1 ? left : 0.1;
		step.tv_sec = 0;
		step.tv_nsec = (long)(left * 1e9);
		nanosleep(&step, NULL);
	}
	return now_s() - start;
}

static double per(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0;
}

static void print_cpus(struct rp_tracer *t)
{
	struct rp_cpu_report *c = calloc(RP_MAX_CPUS, sizeof(*c));
	int i, n;

	if (!c)
		return;
	n = tracer_read_cpus(t, c, RP_MAX_CPUS);
	printf("%-6s %10s %11s %8s %10s %11s %8s\n", "CPU", "send calls", "bytes", "mean ns",
	       "recv calls", "bytes", "mean ns");
	for (i = 0; i < n; i++) {
		if (!c[i].calls[RP_SEND] && !c[i].calls[RP_RECV])
			continue;
		printf("%-6d %10lu %11lu %8.0f %10lu %11lu %8.0f\n", c[i].cpu, c[i].calls[RP_SEND],
		       c[i].bytes[RP_SEND], per(c[i].ns_sum[RP_SEND], c[i].calls[RP_SEND]),
		       c[i].calls[RP_RECV], c[i].bytes[RP_RECV],
		       per(c[i].ns_sum[RP_RECV], c[i].calls[RP_RECV]));
	}
	free(c);
}

static void print_totals(const struct rp_calls k[RP_NDIR])
{
	static const char *const names[RP_NDIR] = {"send", "recv"};
	int d;

	printf("\n%-5s %9s %11s %6s %8s %8s %8s %8s %8s\n", "total", "calls", "bytes", "EAGAIN",
	       "mean ns", "min", "max", "p50", "p99");
	for (d = 0; d < RP_NDIR; d++)
		printf("%-5s %9lu %11lu %6lu %8.0f %8lu %8lu %8lu %8lu\n", names[d], k[d].calls,
		       k[d].bytes, k[d].eagain, k[d].ns.mean, k[d].ns.min, k[d].ns.max, k[d].ns.p50,
		       k[d].ns.p99);
}

static void print_skbs(const struct rp_calls k[RP_NDIR], unsigned f)
{
	printf("\nskbs per call: send ");
	if (f & RP_FEAT_SENDMSG_LOCKED)
		printf("%.2f (size_goal %.0f)", per(k[RP_SEND].skbs, k[RP_SEND].calls),
		       per(k[RP_SEND].size_goal_sum, k[RP_SEND].calls));
	else
		printf("n/a (no tcp_sendmsg_locked tracepoint)");
	printf(", recv ");
	if (f & RP_FEAT_SKB_COPY)
		printf("%.2f\n", per(k[RP_RECV].skbs, k[RP_RECV].calls));
	else
		printf("n/a\n");
}

static void print_details(const struct rp_calls k[RP_NDIR], const struct rp_ktcp *s, unsigned f)
{
	const struct rp_calls *r = &k[RP_RECV];

	print_skbs(k, f);
	printf("short calls: send %" PRIu64 ", recv %" PRIu64 "; errors: send %" PRIu64
	       ", recv %" PRIu64 "\n",
	       k[RP_SEND].short_calls, r->short_calls, k[RP_SEND].errors, r->errors);
	printf("recv: %" PRIu64 " filled the buffer with bytes left, %" PRIu64
	       " short on an empty\n"
	       "      queue, %" PRIu64 " short with bytes left; %.0f bytes queued after a call\n",
	       r->full_queued, r->short_empty, r->short_queued, per(r->queued_sum, r->calls));
	printf("data segments: out %" PRIu64 ", in %" PRIu64 " (all segments: out %" PRIu64
	       ", in %" PRIu64 ")\n",
	       s->data_segs_out, s->data_segs_in, s->segs_out, s->segs_in);
	printf("sockets: %" PRIu64 " (%" PRIu64 " first seen mid-stream), retransmits ", s->sockets,
	       s->inexact);
	if (f & RP_FEAT_RETRANSMIT)
		printf("%" PRIu64 "\n", s->retransmits);
	else
		printf("n/a\n");
	printf("last socket: cwnd %u, srtt %u us, mss %u\n", s->snd_cwnd, s->srtt_us, s->mss);
}

/* Every drop counter that is not 0, by its report name. */
static void print_drops(struct rp_tracer *t)
{
	uint64_t d[RP_NDROPS];
	const char *sep = "not recorded: ";

	tracer_drops(t, d);
	for (int i = 0; i < RP_NDROPS; i++)
		if (d[i]) {
			printf("%s%s %" PRIu64, sep, drop_name(i), d[i]);
			sep = ", ";
		}
	if (sep[0] == ',')
		printf("\n");
}

static int report(struct rp_tracer *t, const struct trace_opts *o, double secs)
{
	enum rp_backend b = tracer_backend(t);
	struct rp_calls k[RP_NDIR];
	struct rp_ktcp s;

	if (tracer_read_slot(t, 0, k, &s)) {
		fprintf(stderr, "reqperf trace: cannot read the kernel counters\n");
		return 1;
	}
	if (o->pid)
		printf("pid %ld", o->pid);
	else
		printf("comm %s", o->comm);
	printf(", %.1f s, %s backend\n", secs, backend_name(b));
	printf("kernel time: %s\n\n", backend_time_definition(b));
	print_cpus(t);
	print_totals(k);
	print_details(k, &s, tracer_features(t));
	print_drops(t);
	return 0;
}

static int trace(const struct trace_opts *o)
{
	struct rp_tracer_opts to = {.probe = o->probe,
				    .nslots = 1,
				    .verbose = o->verbose,
				    .comm = o->comm,
				    .no_sched = true};
	struct sigaction sa = {.sa_handler = on_signal};
	struct rp_tracer *t = NULL;
	char err[512];
	int rc;

	if (process_gone(o->pid)) {
		fprintf(stderr, "reqperf trace: no process %ld\n", o->pid);
		return 1;
	}
	if (tracer_open(&t, &to, err, sizeof(err))) {
		fprintf(stderr, "reqperf trace: %s\n", err);
		return 1;
	}
	if (o->pid && tracer_add_tgid(t, (uint32_t)o->pid, 0)) {
		fprintf(stderr, "reqperf trace: cannot register pid %ld\n", o->pid);
		tracer_close(t);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "reqperf trace: %s backend attached; %s\n", backend_name(tracer_backend(t)),
		o->duration > 0 ? "tracing" : "Ctrl-C to stop");
	rc = report(t, o, collect(o));
	tracer_close(t);
	return rc;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o = {.probe = RP_PROBE_AUTO};
	struct argp argp = {options, parse_arg, NULL, doc, NULL, NULL, NULL};

	if (argp_parse(&argp, argc, argv, 0, NULL, &o))
		return 2;
	return trace(&o);
}
