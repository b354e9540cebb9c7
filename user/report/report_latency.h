/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Request latency in the text and JSON reports (the CSV columns are in
 * report_csv.c): per worker and in total, corrected and uncorrected with
 * --rate, whether the schedule was kept, the --interval series. */
#ifndef REQPERF_REPORT_LATENCY_H
#define REQPERF_REPORT_LATENCY_H

#include <stdio.h>

#include "json.h"
#include "report.h"

/* The run's latency percentiles; per_worker (--detail): a row per worker
 * before the total. */
void report_latency_text(FILE *out, const struct rp_report *r, bool per_worker);
/* The worker's "latency" member. */
void report_latency_worker_json(struct json_writer *j, const struct rp_lat_report *l);
/* The run's "latency" and "intervals" members. */
void report_latency_json(struct json_writer *j, const struct rp_report *r);

#endif /* REQPERF_REPORT_LATENCY_H */
