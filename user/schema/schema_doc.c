// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* docs/counters.md, written from the counter families' tables. */
#include <stdio.h>

#include "schema.h"

static const char *const merge_names[] = {
	[RP_MERGE_SUM] = "sum",
	[RP_MERGE_MAX] = "max",
	[RP_MERGE_MIN] = "min (non-zero)",
	[RP_MERGE_GAUGE] = "one socket's",
	[RP_MERGE_SUM128] = "sum (128-bit)",
	[RP_MERGE_LAST] = "the last one's",
	[RP_MERGE_OWN] = "see text",
};

static void where(FILE *out, const struct rp_field *f)
{
	if (f->flags & RP_FF_KERNEL)
		fputs("kernel ", out);
	if (f->flags & RP_FF_SEND)
		fputs("send ", out);
	if (f->flags & RP_FF_RECV)
		fputs("recv ", out);
	if (f->flags & RP_FF_ECHO)
		fputs("echo ", out);
	if (f->flags & RP_FF_SKBS)
		fputs("(skb tracepoint) ", out);
	if (f->need)
		fputs("(its tracepoint) ", out);
	if (f->src)
		fprintf(out, "from `%s` ", f->src);
	if (f->flags & RP_FF_DELTA)
		fputs("delta ", out);
	if (f->flags & RP_FF_TOTAL)
		fputs("total ", out);
}

static void family_md(FILE *out, const struct rp_family *fam, const char *title, const char *intro)
{
	fprintf(out, "\n## %s\n\n%s\n\n", title, intro);
	fputs("| JSON key | text | unit | combines | where | what |\n", out);
	fputs("|---|---|---|---|---|---|\n", out);
	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];

		fprintf(out, "| `%s` | %s | %s | %s | ", f->name, f->label ? f->label : "",
			f->unit ? f->unit : "", merge_names[f->merge]);
		where(out, f);
		fprintf(out, "| %s |\n", f->what ? f->what : "");
	}
}

