// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One run, in order: tracer (so an explicit backend fails before anything
 * is forked), sink, workers, start barrier, results, kernel counters,
 * report. Every child is reaped and every BPF link released on every path.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "collect.h"
#include "collect_sched.h"
#include "embedded_sink.h"
#include "callpath_run.h"
#include "run_conns.h"
#include "events_run.h"
#include "http.h"
#include "impair_tc.h"
#include "netns.h"
#include "output.h"
#include "procfind.h"
#include "report_path.h"
#include "progress.h"
#include "run.h"
#include "fdlimit.h"
#include "report_bpf.h"
#include "tracer.h"
#include "tracer_sched.h"
#include "wire.h"
#include "workers.h"

static volatile sig_atomic_t run_stop;

static void on_signal(int sig)
{
	(void)sig;
	run_stop = 1;
}

struct run {
	struct rp_config *cfg;
	struct rp_tracer *tracer;
	struct embedded_sink sink;
	struct workers ws;
	struct worker_ctx tmpl;
	char request[2048];
	int *cpus;
	struct rp_report rep;
	struct rp_netns ns;
	struct rp_impair_tc impair;
	struct events_run ev;
	time_t started; /* for the run id */
	struct progress prog;
	int stats_fd; /* --bpf-stats: BPF run-time statistics on while open */
	struct rp_bpf_costs *costs;
	struct rp_wire *wire; /* --wire */
	struct rp_callpath *cp; /* --call-path */
	struct rp_cp_report cpr;
	struct rp_sock_row *conns; /* the report's "connections" */
};

/* Which CPU each worker pins to (-1: none); defaults from our affinity. */
static int plan_cpus(struct run *r)
{
	struct rp_config *c = r->cfg;
	cpu_set_t set;
	int n = c->ncpus;

	if (n == 0) {
		if (sched_getaffinity(0, sizeof(set), &set) < 0)
			return -1;
		for (int cpu = 0; cpu < CPU_SETSIZE && n < RP_MAX_CPUS; cpu++)
			if (CPU_ISSET(cpu, &set))
				c->cpus[n++] = cpu;
	}
	if (c->workers == 0)
		c->workers = n;
	r->cpus = calloc((size_t)c->workers, sizeof(int));
	if (!r->cpus)
		return -1;
	for (int i = 0; i < c->workers; i++)
		r->cpus[i] = c->affinity ? c->cpus[i % n] : -1;
	return 0;
}

/* Each worker holds its connections; the embedded sink holds all of
 * them; both inherit what is open now (the tracer's maps and links).
 * Raised before any fork, so every process inherits the limit. */
static int raise_fd_limit(const struct rp_config *c)
{
	uint64_t open_now = (uint64_t)fdlimit_open_count();
	uint64_t per_worker = open_now + (uint64_t)c->connections + FDLIMIT_RESERVE;
	uint64_t sink = c->target[0] ? 0
				     : open_now + config_total_conns(c) + FDLIMIT_RESERVE +
					       2 * (uint64_t)c->sink_threads;
	uint64_t got;
	char err[256];

	if (fdlimit_raise(per_worker > sink ? per_worker : sink, &got, err, sizeof(err)) < 0) {
		fprintf(stderr, "reqperf: --connections %d x %d workers: %s %s\n", c->connections,
			c->workers, sink > per_worker ? "the embedded sink" : "each worker", err);
		return -1;
	}
	return 0;
}

static int open_tracer(struct run *r)
{
	struct rp_config *c = r->cfg;
	struct rp_tracer_opts o = {.probe = c->probe,
				   .nslots = c->workers,
				   .verbose = c->verbose,
				   .no_sched = !c->sched_view};
	char err[512] = "";

	/* The server end: the embedded sink, or a local target's processes. */
	o.server_slot = !c->target[0] || c->nserver_pids || c->server_comm[0];
	/* Every connection's client end, and its server end when traced. */
	o.max_socks = config_total_conns(c) * (o.server_slot ? 2 : 1);
	o.splice_reads = c->nserver_pids || c->server_comm[0];
	o.server_fresh = !c->target[0];
	o.server_events = c->timeline_path || c->lifecycle_path || c->events_path;
	o.events_ring = events_run_ring(c);

	if (c->probe == RP_PROBE_OFF)
		return 0;
	if (tracer_open(&r->tracer, &o, err, sizeof(err)) == 0) {
		if (!c->quiet)
			fprintf(stderr, "reqperf: kernel view: %s backend\n",
				backend_name(tracer_backend(r->tracer)));
		if (c->bpf_stats && (r->stats_fd = tracer_stats_enable()) < 0) {
			fprintf(stderr,
				"reqperf: --bpf-stats: the kernel refused BPF run-time "
				"statistics: %s\n",
				strerror(errno));
			return -1;
		}
		return 0;
	}
	if (c->probe != RP_PROBE_AUTO) {
		fprintf(stderr, "reqperf: --probe %s: %s\n", probe_name(c->probe), err);
		return -1;
	}
	fprintf(stderr, "reqperf: warning: no kernel view (%s); user-side report only\n", err);
	return 0;
}

