/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The report model and its renderers (text, JSON, CSV). Everything here is
 * plain data in, text out to a FILE: no sockets, no BPF, no clocks, so the
 * unit tests render reports from hand-made structs.
 */
#ifndef REQPERF_REPORT_H
#define REQPERF_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "latency.h"
#include "mib.h"
#include "recv_arith.h"
#include "stats.h"
#include "report_sched.h"
#include "wire_report.h"
#include "reqperf.h"

/* One call type (send or recv) as seen by one side (user or kernel). */
struct rp_calls {
	uint64_t calls;
	uint64_t bytes;
	uint64_t eagain;
	uint64_t short_calls;
	uint64_t errors;
	struct rp_summary ns;
	uint64_t log2[RP_LOG2_SLOTS]; /* slot i: [2^i, 2^(i+1)) ns, slot 0 also 0 */
	/* kernel side only */
	uint64_t skbs; /* skbs filled (send) / drained (recv) */
	uint64_t skb_hist[RP_SKB_SLOTS];
	uint64_t data_segs; /* data segments out (send) / in (recv) */
	uint64_t size_goal_sum;
	uint64_t queued_sum;
	uint64_t full_queued; /* recv: buffer-limited */
	uint64_t short_empty; /* recv: partial arrival */
	uint64_t short_queued;
	/* kernel: returns whose start was not seen, counted in calls and
	 * bytes above but not in ns (whose n is the timed calls) */
	uint64_t untimed;
	uint64_t untimed_bytes;
	/* kernel send: timed sends that wrote bytes, by what held bytes
	 * unsent at their return (enum rp_hold, reqperf.h; segments.h) */
	uint64_t held[RP_NHOLDS];
};

/* One direction's calls as the worker timed them (driver/load/io_state.c's
 * io_record_call): the counters are rp_calls fields of the same names
 * (calls_schema.c names each one's source), ns their times. */
struct rp_ucalls {
	uint64_t calls;
	uint64_t bytes;
	uint64_t eagain;
	uint64_t short_calls;
	uint64_t errors;
	struct rp_stats ns;
};

/* c from a worker's timed calls: the counters the rp_calls table reads
 * from u, then calls_from_stats() (calls_schema.c). */
void calls_from_ucalls(struct rp_calls *c, const struct rp_ucalls *u, double trim_sigma);

/* Kernel-side per-connection figures summed over a worker's sockets. */
struct rp_ktcp {
	uint64_t sockets;
	uint64_t inexact; /* sockets first seen after data had moved */
	uint64_t data_segs_out;
	uint64_t data_segs_in;
	uint64_t segs_out;
	uint64_t segs_in;
	uint64_t retransmits;
	uint32_t snd_cwnd; /* last seen, last socket */
	uint32_t srtt_us;
	uint32_t mss;
};

/* Folding the kernel's socket counters (ktcp_schema.c): a live socket
 * into a sum the way the kernel folds a closed one, a sum into *k by the
 * rp_ktcp description (counters add; gauges keep the first one seen). */
void ktcp_fold_sock(struct rp_ksum *sum, const struct rp_ksock *s);
void ktcp_fold(struct rp_ktcp *k, const struct rp_ksum *sum);

/* One end's own getsockopt(TCP_INFO), read at each connection's close
 * (tcpinfo.h): the workers' as deltas over their I/O phase, the embedded
 * sink's whole (it accepted, so nothing moved before). */
struct rp_tcpinfo {
	uint64_t conns; /* connections read */
	uint64_t data_segs_out;
	uint64_t data_segs_in;
	uint64_t total_retrans;
	uint64_t dsack_dups; /* duplicate segments received (a probe or a
			      * retransmit of data already here) */
	uint32_t snd_mss; /* largest over the connections read */
	uint32_t rcv_mss;
	uint32_t snd_cwnd; /* of the last connection closed */
	uint32_t rtt_us; /* its smoothed RTT (srtt_us >> 3) */
	/* Where the sender was limited (tcp_chrono, µs over each connection's
	 * life, summed): busy = some data unacknowledged; of that time,
	 * rwnd-limited = the peer's window stopped it, sndbuf-limited = its own
	 * send buffer did. The rest of busy is cwnd-limited or app-paced. */
	uint64_t busy_us;
	uint64_t rwnd_limited_us;
	uint64_t sndbuf_limited_us;
	uint64_t delivery_rate_max; /* highest tcpi_delivery_rate at a close, B/s */
	uint64_t reord_seen; /* reordering events the sender detected (tcpi_reord_seen) */
};

/*
 * A worker's own counters, described by rp_worker_family (worker_schema.c).
 * The worker's result (driver/load/worker.h), its report row and the totals
 * hold them as RP_WORKER_COUNTS_IN: each member by its name (w->requests)
 * and all of them as one struct (w->counts), so collecting is one
 * assignment and summing walks the table.
 */
#define RP_WORKER_COUNTS            \
	uint64_t requests;          \
	uint64_t responses;         \
	uint64_t crc_errors;        \
	uint64_t body_bytes;        \
	uint64_t reconnects;        \
	uint64_t errors;            \
	uint64_t response_timeouts; \
	uint64_t extra_responses;   \
	uint64_t outstanding;

