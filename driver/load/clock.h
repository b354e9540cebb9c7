/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The clock every user-side time is read from: CLOCK_MONOTONIC, in ns. */
#ifndef REQPERF_CLOCK_H
#define REQPERF_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The same clock in ms, signed so that deadline - now_ms() may go below 0. */
static inline int64_t now_ms(void)
{
	return (int64_t)(now_ns() / 1000000);
}

#endif /* REQPERF_CLOCK_H */
