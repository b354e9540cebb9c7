/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Per-call events: the worker's own record of every send and recv call,
 * joined in call order with the kernel's record of the same calls (struct
 * rp_event), each recv classified, everything summed per worker. Pure:
 * arrays in, structs out, so the unit tests join hand-made calls.
 */
#ifndef REQPERF_EVENTS_H
#define REQPERF_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"
#include "reqperf.h"

#define RP_EVENTS_LIMIT 1000000 /* default: calls kept per worker and side */
#define RP_EVENTS_RING (16u << 20) /* default ring buffer bytes */
#define RP_EV_LEN_UNKNOWN (~0ULL) /* rp_event.len when not known */
#define RP_EV_LAT_SUB 2 /* latency buckets: 4 per power of two */
#define RP_EV_LAT_SLOTS 144 /* below 2^36 ns; larger ones clamp */
#define RP_EV_CPR_SLOTS 17 /* recv calls per response: 0..15, ">= 16" */

/* One call as the worker saw it. */
struct rp_uevent {
	uint64_t start_ns; /* CLOCK_MONOTONIC right around the call */
	uint64_t end_ns;
	int64_t ret; /* bytes, or -errno */
	uint64_t seq; /* send: the request being written, recv: the first
			 response not complete when the call started */
	uint32_t len; /* requested */
	uint16_t conn; /* the worker's connection index */
	uint8_t dir; /* enum rp_dir */
	uint8_t done; /* responses the call completed (saturates at 255) */
	uint8_t bad; /* ... of which failed their CRC32 check */
	uint8_t pad[7];
};

/* Where a response ended: in the recv call ev[call], after its first
 * end bytes. The per-response lifecycle places it in the TCP stream by
 * that call's kernel record (lifecycle.h). */
struct rp_uresp {
	uint32_t call; /* index in rp_uev_buf.ev */
	uint32_t end; /* bytes of that call's return up to the response's last */
};

/* A worker's calls, in shared memory the driver maps before the fork;
 * after ev[cap] come cap struct rp_uresp (rp_uev_resp). */
struct rp_uev_buf {
	uint64_t cap;
	uint64_t n; /* recorded, in call order */
	uint64_t dropped; /* calls made while the buffer was full */
	uint64_t nresp; /* response ends recorded */
	uint64_t resp_dropped; /* response ends not recorded (buffer full) */
	uint32_t tid;
	uint32_t pad;
	struct rp_uevent ev[];
};

static inline size_t rp_uev_buf_size(uint64_t cap)
{
	return sizeof(struct rp_uev_buf) +
	       cap * (sizeof(struct rp_uevent) + sizeof(struct rp_uresp));
}

static inline struct rp_uresp *rp_uev_resp(const struct rp_uev_buf *b)
{
	return (struct rp_uresp *)(uintptr_t)&b->ev[b->cap];
}

/* What one call did. Sends are RP_EC_SEND; every recv gets one class. */
enum rp_ev_class {
	RP_EC_SEND = 0,
	RP_EC_FULL, /* "completing": completed a response (or its last part) */
	RP_EC_PARTIAL, /* short, nothing left queued: the rest had not arrived */
	RP_EC_BUFFER, /* filled the buffer, more still queued */
	RP_EC_SHORT_QUEUED, /* short, but bytes queued after: they came meanwhile */
	RP_EC_EXACT, /* filled the buffer and emptied the queue */
	RP_EC_EAGAIN, /* nothing was queued */
	RP_EC_ERROR,
	RP_EC_EOF,
	RP_NCLASSES,
};

/* How a call's two records relate. */
enum rp_ev_join {
	RP_EJ_OK = 0, /* paired by call order, and they agree */
	RP_EJ_MISMATCH, /* paired by call order, but they disagree: an error */
	RP_EJ_USER, /* user record only */
	RP_EJ_KERNEL, /* kernel record only */
};

/* The first field a mismatched pair disagrees on. */
enum rp_ev_why {
	RP_EW_NONE = 0,
	RP_EW_COUNT, /* one side has more calls */
	RP_EW_TID,
	RP_EW_DIR,
	RP_EW_LEN,
	RP_EW_RET,
	RP_EW_TIME, /* the kernel's interval is not inside the user's */
	RP_NWHY,
};

/* A worker's join as a whole. */
enum rp_ev_state {
	RP_ES_JOINED = 0, /* every call has exactly one partner, all agree */
	RP_ES_USER_ONLY, /* no kernel view: user records only */
	RP_ES_INCOMPLETE, /* records were dropped: not joined, no guessing */
	RP_ES_MISMATCH, /* a pair disagrees or the counts differ: an error */
};

struct rp_ev_pair {
	const struct rp_uevent *u; /* NULL: kernel record only */
	const struct rp_event *k; /* NULL: user record only */
	uint8_t cls; /* enum rp_ev_class */
	uint8_t join; /* enum rp_ev_join */
	uint8_t why; /* enum rp_ev_why */
};

enum {
	RP_EV_USER = 0,
	RP_EV_KERNEL = 1,
	RP_EV_SIDES = 2
};