/* A bounded connection attempt, so a wrong --target fails in one line. */
static int check_target(struct run *r)
{
	const struct sockaddr *sa = (const struct sockaddr *)&r->tmpl.addr;
	struct pollfd p;
	int fd, err = 0;
	socklen_t len = sizeof(err);

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, sa, r->tmpl.addrlen) < 0 && errno != EINPROGRESS)
		err = errno;
	p = (struct pollfd){.fd = fd, .events = POLLOUT};
	if (!err && poll(&p, 1, (int)(r->cfg->connect_timeout_s * 1000)) != 1)
		err = ETIMEDOUT;
	if (!err)
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	close(fd);
	if (err)
		fprintf(stderr, "reqperf: cannot connect to %s: %s\n", r->cfg->target,
			strerror(err));
	return err ? -1 : 0;
}

/* --netns: two namespaces over veth; else the sink's loopback, read back. */
static int setup_link(struct run *r)
{
	if (r->cfg->netns) {
		if (netns_setup(&r->ns, r->cfg) < 0 ||
		    impair_setup(&r->impair, r->cfg, &r->ns.plan) < 0)
			return -1;
		netns_read_link(&r->ns, &r->rep.link);
	} else if (!r->cfg->target[0]) {
		netns_read_loopback(&r->rep.link);
	} else {
		return 0;
	}
	r->rep.has_link = true;
	return 0;
}

static int prepare_target(struct run *r)
{
	struct rp_config *c = r->cfg;
	char err[160];

	if (!c->target[0] && embedded_sink_start(&r->sink, c) < 0)
		return -1;
	if (addr_parse(c->target, 0, &r->tmpl.addr, &r->tmpl.addrlen, err, sizeof(err)) < 0) {
		fprintf(stderr, "reqperf: --target: %s\n", err);
		return -1;
	}
	if (!r->sink.pid && check_target(r) < 0)
		return -1;
	r->tmpl.request_len =
		http_build_request(r->request, sizeof(r->request), c->target, c->path, c->headers);
	if (r->tmpl.request_len < 0) {
		fprintf(stderr, "reqperf: request too long\n");
		return -1;
	}
	r->tmpl.request = r->request;
	r->tmpl.cfg = c;
	return 0;
}

static int add_server(struct run *r, int slot, pid_t pid)
{
	struct rp_server_report *s = &r->rep.server;
	size_t len = strlen(s->what);

	if (tracer_add_tgid(r->tracer, (uint32_t)pid, (uint32_t)slot) < 0) {
		fprintf(stderr, "reqperf: cannot trace server process %d\n", (int)pid);
		return -1;
	}
	if (len < sizeof(s->what))
		snprintf(s->what + len, sizeof(s->what) - len, " %d", (int)pid);
	s->nprocs++;
	s->traced = true;
	return 0;
}

