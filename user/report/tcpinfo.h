/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* TCP_INFO at a connection's close, folded into struct rp_tcpinfo: the
 * same arithmetic for the workers' sockets and the embedded sink's, by
 * the rp_tcpinfo_family table (tcpinfo.c). */
#ifndef REQPERF_TCPINFO_H
#define REQPERF_TCPINFO_H

#include "report.h"

struct tcp_info; /* <linux/tcp.h>'s, which glibc's <netinet/tcp.h> clashes with */

/* One connection's TCP_INFO as a struct rp_tcpinfo (connections 1). */
void tcpinfo_from(struct rp_tcpinfo *one, const struct tcp_info *ti);
/* one's counters over the connection's life (RP_FF_DELTA) less at's, read
 * at connect: what moved in between, wrapping at the kernel's width. */
void tcpinfo_since(struct rp_tcpinfo *one, const struct rp_tcpinfo *at);
/* Sums a into d field by field by the table's rules (counters add, MSS
 * the largest, cwnd and rtt the last connection's); nothing when a read
 * no connection. */
void tcpinfo_sum(struct rp_tcpinfo *d, const struct rp_tcpinfo *a);
/* A connection's whole TCP_INFO (the sink's: it accepted, so nothing moved
 * before) summed into t. */
void tcpinfo_add_conn(struct rp_tcpinfo *t, const struct tcp_info *ti);
/* getsockopt(TCP_INFO) on fd, then tcpinfo_add_conn(); -1 when it fails. */
int tcpinfo_add_fd(struct rp_tcpinfo *t, int fd);

#endif /* REQPERF_TCPINFO_H */
