// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The scheduler view's counters described once (docs/sched.md says what
 * they mean for a run). struct rp_ksched is the kernel's value per slot
 * per CPU (bpf/rp_sched.h); sched_fold_cpu folds it by name into the
 * worker's struct rp_sched_worker and its per-CPU struct rp_sched_wcpu;
 * the run's CPU table struct rp_sched_cpu takes every slot's softirqs.
 * A name with a dot is a member of a JSON object ("runq.n": "runq": {"n"});
 * the CSV column is "sched_" and the name with '_' for the dot.
 */
#include "report.h"
#include "schema.h"

#define W(m, k, kind, merge) RP_FIELD(rp_sched_worker, m, k, RP_FK_##kind, RP_MERGE_##merge)
#define WS(m, i, k)                                                                     \
	.name = k, .off = offsetof(struct rp_sched_worker, m) + (i) * sizeof(uint64_t), \
	.size = sizeof(uint64_t), .kind = RP_FK_U64, .merge = RP_MERGE_SUM

/* In the JSON's order; RP_FF_KERNEL: written only when the kernel's
 * figures were read (has_kernel). */
static const struct rp_field sched_fields[] = {
	{W(has_kernel, "has_kernel", OTHER, OWN), .unit = "",
	 .what = "the kernel figures (where: kernel) were read"},
	{W(window_ns, "window_ns", U64, OWN), .unit = "ns",
	 .what = "the worker's I/O-phase window, by its own clock"},
	{W(window_cpu, "window_cpu", OTHER, OWN), .unit = "",
	 .what = "the CPU it ran on when the window opened"},
	{W(has_rusage, "has_rusage", OTHER, OWN), .unit = "",
	 .what = "the getrusage bounds were read; not a key: \"rusage\" is null without them"},
	{W(ru_nvcsw_lo, "rusage.nvcsw_lo", U64, SUM), .label = "getrusage", .unit = "switches",
	 .what = "getrusage voluntary switches over the window, lower bound (the reads "
		 "around each window edge bound them)"},
	{W(ru_nvcsw_hi, "rusage.nvcsw_hi", U64, SUM), .unit = "switches",
	 .what = "and the upper bound (= lo unless a switch fell between the reads)"},
	{W(ru_nivcsw_lo, "rusage.nivcsw_lo", U64, SUM), .unit = "switches",
	 .what = "getrusage involuntary switches, lower bound"},
	{W(ru_nivcsw_hi, "rusage.nivcsw_hi", U64, SUM), .unit = "switches",
	 .what = "and the upper bound"},
	{W(kpolicy, "kernel_policy", OTHER, OWN), .flags = RP_FF_KERNEL, .unit = "",
	 .what = "task_struct.policy as the kernel last saw it (SCHED_RR ...); null: never"},
	{W(kprio, "kernel_priority", OTHER, OWN), .flags = RP_FF_KERNEL, .unit = "",
	 .what = "task_struct.rt_priority with it"},
	{W(kpolicy_in_window, "kernel_policy_in_window", OTHER, OWN), .flags = RP_FF_KERNEL,
	 .unit = "", .what = "seen inside the window (else just before it)"},
	{W(kpolicy_ns, "kpolicy_ns", OTHER, OWN), .flags = RP_FF_KERNEL, .unit = "ns",
	 .what = "when the policy was last seen (not in the JSON)"},
	{W(migrations, "migrations", U64, SUM), .label = "migrations", .flags = RP_FF_KERNEL,
	 .unit = "migrations", .what = "sched_migrate_task of the worker"},
	{W(nvcsw, "nvcsw", U64, SUM), .label = "voluntary", .flags = RP_FF_KERNEL,
	 .unit = "switches", .what = "switched out blocking (sched_switch, prev_state set)"},
	{W(nivcsw, "nivcsw", U64, SUM), .label = "involuntary", .flags = RP_FF_KERNEL,
	 .unit = "switches", .what = "switched out runnable (preempted, yielded)"},
	{W(switch_in, "switch_in", U64, SUM), .flags = RP_FF_KERNEL, .unit = "switches",
	 .what = "switched in"},
	{W(switch_in_unseen, "switch_in_unseen", U64, SUM), .label = "switch-ins no event showed",
	 .flags = RP_FF_KERNEL, .unit = "switches",
	 .what = "switch-ins inferred: a switch-out followed another with no switch-in between"},
	{W(oncpu_ns, "oncpu_ns", U64, OWN), .label = "on cpu", .flags = RP_FF_KERNEL, .unit = "ns",
	 .what = "window_ns - offcpu_ns"},
	{W(offcpu_ns, "offcpu_ns", U64, SUM), .label = "off", .flags = RP_FF_KERNEL, .unit = "ns",
	 .what = "switch-out to switch-in, charged at the switch-in"},
	{W(runq_n, "runq.n", U64, SUM), .label = "waits", .flags = RP_FF_KERNEL, .unit = "waits",
	 .what = "run-queue waits: wakeup or preemption to switch-in"},
	{W(runq_ns, "runq.sum_ns", U64, SUM), .label = "sum", .flags = RP_FF_KERNEL, .unit = "ns",
	 .what = "their time, summed"},
	{W(runq_max, "runq.max_ns", U64, MAX), .label = "max", .flags = RP_FF_KERNEL, .unit = "ns",
	 .what = "the longest"},
	{W(runq_log2, "runq.log2", HIST, SUM), .flags = RP_FF_KERNEL, .unit = "waits",
	 .what = "their log2 histogram (ns), the --hist 'run-queue wait' table"},
	{WS(softirq_n, RP_SOFTIRQ_NET_RX, "softirq.net_rx_n"), .flags = RP_FF_KERNEL,
	 .unit = "softirqs", .what = "NET_RX softirqs run in the worker's context"},
	{WS(softirq_n, RP_SOFTIRQ_NET_TX, "softirq.net_tx_n"), .flags = RP_FF_KERNEL,
	 .unit = "softirqs", .what = "NET_TX softirqs run in the worker's context"},
	{WS(softirq_ns, RP_SOFTIRQ_NET_RX, "softirq.net_rx_ns"), .label = "NET_RX",
	 .flags = RP_FF_KERNEL, .unit = "ns", .what = "their time"},
	{WS(softirq_ns, RP_SOFTIRQ_NET_TX, "softirq.net_tx_ns"), .label = "NET_TX",
	 .flags = RP_FF_KERNEL, .unit = "ns", .what = "their time"},
	{W(ncpus, "ncpus", OTHER, OWN), .flags = RP_FF_KERNEL, .unit = "",
	 .what = "the length of cpus (not in the JSON)"},
	{W(cpus, "cpus", OTHER, OWN), .flags = RP_FF_KERNEL, .unit = "",
	 .what = "the worker on each CPU it used (the sched_wcpu family)"},
};

