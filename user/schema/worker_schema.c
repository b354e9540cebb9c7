// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A worker's own counters described once (struct rp_wcounts, report.h):
 * kept by the worker's I/O loop, handed over whole (driver/run/collect.c),
 * summed into the totals (report.c), the worker's JSON object and CSV
 * row, and its text line (labelled fields, shown when not 0) walk this
 * table. Table order is the JSON and CSV order.
 */
#include "report.h"
#include "schema.h"

#define W(m, flags_) RP_FIELD(rp_wcounts, m, #m, RP_FK_U64, RP_MERGE_SUM), .flags = flags_

static const struct rp_field worker_fields[] = {
	{W(requests, RP_FF_TOTAL), .unit = "requests", .what = "requests written whole"},
	{W(responses, RP_FF_TOTAL), .unit = "responses",
	 .what = "responses received whole and parsed"},
	{W(crc_errors, RP_FF_TOTAL), .unit = "responses",
	 .what = "bodies whose CRC32 differs from X-Body-CRC32 (a server without it: from the "
		 "first body; echo: wrong bytes)"},
	{W(body_bytes, 0), .unit = "bytes", .what = "body bytes verified by CRC32"},
	{W(reconnects, 0), .label = "reconnects", .unit = "connections",
	 .what = "connections reopened (the server closed, or asked to)"},
	{W(errors, RP_FF_TOTAL), .label = "errors", .unit = "errors",
	 .what = "errors met: calls failed, bad or unasked responses (the first one's text: "
		 "error)"},
	{W(response_timeouts, 0), .label = "TIMED OUT", .unit = "connections",
	 .what = "connections cut: a response took longer than --response-timeout"},
	{W(extra_responses, 0), .label = "EXTRA RESPONSES", .unit = "responses",
	 .what = "responses beyond the requests sent (the server answered unasked)"},
	{W(outstanding, 0), .label = "outstanding", .unit = "requests",
	 .what = "requests never answered when the run ended"},
};

const struct rp_family rp_worker_family = {
	"worker",
	worker_fields,
	sizeof(worker_fields) / sizeof(worker_fields[0]),
	sizeof(struct rp_wcounts),
};
