// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Walks of the socket maps: live (rp_socks) or closed (rp_socks_done). */
#include <stdlib.h>

#include <bpf/libbpf.h>

#include "tracer.h"

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* A key deleted under us makes get_next_key restart from the first key,
 * so the walk may see a key twice: collect, sort, keep each once. */
int tracer_sock_keys(const struct bpf_map *m, __u64 **out)
{
	size_t cap = 2 * (size_t)bpf_map__max_entries(m), n = 0, u = 0;
	__u64 *keys = malloc(cap * sizeof(*keys) + sizeof(*keys));

	*out = NULL;
	if (!keys)
		return -1;
	while (n < cap &&
	       !bpf_map__get_next_key(m, n ? &keys[n - 1] : NULL, &keys[n], sizeof(*keys)))
		n++;
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (!i || keys[i] != keys[i - 1])
			keys[u++] = keys[i];
	*out = keys;
	return (int)u;
}

int tracer_read_socks(struct rp_tracer *t, uint32_t slot, bool closed, struct rp_ksock **out)
{
	const struct bpf_map *m;
	struct rp_ksock *rows;
	__u64 *keys = NULL;
	int n, got = 0;

	*out = NULL;
	m = t ? bpf_object__find_map_by_name(tracer_bpf_object(t),
					     closed ? "rp_socks_done" : "rp_socks")
	      : NULL;
	if (!m)
		return -1;
	n = tracer_sock_keys(m, &keys);
	if (n < 0)
		return -1;
	rows = malloc(((size_t)n + 1) * sizeof(*rows));
	if (!rows) {
		free(keys);
		return -1;
	}
	for (int i = 0; i < n; i++) {
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
