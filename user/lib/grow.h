/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A growing array: room for one more item, doubling. */
#ifndef REQPERF_GROW_H
#define REQPERF_GROW_H

#include <stddef.h>

/* The array p of n items of size bytes, *cap allocated, with room for one
 * more: p itself while n < *cap, else p reallocated to twice *cap (first
 * items at the start) but never more than limit items (0: no limit), and
 * *cap updated. NULL when out of memory or n has reached limit; p is then
 * still valid and unchanged. */
void *grow(void *p, size_t *cap, size_t n, size_t size, size_t first, size_t limit);

#endif /* REQPERF_GROW_H */
