// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The worker's I/O state made and freed: connections and their request
 * quotas, the receive buffer, epoll, the protocol's per-connection state. */
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "io.h"
#include "proto.h"

static void split_quota(const struct rp_config *cfg, struct io *io)
{
	for (int i = 0; i < io->nconns; i++) {
		struct conn *c = &io->conns[i];

		c->fd = -1;
		if (cfg->duration_s > 0) {
			c->quota = UINT64_MAX;
			continue;
		}
		c->quota = cfg->requests / (uint64_t)io->nconns +
			   ((uint64_t)i < cfg->requests % (uint64_t)io->nconns);
	}
	/* Burst: one round of all requests, or --requests per round with --duration. */
	io->round = cfg->requests / (uint64_t)io->nconns;
	if (io->round == 0)
		io->round = 1;
}

int io_setup(struct io *io, const struct worker_ctx *w, struct worker_result *r,
	     volatile sig_atomic_t *stop)
{
	const struct rp_config *cfg = w->cfg;

	memset(io, 0, sizeof(*io));
	io->epfd = -1;
	io->w = w;
	io->cfg = cfg;
	io->res = r;
	io->stop = stop;
	io->proto = proto_for(cfg);
	io->open = true;
	io->nconns = cfg->connections;
	io->conns = calloc((size_t)io->nconns, sizeof(*io->conns));
	io->rbuf = malloc(cfg->recv_size);
	io->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!io->conns || !io->rbuf || io->epfd < 0)
		return -1;
	/* Fault the buffer in now, not inside the first timed recv(). */
	memset(io->rbuf, 0, cfg->recv_size);
	split_quota(cfg, io);
	for (int i = 0; i < io->nconns && io->proto->conn_setup; i++)
		if (io->proto->conn_setup(io, &io->conns[i]) < 0)
			return -1;
	return 0;
}

void io_free(struct io *io)
{
	for (int i = 0; i < io->nconns && io->conns && io->proto->conn_free; i++)
		io->proto->conn_free(&io->conns[i]);
	free(io->conns);
	free(io->rbuf);
	if (io->epfd >= 0)
		close(io->epfd);
	io->conns = NULL;
	io->rbuf = NULL;
	io->epfd = -1;
}
