// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Recv outcomes and the recv-calls-versus-responses arithmetic. */
#include <errno.h>
#include <string.h>

#include "recv_arith.h"

enum rp_recv_outcome recv_outcome(long ret, int err, size_t asked, uint64_t completed)
{
	if (completed)
		return RP_RO_COMPLETING;
	if (ret < 0)
		return err == EAGAIN || err == EWOULDBLOCK ? RP_RO_EAGAIN : RP_RO_FAILED;
	if (ret == 0)
		return RP_RO_FAILED;
	return (size_t)ret >= asked ? RP_RO_FULL_BUFFER : RP_RO_SHORT;
}

const char *recv_outcome_name(enum rp_recv_outcome o)
{
	static const char *const names[RP_NRO] = {
		[RP_RO_COMPLETING] = "completing", [RP_RO_FULL_BUFFER] = "full-buffer",
		[RP_RO_SHORT] = "short",	   [RP_RO_EAGAIN] = "eagain",
		[RP_RO_FAILED] = "failed",
	};

	return (unsigned)o < RP_NRO ? names[o] : "?";
}

void recv_tally_add(struct rp_recv_tally *t, enum rp_recv_outcome o, uint64_t completed)
{
	t->calls++;
	t->responses += completed;
	t->outcome[o < RP_NRO ? o : RP_RO_FAILED]++;
	if (completed > 1)
		t->multi_calls++;
}

void recv_arith(const struct rp_recv_tally *t, struct rp_recv_arith *a)
{
	uint64_t sum = 0, parts;

	memset(a, 0, sizeof(*a));
	a->calls = t->calls;
	a->responses = t->responses;
	a->completing = t->outcome[RP_RO_COMPLETING];
	a->full_buffer = t->outcome[RP_RO_FULL_BUFFER];
	a->short_reads = t->outcome[RP_RO_SHORT];
	a->eagain = t->outcome[RP_RO_EAGAIN];
	a->failed = t->outcome[RP_RO_FAILED];
	a->multi_calls = t->multi_calls;
	a->extra = (int64_t)t->calls - (int64_t)t->responses;
	if (t->responses > a->completing)
		a->surplus = t->responses - a->completing;
	if (t->calls)
		a->responses_per_call = (double)t->responses / (double)t->calls;
	if (t->responses)
		a->calls_per_response = (double)t->calls / (double)t->responses;
	for (int i = 0; i < RP_NRO; i++)
		sum += t->outcome[i];
	parts = a->full_buffer + a->short_reads + a->eagain + a->failed;
	a->closes = sum == t->calls && a->responses >= a->completing &&
		    a->extra == (int64_t)parts - (int64_t)a->surplus &&
		    (a->surplus == 0) == (a->multi_calls == 0) && a->multi_calls <= a->surplus;
}
