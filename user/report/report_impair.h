/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The --netns impairments in the report: mechanism, parameters, counters. */
#ifndef REQPERF_REPORT_IMPAIR_H
#define REQPERF_REPORT_IMPAIR_H

#include <stdio.h>

#include "json.h"
#include "report.h"

/* Nothing without impairments. */
void report_impair_text(FILE *out, const struct rp_report *r);
/* "impairments": {...} inside the open top-level object. */
void report_impair_json(struct json_writer *j, const struct rp_report *r);

#endif /* REQPERF_REPORT_IMPAIR_H */
