/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* TCP_INFO's sender view in the text report: busy, rwnd- and sndbuf-limited
 * time, delivery rate; the embedded sink's sockets too. */
#ifndef REQPERF_REPORT_SENDER_H
#define REQPERF_REPORT_SENDER_H

#include <stdio.h>

#include "report.h"

void report_sender_text(FILE *out, const char *head, int indent, const struct rp_tcpinfo *t);
/* "sink tcp_info: ..." and its sender line. */
void report_sink_tcp_text(FILE *out, const struct rp_tcpinfo *t);

#endif /* REQPERF_REPORT_SENDER_H */
