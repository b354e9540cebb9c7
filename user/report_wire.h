/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The wire view's part of the run report: its inputs gathered from the
 * other views, then rendered (wire_report.c). */
#ifndef REQPERF_REPORT_WIRE_H
#define REQPERF_REPORT_WIRE_H

#include <stdio.h>

#include "report.h"

struct json_writer;

/* Pure: the client's, the kernel's and the sink's figures the checks
 * compare with the wire. */
void report_wire_inputs(const struct rp_report *r, struct rp_wire_inputs *in);
/* false when the wire view ran and a check found the views differ. */
bool report_wire_ok(const struct rp_report *r);
void report_wire_text(FILE *out, const struct rp_report *r);
void report_wire_json(struct json_writer *j, const struct rp_report *r);

#endif
