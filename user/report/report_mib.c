// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>

#include "report_mib.h"
#include "report_text.h"

static const char *const end_names[RP_LINK_ENDS] = {
	[RP_LINK_CLIENT] = "client",
	[RP_LINK_SINK] = "sink",
};

void report_mib_text(FILE *out, const struct rp_report *r)
{
	if (!r->config || !r->config->netns)
		return;
	fprintf(out, "tcp_ext (each namespace's /proc/net/netstat; counters not shown are 0):\n");
	for (int e = 0; e < RP_LINK_ENDS; e++) {
		const struct rp_mib *m = &r->mib[e];
		char head[16];
		struct tline l;

		snprintf(head, sizeof(head), "  %-7s", end_names[e]);
		tl_begin(&l, out, head, 9, ", ");
		for (int f = 0; m->read && f < RP_MIB_N; f++)
			if (m->v[f])
				tl_add(&l, "%s %" PRIu64, rp_mib_name(f), m->v[f]);
		if (!m->read)
			tl_add(&l, "not read");
		else if (!l.items)
			tl_add(&l, "all 0");
		tl_end(&l);
	}
}

void report_mib_json(struct json_writer *j, const struct rp_report *r)
{
	if (!r->config || !r->config->netns)
		return;
	json_key(j, "tcp_ext");
	json_begin_object(j);
	for (int e = 0; e < RP_LINK_ENDS; e++) {
		const struct rp_mib *m = &r->mib[e];

		json_key(j, end_names[e]);
		if (!m->read) {
			json_null(j);
			continue;
		}
		json_begin_object(j);
		for (int f = 0; f < RP_MIB_N; f++)
			json_kv_u64(j, rp_mib_name(f), m->v[f]);
		json_end_object(j);
	}
	json_end_object(j);
}