const struct rp_family rp_sched_family = {
	"sched",
	sched_fields,
	sizeof(sched_fields) / sizeof(sched_fields[0]),
	sizeof(struct rp_sched_worker),
};

#define C(m, k, kind, merge) RP_FIELD(rp_sched_wcpu, m, k, RP_FK_##kind, RP_MERGE_##merge)
#define CS(st, m, i, k)                                                    \
	.name = k, .off = offsetof(struct st, m) + (i) * sizeof(uint64_t), \
	.size = sizeof(uint64_t), .kind = RP_FK_U64, .merge = RP_MERGE_SUM

/* One worker on one CPU: JSON sched_view.cpus[] (its "cpu" is the index). */
static const struct rp_field wcpu_fields[] = {
	{C(oncpu_ns, "oncpu_ns", U64, SUM), .label = "on", .unit = "ns",
	 .what = "the worker's time on this CPU (its last interval closed at the window's end)"},
	{C(switch_in, "switch_in", U64, SUM), .unit = "switches", .what = "switched in here"},
	{CS(rp_sched_wcpu, calls, RP_SEND, "send_calls"), .unit = "calls",
	 .what = "kernel-traced send calls that returned here"},
	{CS(rp_sched_wcpu, calls, RP_RECV, "recv_calls"), .unit = "calls",
	 .what = "kernel-traced recv calls that returned here"},
	{CS(rp_sched_wcpu, softirq_ns, RP_SOFTIRQ_NET_RX, "softirq.net_rx_ns"), .unit = "ns",
	 .what = "NET_RX softirq time here in the worker's context"},
	{CS(rp_sched_wcpu, softirq_ns, RP_SOFTIRQ_NET_TX, "softirq.net_tx_ns"), .unit = "ns",
	 .what = "NET_TX softirq time here in the worker's context"},
};

const struct rp_family rp_sched_wcpu_family = {
	"sched_wcpu",
	wcpu_fields,
	sizeof(wcpu_fields) / sizeof(wcpu_fields[0]),
	sizeof(struct rp_sched_wcpu),
};

/* One CPU over every worker's window: JSON sched_cpus[], the --detail
 * "per cpu (sched)" table. */
