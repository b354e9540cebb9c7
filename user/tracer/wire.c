// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Loads the wire view, attaches it, reads it back (Linux 6.10+: tcx links
 * since 6.6, bpf_get_current_pid_tgid in tc programs since 6.10). tcx
 * links are file descriptors: closing them, or the process ending in any way,
 * detaches the programs, and no qdisc is ever created or left behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_quiet.h"
#include "grow.h"
#include "netns_plan.h"
#include "rp_wire.skel.h"
#include "wire.h"
#include "wire_pcap.h"

#define WIRE_MAX_LINKS 4
#define WIRE_MAX_TGIDS 4096
#define WIRE_RING_BYTES (8u << 20)
#define WIRE_POLL_MS 50

#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS 46
#define BPF_TCX_EGRESS 47
#endif

struct rp_wire {
	struct rp_wire_bpf *skel;
	int links[WIRE_MAX_LINKS];
	int nlinks;
	struct rp_wire_opts o;
	/* --pcap: the capture ring drained on a thread of its own */
	struct wire_pcap *pcap;
	struct ring_buffer *rb;
	/* --lifecycle: data packet records, kept in arrival order */
	struct rp_wire_pev *pev;
	size_t npev, cappev;
	uint64_t pev_over;
	pthread_t reader;
	bool reading;
	int stop; /* __atomic */
};

static int set_server(struct rp_wire_bpf *s, const struct sockaddr_storage *ss, char *err,
		      size_t errlen)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)ss;

		s->rodata->srv_addr[0] = a->sin_addr.s_addr;
		s->rodata->srv_port = a->sin_port;
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;

		memcpy((void *)s->rodata->srv_addr, &a->sin6_addr, 16);
		s->rodata->srv_port = a->sin6_port;
	} else {
		snprintf(err, errlen, "the server address is neither IPv4 nor IPv6");
		return -1;
	}
	s->rodata->srv_family = ss->ss_family;
	return 0;
}

static int link_prog(struct rp_wire *w, struct bpf_program *p, int ifindex, int type,
		     const struct rp_wire_if *i, char *err, size_t errlen)
{
	int fd = bpf_link_create(bpf_program__fd(p), ifindex, type, NULL);

	if (fd < 0) {
		snprintf(err, errlen, "tcx link on %s (%s): %s%s", i->ifname,
			 type == BPF_TCX_EGRESS ? "egress" : "ingress", strerror(errno),
			 errno == EINVAL ? "; tcx links need Linux 6.6 or newer" : "");
		return -1;
	}
	w->links[w->nlinks++] = fd;
	return 0;
}

/* Both programs (egress only on lo) on one interface, inside its
 * namespace; this thread is back in its own namespace on return. */
static int attach_if(struct rp_wire *w, const struct rp_wire_if *i, char *err, size_t errlen)
{
	int self = -1, nsfd = -1, ifindex, rc = -1;

	if (i->netns) {
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		nsfd = netns_open(i->netns);
		if (self < 0 || nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
			snprintf(err, errlen, "cannot enter namespace %s: %s", i->netns,
				 strerror(errno));
			goto out;
		}
	}
	ifindex = (int)if_nametoindex(i->ifname);
	if (!ifindex)
		snprintf(err, errlen, "no interface %s: %s", i->ifname, strerror(errno));
	else if (link_prog(w, w->skel->progs.rp_wire_egress, ifindex, BPF_TCX_EGRESS, i, err,
			   errlen) == 0 &&
		 (w->o.loopback || link_prog(w, w->skel->progs.rp_wire_ingress, ifindex,
					     BPF_TCX_INGRESS, i, err, errlen) == 0))
		rc = 0;
	if (self >= 0 && setns(self, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "cannot return to our namespace: %s", strerror(errno));
		rc = -1;
	}
out:
	if (self >= 0)
		close(self);
	if (nsfd >= 0)
		close(nsfd);
	return rc;
}

