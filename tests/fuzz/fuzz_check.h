/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What the fuzz targets share: a check that aborts (libFuzzer saves the
 * input as a crash), and the cut sizes one input is fed with. */
#ifndef REQPERF_FUZZ_CHECK_H
#define REQPERF_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                                         \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                 \
		}                                                                                \
	} while (0)

/* Whole, byte by byte, and in pieces of a size the input's first byte
 * picks: a parser that accepts input split anywhere must not tell these
 * apart. */
#define FUZZ_NCUTS 3

static inline size_t fuzz_cut(int i, unsigned char ctrl)
{
	if (i == 0)
		return (size_t)-1;
	if (i == 1)
		return 1;
	return 2 + ctrl % 61;
}

#endif /* REQPERF_FUZZ_CHECK_H */
