// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A traced socket as a JSON object: `reqperf trace`'s "sockets" and the
 * run report's "connections" share it, so `reqperf join` reads both
 * ends of a connection the same way. */
#include "json.h"
#include "sock_rows.h"

void sock_row_json(struct json_writer *j, const struct rp_sock_row *s)
{
	static const char *const dir[RP_NDIR] = {"send", "recv"};

	json_begin_object(j);
	json_kv_string(j, "local", s->local);
	json_kv_string(j, "remote", s->remote);
	json_kv_u64(j, "pid", s->tgid);
	for (int d = 0; d < RP_NDIR; d++) {
		json_key(j, dir[d]);
		json_begin_object(j);
		json_kv_u64(j, "calls", s->calls[d]);
		json_kv_u64(j, "bytes", s->bytes[d]);
		json_kv_u64(j, "eagain", s->eagain[d]);
		json_kv_u64(j, "untimed", s->untimed[d]);
		if (d == RP_RECV) {
			json_kv_u64(j, "full_queued", s->buffer_limited);
			json_kv_u64(j, "short_empty", s->partial);
			json_kv_u64(j, "short_queued", s->short_queued);
		}
		json_end_object(j);
	}
	json_kv_u64(j, "data_segs_out", s->data_segs_out);
	json_kv_u64(j, "data_segs_in", s->data_segs_in);
	json_kv_u64(j, "retransmits", s->retransmits);
	json_kv_u64(j, "snd_cwnd", s->snd_cwnd);
	json_kv_u64(j, "srtt_us", s->srtt_us);
	json_kv_u64(j, "mss", s->mss);
	json_kv_bool(j, "exact", s->exact);
	json_kv_bool(j, "closed", s->closed);
	json_end_object(j);
}
