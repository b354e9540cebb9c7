// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The lifecycle join's connections by client port (lifecycle_ports.h). */
#include <stdlib.h>

#include "lifecycle_ports.h"

static int cmp_port(const void *a, const void *b)
{
	const struct lc_port *x = a, *y = b;

	if (x->cport != y->cport)
		return x->cport < y->cport ? -1 : 1;
	return x->cid < y->cid ? -1 : x->cid > y->cid;
}

struct lc_port *lc_ports_index(const struct lc_conn *conns, size_t n)
{
	struct lc_port *byport = malloc((n ? n : 1) * sizeof(*byport));

	if (!byport)
		return NULL;
	for (size_t i = 0; i < n; i++)
		byport[i] = (struct lc_port){conns[i].cport, (uint32_t)i};
	if (n)
		qsort(byport, n, sizeof(*byport), cmp_port);
	return byport;
}

long lc_ports_find(const struct lc_port *byport, const struct lc_conn *conns, size_t n,
		   uint16_t cport, uint32_t seq, bool s2c, uint64_t *off)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (byport[mid].cport < cport)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < n && byport[i].cport == cport; i++) {
		const struct lc_conn *x = &conns[byport[i].cid];
		uint64_t o, ext;

		if (!(s2c ? x->have_s2c : x->have_c2s))
			continue;
		o = (uint32_t)(seq - (s2c ? x->s2c_base : x->c2s_base));
		ext = s2c ? x->s2c_end : x->c2s_end;
		if (o < ext) {
			*off = o;
			return (long)byport[i].cid;
		}
	}
	return -1;
}