struct rp_wcounts {
	RP_WORKER_COUNTS
};

#define RP_WORKER_COUNTS_IN               \
	union {                           \
		struct rp_wcounts counts; \
		struct {                  \
			RP_WORKER_COUNTS  \
		};                        \
	}

struct rp_worker_report {
	int id;
	int cpu; /* pinned CPU, -1 when not pinned */
	char sched[16]; /* policy in effect, read back: "SCHED_RR" ... */
	int priority;
	RP_WORKER_COUNTS_IN;
	/* Every recv call by its outcome (user side, exact; recv_arith.h). */
	struct rp_recv_tally recv;
	char error[160]; /* first error, "" when none */
	char warning[256]; /* settings that did not take, "" when none */
	struct rp_calls user[RP_NDIR];
	bool has_kernel;
	struct rp_calls kernel[RP_NDIR];
	struct rp_ktcp ktcp;
	struct rp_tcpinfo tcp_info;
	struct rp_sched_worker sched_view; /* scheduler view (report_sched.h) */
	struct rp_lat_report lat; /* request latency (latency.h) */
};

struct rp_cpu_report {
	int cpu;
	uint64_t calls[RP_NDIR];
	uint64_t bytes[RP_NDIR];
	uint64_t ns_sum[RP_NDIR];
};

/* Mean kernel ns per call of c in direction d (0 without any); exact
 * only when no call was untimed (untimed calls add to calls, not ns). */
double rp_cpu_mean_ns(const struct rp_cpu_report *c, int d);

struct rp_sink_counters {
	uint64_t requests;
	uint64_t responses;
	uint64_t bytes_in;
	uint64_t bytes_out;
	uint64_t connections;
	uint64_t bad_requests; /* answered 400 */
	uint64_t too_large; /* answered 431 */
	uint64_t rejected; /* over the connection limit */
	uint64_t errors; /* socket errors */
	uint64_t timeouts; /* closed: no complete request (or echo byte) in time */
	uint64_t send_timeouts; /* closed: owed output not taken for --send-timeout */
	/* echo mode */
	uint64_t echo_messages;
	uint64_t echo_recv_calls;
	uint64_t echo_short_recvs;
	uint64_t echo_corrupt;
	/* writes: how the sink's output left it */
	uint64_t send_calls; /* send()/sendmsg() calls that wrote bytes */
	uint64_t split_writes; /* responses (messages) written in 2+ calls */
	struct rp_tcpinfo tcp; /* the sink's sockets' TCP_INFO at close, summed */
};

/* One end of the path between workers and sink, as read back. */
struct rp_link_end {
	char netns[32]; /* "": the driver's own namespace */
	char ifname[16];
	char addr[24]; /* "169.254.77.1/30" */
	uint32_t mtu; /* 0: unknown */
	int8_t tso, gso, gro; /* 1 on, 0 off, -1 unknown */
};

enum {
	RP_LINK_CLIENT = 0,
	RP_LINK_SINK = 1,
	RP_LINK_ENDS = 2,
};

/* Set with the embedded sink: "loopback" (lo) or "veth" (--netns). */
struct rp_link {
	char kind[16];
	struct rp_link_end end[RP_LINK_ENDS];
};

/* The server end, traced with the workers' programs in a slot of its own:
 * the embedded sink, or a local --target's --server-pid/--server-comm. */
struct rp_server_report {
	bool traced; /* a server process was registered */
	bool has_kernel; /* and its counters were read */
	char what[96]; /* "embedded sink, pid 1234", "nginx: pids 10 11 12" */
	int nprocs;
	struct rp_calls kernel[RP_NDIR];
	struct rp_ktcp ktcp;
};

struct rp_totals {
	RP_WORKER_COUNTS_IN; /* summed over the workers */
	double elapsed_s;
	double rps; /* responses / elapsed_s */
	double seed_send_rate; /* the seed's "req. p/s": sum over workers of 1 / mean send time */
	double seed_recv_rate;
	struct rp_calls user[RP_NDIR]; /* counters summed; ns merged */
	struct rp_calls kernel[RP_NDIR];
	bool has_kernel; /* some worker had kernel data */
};

struct rp_ev_summary;
struct rp_bpf_costs;

