// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A growing array (grow.h). */
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

void *grow(void *p, size_t *cap, size_t n, size_t size, size_t first, size_t limit)
{
	size_t want;

	if (n < *cap)
		return p;
	if (limit && n >= limit)
		return NULL;
	want = *cap ? 2 * *cap : (first ? first : 1);
	if (limit && want > limit)
		want = limit;
	if (want <= n || want > SIZE_MAX / size)
		return NULL;
	p = realloc(p, want * size);
	if (p)
		*cap = want;
	return p;
}
