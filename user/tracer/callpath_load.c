// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The --call-path loader and ring buffer reader. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "backend.h"
#include "bpf_quiet.h"
#include "callpath_load.h"
#include "grow.h"
#include "rp_callpath.skel.h"
#include "tracer.h"

#define CP_POLL_MS 50

struct rp_callpath {
	struct rp_callpath_bpf *skel;
	struct ring_buffer *rb;
	pthread_t reader;
	bool reading;
	int stop; /* __atomic */
	struct rp_cp_rec *recs;
	size_t n, cap;
	uint64_t limit;
	uint64_t over; /* beyond the limit, or out of memory */
};

static int on_rec(void *ctx, void *data, size_t size)
{
	struct rp_callpath *c = ctx;
	struct rp_cp_rec *p;

	if (size < sizeof(*p))
		return 0;
	if (c->n >= c->limit) {
		c->over++;
		return 0;
	}
	p = grow(c->recs, &c->cap, c->n, sizeof(*p), 4096, c->limit);
	if (!p) {
		c->over++;
		return 0;
	}
	c->recs = p;
	memcpy(&c->recs[c->n++], data, sizeof(struct rp_cp_rec));
	return 0;
}

static void *reader(void *arg)
{
	struct rp_callpath *c = arg;

	/* The programs wake it only when the ring is a quarter full; the
	 * timer drains the rest. */
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		ring_buffer__poll(c->rb, CP_POLL_MS);
		ring_buffer__consume(c->rb);
	}
	return NULL;
}

static int load(struct rp_callpath *c, uint32_t ring, char *err, size_t errlen)
{
	struct rp_kernel_facts k = {0};
	int rc;

	tracer_kernel_facts(&k);
	if (!k.tp_sys_enter || !k.tp_send_length || !k.tp_recv_length) {
		snprintf(err, errlen,
			 "this kernel lacks the sys_enter or sock_send_length/sock_recv_length "
			 "tracepoints (Linux 6.3 or newer, with BTF)");
		return -1;
	}
	c->skel = rp_callpath_bpf__open();
	if (!c->skel) {
		snprintf(err, errlen, "cannot open the call-path programs: %s", strerror(errno));
		return -1;
	}
	bpf_map__set_max_entries(c->skel->maps.rp_cp_ring, ring);
	/* Without a TCP-level tracepoint the tcp stage is folded into socket. */
	bpf_program__set_autoload(c->skel->progs.rp_cp_tcp_send, k.tp_sendmsg_locked);
	bpf_program__set_autoload(c->skel->progs.rp_cp_tcp_recv, k.tp_skb_copy);
	rc = rp_callpath_bpf__load(c->skel);
	if (!rc)
		rc = rp_callpath_bpf__attach(c->skel);
	if (rc) {
		snprintf(err, errlen, "cannot load the call-path programs: %s", strerror(-rc));
		return -1;
	}
	c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.rp_cp_ring), on_rec, c, NULL);
	if (!c->rb) {
		snprintf(err, errlen, "cannot read the call-path ring: %s", strerror(errno));
		return -1;
	}
	errno = pthread_create(&c->reader, NULL, reader, c);
	if (errno) {
		snprintf(err, errlen, "cannot start the call-path reader: %s", strerror(errno));
		return -1;
	}
	c->reading = true;
	return 0;
}

int callpath_open(struct rp_callpath **out, uint32_t ring, uint64_t limit, bool verbose, char *err,
		  size_t errlen)
{
	struct rp_callpath *c = calloc(1, sizeof(*c));
	libbpf_print_fn_t old;
	int rc;

	*out = NULL;
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->limit = limit;
	old = bpf_quiet_begin(verbose);
	rc = load(c, ring, err, errlen);
	bpf_quiet_end(verbose, old);
	if (rc < 0) {
		callpath_close(c);
		return -1;
	}
	*out = c;
	return 0;
}

int callpath_add_tgid(struct rp_callpath *c, uint32_t tgid)
{
	uint32_t one = 1;

	return bpf_map_update_elem(bpf_map__fd(c->skel->maps.rp_cp_tgids), &tgid, &one, BPF_ANY);
}

void callpath_stop(struct rp_callpath *c)
{
	if (!c)
		return;
	rp_callpath_bpf__detach(c->skel);
	if (c->reading) {
		__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
		pthread_join(c->reader, NULL);
		c->reading = false;
	}
	if (c->rb)
		ring_buffer__consume(c->rb);
}

long callpath_records(const struct rp_callpath *c, uint32_t tid, struct rp_cp_rec **out)
{
	size_t n = 0;

	*out = NULL;
	for (size_t i = 0; i < c->n; i++)
		n += c->recs[i].tid == tid;
	if (!n)
		return 0;
	*out = malloc(n * sizeof(**out));
	if (!*out)
		return -1;
	n = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->recs[i].tid == tid)
			(*out)[n++] = c->recs[i];
	return (long)n;
}

void callpath_drops(const struct rp_callpath *c, uint64_t drops[RP_CP_NDROPS])
{
	int fd = bpf_map__fd(c->skel->maps.rp_cp_drops);

	for (uint32_t i = 0; i < RP_CP_NDROPS; i++) {
		drops[i] = 0;
		bpf_map_lookup_elem(fd, &i, &drops[i]);
	}
	drops[RP_CP_DROP_RING] += c->over;
}

void callpath_close(struct rp_callpath *c)
{
	if (!c)
		return;
	if (c->reading) {
		__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
		pthread_join(c->reader, NULL);
	}
	ring_buffer__free(c->rb);
	rp_callpath_bpf__destroy(c->skel);
	free(c->recs);
	free(c);
}