/* The server's processes get the slot after the workers'. */
static int trace_server(struct run *r)
{
	struct rp_config *c = r->cfg;
	struct rp_server_report *s = &r->rep.server;
	int slot = tracer_server_slot(r->tracer), n;
	pid_t found[RP_MAX_SERVER_PIDS];

	if (slot < 0)
		return 0;
	if (r->sink.pid) {
		snprintf(s->what, sizeof(s->what), "embedded sink, pid");
		return add_server(r, slot, r->sink.pid);
	}
	snprintf(s->what, sizeof(s->what), "%s, pid%s",
		 c->server_comm[0] ? c->server_comm : "server",
		 c->nserver_pids > 1 || c->server_comm[0] ? "s" : "");
	for (int i = 0; i < c->nserver_pids; i++) {
		if (kill(c->server_pids[i], 0) < 0 && errno == ESRCH) {
			fprintf(stderr, "reqperf: --server-pid %d: no such process\n",
				c->server_pids[i]);
			return -1;
		}
		if (add_server(r, slot, c->server_pids[i]) < 0)
			return -1;
	}
	if (!c->server_comm[0])
		return 0;
	n = procfind_comm("/proc", c->server_comm, getpid(), found, RP_MAX_SERVER_PIDS);
	if (n <= 0) {
		fprintf(stderr, "reqperf: --server-comm %s: %s\n", c->server_comm,
			n < 0 ? "cannot read /proc" : "no process has that name");
		return -1;
	}
	if (n > RP_MAX_SERVER_PIDS)
		fprintf(stderr,
			"reqperf: warning: --server-comm %s: %d processes, tracing the first %d\n",
			c->server_comm, n, RP_MAX_SERVER_PIDS);
	for (int i = 0; i < n && i < RP_MAX_SERVER_PIDS; i++)
		if (add_server(r, slot, found[i]) < 0)
			return -1;
	return 0;
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
	return ss->ss_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&b->sin6_addr);
}

/* --wire: tc programs on lo, or on both veth ends inside their namespaces. */
static int open_wire(struct run *r)
{
	struct rp_config *c = r->cfg;
	struct rp_wire_opts o = {
		.pcap_path = c->pcap_path, .snaplen = c->snaplen, .verbose = c->verbose};
	uint64_t limit = c->events_limit ? c->events_limit : RP_EVENTS_LIMIT;
	char err[256];

	if (!c->wire)
		return 0;
	memcpy(&o.server, &r->tmpl.addr, sizeof(o.server));
	if (c->netns) {
		for (int e = 0; e < RP_LINK_ENDS; e++)
			o.ifs[e] = (struct rp_wire_if){r->ns.plan.ns[e], r->ns.plan.ifname[e]};
		o.nifs = RP_LINK_ENDS;
	} else if (is_loopback(&o.server)) {
		o.loopback = true;
		o.ifs[0] = (struct rp_wire_if){NULL, "lo"};
		o.nifs = 1;
	} else {
		fprintf(stderr,
			"reqperf: --wire: %s is not on loopback; the wire view watches lo "
			"or the --netns link\n",
			c->target);
		return -1;
	}
	/* Every connection once, and again for each reconnect it may make. */
	o.max_flows = (uint32_t)c->workers * (uint32_t)c->connections * 8 + 64;
	/* --lifecycle: data packets both ways at up to two places. */
	if (c->lifecycle_path)
		o.packet_events = limit * (uint64_t)c->workers * 4;
	if (wire_open(&r->wire, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "reqperf: --wire: %s\n", err);
		return -1;
	}
	return 0;
}

static void tick(void *arg, uint64_t now_ns)
{
	(void)now_ns;
	progress_tick(arg, progress_now());
}

/* --start-at: sleeps until the wall-clock time (every host waits for the
 * same instant; Ctrl-C ends the wait). 0, or -1 when interrupted. */
static int wait_start(const struct rp_config *c)
{
	struct timespec at = {.tv_sec = (time_t)c->start_at,
			      .tv_nsec = (long)((c->start_at - (double)(time_t)c->start_at) * 1e9)};
	int err;

	if (c->start_at <= 0)
		return 0;
	do {
		err = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, NULL);
	} while (err == EINTR && !run_stop);
	return run_stop ? -1 : 0;
}

static double realtime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int start_workers(struct run *r)
{
	if (progress_open(&r->prog, r->cfg, r->cfg->workers) < 0)
		return -1;
	r->tmpl.live = r->prog.live;
	r->tmpl.sched_wins = sched_view_windows(tracer_sched(r->tracer));
	if (workers_start(&r->ws, &r->tmpl, r->cpus, r->cfg->workers) < 0)
		return -1;
	r->ws.tick = tick;
	r->ws.tick_arg = &r->prog;
	for (int i = 0; r->tracer && i < r->ws.n; i++) {
		if (tracer_add_tgid(r->tracer, (uint32_t)r->ws.pids[i], (uint32_t)i) < 0) {
			fprintf(stderr, "reqperf: cannot register worker %d with the tracer\n", i);
			return -1;
		}
	}
	for (int i = 0; r->wire && i < r->ws.n; i++) {
		if (wire_add_tgid(r->wire, (uint32_t)r->ws.pids[i]) < 0) {
			fprintf(stderr, "reqperf: cannot register worker %d with the wire view\n",
				i);
			return -1;
		}
	}
	if (callpath_run_add(r->cp, r->ws.pids, r->ws.n) < 0)
		return -1;
	if (workers_wait_ready(&r->ws, 10000, &run_stop) < 0) {
		fprintf(stderr, "reqperf: %s\n",
			run_stop ? "interrupted" : "workers did not get ready");
		return -1;
	}
	if (wait_start(r->cfg) < 0) {
		fprintf(stderr, "reqperf: interrupted before --start-at\n");
		return -1;
	}
	workers_go(&r->ws);
	r->rep.start_at = r->cfg->start_at;
	r->rep.started_at = realtime_s();
	progress_start(&r->prog, progress_now());
	return 0;
}

