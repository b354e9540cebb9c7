// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One line per call, both views side by side: JSON Lines (a "user" and a
 * "kernel" object, null for the side without a record) or CSV (empty
 * cells for it). Times are CLOCK_MONOTONIC ns, the same clock both sides.
 */
#include <inttypes.h>
#include <stdio.h>

#include "events.h"
#include "json.h"

static const char *dir_name(int dir)
{
	return dir == RP_SEND ? "send" : "recv";
}

static int pair_dir(const struct rp_ev_pair *p)
{
	return p->u ? p->u->dir : (p->k->dir == RP_SEND ? RP_SEND : RP_RECV);
}

static void json_user(struct json_writer *j, const struct rp_uevent *u)
{
	json_key(j, "user");
	if (!u) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kv_u64(j, "start_ns", u->start_ns);
	json_kv_u64(j, "end_ns", u->end_ns);
	json_kv_u64(j, "ns", u->end_ns - u->start_ns);
	json_kv_u64(j, "len", u->len);
	json_kv_i64(j, "ret", u->ret);
	json_end_object(j);
}

static void json_segs(struct json_writer *j, const struct rp_event *k)
{
	if (k->flags & RP_EV_SEGS) {
		json_kv_u64(j, "segs_in", k->segs_in);
		json_kv_u64(j, "segs_out", k->segs_out);
		return;
	}
	json_key(j, "segs_in");
	json_null(j);
	json_key(j, "segs_out");
	json_null(j);
}

static void json_kernel(struct json_writer *j, const struct rp_event *k)
{
	json_key(j, "kernel");
	if (!k) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kv_u64(j, "cpu", k->cpu);
	json_kv_u64(j, "start_ns", k->start_ns);
	json_kv_u64(j, "end_ns", k->end_ns);
	json_kv_u64(j, "ns", k->end_ns - k->start_ns);
	json_key(j, "len");
	if (k->len == RP_EV_LEN_UNKNOWN)
		json_null(j);
	else
		json_u64(j, k->len);
	json_kv_i64(j, "ret", k->ret);
	json_kv_u64(j, "skbs", k->skbs);
	json_segs(j, k);
	json_kv_u64(j, "queued", k->queued);
	if (k->dir == RP_SEND)
		json_kv_u64(j, "size_goal", k->size_goal);
	json_kv_u64(j, "data_segs_in", k->data_segs_in);
	json_kv_u64(j, "data_segs_out", k->data_segs_out);
	json_end_object(j);
}

static void json_call(struct json_writer *j, const struct rp_uevent *u)
{
	json_kv_u64(j, "conn", u->conn);
	json_kv_u64(j, "seq", u->seq);
	json_kv_u64(j, "done", u->done);
	json_kv_u64(j, "crc_bad", u->bad);
}

static int jsonl_line(FILE *out, const struct rp_ev_worker *w, const struct rp_ev_pair *p, size_t i)
{
	struct json_writer j;

	json_init(&j, out, false);
	json_begin_object(&j);
	json_kv_i64(&j, "worker", w->id);
	json_kv_u64(&j, "tid", p->k && !p->u ? p->k->tid : w->tid);
	json_kv_u64(&j, "index", i);
	json_kv_string(&j, "dir", dir_name(pair_dir(p)));
	if (p->u)
		json_call(&j, p->u);
	json_kv_string(&j, "class", p->cls < RP_NCLASSES ? events_class_name(p->cls) : NULL);
	json_kv_string(&j, "join", events_join_name(p->join));
	if (p->join == RP_EJ_MISMATCH)
		json_kv_string(&j, "why", events_why_name(p->why));
	json_user(&j, p->u);
	json_kernel(&j, p->k);
	json_end_object(&j);
	if (json_finish(&j) < 0)
		return -1;
	return fputc('\n', out) == EOF ? -1 : 0;
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
