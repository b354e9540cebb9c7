// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Backend choice: candidates, pre-checks, failure reasons, the verdict. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "report.h"

#define RP_ENOTSUPP 524 /* the kernel's internal "not supported" */

int backend_candidates(enum rp_probe p, enum rp_backend out[RP_NFAMILIES])
{
	switch (p) {
	case RP_PROBE_AUTO:
		out[0] = RP_BACKEND_FENTRY;
		out[1] = RP_BACKEND_KPROBE;
		out[2] = RP_BACKEND_TRACEPOINT;
		return 3;
	case RP_PROBE_FENTRY:
		out[0] = RP_BACKEND_FENTRY;
		return 1;
	case RP_PROBE_KPROBE:
		out[0] = RP_BACKEND_KPROBE;
		return 1;
	case RP_PROBE_TRACEPOINT:
		out[0] = RP_BACKEND_TRACEPOINT;
		return 1;
	default:
		return 0;
	}
}

static const char *errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{EPERM, "EPERM"},	    {ENOENT, "ENOENT"},	       {ESRCH, "ESRCH"},
		{E2BIG, "E2BIG"},	    {ENOMEM, "ENOMEM"},	       {EACCES, "EACCES"},
		{EFAULT, "EFAULT"},	    {EBUSY, "EBUSY"},	       {EEXIST, "EEXIST"},
		{ENODEV, "ENODEV"},	    {EINVAL, "EINVAL"},	       {ENOSYS, "ENOSYS"},
		{EOPNOTSUPP, "EOPNOTSUPP"}, {RP_ENOTSUPP, "ENOTSUPP"},
	};
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	return NULL;
}

static void errno_text(int err, char *buf, size_t len)
{
	const char *name = errno_name(err);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "errno %d", err < 0 ? -err : err);
}

static int precheck_common(const struct rp_kernel_facts *k, char *why, size_t len)
{
	char e[24];

	if (!k->bpf_ok) {
		if (k->bpf_errno == EPERM || k->bpf_errno == EACCES)
			snprintf(why, len,
				 "bpf() not permitted: run as root (or with CAP_BPF+CAP_PERFMON)");
		else if (k->bpf_errno == ENOSYS)
			snprintf(why, len, "kernel built without bpf() support");
		else {
			errno_text(k->bpf_errno, e, sizeof(e));
			snprintf(why, len, "bpf() fails: %s loading a test program", e);
		}
		return -1;
	}
	if (!k->btf) {
		snprintf(why, len, "kernel has no BTF (/sys/kernel/btf/vmlinux missing)");
		return -1;
	}
	if (!k->task_storage) {
		snprintf(why, len,
			 "kernel older than 5.11: no BPF task storage in tracing programs "
			 "(the kernel view needs Linux 5.11 or newer)");
		return -1;
	}
	return 0;
}

static int precheck_functions(const struct rp_kernel_facts *k, char *why, size_t len)
{
	if (k->sendmsg_nargs < 0 || k->recvmsg_nargs < 0) {
		snprintf(why, len, "%s not found in kernel BTF",
			 k->sendmsg_nargs < 0 ? "tcp_sendmsg" : "tcp_recvmsg");
		return -1;
	}
	if (k->sendmsg_nargs != 3) {
		snprintf(why, len, "unexpected tcp_sendmsg prototype (%d arguments, expected 3)",
			 k->sendmsg_nargs);
		return -1;
	}
	if (k->recvmsg_nargs < 4 || k->recvmsg_nargs > 6) {
		snprintf(why, len,
			 "unexpected tcp_recvmsg prototype (%d arguments, expected 4 to 6)",
			 k->recvmsg_nargs);
		return -1;
	}
	return 0;
}

static int precheck_tracepoints(const struct rp_kernel_facts *k, char *why, size_t len)
{
	if (!k->tp_sys_enter) {
		snprintf(why, len, "kernel has no sys_enter raw tracepoint");
		return -1;
	}
	if (!k->tp_send_length || !k->tp_recv_length) {
		snprintf(why, len,
			 "kernel lacks the sock_send_length/sock_recv_length "
			 "tracepoints (added in 6.3)");
		return -1;
	}
	return 0;
}

