/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The sink's internals, shared by sink.c (setup, threads, event loop),
 * sink_conn.c (a connection's life), and the handlers of what a connection
 * speaks: sink_http.c (HTTP) and sink_echo.c (echo). */
#ifndef REQPERF_SINK_INT_H
#define REQPERF_SINK_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "http.h"
#include "sink.h"

#define SINK_OUT_CAP (256 * 1024) /* stop reading while more output is owed */
#define SINK_ECHO_BUF (64 * 1024) /* echo: bytes held per connection, at most */
#define SINK_RBUF (64 * 1024) /* one recv() */
#define SINK_IOV 64 /* iovecs per sendmsg() */
#define SINK_OWED_SLOTS 8 /* runs of owed responses per connection */
#define SINK_TICK_MS 50 /* epoll_wait bound: notice stop, deadlines */
#define SINK_LINGER_NS 2000000000ULL /* draining input after our FIN, at most */

/* What a connection owes, in order. GET and HEAD carry X-Seq. */
enum owed_kind {
	OWED_GET,
	OWED_HEAD,
	OWED_404,
	OWED_405,
	OWED_400,
	OWED_431,
	OWED_NKINDS,
};

/* count consecutive responses of one kind (run-length encoded). */
struct owed {
	uint8_t kind;
	uint32_t count;
};

struct sink_conn {
	int fd;
	uint32_t events; /* epoll interest now registered */
	bool read_eof; /* peer sent FIN */
	bool closing; /* no more requests: flush, then close */
	bool lingering; /* flushed and shut down for writing: drain input */
	uint64_t deadline; /* lingering: close by then (CLOCK_MONOTONIC ns) */
	uint64_t waiting_since; /* waiting for a request's bytes since (ns) */
	uint64_t last_write; /* output owed: last byte written, or first owed (ns) */
	struct sink_conn *prev, *next;
	/* HTTP */
	struct http_req_parser *req;
	uint64_t seq; /* X-Seq of the first owed response */
	uint64_t off; /* bytes of the first owed response already sent */
	uint64_t pending; /* bytes owed, minus off */
	uint32_t owed_first, owed_n;
	struct owed owed[SINK_OWED_SLOTS];
	char *in; /* input held back while too much output is owed */
	size_t in_off, in_len;
	/* echo */
	uint8_t *msg; /* min(echo size, SINK_ECHO_BUF) bytes */
	uint32_t base; /* offset in the message of msg[0] */
	uint32_t have; /* bytes of msg[] received */
	uint32_t sent; /* ... and echoed back */
	uint64_t msg_index;
	bool corrupt;
	uint32_t writes; /* send calls for the current message (echo) */
};

struct sink;

struct sink_thread {
	struct sink *s;
	int idx;
	int lfd;
	int epfd;
	pthread_t tid;
	bool started;
	uint64_t now; /* CLOCK_MONOTONIC ns, refreshed every loop */
	struct sink_conn *conns;
	int nclosing;
	bool accept_paused;
	uint64_t pause_next; /* --pause: when the next pause starts; 0: none yet */
	char *rbuf; /* SINK_RBUF */
	int pipe[2]; /* --read splice: socket -> pipe -> rbuf; else -1 */
	char *heads; /* SINK_IOV response heads being written */
	struct rp_sink_counters c;
	pthread_mutex_t lock; /* guards pub */
	struct rp_sink_counters pub;
};

/* What a connection speaks. The life of a connection (sink_conn.c) calls
 * these; they call back only sink_conn_close, _set_events, sink_io_error. */
struct sink_handler {
	int (*init)(struct sink *s, struct sink_conn *c); /* 0 or -1 */
	void (*free)(struct sink_conn *c);
	void (*event)(struct sink_thread *t, struct sink_conn *c, uint32_t events);
	bool (*owes)(const struct sink_conn *c); /* output owed, not yet taken */
	bool (*holds)(const struct sink_conn *c); /* input held back, unparsed */
};

extern const struct sink_handler sink_http;
extern const struct sink_handler sink_echo;

struct sink {
	const struct sink_opts *o;
	const struct sink_handler *handler; /* sink_http or sink_echo */
	volatile sig_atomic_t *stop;
	int quit; /* __atomic: every thread stops */
	int failed; /* __atomic: a thread hit a fatal error */
	int open_conns; /* __atomic: for --max-conns */
	char *body;
	int body_fd; /* --write sendfile: a memfd holding the body, else -1 */
	uint32_t crc;
	char head[256]; /* response head template, seq 0 */
	size_t head_len;
	size_t seq_off; /* where the X-Seq digits start in head */
	char errs[OWED_NKINDS][256]; /* 404, 405, 400, 431 responses */
	uint64_t kind_len[OWED_NKINDS];
	int nthreads;
	struct sink_thread *threads;
	char where[128]; /* the bound address, "HOST:PORT" */
	uint16_t port;
};

/* sink_conn.c */
int sink_conn_open(struct sink_thread *t, int fd);
void sink_conn_close(struct sink_thread *t, struct sink_conn *c);
void sink_conn_event(struct sink_thread *t, struct sink_conn *c, uint32_t events);
void sink_conn_set_events(struct sink_thread *t, struct sink_conn *c, uint32_t want);
void sink_conn_timeout(struct sink_thread *t, struct sink_conn *c);
bool sink_io_error(struct sink_thread *t, struct sink_conn *c, ssize_t r);

/* sink_write.c */
int sink_write_prepare(struct sink *s);
/* Writes iov[0..n) to fd as --write says: bytes written (short when the
 * socket is full), or -1 with errno when nothing was. */
ssize_t sink_write(const struct sink *s, int fd, struct iovec *iov, int n);
void sink_write_close(struct sink *s);

/* sink_read.c: --read. prepare makes the thread's pipe (splice), -1 when
 * it cannot; sink_recv() returns as recv() does. */
int sink_read_prepare(struct sink_thread *t);
ssize_t sink_recv(struct sink_thread *t, int fd, void *buf, size_t n);
void sink_read_close(struct sink_thread *t);

#endif /* REQPERF_SINK_INT_H */
