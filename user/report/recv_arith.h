/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Recv calls against responses: what each recv call did (user side, from
 * its return value and the responses it completed) and the arithmetic
 * that always closes. Pure; io.c classifies with it, the report sums it.
 *
 *   recv calls - responses (signed)
 *     = buffer-full + short + eagain + failed - surplus
 *   surplus = responses - completing calls (0 when no call completed two)
 */
#ifndef REQPERF_RECV_ARITH_H
#define REQPERF_RECV_ARITH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A recv call's outcome as the caller sees it (no kernel state). */
enum rp_recv_outcome {
	RP_RO_COMPLETING = 0, /* completed one or more responses */
	RP_RO_FULL_BUFFER, /* returned all bytes asked, no response ended */
	RP_RO_SHORT, /* returned fewer bytes than asked, no response ended */
	RP_RO_EAGAIN, /* nothing to read */
	RP_RO_FAILED, /* an error or end-of-file */
	RP_NRO,
};

/* ret: recv's return (bytes, 0 for EOF, -1 with err), asked: its length,
 * completed: responses the call's bytes completed. */
enum rp_recv_outcome recv_outcome(long ret, int err, size_t asked, uint64_t completed);
/* The name used in every report (text, JSON keys with '_', CSV). */
const char *recv_outcome_name(enum rp_recv_outcome o);

/* The counters a worker keeps. */
struct rp_recv_tally {
	uint64_t calls;
	uint64_t responses;
	uint64_t outcome[RP_NRO];
	uint64_t multi_calls; /* completing calls that completed two or more */
};

void recv_tally_add(struct rp_recv_tally *t, enum rp_recv_outcome o, uint64_t completed);

struct rp_recv_arith {
	int64_t extra; /* calls - responses: negative with multi-response calls */
	uint64_t calls;
	uint64_t responses;
	uint64_t full_buffer, short_reads, eagain, failed;
	uint64_t completing;
	uint64_t multi_calls; /* calls that completed two or more responses */
	uint64_t surplus; /* responses beyond one per completing call */
	double responses_per_call; /* 0 without calls */
	double calls_per_response; /* 0 without responses */
	bool closes; /* extra == full + short + eagain + failed - surplus and
		      * the outcomes sum to the calls */
};

/* From a tally. A tally whose outcomes do not sum to its calls (counters
 * from elsewhere) gives closes = false, never a clamped figure. */
void recv_arith(const struct rp_recv_tally *t, struct rp_recv_arith *a);

#endif /* REQPERF_RECV_ARITH_H */
