/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* reqperf merge: run reports of several client hosts as one report. */
#ifndef REQPERF_MERGE_H
#define REQPERF_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Why two reports cannot be merged: the first difference in version,
 * target, config (skipped with force) or histogram bucket layout, as one
 * line in why. Returns 0 when b may be merged into a. */
int merge_check(const json_t *a, const json_t *b, bool force, char *why, size_t len);

/*
 * One report from n checked reports named names[i] (the host label):
 * the top-level shape of a single run's report plus a "hosts" array.
 * Counters and log2 histograms summed, ns summaries combined exactly
 * (n, min, max, mean, stddev), elapsed_s the longest, rates summed,
 * workers kept with their "host", drops summed, partial if any is.
 * Returns a new reference, or NULL with one line in why.
 */
json_t *merge_reports(json_t *const *docs, const char *const *names, size_t n, char *why,
		      size_t len);

/* Joins a server's `reqperf trace --json` document (named name) to the
 * merged report as its server side: out's "server_trace" with the trace's
 * kernel figures, and the bytes checked against the clients' (server recv
 * == every host's send, server send == every host's recv). Returns 0 when
 * both agree, 1 when they differ, -1 with one line in why when trace is
 * not such a document. */
int merge_server(json_t *out, const json_t *trace, const char *name, char *why, size_t len);

/* The latency histograms' layouts (bucket resolution, corrected or not)
 * agree, and are this build's: 0, or -1 with one line in why. */
int merge_latency_check(const json_t *a, const json_t *b, char *why, size_t len);
/* out's latency_ns summary of the runs' requests (n, min, max, mean and
 * the percentiles) and latency_hist from the n reports' histograms summed:
 * the percentiles one run over all the hosts' requests would report.
 * Returns 0 (also when latency was off), or -1 with one line in why. */
int merge_latency(json_t *out, json_t *const *docs, size_t n, char *why, size_t len);

#endif /* REQPERF_MERGE_H */
