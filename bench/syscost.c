// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The floor under reqperf's user-side timing on this machine: what two
 * back-to-back CLOCK_MONOTONIC reads cost, and what a syscall that does
 * nothing (getppid) costs when timed the way io.c times send() and recv().
 * Prints one JSON line of per-call costs in ns: the cheapest of several
 * batches' means, since a floor is what is left when nothing interferes.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 21
#define PER_BATCH 50000

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double batch(int with_syscall)
{
	uint64_t sum = 0;

	for (int i = 0; i < PER_BATCH; i++) {
		uint64_t t0 = now_ns();

		if (with_syscall)
			syscall(SYS_getppid);
		sum += now_ns() - t0;
	}
	return (double)sum / PER_BATCH;
}

static double floor_of(int with_syscall)
{
	double min = batch(with_syscall);

	for (int i = 1; i < BATCHES; i++) {
		double v = batch(with_syscall);

		if (v < min)
			min = v;
	}
	return min;
}

int main(void)
{
	double pair = floor_of(0);
	double call = floor_of(1);

	printf("{\"clock_pair_ns\": %.1f, \"getppid_ns\": %.1f}\n", pair, call);
	return 0;
}