static const struct rp_field cpu_fields[] = {
	{RP_FIELD(rp_sched_cpu, cpu, "cpu", RP_FK_OTHER, RP_MERGE_OWN), .unit = "",
	 .what = "the CPU"},
	{RP_FIELD(rp_sched_cpu, worker_oncpu_ns, "worker_oncpu_ns", RP_FK_U64, RP_MERGE_SUM),
	 .label = "workers on", .unit = "ns", .what = "the workers' time on this CPU"},
	{CS(rp_sched_cpu, softirq_n, RP_SOFTIRQ_NET_RX, "softirq.net_rx_n"), .unit = "softirqs",
	 .what = "NET_RX softirqs run on this CPU, any context"},
	{CS(rp_sched_cpu, softirq_n, RP_SOFTIRQ_NET_TX, "softirq.net_tx_n"), .unit = "softirqs",
	 .what = "NET_TX softirqs run on this CPU"},
	{CS(rp_sched_cpu, softirq_ns, RP_SOFTIRQ_NET_RX, "softirq.net_rx_ns"), .label = "NET_RX",
	 .unit = "ns", .what = "their time"},
	{CS(rp_sched_cpu, softirq_ns, RP_SOFTIRQ_NET_TX, "softirq.net_tx_ns"), .label = "NET_TX",
	 .unit = "ns", .what = "their time"},
	{CS(rp_sched_cpu, worker_softirq_ns, RP_SOFTIRQ_NET_RX, "worker_softirq.net_rx_ns"),
	 .label = "rx in worker", .unit = "ns",
	 .what = "of the NET_RX time, what ran in a worker's own context"},
	{CS(rp_sched_cpu, worker_softirq_ns, RP_SOFTIRQ_NET_TX, "worker_softirq.net_tx_ns"),
	 .unit = "ns", .what = "of the NET_TX time, what ran in a worker's own context"},
};

const struct rp_family rp_sched_cpu_family = {
	"sched_cpu",
	cpu_fields,
	sizeof(cpu_fields) / sizeof(cpu_fields[0]),
	sizeof(struct rp_sched_cpu),
};

/*
 * The kernel's value, named as the fields it folds into (family_fold:
 * the destination's rule); RP_MERGE_OWN ones are sched_fold_cpu's own
 * (the latest policy, the per-CPU interval ends, the u32 histogram).
 */
#define K(m, k, kind, merge) RP_FIELD(rp_ksched, m, k, RP_FK_##kind, RP_MERGE_##merge)
#define KS(m, i, k)                                                            \
	.name = k, .off = offsetof(struct rp_ksched, m) + (i) * sizeof(__u64), \
	.size = sizeof(__u64), .kind = RP_FK_U64, .merge = RP_MERGE_SUM

static const struct rp_field ksched_fields[] = {
	{K(migrations, "migrations", U64, SUM)},
	{K(nvcsw, "nvcsw", U64, SUM)},
	{K(nivcsw, "nivcsw", U64, SUM)},
	{K(switch_in, "switch_in", U64, SUM)},
	{K(switch_in_unseen, "switch_in_unseen", U64, SUM)},
	{K(oncpu_ns, "oncpu_ns", U64, SUM), .unit = "ns",
	 .what = "closed on-CPU intervals on this CPU: the worker's per-CPU oncpu_ns"},
	{K(offcpu_ns, "offcpu_ns", U64, SUM)},
	{K(last_in_ns, "last_in_ns", U64, OWN), .unit = "ns",
	 .what = "the last switch-in here: the open interval at the window's end is charged to "
		 "the latest CPU"},
	{K(runq_n, "runq.n", U64, SUM)},
	{K(runq_ns, "runq.sum_ns", U64, SUM)},
	{K(runq_max, "runq.max_ns", U64, MAX)},
	{KS(softirq_n, RP_SOFTIRQ_NET_TX, "softirq.net_tx_n")},
	{KS(softirq_n, RP_SOFTIRQ_NET_RX, "softirq.net_rx_n")},
	{KS(softirq_ns, RP_SOFTIRQ_NET_TX, "softirq.net_tx_ns")},
	{KS(softirq_ns, RP_SOFTIRQ_NET_RX, "softirq.net_rx_ns")},
	{K(policy_ns, "policy_ns", U64, OWN), .unit = "ns",
	 .what = "when policy and rt_priority were read: the latest CPU's win"},
	{K(policy, "policy", U32, OWN), .unit = "", .what = "task_struct.policy"},
	{K(rt_priority, "rt_priority", U32, OWN), .unit = "", .what = "task_struct.rt_priority"},
	{K(runq_hist, "runq_hist", OTHER, OWN), .unit = "waits",
	 .what = "run-queue waits, log2 ns (u32 per CPU), into runq.log2"},
	{K(pad, "pad", U32, OWN), .unit = "", .what = "alignment"},
};

const struct rp_family rp_ksched_family = {
	"ksched",
	ksched_fields,
	sizeof(ksched_fields) / sizeof(ksched_fields[0]),
	sizeof(struct rp_ksched),
};
