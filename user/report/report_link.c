// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <string.h>

#include "netns_plan.h"
#include "report_link.h"
#include "report_text.h"

void report_link_mss(const struct rp_report *r, uint32_t *snd, uint32_t *rcv)
{
	*snd = *rcv = 0;
	for (int i = 0; i < r->nworkers; i++) {
		if (!r->workers[i].tcp_info.snd_mss)
			continue;
		*snd = r->workers[i].tcp_info.snd_mss;
		*rcv = r->workers[i].tcp_info.rcv_mss;
		return;
	}
}

static const char *state(int8_t v)
{
	return v < 0 ? "?" : v ? "on" : "off";
}

static bool same_settings(const struct rp_link_end *a, const struct rp_link_end *b)
{
	return a->mtu == b->mtu && a->tso == b->tso && a->gso == b->gso && a->gro == b->gro;
}

static void add_settings(struct tline *l, const struct rp_link_end *e)
{
	if (e->mtu)
		tl_add(l, "mtu %" PRIu32, e->mtu);
	else
		tl_add(l, "mtu ?");
	tl_add(l, "tso %s", state(e->tso));
	tl_add(l, "gso %s", state(e->gso));
	tl_add(l, "gro %s", state(e->gro));
}

static void print_end(FILE *out, const char *head, const struct rp_link_end *e, bool settings)
{
	struct tline l;

	tl_begin(&l, out, head, 8, ", ");
	if (e->netns[0])
		tl_add(&l, "%s in %s", e->ifname, e->netns);
	else
		tl_add(&l, "%s", e->ifname);
	tl_add(&l, "%s", e->addr);
	if (settings)
		add_settings(&l, e);
	tl_end(&l);
}

void report_link_text(FILE *out, const struct rp_report *r)
{
	const struct rp_link_end *c = &r->link.end[RP_LINK_CLIENT];
	const struct rp_link_end *s = &r->link.end[RP_LINK_SINK];
	bool same = same_settings(c, s);
	uint32_t snd, rcv;
	struct tline l;

	if (!r->has_link)
		return;
	report_link_mss(r, &snd, &rcv);
	tl_begin(&l, out, "link: ", 2, ", ");
	tl_add(&l, "%s", r->link.kind);
	if (same)
		add_settings(&l, c);
	tl_end(&l);
	if (!strcmp(r->link.kind, "veth")) {
		print_end(out, "  client ", c, !same);
		print_end(out, "  sink   ", s, !same);
	}
	/* MSS is each connection's, not the link's: both ends, as read */
	tl_begin(&l, out, "tcp_info (per connection, not the link): ", 2, ", ");
	tl_add(&l, "client mss snd %" PRIu32 " rcv %" PRIu32, snd, rcv);
	if (r->has_sink && r->sink.tcp.conns)
		tl_add(&l, "sink mss snd %" PRIu32 " rcv %" PRIu32, r->sink.tcp.snd_mss,
		       r->sink.tcp.rcv_mss);
	tl_end(&l);
}

static void kv_state(struct json_writer *j, const char *key, int8_t v)
{
	json_key(j, key);
	if (v < 0)
		json_null(j);
	else
		json_bool(j, v);
}

static void write_end(struct json_writer *j, const char *key, const struct rp_link_end *e)
{
	json_key(j, key);
	json_begin_object(j);
	json_kv_string(j, "netns", e->netns[0] ? e->netns : NULL);
	json_kv_string(j, "ifname", e->ifname);
	json_kv_string(j, "addr", e->addr);
	json_kv_u64(j, "mtu", e->mtu);
	kv_state(j, "tso", e->tso);
	kv_state(j, "gso", e->gso);
	kv_state(j, "gro", e->gro);
	json_end_object(j);
}

static void write_requested(struct json_writer *j, const struct rp_config *c)
{
	json_key(j, "requested");
	json_begin_object(j);
	json_kv_u64(j, "mtu", c->mtu);
	json_kv_string(j, "tso", toggle_name(c->tso));
	json_kv_string(j, "gso", toggle_name(c->gso));
	json_kv_string(j, "gro", toggle_name(c->gro));
	json_end_object(j);
}

void report_link_json(struct json_writer *j, const struct rp_report *r)
{
	uint32_t snd, rcv;

	if (!r->has_link)
		return;
	report_link_mss(r, &snd, &rcv);
	json_key(j, "topology");
	json_begin_object(j);
	json_kv_string(j, "link", r->link.kind);
	json_kv_u64(j, "mtu", r->link.end[RP_LINK_CLIENT].mtu);
	json_kv_u64(j, "snd_mss", snd); /* the client's, as before */
	json_kv_u64(j, "rcv_mss", rcv);
	json_key(j, "tcp_info");
	json_begin_object(j);
	json_key(j, "client");
	json_begin_object(j);
	json_kv_u64(j, "snd_mss", snd);
	json_kv_u64(j, "rcv_mss", rcv);
	json_end_object(j);
	json_key(j, "sink");
	if (r->has_sink && r->sink.tcp.conns) {
		json_begin_object(j);
		json_kv_u64(j, "snd_mss", r->sink.tcp.snd_mss);
		json_kv_u64(j, "rcv_mss", r->sink.tcp.rcv_mss);
		json_end_object(j);
	} else {
		json_null(j);
	}
	json_end_object(j);
	if (r->config && r->config->netns)
		write_requested(j, r->config);
	write_end(j, "client", &r->link.end[RP_LINK_CLIENT]);
	write_end(j, "sink", &r->link.end[RP_LINK_SINK]);
	json_end_object(j);
}
