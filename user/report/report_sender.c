// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Where a sender was limited, from TCP_INFO's chrono counters (text). */
#include <inttypes.h>

#include "report_sender.h"
#include "report_text.h"
#include "schema.h"

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

void report_sender_text(FILE *out, const char *head, int indent, const struct rp_tcpinfo *t)
{
	struct tline l;

	tl_begin(&l, out, head, indent, ", ");
	tl_add(&l, "busy %.3f ms", (double)t->busy_us / 1e3);
	tl_add(&l, "rwnd-limited %.3f ms (%.1f%%)", (double)t->rwnd_limited_us / 1e3,
	       pct(t->rwnd_limited_us, t->busy_us));
	tl_add(&l, "sndbuf-limited %.3f ms (%.1f%%)", (double)t->sndbuf_limited_us / 1e3,
	       pct(t->sndbuf_limited_us, t->busy_us));
	tl_add(&l, "delivery rate max %.1f Mbit/s", (double)t->delivery_rate_max * 8 / 1e6);
	tl_add(&l, "srtt %.3f ms (last closed)", (double)t->rtt_us / 1e3);
	tl_add(&l, "reordering seen %" PRIu64, t->reord_seen);
	tl_end(&l);
}

void report_sink_tcp_text(FILE *out, const struct rp_tcpinfo *t)
{
	struct tline l;

	tl_begin(&l, out, "sink tcp_info: ", 6, ", ");
	family_text_items(&l, &rp_tcpinfo_family, t, RP_FF_DELTA, RP_FF_DELTA, ~0u);
	tl_end(&l);
	report_sender_text(out, "  sender ", 6, t);
}
