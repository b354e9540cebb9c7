// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The wire view's counters described once (rp_wire_fields: the text rows
 * and the JSON keys walk it) and summed over CPUs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "wire_report.h"

#define F(field, doc)                                            \
	{                                                        \
#field, offsetof(struct rp_wire_cnt, field), doc \
	}

const struct rp_wire_field rp_wire_fields[] = {
	F(packets, "skbs at the hook; a GSO or GRO skb is one"),
	F(segs, "TCP segments: gso_segs of a GSO skb, else 1"),
	F(bytes, "TCP payload bytes, retransmissions included"),
	F(data_packets, "skbs carrying payload"),
	F(data_segs, "segments of the skbs carrying payload"),
	F(gso_packets, "skbs of more than one segment"),
	F(gso_size_sum, "gso_size summed over those skbs"),
	F(pure_acks, "ACK only: no payload, no SYN, FIN or RST"),
	F(syn, "packets with SYN"),
	F(fin, "packets with FIN"),
	F(rst, "packets with RST"),
	F(retrans_packets, "data skbs starting below the highest sequence number seen: "
			   "retransmitted, or (arriving) reordered"),
	F(retrans_bytes, "payload bytes below that number"),
	F(new_bytes, "payload bytes above it: each byte once, whatever the order"),
};
const size_t rp_wire_nfields = sizeof(rp_wire_fields) / sizeof(rp_wire_fields[0]);

static const char *const at_names[RP_WIRE_NPLACES] = {"tx", "rx"};
static const char *const dir_names[RP_WIRE_NDIR] = {"c2s", "s2c"};
static const char *const drop_names[RP_WIRE_NDROPS] = {"flow_map_full", "pcap_not_written",
						       "unreadable", "packet_events_lost"};

void wire_sum_slot(struct rp_wire_slot *sum, const struct rp_wire_slot *cpu)
{
	const uint64_t *a = (const uint64_t *)cpu;
	uint64_t *s = (uint64_t *)sum;

	/* struct rp_wire_slot is u64 counters only. */
	for (size_t i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
		s[i] += a[i];
}

uint64_t wire_net_bytes(const struct rp_wire_cnt *c)
{
	return c->new_bytes;
}

/* ---- text ---- */

static void text_row(FILE *out, const char *name, const struct rp_wire_report *w, size_t off)
{
	fprintf(out, "  %-16s", name);
	for (int d = 0; d < RP_WIRE_NDIR; d++)
		for (int at = 0; at < (w->loopback ? 1 : RP_WIRE_NPLACES); at++)
			fprintf(out, " %14" PRIu64,
				*(const uint64_t *)((const char *)&w->sum.c[at][d] + off));
	fputc('\n', out);
}

void wire_report_text(FILE *out, const struct rp_wire_report *w)
{
	if (!w->on)
		return;
	fprintf(out, "\nwire: tc on %s, %" PRIu64 " connection%s followed\n", w->ifaces, w->flows,
		w->flows == 1 ? "" : "s");
	fprintf(out, "  %-16s", "");
	for (int d = 0; d < RP_WIRE_NDIR; d++)
		for (int at = 0; at < (w->loopback ? 1 : RP_WIRE_NPLACES); at++)
			fprintf(out, " %14s",
				w->loopback ? (d ? "server->client" : "client->server")
					    : (d ? (at ? "s->c arrived" : "s->c sent")
						 : (at ? "c->s arrived" : "c->s sent")));
	fputc('\n', out);
	for (size_t i = 0; i < rp_wire_nfields; i++)
		text_row(out, rp_wire_fields[i].name, w, rp_wire_fields[i].off);
	for (int i = 0; i < RP_WIRE_NDROPS; i++)
		if (w->drops[i])
			fprintf(out, "  DROPPED: %" PRIu64 " (%s)\n", w->drops[i], drop_names[i]);
	if (w->pcap_path)
		fprintf(out, "  pcap: %" PRIu64 " packets to %s (snaplen %u)\n", w->pcap_packets,
			w->pcap_path, w->snaplen);
}

/* ---- JSON ---- */

static void json_cnt(struct json_writer *j, const struct rp_wire_cnt *c)
{
	json_begin_object(j);
	for (size_t i = 0; i < rp_wire_nfields; i++)
		json_kv_u64(j, rp_wire_fields[i].name, wire_field(c, &rp_wire_fields[i]));
	json_kv_u64_array(j, "payload_log2_hist", (const uint64_t *)c->plen_hist,
			  RP_WIRE_PLEN_BUCKETS);
	json_end_object(j);
}

void wire_report_json(struct json_writer *j, const struct rp_wire_report *w)
{
	if (!w->on)
		return;
	json_key(j, "wire");
	json_begin_object(j);
	json_kv_string(j, "interfaces", w->ifaces);
	json_kv_bool(j, "loopback", w->loopback);
	json_kv_u64(j, "connections", w->flows);
	for (int at = 0; at < (w->loopback ? 1 : RP_WIRE_NPLACES); at++) {
		json_key(j, at_names[at]);
		json_begin_object(j);
		for (int d = 0; d < RP_WIRE_NDIR; d++) {
			json_key(j, dir_names[d]);
			json_cnt(j, &w->sum.c[at][d]);
		}
		json_end_object(j);
	}
	json_key(j, "drops");
	json_begin_object(j);
	for (int i = 0; i < RP_WIRE_NDROPS; i++)
		json_kv_u64(j, drop_names[i], w->drops[i]);
	json_end_object(j);
	if (w->pcap_path) {
		json_key(j, "pcap");
		json_begin_object(j);
		json_kv_string(j, "path", w->pcap_path);
		json_kv_u64(j, "snaplen", w->snaplen);
		json_kv_u64(j, "packets", w->pcap_packets);
		json_end_object(j);
	}
	json_end_object(j);
}
