// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The run's client connections from the kernel view (run_conns.h). */
#include <stdlib.h>
#include <string.h>

#include "run_conns.h"

static int append(struct rp_sock_row **rows, int *n, const struct rp_ksock *k, int nk, bool closed)
{
	struct rp_sock_row *p = realloc(*rows, (size_t)(*n + nk) * sizeof(*p) + 1);

	if (!p)
		return -1;
	*rows = p;
	for (int i = 0; i < nk; i++) {
		sock_row_from(&p[*n], &k[i]);
		p[(*n)++].closed = closed;
	}
	return 0;
}

int run_conns_collect(struct rp_tracer *t, int n, struct rp_sock_row **out)
{
	struct rp_sock_row *rows = NULL;
	int nrows = 0;

	*out = NULL;
	for (int slot = 0; slot < n; slot++) {
		for (int closed = 0; closed < 2; closed++) {
			struct rp_ksock *k = NULL;
			int nk = tracer_read_socks(t, (uint32_t)slot, closed, &k);

			if (nk < 0 || append(&rows, &nrows, k, nk, closed) < 0) {
				free(k);
				free(rows);
				return -1;
			}
			free(k);
		}
	}
	*out = rows;
	return nrows;
}
