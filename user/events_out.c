// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One line per call, both views side by side: JSON Lines (a "user" and a
 * "kernel" object, null for the side without a record) or CSV (empty
 * cells for it). Times are CLOCK_MONOTONIC ns, the same clock both sides.
 */
#include <inttypes.h>
#include <stdio.h>

#include "events.h"

static const char *dir_name(int dir)
{
	return dir == RP_SEND ? "send" : "recv";
}

static int pair_dir(const struct rp_ev_pair *p)
{
	return p->u ? p->u->dir : (p->k->dir == RP_SEND ? RP_SEND : RP_RECV);
}

/* Every string in a line is one of our own names: no escaping needed,
 * so lines are printed directly (a million of them is common). */
static void json_user(FILE *out, const struct rp_uevent *u)
{
	if (!u) {
		fputs(",\"user\":null", out);
		return;
	}
	fprintf(out,
		",\"user\":{\"start_ns\":%" PRIu64 ",\"end_ns\":%" PRIu64 ",\"ns\":%" PRIu64
		",\"len\":%u,\"ret\":%" PRId64 "}",
		u->start_ns, u->end_ns, u->end_ns - u->start_ns, u->len, u->ret);
}

static void json_kernel(FILE *out, const struct rp_event *k)
{
	if (!k) {
		fputs(",\"kernel\":null", out);
		return;
	}
	fprintf(out,
		",\"kernel\":{\"cpu\":%u,\"start_ns\":%" PRIu64 ",\"end_ns\":%" PRIu64
		",\"ns\":%" PRIu64 ",\"len\":",
		k->cpu, (uint64_t)k->start_ns, (uint64_t)k->end_ns,
		(uint64_t)(k->end_ns - k->start_ns));
	if (k->len == RP_EV_LEN_UNKNOWN)
		fputs("null", out);
	else
		fprintf(out, "%" PRIu64, (uint64_t)k->len);
	fprintf(out, ",\"ret\":%" PRId64 ",\"skbs\":%u", (int64_t)k->ret, k->skbs);
	if (k->flags & RP_EV_SEGS)
		fprintf(out, ",\"segs_in\":%u,\"segs_out\":%u", k->segs_in, k->segs_out);
	else
		fputs(",\"segs_in\":null,\"segs_out\":null", out);
	fprintf(out, ",\"queued\":%u", k->queued);
	if (k->dir == RP_SEND)
		fprintf(out, ",\"size_goal\":%u", k->size_goal);
	fprintf(out, ",\"data_segs_in\":%u,\"data_segs_out\":%u}", k->data_segs_in,
		k->data_segs_out);
}

static int jsonl_line(FILE *out, const struct rp_ev_worker *w, const struct rp_ev_pair *p, size_t i)
{
	const struct rp_uevent *u = p->u;

	fprintf(out, "{\"worker\":%d,\"tid\":%u,\"index\":%zu,\"dir\":\"%s\"", w->id,
		p->k && !u ? p->k->tid : w->tid, i, dir_name(pair_dir(p)));
	if (u)
		fprintf(out, ",\"conn\":%u,\"seq\":%" PRIu64 ",\"done\":%u,\"crc_bad\":%u", u->conn,
			u->seq, u->done, u->bad);
	if (p->cls < RP_NCLASSES)
		fprintf(out, ",\"class\":\"%s\"", events_class_name(p->cls));
	else
		fputs(",\"class\":null", out);
	fprintf(out, ",\"join\":\"%s\"", events_join_name(p->join));
	if (p->join == RP_EJ_MISMATCH)
		fprintf(out, ",\"why\":\"%s\"", events_why_name(p->why));
	json_user(out, u);
	json_kernel(out, p->k);
	return fputs("}\n", out) == EOF ? -1 : 0;
}

static const char csv_header[] =
	"worker,tid,index,dir,conn,seq,done,crc_bad,class,join,why,"
	"u_start_ns,u_end_ns,u_ns,u_len,u_ret,"
	"k_cpu,k_start_ns,k_end_ns,k_ns,k_len,k_ret,k_skbs,k_segs_in,k_segs_out,"
	"k_queued,k_size_goal\n";

static void csv_user(FILE *out, const struct rp_uevent *u)
{
	if (!u) {
		fputs(",,,,,", out);
		return;
	}
	fprintf(out, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u,%" PRId64 ",", u->start_ns, u->end_ns,
		u->end_ns - u->start_ns, u->len, u->ret);
}

static void csv_kernel(FILE *out, const struct rp_event *k)
{
	if (!k) {
		fputs(",,,,,,,,,,\n", out);
		return;
	}
	fprintf(out, "%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",", k->cpu, (uint64_t)k->start_ns,
		(uint64_t)k->end_ns, (uint64_t)(k->end_ns - k->start_ns));
	if (k->len != RP_EV_LEN_UNKNOWN)
		fprintf(out, "%" PRIu64, (uint64_t)k->len);
	fprintf(out, ",%" PRId64 ",%u,", (int64_t)k->ret, k->skbs);
	if (k->flags & RP_EV_SEGS)
		fprintf(out, "%u,%u", k->segs_in, k->segs_out);
	else
		fputs(",", out);
	fprintf(out, ",%u,", k->queued);
	if (k->dir == RP_SEND)
		fprintf(out, "%u", k->size_goal);
	fputc('\n', out);
}

static int csv_line(FILE *out, const struct rp_ev_worker *w, const struct rp_ev_pair *p, size_t i)
{
	const struct rp_uevent *u = p->u;

	fprintf(out, "%d,%u,%zu,%s,", w->id, p->k && !u ? p->k->tid : w->tid, i,
		dir_name(pair_dir(p)));
	if (u)
		fprintf(out, "%u,%" PRIu64 ",%u,%u,", u->conn, u->seq, u->done, u->bad);
	else
		fputs(",,,,", out);
	fprintf(out, "%s,%s,%s,", p->cls < RP_NCLASSES ? events_class_name(p->cls) : "",
		events_join_name(p->join),
		p->join == RP_EJ_MISMATCH ? events_why_name(p->why) : "");
	csv_user(out, u);
	csv_kernel(out, p->k);
	return ferror(out) ? -1 : 0;
}

int events_write_header(FILE *out, enum rp_ev_format f)
{
	if (f == RP_EVF_CSV && fputs(csv_header, out) == EOF)
		return -1;
	return 0;
}

int events_write_lines(FILE *out, enum rp_ev_format f, const struct rp_ev_worker *w,
		       const struct rp_ev_pair *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = f == RP_EVF_CSV ? csv_line(out, w, &pairs[i], i)
					 : jsonl_line(out, w, &pairs[i], i);

		if (rc < 0)
			return -1;
	}
	return ferror(out) ? -1 : 0;
}
