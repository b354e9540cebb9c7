/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The send/recv-family syscalls the tracepoint backend times, and the
 * requested length read from their arguments at sys_enter.
 */
#ifndef REQPERF_SYSCALL_BPF_H
#define REQPERF_SYSCALL_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "reqperf.h"

#if defined(__TARGET_ARCH_x86)
#define RP_NR_READ 0
#define RP_NR_WRITE 1
#define RP_NR_SENDTO 44
#define RP_NR_RECVFROM 45
#define RP_NR_SENDMSG 46
#define RP_NR_RECVMSG 47
#define RP_NR_RECVMMSG 299
#define RP_NR_SENDMMSG 307
#elif defined(__TARGET_ARCH_arm64)
#define RP_NR_READ 63
#define RP_NR_WRITE 64
#define RP_NR_SENDTO 206
#define RP_NR_RECVFROM 207
#define RP_NR_SENDMSG 211
#define RP_NR_RECVMSG 212
#define RP_NR_RECVMMSG 243
#define RP_NR_SENDMMSG 269
#else
#error "reqperf: syscall numbers are known for x86 and arm64 only"
#endif

#define RP_MAX_IOV 8

/* RP_SEND or RP_RECV for the syscalls timed, -1 for any other. */
static __always_inline int rp_syscall_dir(long nr)
{
	switch (nr) {
	case RP_NR_WRITE:
	case RP_NR_SENDTO:
	case RP_NR_SENDMSG:
	case RP_NR_SENDMMSG:
		return RP_SEND;
	case RP_NR_READ:
	case RP_NR_RECVFROM:
	case RP_NR_RECVMSG:
	case RP_NR_RECVMMSG:
		return RP_RECV;
	default:
		return -1;
	}
}

static __always_inline __u32 rp_syscall_multi(long nr)
{
	return nr == RP_NR_SENDMMSG || nr == RP_NR_RECVMMSG;
}

/* Sum of the iovec lengths of a user struct user_msghdr. */
static __always_inline __u64 rp_msghdr_len(const void *umsg)
{
	struct user_msghdr m;
	struct iovec iov;
	__u64 len = 0;
	int i;

	if (bpf_probe_read_user(&m, sizeof(m), umsg))
		return RP_LEN_UNKNOWN;
	if (m.msg_iovlen > RP_MAX_IOV)
		return RP_LEN_UNKNOWN;
#pragma unroll
	for (i = 0; i < RP_MAX_IOV; i++) {
		if (i >= m.msg_iovlen)
			break;
		if (bpf_probe_read_user(&iov, sizeof(iov), &m.msg_iov[i]))
			return RP_LEN_UNKNOWN;
		len += iov.iov_len;
	}
	return len;
}

/* The requested length: the third argument of read, write, sendto and
 * recvfrom; the iovecs of sendmsg and recvmsg; unknown for the mmsg calls,
 * whose lengths differ per message. regs is typed by BTF (tp_btf), so the
 * argument registers are plain loads on x86 (CO-RE reads on arm64). */
static __always_inline __u64 rp_syscall_len(struct pt_regs *regs, long nr)
{
	if (nr == RP_NR_SENDMSG || nr == RP_NR_RECVMSG)
		return rp_msghdr_len((const void *)PT_REGS_PARM2_SYSCALL(regs));
	if (rp_syscall_multi(nr))
		return RP_LEN_UNKNOWN;
	return PT_REGS_PARM3_SYSCALL(regs);
}

#endif /* REQPERF_SYSCALL_BPF_H */