static int load(struct rp_wire *w, char *err, size_t errlen)
{
	const struct rp_wire_opts *o = &w->o;
	struct rp_wire_bpf *s;
	int rc;

	w->skel = s = rp_wire_bpf__open();
	if (!s) {
		snprintf(err, errlen, "cannot open the wire programs: %s", strerror(errno));
		return -1;
	}
	if (set_server(s, &o->server, err, errlen) < 0)
		return -1;
	s->rodata->loopback = o->loopback;
	s->rodata->snaplen = o->pcap_path ? o->snaplen : 0;
	bpf_map__set_max_entries(s->maps.rp_wire_flows, o->max_flows ? o->max_flows : 1);
	bpf_map__set_max_entries(s->maps.rp_wire_tgids, WIRE_MAX_TGIDS);
	if (o->pcap_path)
		bpf_map__set_max_entries(s->maps.rp_wire_pcap, WIRE_RING_BYTES);
	s->rodata->packet_events = o->packet_events > 0;
	if (o->packet_events)
		bpf_map__set_max_entries(s->maps.rp_wire_pevs, WIRE_RING_BYTES);
	rc = rp_wire_bpf__load(s);
	if (rc) {
		snprintf(err, errlen, "cannot load the wire programs: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

static int on_packet(void *ctx, void *data, size_t size)
{
	wire_pcap_write(ctx, data, size);
	return 0;
}

static int on_pev(void *ctx, void *data, size_t size)
{
	struct rp_wire *w = ctx;
	struct rp_wire_pev *p;

	if (size < sizeof(*p))
		return 0;
	if (w->npev >= w->o.packet_events) {
		w->pev_over++;
		return 0;
	}
	p = grow(w->pev, &w->cappev, w->npev, sizeof(*p), 4096, (size_t)w->o.packet_events);
	if (!p) {
		w->pev_over++;
		return 0;
	}
	w->pev = p;
	memcpy(&w->pev[w->npev++], data, sizeof(*p));
	return 0;
}

static void *reader(void *arg)
{
	struct rp_wire *w = arg;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE))
		ring_buffer__poll(w->rb, WIRE_POLL_MS);
	return NULL;
}

/* One reader thread drains the pcap ring and the packet-event ring. */
static int add_ring(struct rp_wire *w, const struct bpf_map *m, ring_buffer_sample_fn fn, void *ctx)
{
	if (!w->rb) {
		w->rb = ring_buffer__new(bpf_map__fd(m), fn, ctx, NULL);
		return w->rb ? 0 : -1;
	}
	return ring_buffer__add(w->rb, bpf_map__fd(m), fn, ctx);
}

static int capture_start(struct rp_wire *w, char *err, size_t errlen)
{
	if (w->o.pcap_path) {
		w->pcap = wire_pcap_open(w->o.pcap_path, w->o.snaplen, err, errlen);
		if (!w->pcap)
			return -1;
		if (add_ring(w, w->skel->maps.rp_wire_pcap, on_packet, w->pcap) < 0) {
			snprintf(err, errlen, "cannot read the capture ring: %s", strerror(errno));
			return -1;
		}
	}
	if (w->o.packet_events && add_ring(w, w->skel->maps.rp_wire_pevs, on_pev, w) < 0) {
		snprintf(err, errlen, "cannot read the packet-event ring: %s", strerror(errno));
		return -1;
	}
	errno = pthread_create(&w->reader, NULL, reader, w);
	if (errno) {
		snprintf(err, errlen, "cannot start the capture reader: %s", strerror(errno));
		return -1;
	}
	w->reading = true;
	return 0;
}

/* Stops the reader and writes what is left: call once the programs are
 * detached, so the ring holds everything they captured. */
static int64_t capture_finish(struct rp_wire *w, char *err, size_t errlen)
{
	int64_t n;

	if (w->reading) {
		__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
		pthread_join(w->reader, NULL);
		w->reading = false;
	}
	if (w->rb)
		ring_buffer__consume(w->rb);
	ring_buffer__free(w->rb);
	w->rb = NULL;
	if (!w->pcap)
		return 0;
	n = wire_pcap_close(w->pcap, err, errlen);
	w->pcap = NULL;
	return n;
}

int wire_open(struct rp_wire **out, const struct rp_wire_opts *o, char *err, size_t errlen)
{
	struct rp_wire *w = calloc(1, sizeof(*w));
	libbpf_print_fn_t old;
	int rc = -1;

	*out = NULL;
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->o = *o;
	/* The SYN's sender is read in the tc program: a helper tc programs
	 * may call since Linux 6.10. */
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_SCHED_CLS, BPF_FUNC_get_current_pid_tgid, NULL) !=
	    1) {
		snprintf(err, errlen,
			 "tc programs cannot tell which process sent a packet on this "
			 "kernel (bpf_get_current_pid_tgid in tc: Linux 6.10 or newer)");
		free(w);
		return -1;
	}
	old = bpf_quiet_begin(o->verbose);
	if (load(w, err, errlen) == 0) {
		rc = 0;
		for (int i = 0; rc == 0 && i < o->nifs; i++)
			rc = attach_if(w, &o->ifs[i], err, errlen);
	}
	bpf_quiet_end(o->verbose, old);
	if (rc == 0 && (o->pcap_path || o->packet_events))
		rc = capture_start(w, err, errlen);
	if (rc < 0) {
		wire_close(w);
		return -1;
	}
	*out = w;
	return 0;
}

