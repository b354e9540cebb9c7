/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* TCP_INFO at a connection's close, folded into struct rp_tcpinfo: the
 * same arithmetic for the workers' sockets and the embedded sink's. */
#ifndef REQPERF_TCPINFO_H
#define REQPERF_TCPINFO_H

#include "report.h"

struct tcp_info; /* <linux/tcp.h>'s, which glibc's <netinet/tcp.h> clashes with */

/* Where the sender was limited, over the connection's life (TCP_INFO's
 * chrono counters, µs) and its highest delivery rate: added to t. */
void tcpinfo_add_sender(struct rp_tcpinfo *t, const struct tcp_info *ti);
/* One more connection read: its MSS (the largest kept), its cwnd and rtt
 * (the last kept) and tcpinfo_add_sender(); the caller adds the counters. */
void tcpinfo_add_path(struct rp_tcpinfo *t, const struct tcp_info *ti);
/* A connection's whole TCP_INFO (the sink's: it accepted, so nothing moved
 * before): counters added to t, then tcpinfo_add_path(). */
void tcpinfo_add_conn(struct rp_tcpinfo *t, const struct tcp_info *ti);
/* getsockopt(TCP_INFO) on fd, then tcpinfo_add_conn(); -1 when it fails. */
int tcpinfo_add_fd(struct rp_tcpinfo *t, int fd);
/* Sums a into d (the sink's threads). */
void tcpinfo_sum(struct rp_tcpinfo *d, const struct rp_tcpinfo *a);

#endif /* REQPERF_TCPINFO_H */
