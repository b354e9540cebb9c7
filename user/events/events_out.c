// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One line per call, both views side by side: JSON Lines (a "user" and a
 * "kernel" object, null for the side without a record) or CSV (empty
 * cells for it). Times are CLOCK_MONOTONIC ns, the same clock both sides.
 */
#include <inttypes.h>
#include <stdbool.h>
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

/* One figure of a record: JSON Lines and CSV both write the same list, in
 * the same order, so the two formats cannot drift apart. */
struct field {
	const char *name;
	bool known; /* false: JSON null, an empty CSV cell */
	bool is_signed;
	uint64_t u;
	int64_t i;
};

#define USER_FIELDS 5
#define KERNEL_FIELDS 16

static void set_u(struct field *f, const char *name, bool known, uint64_t v)
{
	*f = (struct field){.name = name, .known = known, .u = v};
}

static void set_i(struct field *f, const char *name, bool known, int64_t v)
{
	*f = (struct field){.name = name, .known = known, .is_signed = true, .i = v};
}

/* The worker's record u (NULL: names only, nothing known). */
static void user_fields(const struct rp_uevent *u, struct field f[USER_FIELDS])
{
	bool k = u != NULL;

	set_u(&f[0], "start_ns", k, k ? u->start_ns : 0);
	set_u(&f[1], "end_ns", k, k ? u->end_ns : 0);
	set_u(&f[2], "ns", k, k ? u->end_ns - u->start_ns : 0);
	set_u(&f[3], "len", k, k ? u->len : 0);
	set_i(&f[4], "ret", k, k ? u->ret : 0);
}

/* The kernel's record e (NULL: names only, nothing known). */
static void kernel_fields(const struct rp_event *e, struct field f[KERNEL_FIELDS])
{
	bool k = e != NULL, segs = k && (e->flags & RP_EV_SEGS), sq = k && (e->flags & RP_EV_SEQ);

	set_u(&f[0], "cpu", k, k ? e->cpu : 0);
	set_u(&f[1], "start_ns", k, k ? e->start_ns : 0);
	set_u(&f[2], "end_ns", k, k ? e->end_ns : 0);
	set_u(&f[3], "ns", k, k ? e->end_ns - e->start_ns : 0);
	set_u(&f[4], "len", k && e->len != RP_EV_LEN_UNKNOWN, k ? e->len : 0);
	set_i(&f[5], "ret", k, k ? e->ret : 0);
	set_u(&f[6], "skbs", k, k ? e->skbs : 0);
	set_u(&f[7], "segs_in", segs, segs ? e->segs_in : 0);
	set_u(&f[8], "segs_out", segs, segs ? e->segs_out : 0);
	set_u(&f[9], "queued", k, k ? e->queued : 0);
	set_u(&f[10], "size_goal", k && e->dir == RP_SEND, k ? e->size_goal : 0);
	set_u(&f[11], "data_segs_in", k, k ? e->data_segs_in : 0);
	set_u(&f[12], "data_segs_out", k, k ? e->data_segs_out : 0);
	set_u(&f[13], "tcp_seq", sq, sq ? e->seq : 0);
	set_u(&f[14], "lport", sq, sq ? e->lport : 0);
	set_u(&f[15], "rport", sq, sq ? e->rport : 0);
}

static void put_value(FILE *out, const struct field *f)
{
	if (f->is_signed)
		fprintf(out, "%" PRId64, f->i);
	else
		fprintf(out, "%" PRIu64, f->u);
}

/* ,"key":{...} or ,"key":null. Every string in a line is one of our own
 * names: no escaping needed, so lines are printed directly (a million of
 * them is common). */
static void json_fields(FILE *out, const char *key, bool present, const struct field *f, size_t n)
{
	fprintf(out, ",\"%s\":", key);
	if (!present) {
		fputs("null", out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s\"%s\":", i ? "," : "{", f[i].name);
		if (f[i].known)
			put_value(out, &f[i]);
		else
			fputs("null", out);
	}
	fputc('}', out);
}

/* One CSV cell per field, each followed by sep. */
static void csv_fields(FILE *out, const struct field *f, size_t n, const char *last_sep)
{
	for (size_t i = 0; i < n; i++) {
		if (f[i].known)
			put_value(out, &f[i]);
		fputs(i + 1 < n ? "," : last_sep, out);
	}
}

static void json_user(FILE *out, const struct rp_uevent *u)
{
	struct field f[USER_FIELDS];

	user_fields(u, f);
	json_fields(out, "user", u != NULL, f, USER_FIELDS);
}

static void json_kernel(FILE *out, const struct rp_event *k)
{
	struct field f[KERNEL_FIELDS];

	kernel_fields(k, f);
	json_fields(out, "kernel", k != NULL, f, KERNEL_FIELDS);
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

static const char csv_head[] = "worker,tid,index,dir,conn,seq,done,crc_bad,class,join,why,";

static void csv_names(FILE *out, const char *prefix, const struct field *f, size_t n,
		      const char *last_sep)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s%s", prefix, f[i].name, i + 1 < n ? "," : last_sep);
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
	{
		struct field uf[USER_FIELDS], kf[KERNEL_FIELDS];

		user_fields(u, uf);
		kernel_fields(p->k, kf);
		csv_fields(out, uf, USER_FIELDS, ",");
		csv_fields(out, kf, KERNEL_FIELDS, "\n");
	}
	return ferror(out) ? -1 : 0;
}

int events_write_header(FILE *out, enum rp_ev_format f)
{
	struct field uf[USER_FIELDS], kf[KERNEL_FIELDS];

	if (f != RP_EVF_CSV)
		return 0;
	user_fields(NULL, uf);
	kernel_fields(NULL, kf);
	fputs(csv_head, out);
	csv_names(out, "u_", uf, USER_FIELDS, ",");
	csv_names(out, "k_", kf, KERNEL_FIELDS, "\n");
	return ferror(out) ? -1 : 0;
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

/* The traced server's calls: kernel records only, nothing to join them
 * with: "side":"server", worker and class null, join "server" in JSON
 * Lines; "server" in the CSV worker and join columns. */
int events_write_server(FILE *out, enum rp_ev_format f, const struct rp_event *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *dir = dir_name(k[i].dir == RP_SEND ? RP_SEND : RP_RECV);

		if (f == RP_EVF_CSV) {
			struct field uf[USER_FIELDS], kf[KERNEL_FIELDS];

			fprintf(out, "server,%u,%zu,%s,,,,,,server,,", k[i].tid, i, dir);
			user_fields(NULL, uf);
			kernel_fields(&k[i], kf);
			csv_fields(out, uf, USER_FIELDS, ",");
			csv_fields(out, kf, KERNEL_FIELDS, "\n");
		} else {
			fprintf(out,
				"{\"side\":\"server\",\"worker\":null,\"tid\":%u,\"index\":%zu,"
				"\"dir\":\"%s\",\"class\":null,\"join\":\"server\"",
				k[i].tid, i, dir);
			json_user(out, NULL);
			json_kernel(out, &k[i]);
			fputs("}\n", out);
		}
	}
	return ferror(out) ? -1 : 0;
}
