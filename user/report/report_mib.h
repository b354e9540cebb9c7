/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The --netns namespaces' TcpExt counters (mib.h) in the text and JSON
 * reports: the kernel's names, one line per end. */
#ifndef REQPERF_REPORT_MIB_H
#define REQPERF_REPORT_MIB_H

#include <stdio.h>

#include "json.h"
#include "report.h"

void report_mib_text(FILE *out, const struct rp_report *r);
/* "tcp_ext": {"client": {"TCPOFOQueue": N, ...}, "sink": {...}} (only
 * with --netns; an end whose counters could not be read is null). */
void report_mib_json(struct json_writer *j, const struct rp_report *r);

#endif /* REQPERF_REPORT_MIB_H */
