/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Where the tracepoint backend starts a call: the syscalls that can move
 * bytes through a TCP socket (one table lookup at sys_enter), and the
 * io_uring requests that can (one table lookup at io_uring_submit_req);
 * the requested length read from their arguments; and the syscall a socket
 * return happens in, so a start left by another syscall is never used.
 */
#ifndef REQPERF_SYSCALL_BPF_H
#define REQPERF_SYSCALL_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "reqperf.h"

#if defined(__TARGET_ARCH_x86)
#define RP_NR_READ 0
#define RP_NR_WRITE 1
#define RP_NR_READV 19
#define RP_NR_WRITEV 20
#define RP_NR_SENDFILE 40
#define RP_NR_SENDTO 44
#define RP_NR_RECVFROM 45
#define RP_NR_SENDMSG 46
#define RP_NR_RECVMSG 47
#define RP_NR_SPLICE 275
#define RP_NR_RECVMMSG 299
#define RP_NR_SENDMMSG 307
#define RP_NR_PREADV2 327
#define RP_NR_PWRITEV2 328
#elif defined(__TARGET_ARCH_arm64)
#define RP_NR_READ 63
#define RP_NR_WRITE 64
#define RP_NR_READV 65
#define RP_NR_WRITEV 66
#define RP_NR_SENDFILE 71
#define RP_NR_SPLICE 76
#define RP_NR_SENDTO 206
#define RP_NR_RECVFROM 207
#define RP_NR_SENDMSG 211
#define RP_NR_RECVMSG 212
#define RP_NR_RECVMMSG 243
#define RP_NR_SENDMMSG 269
#define RP_NR_PREADV2 286
#define RP_NR_PWRITEV2 287
#else
#error "reqperf: syscall numbers are known for x86 and arm64 only"
#endif

#define RP_NR_SLOTS 512 /* above every number in the table */
#define RP_MAX_IOV 8

/* A table entry: the direction + 1 in the low bits (0: not a start), how
 * the requested length is read, and whether one syscall makes several
 * socket calls (each then starts where the previous one returned). */
#define RP_K_SEND 1
#define RP_K_RECV 2
#define RP_K_DIR 3
#define RP_K_MULTI 4
#define RP_K_LEN_ARG3 0 /* the third argument */
#define RP_K_LEN_MSG 8 /* the struct msghdr's iovecs (second argument) */
#define RP_K_LEN_IOV 16 /* an iovec array and its count (second, third) */
#define RP_K_LEN_NONE 24 /* not known per socket call */
#define RP_K_LEN 24
#define RP_K_EXIT 32 /* may end at sys_exit instead (rp_sys_exit_on) */

/* The loader sets it when the sys_exit program is loaded. */
const volatile __u32 rp_sys_exit_on = 0;
/* ... and this one too on 6.3/6.4: sendfile and splice into a socket go
 * through sock_sendpage there, which has no sock_send_length, so they end
 * at sys_exit (the test suite sets it on newer kernels to run that path). */
const volatile __u32 rp_sendpage_at_exit = 0;

/* sendfile and splice hand the socket one batch of pages per call (6.5+:
 * sock_sendmsg with MSG_SPLICE_PAGES; before: tcp_sendpage per page). A
 * splice from a socket reaches no socket tracepoint: with the sys_exit
 * program loaded it is one recv call from sys_enter to sys_exit
 * (docs/kernel-time.md). */
const volatile __u8 rp_sys_kind[RP_NR_SLOTS] = {
	[RP_NR_WRITE] = RP_K_SEND | RP_K_LEN_ARG3,
	[RP_NR_SENDTO] = RP_K_SEND | RP_K_LEN_ARG3,
	[RP_NR_SENDMSG] = RP_K_SEND | RP_K_LEN_MSG,
	[RP_NR_SENDMMSG] = RP_K_SEND | RP_K_LEN_NONE | RP_K_MULTI,
	[RP_NR_WRITEV] = RP_K_SEND | RP_K_LEN_IOV,
	[RP_NR_PWRITEV2] = RP_K_SEND | RP_K_LEN_IOV,
	[RP_NR_SENDFILE] = RP_K_SEND | RP_K_LEN_NONE | RP_K_MULTI | RP_K_EXIT,
	[RP_NR_SPLICE] = RP_K_SEND | RP_K_LEN_NONE | RP_K_MULTI | RP_K_EXIT,
	[RP_NR_READ] = RP_K_RECV | RP_K_LEN_ARG3,
	[RP_NR_RECVFROM] = RP_K_RECV | RP_K_LEN_ARG3,
	[RP_NR_RECVMSG] = RP_K_RECV | RP_K_LEN_MSG,
	[RP_NR_RECVMMSG] = RP_K_RECV | RP_K_LEN_NONE | RP_K_MULTI,
	[RP_NR_READV] = RP_K_RECV | RP_K_LEN_IOV,
	[RP_NR_PREADV2] = RP_K_RECV | RP_K_LEN_IOV,
};

