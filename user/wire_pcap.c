// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The pcap writer. Packets carry CLOCK_MONOTONIC times from the kernel;
 * one CLOCK_REALTIME - CLOCK_MONOTONIC offset taken at open turns them
 * into the wall-clock times a pcap holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <pcap/pcap.h>

#include "../bpf/rp_wire.h"
#include "wire_pcap.h"

struct wire_pcap {
	pcap_t *dead;
	pcap_dumper_t *dump;
	int64_t offset_ns; /* realtime - monotonic */
	uint64_t written;
	uint64_t malformed;
};

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void pcap_free(struct wire_pcap *p)
{
	if (p->dump)
		pcap_dump_close(p->dump);
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
	p->dead = pcap_open_dead(DLT_EN10MB, (int)snaplen);
	if (!p->dead || !(p->dump = pcap_dump_open(p->dead, path))) {
		snprintf(err, errlen, "--pcap %s: %s", path,
			 p->dead ? pcap_geterr(p->dead) : "cannot open");
		pcap_free(p);
		return NULL;
	}
	p->offset_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	return p;
}

int wire_pcap_write(struct wire_pcap *p, const struct rp_wire_pkt *k, size_t size)
{
	struct pcap_pkthdr h;
	int64_t ns;

	if (size < sizeof(*k) || k->caplen > RP_WIRE_SNAP_MAX || k->caplen > k->len) {
		p->malformed++;
		return -1;
	}
	ns = (int64_t)k->ns + p->offset_ns;
	h.ts.tv_sec = ns / 1000000000;
	h.ts.tv_usec = (ns % 1000000000) / 1000;
	h.caplen = k->caplen;
	h.len = k->len;
	pcap_dump((u_char *)p->dump, &h, k->data);
	p->written++;
	return 0;
}

int64_t wire_pcap_close(struct wire_pcap *p, char *err, size_t errlen)
{
	int64_t n;
	int rc = 0;

	if (!p)
		return 0;
	if (pcap_dump_flush(p->dump) < 0 || ferror(pcap_dump_file(p->dump))) {
		snprintf(err, errlen, "writing the pcap file failed");
		rc = -1;
	} else if (p->malformed) {
		snprintf(err, errlen, "%llu malformed capture records",
			 (unsigned long long)p->malformed);
		rc = -1;
	}
	n = (int64_t)p->written;
	pcap_free(p);
	return rc < 0 ? -1 : n;
}
