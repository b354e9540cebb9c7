/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The HTTP sink (and the raw TCP echo server): epoll, one listening socket
 * per thread with SO_REUSEPORT, keep-alive with pipelining, bounded buffers.
 */
#ifndef REQPERF_SINK_H
#define REQPERF_SINK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "report.h"

enum sink_write_mode {
	SINK_WRITE_SENDMSG = 0, /* sendmsg() of heads and body (default) */
	SINK_WRITE_WRITEV, /* writev() of the same iovecs */
	SINK_WRITE_SENDFILE, /* sendfile() of the body, send() of the heads */
};

enum sink_read_mode {
	SINK_READ_RECV = 0, /* recv() (default) */
	SINK_READ_SPLICE, /* splice() from the socket into a pipe, read() from it */
};

struct sink_opts {
	char listen[256]; /* "HOST:PORT"; port 0 picks an ephemeral one */
	int threads;
	uint32_t body_size;
	uint32_t echo_size; /* > 0: raw TCP echo of fixed-size messages */
	int max_conns; /* over this, new connections are closed at once */
	uint32_t split_ms; /* > 0: each response in two writes, this far apart */
	uint32_t pause_ms; /* > 0: stop answering this long ... */
	uint32_t pause_every_ms; /* ... every this long after the first
				  * connection (a test of coordinated omission) */
	uint32_t request_timeout_ms; /* > 0: close a connection that has not
				      * sent a complete request for this long */
	int write; /* enum sink_write_mode: how responses are written */
	int read; /* enum sink_read_mode: how requests are read */
	uint32_t send_timeout_ms; /* > 0: close a connection whose owed output
				   * could not be written for this long */
	uint32_t max_owed; /* > 0: unsent bytes queued per socket, at most
			    * (TCP_NOTSENT_LOWAT) */
	bool live; /* "\rN requests" counter on stderr */
	bool quiet;
};

/*
 * Runs until *stop becomes non-zero. When ready_fd >= 0, the bound port is
 * written to it as a uint16_t once every thread listens. The counters are
 * summed into *counters (which may live in shared memory) at least every
 * 100 ms and once more before returning. Returns 0, or -1 with a message
 * on stderr when it could not listen.
 */
int sink_run(const struct sink_opts *o, volatile sig_atomic_t *stop,
	     struct rp_sink_counters *counters, int ready_fd);

#endif /* REQPERF_SINK_H */
