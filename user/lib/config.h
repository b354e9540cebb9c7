/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The run configuration: filled by the CLI, read by everything else. */
#ifndef REQPERF_CONFIG_H
#define REQPERF_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "impair.h"

enum rp_mode {
	RP_MODE_BURST = 0, /* send every request, then receive (the seed) */
	RP_MODE_PINGPONG = 1, /* one request outstanding per connection */
	RP_MODE_PIPELINE = 2, /* K requests outstanding per connection */
};

enum rp_probe {
	RP_PROBE_AUTO = 0,
	RP_PROBE_FENTRY = 1,
	RP_PROBE_KPROBE = 2,
	RP_PROBE_TRACEPOINT = 3,
	RP_PROBE_OFF = 4,
};

enum rp_sched {
	RP_SCHED_RR = 0,
	RP_SCHED_FIFO = 1,
	RP_SCHED_OTHER = 2,
};

/* An interface setting: left as the kernel made it, or forced. */
enum rp_toggle {
	RP_TOGGLE_KEEP = 0,
	RP_TOGGLE_OFF = 1,
	RP_TOGGLE_ON = 2,
};

#define RP_MAX_CPUS 1024
#define RP_MAX_SERVER_PIDS 64

struct rp_config {
	char target[256]; /* "HOST:PORT"; empty: embedded sink */
	int workers; /* default: online CPUs */
	uint64_t requests; /* per worker; 0 with duration_s */
	double duration_s; /* 0: run by request count */
	enum rp_mode mode;
	int pipeline; /* K for RP_MODE_PIPELINE */
	int connections; /* per worker */
	uint32_t recv_size;
	uint32_t echo_size; /* > 0: raw TCP echo of messages this size
				  instead of HTTP (the seed's netstat.py) */
	bool nodelay; /* TCP_NODELAY on the workers' sockets */
	uint32_t request_writes; /* each request in this many send() calls (1) */
	bool affinity;
	int ncpus; /* entries in cpus[]; 0: all online CPUs */
	int cpus[RP_MAX_CPUS];
	enum rp_sched sched;
	int priority; /* -1: the policy's maximum */
	double trim_sigma; /* 0: off */
	double idle_timeout_s; /* a stalled run fails after this long */
	double connect_timeout_s;
	double response_timeout_s; /* each response must complete within this */
	uint64_t max_response; /* bytes of one response (head and body), at most */
	char path[256]; /* request path, default "/" */
	char headers[1024]; /* extra request header lines, each "\r\n"-terminated */
	enum rp_probe probe;
	uint32_t body_size; /* embedded sink's body size */
	int sink_threads; /* embedded sink's threads */
	bool netns; /* workers and embedded sink in two namespaces over veth */
	uint32_t mtu; /* --netns: MTU of both veth ends */
	enum rp_toggle tso, gso, gro; /* --netns: offloads on both ends */
	struct rp_impair impair; /* --netns: loss, dup, rate, delay (impair.h) */
	const char *sweep_loss; /* --sweep-loss LIST; NULL: no sweep */
	const char *sweep_mtu; /* --sweep-mtu LIST */
	const char *sweep_svg; /* --sweep-svg FILE */
	int sweep_repeat; /* --sweep-repeat R; 0: the default */
	const char *json_path; /* NULL: none; "-": stdout */
	const char *csv_path;
	bool csv_append; /* --csv-append: add rows to csv_path, header once */
	/* per-call events (--events, --svg; 0 limits: the defaults) */
	const char *events_path; /* NULL: none */
	bool events_csv; /* --events-format csv, else JSON Lines */
	const char *svg_path; /* NULL: none */
	const char *timeline_path; /* --timeline; NULL: none */
	const char *lifecycle_path; /* --lifecycle; NULL: none (lifecycle.h) */
	uint64_t events_limit; /* calls kept per worker and side */
	uint32_t events_ring; /* ring buffer bytes */
	/* the server end: a local server's processes traced as the sink is */
	int server_pids[RP_MAX_SERVER_PIDS]; /* --server-pid, repeatable */
	int nserver_pids;
	char server_comm[16]; /* --server-comm; "" none */
	/* wire view (--wire, --pcap) */
	bool wire;
	const char *pcap_path; /* NULL: none */
	uint32_t snaplen; /* bytes kept per captured packet */
	bool call_path; /* --call-path: each call's time by stage */
	uint32_t sink_split_ms; /* embedded sink: pause inside each response */
	int compare; /* --compare: enum rp_compare (report_compare.h); 0: off */
	int repeat; /* --repeat: rounds per compared setting; 0: default */
	/* request latency, open loop, progress (cmd_latency.c, docs/latency.md) */
	bool latency_off; /* --latency off: no per-request latency (bench) */
	double rate; /* --rate: requests/s for the whole run; 0: closed loop */
	double interval_s; /* --interval: one progress line per interval; 0: off */
	double start_at; /* --start-at: release time, CLOCK_REALTIME s; 0: at once */
	uint32_t sink_pause_ms; /* embedded sink: pause this long ... */
	uint32_t sink_pause_every_ms; /* ... this often (a test mode) */
	bool sched_view; /* --sched-view: the scheduler view's programs */
	bool bpf_stats; /* --bpf-stats: the programs' run time per response */
	bool hist;
	bool detail; /* --detail: the full per-worker text report */
	bool quiet;
	bool verbose;
};

void config_defaults(struct rp_config *c);
const char *mode_name(enum rp_mode m);
const char *probe_name(enum rp_probe p);
const char *sched_name(enum rp_sched s);

/* Connections of the whole run, all workers. */
static inline uint64_t config_total_conns(const struct rp_config *c)
{
	return (uint64_t)c->workers * (uint64_t)c->connections;
}

#endif /* REQPERF_CONFIG_H */
