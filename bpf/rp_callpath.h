/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --call-path: the layout shared by rp_callpath.bpf.c and user space
 * (user/callpath*.c). One record per send/recv syscall of the run's
 * workers, with the time of each hook the call passed.
 */
#ifndef REQPERF_CALLPATH_H
#define REQPERF_CALLPATH_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* One call, CLOCK_MONOTONIC ns (the clock the workers read); 0: the call
 * did not pass that hook. */
struct rp_cp_rec {
	__u64 enter_ns; /* sys_enter */
	__u64 tcp_ns; /* first tcp_sendmsg_locked / skb_copy_datagram_iovec */
	__u64 sock_ns; /* last sock_send_length / sock_recv_length */
	__u64 exit_ns; /* sys_exit */
	__s64 ret; /* the syscall's return */
	__u32 tid;
	__u32 dir; /* enum rp_dir */
};

/* What the programs could not record. */
enum rp_cp_drop {
	RP_CP_DROP_RING = 0, /* ring buffer full: a call's record lost */
	RP_CP_DROP_TASK = 1, /* no task storage: a call not followed */
	RP_CP_NDROPS = 2,
};

#endif /* REQPERF_CALLPATH_H */
