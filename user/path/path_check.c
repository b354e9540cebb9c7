// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Conservation along the path, view by view. */
#include <string.h>

#include "path_check.h"

const char *const rp_view_names[RP_NVIEWS] = {"client_user",  "client_kernel", "wire_sent",
					      "wire_arrived", "server_kernel", "server_user"};

static void close_check(struct rp_path_check *k)
{
	bool first = true;
	uint64_t v = 0;

	k->ok = true;
	for (int i = 0; i < RP_NVIEWS; i++) {
		if (!k->have[i])
			continue;
		if (!first && k->v[i] != v)
			k->ok = false;
		v = k->v[i];
		first = false;
	}
}

static const char *const what[RP_PATH_NCHECKS] = {"bytes c->s", "bytes s->c", "data segments c->s",
						  "data segments s->c"};

int path_check_index(const char *key)
{
	for (int i = 0; key && i < RP_PATH_NCHECKS; i++)
		if (!strcmp(key, what[i]))
			return i;
	return -1;
}

int path_checks(const struct rp_path_inputs *in, struct rp_path_check out[RP_PATH_NCHECKS])
{
	memset(out, 0, sizeof(*out) * RP_PATH_NCHECKS);
	for (int d = 0; d < 2; d++) {
		struct rp_path_check *b = &out[d], *s = &out[2 + d];

		b->what = what[d];
		s->what = what[2 + d];
		for (int v = 0; v < RP_NVIEWS; v++) {
			b->have[v] = in->have_bytes[v];
			b->v[v] = in->have_bytes[v] ? in->bytes[v][d] : 0;
			s->have[v] = in->have_segs[v][d];
			s->v[v] = in->have_segs[v][d] ? in->segs[v][d] : 0;
		}
		close_check(b);
		close_check(s);
	}
	return RP_PATH_NCHECKS;
}

bool path_ok(const struct rp_path_inputs *in)
{
	struct rp_path_check k[RP_PATH_NCHECKS];
	int n = path_checks(in, k);

	for (int i = 0; i < n; i++)
		if (!k[i].ok)
			return false;
	return true;
}
