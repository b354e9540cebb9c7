// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `reqperf --version` text (version_info.h). */
#include <stdbool.h>
#include <string.h>

#include "report.h"
#include "report_text.h"
#include "version_info.h"

struct tp_fact {
	const char *name;
	size_t off; /* bool in struct rp_kernel_facts */
};

#define TP(name, field)                                       \
	{                                                     \
		name, offsetof(struct rp_kernel_facts, field) \
	}

/* The tracepoints the programs use, as BTF names them (btf_trace_<name>). */
static const struct tp_fact tracepoints[] = {
	TP("raw_syscalls/sys_enter", tp_sys_enter),
	TP("sock/sock_send_length", tp_send_length),
	TP("sock/sock_recv_length", tp_recv_length),
	TP("tcp/tcp_sendmsg_locked", tp_sendmsg_locked),
	TP("skb/skb_copy_datagram_iovec", tp_skb_copy),
	TP("tcp/tcp_retransmit_skb", tp_retransmit),
	TP("sock/inet_sock_set_state", tp_set_state),
	TP("sched/sched_switch+wakeup+migrate, irq/softirq", tp_sched),
};

static bool fact(const struct rp_kernel_facts *k, size_t off)
{
	bool b;

	memcpy(&b, (const char *)k + off, sizeof(b));
	return b;
}

static void print_backends(FILE *out, const struct rp_kernel_facts *k)
{
	enum rp_backend order[RP_NFAMILIES];
	int n = backend_candidates(RP_PROBE_AUTO, order);
	char why[RP_REASON_LEN], line[RP_REASON_LEN + 16], prefix[48];

	fprintf(out, "backends (--probe auto tries them in this order; checked, not loaded):\n");
	for (int i = 0; i < n; i++) {
		snprintf(prefix, sizeof(prefix), "  %-11s ", backend_name(order[i]));
		if (backend_precheck(order[i], k, why, sizeof(why)) == 0)
			snprintf(line, sizeof(line),
				 "candidate: nothing rules it out before loading");
		else
			snprintf(line, sizeof(line), "ruled out: %s", why);
		print_wrapped(out, prefix, line);
	}
}

int version_text(FILE *out, const struct rp_version_info *v)
{
	const struct rp_kernel_facts *k = &v->facts;

	fprintf(out, "reqperf %s\n", v->version);
	fprintf(out, "libbpf %s linked, built against %u.%u\n", v->libbpf_linked,
		v->libbpf_built_major, v->libbpf_built_minor);
	fprintf(out, "kernel %s %s: bpf() %s", v->kernel, v->machine,
		k->bpf_ok ? "permitted" : "refused");
	if (!k->bpf_ok)
		fprintf(out, " (%s)", strerror(k->bpf_errno));
	fprintf(out, ", kprobe PMU %s\n", k->kprobe_pmu ? "yes" : "no");
	if (k->btf)
		fprintf(out,
			"BTF yes (/sys/kernel/btf/vmlinux): tcp_sendmsg %d args, "
			"tcp_recvmsg %d args\n",
			k->sendmsg_nargs, k->recvmsg_nargs);
	else
		fprintf(out, "BTF no: CO-RE programs cannot load\n");
	print_backends(out, k);
	fprintf(out, "tracepoints (from BTF):\n");
	for (size_t i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++)
		fprintf(out, "  %-48s %s\n", tracepoints[i].name,
			!k->btf			      ? "unknown (no BTF)"
			: fact(k, tracepoints[i].off) ? "present"
						      : "absent");
	fprintf(out, "optional figures without their tracepoint are n/a in the report;\n"
		     "a candidate may still fail to load: `reqperf run -v` says why.\n");
	return ferror(out) ? -1 : 0;
}
