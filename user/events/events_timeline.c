// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --timeline: the run's calls in the Chrome trace-event format (JSON, the
 * "traceEvents" array), which ui.perfetto.dev and chrome://tracing open.
 * One process per worker with two threads, its own timing (user) and the
 * kernel's record of the same call; one process for the server's kernel
 * calls when the server end was traced. Each recv that completed responses
 * is tied by a flow arrow to the send that wrote the first of them. Times
 * are microseconds from the first call.
 */
#include <inttypes.h>
#include <stdio.h>

#include "events.h"
#include "json.h"

enum {
	TID_USER = 0,
	TID_KERNEL = 1
};

#define SERVER_PID 100000 /* above any worker id */

static void meta(struct json_writer *j, const char *what, int pid, int tid, const char *name)
{
	json_begin_object(j);
	json_kv_string(j, "name", what);
	json_kv_string(j, "ph", "M");
	json_kv_i64(j, "pid", pid);
	json_kv_i64(j, "tid", tid);
	json_key(j, "args");
	json_begin_object(j);
	json_kv_string(j, "name", name);
	json_end_object(j);
	json_end_object(j);
}

static void slice_head(struct json_writer *j, const char *name, int pid, int tid, uint64_t start,
		       uint64_t end, uint64_t t0)
{
	json_kv_string(j, "name", name);
	json_kv_string(j, "ph", "X");
	json_kv_i64(j, "pid", pid);
	json_kv_i64(j, "tid", tid);
	json_kv_double(j, "ts", (double)(start - t0) / 1e3);
	json_kv_double(j, "dur", (double)(end > start ? end - start : 0) / 1e3);
}

static void kernel_slice(struct json_writer *j, const struct rp_event *k, int pid, int tid,
			 uint64_t t0)
{
	json_begin_object(j);
	slice_head(j, k->dir == RP_SEND ? "send (kernel)" : "recv (kernel)", pid, tid, k->start_ns,
		   k->end_ns, t0);
	json_key(j, "args");
	json_begin_object(j);
	json_kv_i64(j, "ret", k->ret);
	json_kv_u64(j, "cpu", k->cpu);
	json_kv_u64(j, "skbs", k->skbs);
	json_kv_u64(j, "queued_after", k->queued);
	json_end_object(j);
	json_end_object(j);
}

/* A flow's id: worker, connection, response number, as a string (a JSON
 * number above 2^53 would be rounded by the trace viewers). */
static void flow(struct json_writer *j, const char *ph, unsigned conn, uint64_t seq, int pid,
		 uint64_t at, uint64_t t0)
{
	char id[64];

	snprintf(id, sizeof(id), "%d:%u:%" PRIu64, pid, conn, seq);
	json_begin_object(j);
	json_kv_string(j, "name", "response");
	json_kv_string(j, "cat", "response");
	json_kv_string(j, "ph", ph);
	json_kv_string(j, "id", id);
	json_kv_i64(j, "pid", pid);
	json_kv_i64(j, "tid", TID_USER);
	json_kv_double(j, "ts", (double)(at - t0) / 1e3);
	if (ph[0] == 'f')
		json_kv_string(j, "bp", "e");
	json_end_object(j);
}

static void user_slice(struct json_writer *j, const struct rp_ev_pair *p, int pid, uint64_t t0)
{
	const struct rp_uevent *u = p->u;

	json_begin_object(j);
	slice_head(j, u->dir == RP_SEND ? "send" : events_class_name((enum rp_ev_class)p->cls), pid,
		   TID_USER, u->start_ns, u->end_ns, t0);
	json_key(j, "args");
	json_begin_object(j);
	json_kv_i64(j, "ret", u->ret);
	json_kv_u64(j, "len", u->len);
	json_kv_u64(j, "conn", u->conn);
	json_kv_u64(j, u->dir == RP_SEND ? "request" : "response", u->seq);
	json_kv_u64(j, "completed", u->done);
	json_end_object(j);
	json_end_object(j);
	/* The send starts the arrow of the request it writes; a recv ends
	 * the arrow of every response it completed. */
	if (u->dir == RP_SEND && u->ret > 0)
		flow(j, "s", u->conn, u->seq, pid, u->start_ns, t0);
	for (unsigned i = 0; u->dir == RP_RECV && i < u->done; i++)
		flow(j, "f", u->conn, u->seq + i, pid, u->end_ns, t0);
}

static uint64_t first_ns(const struct rp_ev_timeline *t)
{
	uint64_t t0 = UINT64_MAX;

	for (int w = 0; w < t->nworkers; w++)
		for (size_t i = 0; i < t->npairs[w]; i++) {
			const struct rp_ev_pair *p = &t->pairs[w][i];
			uint64_t s = p->u ? p->u->start_ns : p->k->start_ns;

			t0 = s < t0 ? s : t0;
		}
	for (size_t i = 0; i < t->nserver; i++)
		t0 = t->server[i].start_ns < t0 ? t->server[i].start_ns : t0;
	return t0 == UINT64_MAX ? 0 : t0;
}

int events_write_timeline(FILE *out, const struct rp_ev_timeline *t)
{
	uint64_t t0 = first_ns(t);
	struct json_writer j;
	char name[64];

	json_init(&j, out, false);
	json_begin_object(&j);
	json_kv_string(&j, "displayTimeUnit", "ns");
	json_key(&j, "traceEvents");
	json_begin_array(&j);
	for (int w = 0; w < t->nworkers; w++) {
		snprintf(name, sizeof(name), "worker %d", w);
		meta(&j, "process_name", w, TID_USER, name);
		meta(&j, "thread_name", w, TID_USER, "user: the worker's timing");
		meta(&j, "thread_name", w, TID_KERNEL, "kernel: the same calls");
		for (size_t i = 0; i < t->npairs[w]; i++) {
			const struct rp_ev_pair *p = &t->pairs[w][i];

			if (p->u)
				user_slice(&j, p, w, t0);
			if (p->k)
				kernel_slice(&j, p->k, w, TID_KERNEL, t0);
		}
	}
	if (t->nserver)
		meta(&j, "process_name", SERVER_PID, 0, "server (kernel view)");
	for (size_t i = 0; i < t->nserver; i++)
		kernel_slice(&j, &t->server[i], SERVER_PID, (int)t->server[i].tid, t0);
	json_end_array(&j);
	json_end_object(&j);
	return json_finish(&j) || fputc('\n', out) == EOF ? -1 : 0;
}
