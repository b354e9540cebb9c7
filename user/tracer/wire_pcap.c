// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The pcap writer, on libpcap's dumper. Packets carry CLOCK_MONOTONIC
 * times from the kernel; one CLOCK_REALTIME - CLOCK_MONOTONIC offset
 * taken at open turns them into the wall-clock times a pcap holds.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rp_wire.h"
#include "wire_pcap.h"

struct wire_pcap {
	pcap_t *dead; /* the link type, snaplen and precision for the dumper */
	pcap_dumper_t *d;
	int64_t offset_ns; /* realtime - monotonic */
	uint64_t written;
	uint64_t malformed;
};

int wire_pcap_pkthdr(struct pcap_pkthdr *h, uint64_t realtime_ns, uint32_t caplen, uint32_t len)
{
	if (caplen > RP_WIRE_SNAP_MAX || caplen > len)
		return -1;
	memset(h, 0, sizeof(*h));
	h->ts.tv_sec = (time_t)(realtime_ns / 1000000000);
	h->ts.tv_usec = (suseconds_t)(realtime_ns % 1000000000); /* nanoseconds */
	h->caplen = caplen;
	h->len = len;
	return 0;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void wire_pcap_free(struct wire_pcap *p)
{
	if (p->dead)
		pcap_close(p->dead);
	free(p);
}

struct wire_pcap *wire_pcap_open(const char *path, uint32_t snaplen, char *err, size_t errlen)
{
	struct wire_pcap *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, (int)snaplen,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!p->dead) {
		snprintf(err, errlen, "--pcap %s: libpcap cannot make a dumper", path);
		wire_pcap_free(p);
		return NULL;
	}
	p->d = pcap_dump_open(p->dead, path);
	if (!p->d) {
		/* libpcap's message names the file and the reason */
		snprintf(err, errlen, "--pcap %s", pcap_geterr(p->dead));
		wire_pcap_free(p);
		return NULL;
	}
	if (pcap_dump_flush(p->d)) {
		snprintf(err, errlen, "--pcap %s: %s", path, strerror(errno));
		pcap_dump_close(p->d);
		wire_pcap_free(p);
		return NULL;
	}
	p->offset_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	return p;
}

int wire_pcap_write(struct wire_pcap *p, const struct rp_wire_pkt *k, size_t size)
{
	struct pcap_pkthdr h;

	if (size < sizeof(*k) ||
	    wire_pcap_pkthdr(&h, (uint64_t)((int64_t)k->ns + p->offset_ns), k->caplen, k->len)) {
		p->malformed++;
		return -1;
	}
	pcap_dump((u_char *)p->d, &h, k->data);
	p->written++;
	return 0;
}

int64_t wire_pcap_close(struct wire_pcap *p, char *err, size_t errlen)
{
	int64_t n;
	int rc = 0;

	if (!p)
		return 0;
	/* pcap_dump() returns nothing: a failed write shows in the stream */
	if (pcap_dump_flush(p->d) | ferror(pcap_dump_file(p->d))) {
		snprintf(err, errlen, "writing the pcap file failed");
		rc = -1;
	} else if (p->malformed) {
		snprintf(err, errlen, "%llu malformed capture records",
			 (unsigned long long)p->malformed);
		rc = -1;
	}
	pcap_dump_close(p->d);
	n = (int64_t)p->written;
	wire_pcap_free(p);
	return rc < 0 ? -1 : n;
}
