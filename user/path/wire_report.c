// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The wire view in the text and JSON reports, and its sum over CPUs: each
 * walks the counter tables of wire_schema.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "schema.h"
#include "wire_report.h"

static const char *const at_names[RP_WIRE_NPLACES] = {"tx", "rx"};
static const char *const dir_names[RP_WIRE_NDIR] = {"c2s", "s2c"};

void wire_sum_slot(struct rp_wire_slot *sum, const struct rp_wire_slot *cpu)
{
	for (int at = 0; at < RP_WIRE_NPLACES; at++)
		for (int d = 0; d < RP_WIRE_NDIR; d++)
			family_merge(&rp_wire_family, &sum->c[at][d], &cpu->c[at][d]);
}

uint64_t wire_net_bytes(const struct rp_wire_cnt *c)
{
	return c->new_bytes;
}

/* ---- text ---- */

static void text_row(FILE *out, const struct rp_field *f, const struct rp_wire_report *w)
{
	fprintf(out, "  %-16s", f->label);
	for (int d = 0; d < RP_WIRE_NDIR; d++)
		for (int at = 0; at < (w->loopback ? 1 : RP_WIRE_NPLACES); at++)
			fprintf(out, " %14" PRIu64, field_u64(&w->sum.c[at][d], f));
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
	for (size_t i = 0; i < rp_wire_family.n; i++)
		if (rp_wire_family.fields[i].label)
			text_row(out, &rp_wire_family.fields[i], w);
	for (size_t i = 0; i < rp_wire_drops_family.n; i++) {
		const struct rp_field *f = &rp_wire_drops_family.fields[i];

		if (field_u64(w->drops, f))
			fprintf(out, "  DROPPED: %" PRIu64 " (%s)\n", field_u64(w->drops, f),
				f->label);
	}
	if (w->pcap_path)
		fprintf(out, "  pcap: %" PRIu64 " packets to %s (snaplen %u)\n", w->pcap_packets,
			w->pcap_path, w->snaplen);
}

/* ---- JSON ---- */

/* A family's counters and histograms as an object's members. */
static void json_fields(struct json_writer *j, const struct rp_family *fam, const void *base)
{
	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];

		if (f->kind == RP_FK_HIST)
			json_kv_u64_array(j, f->name,
					  (const uint64_t *)((const char *)base + f->off),
					  f->size / sizeof(uint64_t));
		else
			json_kv_u64(j, f->name, field_u64(base, f));
	}
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
			json_begin_object(j);
			json_fields(j, &rp_wire_family, &w->sum.c[at][d]);
			json_end_object(j);
		}
		json_end_object(j);
	}
	json_key(j, "drops");
	json_begin_object(j);
	json_fields(j, &rp_wire_drops_family, w->drops);
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