/* io_uring opcodes that may reach a socket (enum io_uring_op, stable
 * uapi numbers). The request starts at its submission; its first issue
 * runs inline in the submitting thread, right after io_uring_submit_req. */
#define RP_URING_OPS 64
const volatile __u8 rp_uring_kind[RP_URING_OPS] = {
	[1] = RP_K_RECV, /* READV */
	[2] = RP_K_SEND, /* WRITEV */
	[4] = RP_K_RECV, /* READ_FIXED */
	[5] = RP_K_SEND, /* WRITE_FIXED */
	[9] = RP_K_SEND, /* SENDMSG */
	[10] = RP_K_RECV, /* RECVMSG */
	[22] = RP_K_RECV, /* READ */
	[23] = RP_K_SEND, /* WRITE */
	[26] = RP_K_SEND, /* SEND */
	[27] = RP_K_RECV, /* RECV */
	[30] = RP_K_SEND, /* SPLICE (into a socket) */
	[47] = RP_K_SEND, /* SEND_ZC */
	[48] = RP_K_SEND, /* SENDMSG_ZC */
	[49] = RP_K_RECV, /* READ_MULTISHOT */
	[60] = RP_K_RECV, /* READV_FIXED */
	[61] = RP_K_SEND, /* WRITEV_FIXED */
};

/* The entry's direction (RP_SEND/RP_RECV) from a table entry. */
static __always_inline __u32 rp_kind_dir(__u8 kind)
{
	return (kind & RP_K_DIR) == RP_K_SEND ? RP_SEND : RP_RECV;
}

/* The table entry of syscall nr; 0 for syscalls that start no call. */
static __always_inline __u8 rp_syscall_kind(long nr)
{
	if ((unsigned long)nr >= RP_NR_SLOTS)
		return 0;
	return rp_sys_kind[nr];
}

/* The syscall number in BTF-typed registers (sys_enter, sys_exit, a
 * task's): a plain (guarded) load, not a bpf_probe_read_kernel() call. */
static __always_inline __u32 rp_regs_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return (__u32)regs->orig_ax;
#else
	return (__u32)regs->syscallno;
#endif
}

/* The syscall task (the current thread) is in: its user registers'
 * syscall number; -1 or garbage in a kernel thread such as an io-wq
 * worker. */
static __always_inline __u32 rp_current_nr(struct task_struct *task)
{
	return rp_regs_nr((struct pt_regs *)bpf_task_pt_regs(task));
}

/* Sum of count iovec lengths at a user address; unknown beyond RP_MAX_IOV. */
static __always_inline __u64 rp_iov_len(const struct iovec *uiov, __u64 count)
{
	struct iovec iov;
	__u64 len = 0;
	int i;

	if (count > RP_MAX_IOV)
		return RP_LEN_UNKNOWN;
#pragma unroll
	for (i = 0; i < RP_MAX_IOV; i++) {
		if (i >= count)
			break;
		if (bpf_probe_read_user(&iov, sizeof(iov), &uiov[i]))
			return RP_LEN_UNKNOWN;
		len += iov.iov_len;
	}
	return len;
}

/* Sum of the iovec lengths of a user struct user_msghdr. */
static __always_inline __u64 rp_msghdr_len(const void *umsg)
{
	struct user_msghdr m;

	if (bpf_probe_read_user(&m, sizeof(m), umsg))
		return RP_LEN_UNKNOWN;
	return rp_iov_len(m.msg_iov, m.msg_iovlen);
}

/* The requested length as the table entry says to read it. regs is typed
 * by BTF (tp_btf), so the argument registers are plain loads on x86
 * (CO-RE reads on arm64). */
static __always_inline __u64 rp_syscall_len(struct pt_regs *regs, __u8 kind)
{
	switch (kind & RP_K_LEN) {
	case RP_K_LEN_ARG3:
		return PT_REGS_PARM3_SYSCALL(regs);
	case RP_K_LEN_MSG:
		return rp_msghdr_len((const void *)PT_REGS_PARM2_SYSCALL(regs));
	case RP_K_LEN_IOV:
		return rp_iov_len((const struct iovec *)PT_REGS_PARM2_SYSCALL(regs),
				  PT_REGS_PARM3_SYSCALL(regs));
	default:
		return RP_LEN_UNKNOWN;
	}
}

#endif /* REQPERF_SYSCALL_BPF_H */