int backend_precheck(enum rp_backend b, const struct rp_kernel_facts *k, char *why, size_t len)
{
	if (precheck_common(k, why, len))
		return -1;
	switch (b) {
	case RP_BACKEND_FENTRY:
		if (!k->func_ret) {
			snprintf(why, len,
				 "kernel older than 5.17: no bpf_get_func_ret/bpf_get_func_arg "
				 "for fexit (the fentry backend needs Linux 5.17 or newer)");
			return -1;
		}
		return precheck_functions(k, why, len);
	case RP_BACKEND_KPROBE:
		return precheck_functions(k, why, len);
	case RP_BACKEND_TRACEPOINT:
		return precheck_tracepoints(k, why, len);
	default:
		snprintf(why, len, "no such backend");
		return -1;
	}
}

unsigned backend_features(const struct rp_kernel_facts *k)
{
	unsigned f = 0;

	if (k->tp_sendmsg_locked)
		f |= RP_FEAT_SENDMSG_LOCKED;
	if (k->tp_skb_copy)
		f |= RP_FEAT_SKB_COPY;
	if (k->tp_retransmit)
		f |= RP_FEAT_RETRANSMIT;
	if (k->tp_set_state)
		f |= RP_FEAT_SOCK_STATE;
	if (k->tp_sched)
		f |= RP_FEAT_SCHED;
	if (k->tp_uring_submit)
		f |= RP_FEAT_URING;
	if (k->sendpage_nargs == 5)
		f |= RP_FEAT_SENDPAGE;
	if (k->splice_read)
		f |= RP_FEAT_SPLICE_READ;
	if (k->tp_sys_exit)
		f |= RP_FEAT_SYS_EXIT;
	return f;
}

bool backend_autoload(const char *sec, enum rp_backend b, unsigned features)
{
	static const struct {
		const char *sec; /* a trailing '/' matches the whole family */
		enum rp_backend family; /* RP_BACKEND_OFF: optional, any family */
		unsigned feature; /* needed too, when not 0 */
	} progs[] = {
		{"fentry/tcp_sendpage", RP_BACKEND_FENTRY, RP_FEAT_SENDPAGE},
		{"fexit/tcp_sendpage", RP_BACKEND_FENTRY, RP_FEAT_SENDPAGE},
		{"kprobe/tcp_sendpage", RP_BACKEND_KPROBE, RP_FEAT_SENDPAGE},
		{"kretprobe/tcp_sendpage", RP_BACKEND_KPROBE, RP_FEAT_SENDPAGE},
		{"fentry/tcp_splice_read", RP_BACKEND_FENTRY, RP_FEAT_SPLICE_READ},
		{"fexit/tcp_splice_read", RP_BACKEND_FENTRY, RP_FEAT_SPLICE_READ},
		{"kprobe/tcp_splice_read", RP_BACKEND_KPROBE, RP_FEAT_SPLICE_READ},
		{"kretprobe/tcp_splice_read", RP_BACKEND_KPROBE, RP_FEAT_SPLICE_READ},
		{"tp_btf/io_uring_submit_req", RP_BACKEND_TRACEPOINT, RP_FEAT_URING},
		{"tp_btf/sys_exit", RP_BACKEND_TRACEPOINT, RP_FEAT_SYS_EXIT},
		{"fentry/", RP_BACKEND_FENTRY, 0},
		{"fexit/", RP_BACKEND_FENTRY, 0},
		{"kprobe/", RP_BACKEND_KPROBE, 0},
		{"kretprobe/", RP_BACKEND_KPROBE, 0},
		{"tp_btf/sys_enter", RP_BACKEND_TRACEPOINT, 0},
		{"tp_btf/sock_send_length", RP_BACKEND_TRACEPOINT, 0},
		{"tp_btf/sock_recv_length", RP_BACKEND_TRACEPOINT, 0},
		{"tp_btf/tcp_sendmsg_locked", RP_BACKEND_OFF, RP_FEAT_SENDMSG_LOCKED},
		{"tp_btf/skb_copy_datagram_iovec", RP_BACKEND_OFF, RP_FEAT_SKB_COPY},
		{"tp_btf/tcp_retransmit_skb", RP_BACKEND_OFF, RP_FEAT_RETRANSMIT},
		{"tp_btf/inet_sock_set_state", RP_BACKEND_OFF, RP_FEAT_SOCK_STATE},
		{"tp_btf/sched_switch", RP_BACKEND_OFF, RP_FEAT_SCHED},
		{"tp_btf/sched_wakeup", RP_BACKEND_OFF, RP_FEAT_SCHED},
		{"tp_btf/sched_wakeup_new", RP_BACKEND_OFF, RP_FEAT_SCHED},
		{"tp_btf/sched_migrate_task", RP_BACKEND_OFF, RP_FEAT_SCHED},
		{"tp_btf/softirq_entry", RP_BACKEND_OFF, RP_FEAT_SCHED},
		{"tp_btf/softirq_exit", RP_BACKEND_OFF, RP_FEAT_SCHED},
	};
	size_t i, n;

	for (i = 0; sec && i < sizeof(progs) / sizeof(progs[0]); i++) {
		n = strlen(progs[i].sec);
		if (progs[i].sec[n - 1] == '/' ? strncmp(sec, progs[i].sec, n)
					       : strcmp(sec, progs[i].sec))
			continue;
		if (progs[i].family == RP_BACKEND_OFF)
			return b != RP_BACKEND_OFF && (features & progs[i].feature);
		return progs[i].family == b && (!progs[i].feature || (features & progs[i].feature));
	}
	return false;
}

