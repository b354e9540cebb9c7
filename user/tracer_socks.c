// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Reads one slot's socket entries: live (rp_socks) or closed (rp_socks_done). */
#include <stdlib.h>

#include <bpf/libbpf.h>

#include "tracer.h"

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* A key deleted under us makes get_next_key restart from the first key,
 * so the walk may see a key twice: collect, sort, read each once. */
int tracer_read_socks(struct rp_tracer *t, uint32_t slot, bool closed, struct rp_ksock **out)
{
	const struct bpf_map *m;
	struct rp_ksock *rows;
	size_t cap, n = 0;
	__u64 *keys;
	int got = 0;

	*out = NULL;
	m = t ? bpf_object__find_map_by_name(tracer_bpf_object(t),
					     closed ? "rp_socks_done" : "rp_socks")
	      : NULL;
	if (!m)
		return -1;
	cap = 2 * (size_t)bpf_map__max_entries(m);
	keys = malloc(cap * sizeof(*keys));
	rows = malloc(cap / 2 * sizeof(*rows));
	if (!keys || !rows) {
		free(keys);
		free(rows);
		return -1;
	}
	while (n < cap &&
	       !bpf_map__get_next_key(m, n ? &keys[n - 1] : NULL, &keys[n], sizeof(*keys)))
		n++;
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (size_t i = 0; i < n && (size_t)got < cap / 2; i++) {
		if (i && keys[i] == keys[i - 1])
			continue;
		if (bpf_map__lookup_elem(m, &keys[i], sizeof(keys[i]), &rows[got], sizeof(*rows),
					 0))
			continue; /* closed meanwhile: it is in rp_closed now */
		if (rows[got].slot == slot)
			got++;
	}
	free(keys);
	*out = rows;
	return got;
}