struct rp_ev_worker {
	int id;
	uint32_t tid;
	enum rp_ev_state state;
	uint64_t events[RP_EV_SIDES]; /* records kept */
	uint64_t lost[RP_EV_SIDES]; /* records dropped */
	uint64_t pairs; /* lines: joined pairs plus one-sided records */
	uint64_t joined; /* pairs that agree */
	uint64_t mismatches;
	int64_t first_mismatch; /* line index, -1: none */
	enum rp_ev_why first_why;
	uint64_t calls[RP_NDIR]; /* user records per direction */
	uint64_t responses; /* completed by the recorded calls */
	uint64_t multi; /* surplus: responses beyond one per completing call */
	uint64_t multi_calls; /* calls that completed two or more */
	uint64_t cls[RP_NCLASSES];
	uint64_t evidence; /* recvs classified with the kernel's queue */
	uint64_t cpr[RP_EV_CPR_SLOTS]; /* recv calls per response */
	uint64_t skbs_per_recv[RP_SKB_SLOTS]; /* joined data-returning recvs */
	uint64_t skbs[RP_NDIR]; /* joined calls' skbs */
	bool segs_known; /* segs_in/out below are exact */
	uint64_t segs_in; /* data segments over the calls' span */
	uint64_t segs_out;
	uint64_t bytes[RP_EV_SIDES][RP_NDIR]; /* over joined pairs */
	uint64_t crc_bad; /* responses failing CRC32, per the calls */
	uint64_t lat[RP_EV_SIDES][RP_NDIR][RP_EV_LAT_SLOTS]; /* ns, log scale */
	/* the worker's own counters, to cross-check */
	bool checked;
	bool agrees;
	char disagree[320]; /* every differing pair, "; "-separated, "" */
	uint64_t body_bytes; /* verified by CRC32 */
	uint64_t crc_errors;
};

struct rp_ev_summary {
	int nworkers;
	struct rp_ev_worker *w;
	struct rp_ev_worker total; /* sums; state: the worst of any worker */
	bool has_kernel;
	bool echo; /* bodies checked byte by byte (echo), not by CRC32 */
};

/* One worker's records, as the driver collected them. */
struct rp_ev_input {
	int id;
	const struct rp_uev_buf *user; /* NULL: none */
	const struct rp_event *k; /* this worker's kernel records, in order */
	size_t nk;
	uint64_t k_lost; /* ring buffer full or over the limit */
	bool has_kernel; /* a tracer ran */
	const struct rp_worker_report *wr; /* cross-checks; NULL: none */
};

/*
 * Joins one worker's records: the i-th user call with the i-th kernel call
 * of the same thread, each pair checked (tid, direction, requested length,
 * return value, the kernel's interval inside the user's). With records
 * lost on either side nothing is paired (RP_ES_INCOMPLETE). *pairs (one
 * per output line, freed by the caller) and *out are filled. Returns 0, or
 * -1 when out of memory.
 */
int events_join(const struct rp_ev_input *in, struct rp_ev_worker *out, struct rp_ev_pair **pairs,
		size_t *npairs);

/* The class of a recv with user record u and (agreeing) kernel record k
 * or NULL; RP_EC_SEND for a send. */
enum rp_ev_class events_classify(const struct rp_uevent *u, const struct rp_event *k);

/* Sums s->w[] into s->total. */
void events_total(struct rp_ev_summary *s);

/* Extra recv calls (recv calls - responses) and the per-class parts that
 * add up to it: extra = sum over the non-full classes - multi. */
int64_t events_extra(const struct rp_ev_worker *w);

const char *events_class_name(enum rp_ev_class c);
const char *events_join_name(enum rp_ev_join j);
const char *events_why_name(enum rp_ev_why w);
const char *events_state_name(enum rp_ev_state s);
/* Bucket of a latency in ns, and the smallest ns in bucket i. */
uint32_t events_lat_index(uint64_t ns);
uint64_t events_lat_low(uint32_t i);

/* Renderers of the summary (events_report.c). */
struct json_writer;
void events_print_text(FILE *out, const struct rp_ev_summary *s);
void events_write_json(struct json_writer *j, const struct rp_ev_summary *s);

/* One line per call (events_out.c): JSON Lines, or CSV with a header. */
enum rp_ev_format {
	RP_EVF_JSONL = 0,
	RP_EVF_CSV = 1
};
int events_write_header(FILE *out, enum rp_ev_format f);
int events_write_lines(FILE *out, enum rp_ev_format f, const struct rp_ev_worker *w,
		       const struct rp_ev_pair *pairs, size_t n);
/* The traced server's kernel records, one line each after the workers'. */
int events_write_server(FILE *out, enum rp_ev_format f, const struct rp_event *k, size_t n);

/* The calls as a Chrome trace (events_timeline.c, --timeline). */
struct rp_ev_timeline {
	int nworkers;
	struct rp_ev_pair *const *pairs; /* per worker, as events_join made them */
	const size_t *npairs;
	const struct rp_event *server; /* the server's kernel records, or NULL */
	size_t nserver;
};
int events_write_timeline(FILE *out, const struct rp_ev_timeline *t);

/* The SVG report (svg_report.c): self-contained, one file. */
int events_write_svg(FILE *out, const struct rp_ev_summary *s, const char *title);

#endif /* REQPERF_EVENTS_H */
