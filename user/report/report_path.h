/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The path in the run report: client user | client kernel | wire |
 * server kernel | server user, each figure as that view measured it, and
 * whether they agree (path_check.c). Shown when the server end was traced
 * or the wire watched.
 */
#ifndef REQPERF_REPORT_PATH_H
#define REQPERF_REPORT_PATH_H

#include <stdio.h>

#include "path_check.h"
#include "report.h"

struct json_writer;

/* Pure: what each view measured, from the report. */
void report_path_inputs(const struct rp_report *r, struct rp_path_inputs *in);
/* false when a view that measured a quantity disagrees with another. */
bool report_path_ok(const struct rp_report *r);
void report_path_text(FILE *out, const struct rp_report *r);
void report_path_json(struct json_writer *j, const struct rp_report *r);

#endif