/* Every worker's kernel view and the server's, with one walk of the
 * socket map. */
static void read_kernel(struct rp_tracer *t, struct rp_report *rep, int n)
{
	int all = tracer_nslots(t), server = tracer_server_slot(t);
	struct rp_calls(*k)[RP_NDIR] = calloc((size_t)all, sizeof(*k));
	struct rp_ktcp *tcp = calloc((size_t)all, sizeof(*tcp));
	bool *ok = calloc((size_t)all, sizeof(*ok));

	if (k && tcp && ok && !tracer_read_slots(t, (uint32_t)all, k, tcp, ok)) {
		for (int i = 0; i < n; i++) {
			rep->workers[i].has_kernel = ok[i];
			memcpy(rep->workers[i].kernel, k[i], sizeof(k[i]));
			rep->workers[i].ktcp = tcp[i];
		}
		if (server >= 0 && rep->server.traced) {
			rep->server.has_kernel = ok[server];
			memcpy(rep->server.kernel, k[server], sizeof(k[server]));
			rep->server.ktcp = tcp[server];
		}
	}
	free(k);
	free(tcp);
	free(ok);
}

static void build_report(struct run *r, int complete)
{
	struct rp_report *rep = &r->rep;

	rep->version = REQPERF_VERSION;
	report_run_id(rep->run_id, sizeof(rep->run_id), r->started, (long)getpid());
	rep->config = r->cfg;
	snprintf(rep->target, sizeof(rep->target), "%s", r->cfg->target);
	rep->backend = r->tracer ? tracer_backend(r->tracer) : RP_BACKEND_OFF;
	rep->features = r->tracer ? tracer_features(r->tracer) : 0;
	tracer_btf_nargs(r->tracer, &rep->sendmsg_nargs, &rep->recvmsg_nargs);
	rep->nworkers = r->ws.n;
	rep->workers = calloc((size_t)r->ws.n, sizeof(*rep->workers));
	rep->partial = complete < r->cfg->workers || run_stop;
	for (int i = 0; rep->workers && i < r->ws.n; i++) {
		struct rp_worker_report *w = &rep->workers[i];

		if (r->ws.got[i])
			collect_worker(w, &r->ws.res[i], r->cfg);
		else
			snprintf(w->error, sizeof(w->error), "worker exited without a result");
		w->id = i;
		if (w->error[0])
			rep->partial = true;
	}
	if (r->tracer && rep->workers) {
		read_kernel(r->tracer, rep, r->ws.n);
		rep->nconns = run_conns_collect(r->tracer, r->ws.n, &r->conns);
		rep->conns = r->conns;
	}
	if (r->tracer) {
		rep->cpus = calloc(RP_MAX_CPUS, sizeof(*rep->cpus));
		if (rep->cpus)
			rep->ncpus = tracer_read_cpus(r->tracer, rep->cpus, RP_MAX_CPUS);
		tracer_drops(r->tracer, rep->drops);
	}
	if (r->stats_fd >= 0 && (r->costs = calloc(1, sizeof(*r->costs))) &&
	    !tracer_prog_costs(r->tracer, r->costs))
		rep->bpf = r->costs;
	if (r->wire) {
		char err[256];

		if (wire_finish(r->wire, &rep->wire, err, sizeof(err)) < 0) {
			fprintf(stderr, "reqperf: --wire: %s\n", err);
			rep->partial = true;
		}
	}
	collect_sched(rep, r->tracer, r->ws.res, r->ws.got);
	collect_latency(rep, r->ws.res, r->ws.got, r->ws.n);
	rep->totals.elapsed_s = collect_elapsed(r->ws.res, r->ws.got, r->ws.n);
}

/* The text report carries the settings that did not take; without it
 * (--quiet) they still go to stderr, each distinct one once. */