int wire_add_tgid(struct rp_wire *w, uint32_t tgid)
{
	uint32_t one = 1;

	return bpf_map_update_elem(bpf_map__fd(w->skel->maps.rp_wire_tgids), &tgid, &one, BPF_ANY);
}

static void detach(struct rp_wire *w)
{
	for (int i = 0; i < w->nlinks; i++)
		close(w->links[i]);
	w->nlinks = 0;
}

static int read_percpu(int fd, uint32_t key, void *vals, size_t size, int ncpu, void *sum,
		       void (*add)(void *sum, const void *cpu))
{
	if (bpf_map_lookup_elem(fd, &key, vals) < 0)
		return -1;
	for (int c = 0; c < ncpu; c++)
		add(sum, (const char *)vals + (size_t)c * size);
	return 0;
}

static void add_slot(void *sum, const void *cpu)
{
	wire_sum_slot(sum, cpu);
}

static void add_u64(void *sum, const void *cpu)
{
	*(uint64_t *)sum += *(const uint64_t *)cpu;
}

static uint64_t count_flows(int fd)
{
	struct rp_wire_key k, next;
	uint64_t n = 0;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		n++;
	}
	return n;
}

static void describe(const struct rp_wire *w, struct rp_wire_report *r)
{
	size_t len = 0;

	for (int i = 0; i < w->o.nifs && len < sizeof(r->ifaces); i++)
		len += (size_t)snprintf(r->ifaces + len, sizeof(r->ifaces) - len, "%s%s",
					i ? "+" : "", w->o.ifs[i].ifname);
	if (len < sizeof(r->ifaces))
		snprintf(r->ifaces + len, sizeof(r->ifaces) - len, "%s",
			 w->o.loopback ? " egress" : " egress and ingress");
}

int wire_finish(struct rp_wire *w, struct rp_wire_report *r, char *err, size_t errlen)
{
	int ncpu = libbpf_num_possible_cpus(), rc = 0;
	size_t size = (sizeof(struct rp_wire_slot) + 7) & ~(size_t)7;
	void *vals;
	int64_t n;

	memset(r, 0, sizeof(*r));
	r->on = true;
	r->loopback = w->o.loopback;
	r->pcap_path = w->o.pcap_path;
	r->snaplen = w->o.snaplen;
	describe(w, r);
	detach(w);
	n = capture_finish(w, err, errlen);
	if (n < 0)
		rc = -1;
	else
		r->pcap_packets = (uint64_t)n;
	vals = ncpu > 0 ? calloc((size_t)ncpu, size) : NULL;
	if (!vals || read_percpu(bpf_map__fd(w->skel->maps.rp_wire_cnt), 0, vals, size, ncpu,
				 &r->sum, add_slot) < 0) {
		snprintf(err, errlen, "cannot read the wire counters: %s", strerror(errno));
		rc = -1;
	}
	for (uint32_t i = 0; vals && i < RP_WIRE_NDROPS; i++)
		read_percpu(bpf_map__fd(w->skel->maps.rp_wire_drops), i, vals, 8, ncpu,
			    &r->drops[i], add_u64);
	free(vals);
	r->flows = count_flows(bpf_map__fd(w->skel->maps.rp_wire_flows));
	return rc;
}

const struct rp_wire_pev *wire_packets(const struct rp_wire *w, size_t *n, uint64_t *over)
{
	*n = w ? w->npev : 0;
	*over = w ? w->pev_over : 0;
	return w ? w->pev : NULL;
}

void wire_close(struct rp_wire *w)
{
	char err[160];

	if (!w)
		return;
	detach(w);
	capture_finish(w, err, sizeof(err));
	rp_wire_bpf__destroy(w->skel);
	free(w->pev);
	free(w);
}
