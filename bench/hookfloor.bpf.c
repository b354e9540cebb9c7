// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The cost floor of the tracepoint backend's hooks: an empty program on
 * each tracepoint `reqperf run --probe auto [--sched-view]` attaches here
 * (hookfloor.c attaches the scheduler ones only when asked). Whatever these
 * cost (the syscall slow path sys_enter forces on every task, one program
 * invocation per event) no program on the same hooks can avoid; the
 * difference to reqperf's own overhead is what its programs do.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define EMPTY(hook)                               \
	SEC("tp_btf/" #hook)                      \
	int floor_##hook(unsigned long long *ctx) \
	{                                         \
		return 0;                         \
	}

EMPTY(sys_enter)
EMPTY(sock_send_length)
EMPTY(sock_recv_length)
EMPTY(tcp_sendmsg_locked)
EMPTY(skb_copy_datagram_iovec)
EMPTY(tcp_retransmit_skb)
EMPTY(inet_sock_set_state)
EMPTY(sched_switch)
EMPTY(sched_wakeup)
EMPTY(sched_wakeup_new)
EMPTY(sched_migrate_task)
EMPTY(softirq_entry)
EMPTY(softirq_exit)
