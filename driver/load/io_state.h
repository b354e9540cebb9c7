/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The worker's I/O state, shared by the loop (io.c), the connections
 * (conn.c), the protocols (proto.c, proto_echo.c) and request latency
 * (lat_io.c): the connections, the loop's own state, and how a call and
 * an error are recorded (io_state.c). Nothing here calls back into the
 * loop, so its parts depend on this file, not on each other.
 */
#ifndef REQPERF_IO_STATE_H
#define REQPERF_IO_STATE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "clock.h"
#include "events.h"
#include "http.h"
#include "lat_io.h"
#include "worker_ctx.h"

struct proto_ops;

#define IO_MAX_ENDS 64 /* response ends one recv call records */

struct conn {
	int fd;
	uint64_t quota; /* requests to send; UINT64_MAX: until the deadline */
	uint64_t sent; /* requests fully written */
	uint64_t answered; /* responses completed */
	uint64_t seq; /* responses on the current TCP connection */
	uint64_t rx; /* echo: stream bytes verified on this connection */
	uint64_t wait_ns; /* when the clock of the first owed response started */
	uint64_t resp_bytes; /* bytes of the response being received */
	uint32_t off; /* bytes of the current request already written */
	bool draining; /* burst: the round is sent, receive it all first */
	bool out_armed;
	bool bad_msg; /* echo: the current message has a wrong byte */
	bool reconnect; /* the server said "Connection: close" */
	struct http_resp_parser parser;
	struct rp_tcpinfo ti0; /* TCP_INFO at connect (its counters' start) */
	char *msg; /* echo: the message being written */
	struct lat_conn lat; /* request latency (lat_io.c) */
};

struct io {
	const struct worker_ctx *w;
	const struct proto_ops *proto; /* HTTP or echo (proto.h) */
	const struct rp_config *cfg;
	struct worker_result *res;
	volatile sig_atomic_t *stop;
	struct rp_uev_buf *ev; /* per-call records (--events), NULL: off */
	/* --events: where responses ended inside the current recv's bytes */
	uint32_t ends[IO_MAX_ENDS];
	uint32_t nends;
	uint64_t ends_over; /* more than IO_MAX_ENDS in one call */
	int epfd;
	int nconns;
	struct conn *conns;
	char *rbuf;
	uint64_t round; /* burst: requests per round per connection */
	uint64_t deadline_ns; /* 0: none */
	uint64_t last_progress_ns;
	uint64_t drain_end_ns; /* no new requests: give up on answers then; 0 */
	uint64_t next_check_ns; /* next sweep of the response deadlines */
	bool interrupted; /* the stop flag was seen */
	bool open; /* new requests may still be sent */
	bool have_ref; /* third-party servers: first body's length/CRC */
	uint64_t ref_len;
	uint32_t ref_crc;
	char *batch; /* pipeline: batch_max copies of the request, or NULL */
	uint64_t batch_max;
	struct lat_io lat; /* request latency, --rate, progress (lat_io.c) */
};

#define IO_BATCH_BYTES 65536 /* most request bytes one pipelined send() carries */
#define IO_SLICE_NS 20000000ULL /* one socket's reads before the loop looks around */
#define IO_CHECK_NS 10000000ULL /* response deadlines are checked this often */
#define IO_STOP_GRACE_S 1.0 /* an interrupted run waits this long for answers */
#define IO_EXTRA_WAIT_MS 20 /* a finished run listens this long for extra bytes */

/* Counts one timed call in k: n and err are what it returned. */
void io_record_call(struct rp_ucalls *k, uint64_t ns, ssize_t n, size_t asked, int err);

/* Records an error: counted, the first one's text kept. */
void io_error(struct io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --events: a response ended after the first end bytes of the current
 * recv's return. */
static inline void io_note_end(struct io *io, size_t end)
{
	if (!io->ev)
		return;
	if (io->nends < IO_MAX_ENDS)
		io->ends[io->nends++] = (uint32_t)end;
	else
		io->ends_over++;
}

/* Responses beyond the requests sent: counted, named once. */
void io_extra(struct io *io, uint64_t n);

#endif /* REQPERF_IO_STATE_H */