int schema_doc_md(FILE *out)
{
	fputs("# Counters, family by family\n\n"
	      "<!-- Written by `make counters-doc` from the tables in user/schema/;\n"
	      "     `make unit` fails when this file and the tables differ. -->\n\n"
	      "Each counter family is one struct described once by a table (schema.h):\n"
	      "the JSON key (the CSV column is the family's prefix and the key), the\n"
	      "text label, the unit, how two values combine (over CPUs, workers,\n"
	      "threads or sockets) and what one count means. The text, JSON and CSV\n"
	      "renderers, the summing and `reqperf trace` walk these tables.\n",
	      out);
	family_md(out, &rp_worker_family, "A worker's own counters (`worker`)",
		  "Kept by a worker's I/O loop: JSON `workers[]` (and, those marked\n"
		  "`total`, `totals`), CSV columns by the key alone, the text report's\n"
		  "worker line (the labelled ones, when not 0). Summed over workers.");
	family_md(out, &rp_calls_family, "Per-call counters (CALLS)",
		  "One call type (send or recv) as one side saw it: JSON `user.send`,\n"
		  "`kernel.recv`, ...; CSV `user_send_*`, `kernel_recv_*`, ...; the text\n"
		  "report's side-by-side table. `ns` is the time summary (`ns.n`, `min`,\n"
		  "`mean`, `max`, `stddev`, `p50`, `p90`, `p99`, `p999`; CSV `ns_*`); the\n"
		  "histograms are in the JSON only. A figure whose tracepoint was not\n"
		  "loaded is `null` (text `n/a`).");
	family_md(out, &rp_ktcp_family, "TCP socket counters (`ktcp`)",
		  "A worker's (or the server's) traced sockets, live and closed: JSON\n"
		  "`ktcp`, CSV `ktcp_*`, the text report's `tcp` line, `reqperf trace`.\n"
		  "A live socket's counters are its last snapshot less its first; a\n"
		  "closed socket was folded the same way by the kernel.");
	family_md(out, &rp_tcpinfo_family, "TCP_INFO (`tcp_info`)",
		  "One end's own getsockopt(TCP_INFO), read at each connection's close:\n"
		  "JSON `tcp_info` (a worker's, the sink's `sink.tcp_info`), CSV\n"
		  "`tcp_info_*`. `from` is the struct tcp_info member; a `delta` field is\n"
		  "a counter over the connection's life, taken whole on the sink's\n"
		  "accepted sockets and as its change since connect on a worker's; the\n"
		  "others are read at close. The text report's sender lines derive\n"
		  "from them (docs/report.md, TCP_INFO).");
	family_md(out, &rp_sockrow_family, "One traced socket (`sockets[]`, `connections[]`)",
		  "A row per socket: `reqperf trace`'s JSON `sockets` and text `per\n"
		  "socket` table, the run report's JSON `connections`. `from` is the\n"
		  "kernel's struct rp_ksock (bpf/reqperf.h); segment counts, cwnd,\n"
		  "srtt and mss are its snapshots folded the kernel's way (rp_ksum).\n"
		  "The text table has a column per field with a text label.");
	family_md(out, &rp_sockdir_family, "One traced socket, per direction (`send`, `recv`)",
		  "The row's `send` and `recv` objects (text columns `s.` and `r.`);\n"
		  "the `recv` fields are in the recv object only.");
	family_md(out, &rp_sink_family, "Sink counters (`sink`)",
		  "The embedded sink's counters, summed over its threads: JSON `sink`,\n"
		  "the text report's `sink:` and (echo) `echo:` lines, which are also\n"
		  "`reqperf sink`'s summary when it stops (`label value` items).\n"
		  "`tcp_info` is the sink's sockets' TCP_INFO at close, as the\n"
		  "workers' (TCP_INFO in docs/report.md).");
	family_md(out, &rp_sched_family, "Scheduler view (`sched_view`)",
		  "Per worker over its I/O-phase window (docs/sched.md): JSON\n"
		  "`workers[].sched_view` (a dotted key is a member of an object:\n"
		  "`runq.n` is `\"runq\": {\"n\"}`), CSV `sched_*` (`_` for the dot),\n"
		  "the text report's `sched`, `switches`, `run queue`, `on cpu` and\n"
		  "`softirq` lines. `kernel` fields need `--sched-view` (JSON: absent\n"
		  "without it; CSV: empty cells). Fields without a unit are not\n"
		  "counters: the renderers write them their own way.");
	family_md(out, &rp_sched_wcpu_family,
		  "Scheduler view per CPU of a worker (`sched_view.cpus[]`)",
		  "The worker on each CPU it ran on or returned calls on (`cpu` is the\n"
		  "index); the text report's `cpus` line.");
	family_md(out, &rp_sched_cpu_family, "Scheduler view per CPU (`sched_cpus[]`)",
		  "Each CPU over the time any worker's window was open: JSON\n"
		  "`sched_cpus`, the `--detail` table `per cpu (sched)`.");
	family_md(out, &rp_ksched_family, "Scheduler view, kernel value (struct rp_ksched)",
		  "Per slot and CPU in the `rp_sched` map (bpf/rp_sched.h). Each field\n"
		  "folds into the fields of the same name above (summed, `runq.max_ns`\n"
		  "the maximum, once per CPU); the others are the reader's own code.");
	family_md(out, &rp_wire_family, "Wire packets (`wire`, `--wire`)",
		  "One direction at one place, summed over CPUs and the run's\n"
		  "connections (docs/path.md): JSON `wire.tx.c2s`, `wire.rx.s2c`, ... (on\n"
		  "loopback only `tx`), the text report's `wire:` table (a row per\n"
		  "labelled field, a column per direction and place). Not in the CSV:\n"
		  "its rows are per worker, the wire view is per run.");
	family_md(out, &rp_wire_drops_family, "Wire drops (`wire.drops`)",
		  "What the tc programs could not record (enum rp_wire_drop): JSON\n"
		  "`wire.drops`, the text's `DROPPED:` lines (non-zero only).");
	family_md(out, &rp_holds_family, "Send holds (`held`, `held_out`, `held_in`)",
		  "Timed sends that wrote bytes, by what held bytes unsent at their\n"
		  "return (enum rp_hold; the first class that applies in the kernel's\n"
		  "order, docs/segments.md): the kernel send's `held` object (workers\n"
		  "and the traced server), JSON `segments.held_out` (the workers'\n"
		  "sends) and `segments.held_in` (the server's), the text's `held at\n"
		  "each send's return` lines (`none` is their `N of M sends left bytes\n"
		  "unsent`).");
	family_md(out, &rp_drops_family, "Drops (`drops`)",
		  "What the kernel programs could not record (enum rp_drop), global\n"
		  "counters: JSON `drops` (run and `reqperf trace`), the text report's\n"
		  "`kernel events lost:` line (with `--detail`; the summary says\n"
		  "`kernel events lost N`), `reqperf trace`'s `not recorded:` line. Not\n"
		  "in the CSV: its rows are per worker, these are per run. Any non-zero\n"
		  "count means the kernel figures are lower bounds.");
	family_md(out, &rp_cp_drops_family, "Call-path drops (`call_path.drops`)",
		  "What the `--call-path` programs could not record: JSON\n"
		  "`call_path.drops`, the text's `DROPPED` items (non-zero only).");
	return ferror(out) ? -1 : 0;
}