struct rp_report {
	const char *version;
	char run_id[48]; /* "20261205T034512Z-1234": start time (UTC) and pid */
	double start_at; /* --start-at asked for (Unix seconds); 0: none */
	double started_at; /* when the workers were released (CLOCK_REALTIME) */
	const struct rp_config *config;
	char target[256]; /* resolved HOST:PORT */
	enum rp_backend backend;
	unsigned features; /* RP_FEAT_* loaded */
	int sendmsg_nargs; /* kernel BTF: tcp_sendmsg's argument count */
	int recvmsg_nargs; /* and tcp_recvmsg's (the layout the probes use) */
	int nworkers;
	struct rp_worker_report *workers;
	int ncpus;
	struct rp_cpu_report *cpus;
	struct rp_totals totals; /* filled by report_totals() */
	bool has_sink;
	int sink_pid; /* the embedded sink's process (has_sink) */
	struct rp_sink_counters sink;
	bool has_link;
	struct rp_link link;
	struct rp_server_report server;
	struct rp_wire_report wire; /* --wire; wire.on false: not run */
	struct rp_impair_report impair; /* --netns impairments (impair.h) */
	struct rp_mib mib[RP_LINK_ENDS]; /* --netns: each namespace's TcpExt (mib.h) */
	uint64_t drops[RP_NDROPS];
	const struct rp_ev_summary *events; /* per-call join (events.h), NULL: off */
	const struct rp_lc_summary *lifecycle; /* --lifecycle (lifecycle.h), NULL: off */
	const struct rp_bpf_costs *bpf; /* --bpf-stats (report_bpf.h), NULL: off */
	const struct rp_cp_report *call_path; /* --call-path (callpath.h), NULL: off */
	const struct rp_sock_row *conns; /* the workers' sockets (kernel view) */
	int nconns; /* -1: not read */
	bool partial; /* a worker failed or the run was interrupted */
	int nsched_cpus; /* scheduler view per CPU, owned (report_sched.h) */
	struct rp_sched_cpu *sched_cpus;
	struct rp_lat_report lat; /* request latency of the whole run */
	struct rp_stats lat_hist; /* the histogram lat was read from (reqperf merge) */
	const struct rp_interval *intervals; /* --interval series, NULL: none */
	size_t nintervals;
};

struct rp_lc_summary;

const char *backend_name(enum rp_backend b);
/* What "kernel time" means for backend b, one line. */
const char *backend_time_definition(enum rp_backend b);

/*
 * Sum counters, merge time summaries, compute rates into r->totals. The
 * caller sets r->totals.elapsed_s first; everything else in totals is
 * overwritten. ns min/max/mean/stddev are combined exactly from the
 * workers' summaries (n, mean, stddev); percentiles cannot be, and stay 0.
 * Kernel figures come only from workers with has_kernel.
 */
void report_totals(struct rp_report *r);

/* The byte check of direction d (RP_SEND: bytes sent by the workers and
 * received by the sink; RP_RECV: the other way): -1 when there is nothing
 * to compare (no kernel view, no embedded sink), 0 when user, kernel and
 * sink agree, 1 when they DIFFER. Call report_totals() first. */
int report_bytes_verdict(const struct rp_report *r, int d);

/* Fills c->ns (see stats_summarize for trim_sigma) and c->log2 from s;
 * the counters (calls, bytes, ...) are left alone. */
void calls_from_stats(struct rp_calls *c, const struct rp_stats *s, double trim_sigma);

/*
 * Recv calls against responses (recv_arith.h: signed, always closes) and
 * the kernel's evidence over all data-returning recv calls: short reads
 * that left the queue empty, full reads that left bytes queued.
 */
struct rp_extra_recv {
	struct rp_recv_arith a;
	bool has_kernel; /* the kernel's evidence below is known */
	uint64_t k_short_empty;
	uint64_t k_full_queued;
};
void report_extra_recv(const struct rp_worker_report *w, struct rp_extra_recv *x);

/* The optional tracepoints behind RP_FEAT_* bits and what they feed. */
struct rp_feature_info {
	unsigned bit;
	const char *name; /* JSON key */
	const char *tracepoint; /* "tcp/tcp_retransmit_skb" */
	const char *feeds; /* the figures that are n/a without it */
};
#define RP_NFEATURES 5
extern const struct rp_feature_info rp_features[RP_NFEATURES];

/* A run's id: its start time in UTC and the driver's pid,
 * "20261205T034512Z-1234"; unique per machine, sorts by time. */
void report_run_id(char *buf, size_t cap, long long start_s, long pid);

/* "12 ns", "1.234 us", "5.678 ms", "1.500 s": three decimals above 1 us. */
void report_fmt_ns(char *buf, size_t cap, double ns);
/* A log2 histogram, print_log2_hist style, under 80 columns:
 * "   1024 -> 2047    : 12         |*****     |"; only the used range. */
void report_print_log2(FILE *out, const char *title, const uint64_t h[RP_LOG2_SLOTS]);

/* The drop counter enum rp_drop i's name (rp_drops_family), "unknown"
 * outside the enum. */
const char *drop_name(int i);

enum {
	RP_TEXT_HIST = 1 << 0,
	RP_TEXT_VERBOSE = 1 << 1,
	RP_TEXT_DETAIL = 1 << 2, /* per-worker blocks, per-CPU tables, totals */
};
/* Renderers: call report_totals() first. r->config may be NULL (the
 * defaults are shown). Return 0, or -1 when writing failed. Text lines
 * are always shorter than 80 columns. */
int report_text(FILE *out, const struct rp_report *r, unsigned flags);
int report_json(FILE *out, const struct rp_report *r);
int report_csv(FILE *out, const struct rp_report *r);
/* The CSV rows, with the header line first when header. */
int report_csv_rows(FILE *out, const struct rp_report *r, bool header);

#endif /* REQPERF_REPORT_H */