static void load_failure(enum rp_backend b, const char *e, int err, const char *prog, char *why,
			 size_t len)
{
	if (b == RP_BACKEND_FENTRY && (err == EPERM || err == RP_ENOTSUPP || err == EOPNOTSUPP))
		snprintf(why, len, "%s loading %s (function tracing is blocked or not built in)", e,
			 prog);
	else if (err == EACCES || err == EINVAL)
		snprintf(why, len,
			 "%s loading %s (the verifier rejected it; --verbose shows its log)", e,
			 prog);
	else if (err == EPERM)
		snprintf(why, len, "%s loading %s (not permitted: root, or CAP_BPF+CAP_PERFMON?)",
			 e, prog);
	else
		snprintf(why, len, "%s loading %s", e, prog);
}

void backend_failure(enum rp_backend b, enum rp_stage stage, int err, const char *prog,
		     const struct rp_kernel_facts *k, char *why, size_t len)
{
	char e[24];

	if (err < 0)
		err = -err;
	errno_text(err, e, sizeof(e));
	if (!prog)
		prog = b == RP_BACKEND_OFF ? "the object" : "its programs";
	switch (stage) {
	case RP_STAGE_OPEN:
		snprintf(why, len, "cannot open the BPF object: %s", e);
		break;
	case RP_STAGE_LOAD:
		load_failure(b, e, err, prog, why, len);
		break;
	case RP_STAGE_ATTACH:
		if (b == RP_BACKEND_KPROBE && !k->kprobe_pmu &&
		    (err == ENOENT || err == EOPNOTSUPP || err == RP_ENOTSUPP || err == ENODEV))
			snprintf(why, len, "kernel has no kprobes (attach failed: %s)", e);
		else if (b == RP_BACKEND_FENTRY && (err == EOPNOTSUPP || err == RP_ENOTSUPP))
			/* arm64 got ftrace direct calls, which trampolines need, in 6.4. */
			snprintf(why, len,
				 "%s attaching %s: no BPF trampolines on this kernel "
				 "(arm64 has them since Linux 6.4)",
				 e, prog);
		else
			snprintf(why, len, "%s attaching %s", e, prog);
		break;
	}
}

static bool same_reasons(const struct rp_attempt *att, int n)
{
	int i;

	for (i = 1; i < n; i++)
		if (strcmp(att[i].reason, att[0].reason))
			return false;
	return true;
}

static void join_reasons(const struct rp_attempt *att, int n, char *err, size_t errlen)
{
	size_t used;
	int i;

	used = (size_t)snprintf(err, errlen, "no eBPF backend works:");
	for (i = 0; i < n && used < errlen; i++)
		used += (size_t)snprintf(err + used, errlen - used, "%s %s: %s", i ? ";" : "",
					 backend_name(att[i].backend), att[i].reason);
}

enum rp_backend backend_verdict(enum rp_probe p, const struct rp_attempt *att, int n, char *err,
				size_t errlen)
{
	int i;

	for (i = 0; i < n; i++)
		if (!att[i].err)
			return att[i].backend;
	if (!errlen)
		return RP_BACKEND_OFF;
	if (n == 0)
		snprintf(err, errlen, "no backend requested (--probe off)");
	else if (p != RP_PROBE_AUTO)
		snprintf(err, errlen, "%s backend failed: %s", backend_name(att[0].backend),
			 att[0].reason);
	else if (same_reasons(att, n))
		snprintf(err, errlen, "%s", att[0].reason);
	else
		join_reasons(att, n, err, errlen);
	return RP_BACKEND_OFF;
}