static void quiet_warnings(const struct rp_report *rep)
{
	for (int i = 0; i < rep->nworkers && rep->config->quiet; i++) {
		const char *w = rep->workers[i].warning;
		int j;

		for (j = 0; j < i && strcmp(rep->workers[j].warning, w); j++)
			;
		if (w[0] && j == i)
			fprintf(stderr, "reqperf: warning: worker %d: %s\n", i, w);
	}
}

static void cleanup(struct run *r)
{
	workers_reap(&r->ws);
	if (r->sink.pid)
		embedded_sink_stop(&r->sink, NULL);
	impair_teardown(&r->impair);
	netns_teardown(&r->ns);
	events_run_free(&r->ev);
	if (r->stats_fd >= 0)
		close(r->stats_fd);
	r->stats_fd = -1;
	free(r->costs);
	tracer_close(r->tracer);
	r->tracer = NULL;
	wire_close(r->wire);
	r->wire = NULL;
	callpath_close(r->cp);
	r->cp = NULL;
	free(r->conns);
	workers_free(&r->ws);
	report_sched_free(&r->rep);
	progress_close(&r->prog);
	free(r->rep.workers);
	free(r->rep.cpus);
	free(r->cpus);
}

static int write_report(const struct rp_report *rep, void *arg)
{
	(void)arg;
	return output_write(rep);
}

int run_main(struct rp_config *cfg)
{
	return run_once(cfg, write_report, NULL);
}

bool run_interrupted(void)
{
	return run_stop;
}

int run_once(struct rp_config *cfg, run_done_fn done, void *arg)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct run r = {.cfg = cfg, .stats_fd = -1, .started = time(NULL)};
	int complete, ev_rc, rc = 1;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (plan_cpus(&r) < 0)
		goto out;
	if (raise_fd_limit(cfg) < 0) {
		rc = 2;
		goto out;
	}
	if (open_tracer(&r) < 0 || setup_link(&r) < 0 || prepare_target(&r) < 0 ||
	    trace_server(&r) < 0 || open_wire(&r) < 0 || callpath_run_open(&r.cp, cfg) < 0 ||
	    events_run_start(&r.ev, cfg, r.tracer, &r.tmpl) < 0 || start_workers(&r) < 0)
		goto out;
	complete = workers_collect(&r.ws, &run_stop);
	progress_finish(&r.prog, &r.rep);
	workers_reap(&r.ws);
	build_report(&r, complete);
	if (r.rep.workers)
		quiet_warnings(&r.rep);
	ev_rc = events_run_finish(&r.ev, &r.rep);
	if (!ev_rc)
		ev_rc = lifecycle_run_finish(&r.ev, r.wire, &r.rep,
					     cfg->echo_size ? cfg->echo_size
							    : (uint32_t)r.tmpl.request_len);
	if (callpath_run_finish(r.cp, &r.ev, r.ws.n, &r.cpr) < 0)
		ev_rc = -1;
	else if (r.cp)
		r.rep.call_path = &r.cpr;
	if (r.sink.pid) {
		r.rep.has_sink = true;
		r.rep.sink_pid = (int)r.sink.pid;
		if (embedded_sink_stop(&r.sink, &r.rep.sink) < 0)
			fprintf(stderr,
				"reqperf: warning: the embedded sink did not exit cleanly\n");
	}
	impair_read(&r.impair, &r.rep.impair); /* after the sink closed its sockets */
	if (cfg->netns)
		netns_read_mib(&r.ns, r.rep.mib);
	report_totals(&r.rep);
	rc = done(&r.rep, arg) < 0 ? 1 : 0;
	if (r.rep.partial || r.rep.totals.errors || r.rep.totals.crc_errors || ev_rc < 0)
		rc = 1;
	else if (report_bytes_verdict(&r.rep, RP_SEND) > 0 ||
		 report_bytes_verdict(&r.rep, RP_RECV) > 0)
		rc = RP_EXIT_DIFFER; /* the run's own invariants do not hold */
	else if (!report_path_ok(&r.rep)) {
		fprintf(stderr, "reqperf: the views along the path DIFFER (see 'path:')\n");
		rc = RP_EXIT_DIFFER;
	} else if (r.rep.lifecycle && !lifecycle_ok(r.rep.lifecycle)) {
		fprintf(stderr,
			"reqperf: the per-response lifecycles DIFFER (see its 'checks:')\n");
		rc = RP_EXIT_DIFFER;
	}
out:
	cleanup(&r);
	return rc;
}
