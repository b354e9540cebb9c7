/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The JSON report's kernel sections, shared by `reqperf run --json` and
 * `reqperf trace --json` so both have one schema.
 */
#ifndef REQPERF_REPORT_JSON_H
#define REQPERF_REPORT_JSON_H

#include "json.h"
#include "report.h"

/* key: {"send": CALLS, "recv": CALLS}; kernel adds the kernel figures,
 * pct the percentiles. */
void report_json_side(struct json_writer *j, const char *key, const struct rp_calls *c, bool kernel,
		      bool pct, unsigned features);
/* "ktcp": the sockets' figures. */
void report_json_ktcp(struct json_writer *j, const struct rp_ktcp *k, unsigned features);
/* "features" and "drops" of r. */
void report_json_features(struct json_writer *j, const struct rp_report *r);
/* "cpus": r's per-CPU kernel calls. */
void report_json_cpus(struct json_writer *j, const struct rp_report *r);

#endif /* REQPERF_REPORT_JSON_H */
