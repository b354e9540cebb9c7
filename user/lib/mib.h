/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The kernel's own TCP counters (the TcpExt lines of /proc/net/netstat) of
 * each --netns namespace: only the run's connections live there, so the
 * counters at the end of the run are the run's, exactly. An independent
 * view next to the retransmission classes (impair.h), TCP_INFO and the
 * Nagle / delayed-ACK stall count. Pure parsing; driver/run/netns.c reads.
 */
#ifndef REQPERF_MIB_H
#define REQPERF_MIB_H

#include <stdbool.h>
#include <stdint.h>

/* The counters kept, in report order (their kernel names: rp_mib_name). */
enum rp_mib_field {
	RP_MIB_OFO_QUEUE, /* TCPOFOQueue */
	RP_MIB_SACK_REORDER, /* TCPSACKReorder */
	RP_MIB_TS_REORDER, /* TCPTSReorder */
	RP_MIB_RENO_REORDER, /* TCPRenoReorder */
	RP_MIB_FAST_RETRANS, /* TCPFastRetrans */
	RP_MIB_SLOW_START_RETRANS, /* TCPSlowStartRetrans */
	RP_MIB_TIMEOUTS, /* TCPTimeouts */
	RP_MIB_LOSS_PROBES, /* TCPLossProbes */
	RP_MIB_SPURIOUS_RTOS, /* TCPSpuriousRTOs */
	RP_MIB_DSACK_RECV, /* TCPDSACKRecv */
	RP_MIB_DSACK_OFO_RECV, /* TCPDSACKOfoRecv */
	RP_MIB_DSACK_SENT, /* TCPDSACKOldSent */
	RP_MIB_DELAYED_ACKS, /* DelayedACKs */
	RP_MIB_DELAYED_ACK_LOST, /* DelayedACKLost */
	RP_MIB_N
};

struct rp_mib {
	bool read; /* the namespace's counters were read */
	uint64_t v[RP_MIB_N];
};

/* The kernel's name ("TCPOFOQueue") and what it counts, in a few words. */
const char *rp_mib_name(int f);
const char *rp_mib_what(int f);

/* Fills m from the text of /proc/net/netstat (every "TcpExt:" name line
 * followed by its value line); counters the kernel lacks stay 0. Returns
 * the number of kept counters found, -1 when there is no TcpExt pair. */
int mib_parse(struct rp_mib *m, const char *text);

#endif /* REQPERF_MIB_H */
