/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The report's link section: loopback or the --netns veth pair. */
#ifndef REQPERF_REPORT_LINK_H
#define REQPERF_REPORT_LINK_H

#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "report.h"

/* The MSS the workers' sockets saw (TCP_INFO), from the first worker that
 * has one; 0 when none. */
void report_link_mss(const struct rp_report *r, uint32_t *snd, uint32_t *rcv);
/* "link: ..." lines, nothing without r->has_link. */
void report_link_text(FILE *out, const struct rp_report *r);
/* "topology": {...}, nothing without r->has_link. */
void report_link_json(struct json_writer *j, const struct rp_report *r);

#endif /* REQPERF_REPORT_LINK_H */
