// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The pcap writer. Packets carry CLOCK_MONOTONIC times from the kernel;
 * one CLOCK_REALTIME - CLOCK_MONOTONIC offset taken at open turns them
 * into the wall-clock times a pcap holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../bpf/rp_wire.h"
#include "wire_pcap.h"

struct wire_pcap {
	FILE *f;
	int64_t offset_ns; /* realtime - monotonic */
	uint64_t written;
	uint64_t malformed;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

void wire_pcap_file_header(uint8_t out[24], uint32_t snaplen)
{
	put32(out, RP_PCAP_MAGIC);
	put16(out + 4, 2); /* version 2.4 */
	put16(out + 6, 4);
	put32(out + 8, 0); /* thiszone: times are UTC */
	put32(out + 12, 0); /* sigfigs */
	put32(out + 16, snaplen);
	put32(out + 20, RP_PCAP_LINKTYPE_ETHERNET);
}

void wire_pcap_rec_header(uint8_t out[16], uint64_t realtime_ns, uint32_t caplen, uint32_t len)
{
	put32(out, (uint32_t)(realtime_ns / 1000000000));
	put32(out + 4, (uint32_t)(realtime_ns % 1000000000 / 1000));
	put32(out + 8, caplen);
	put32(out + 12, len);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct wire_pcap *wire_pcap_open(const char *path, uint32_t snaplen, char *err, size_t errlen)
{
	struct wire_pcap *p = calloc(1, sizeof(*p));
	uint8_t h[24];

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->f = fopen(path, "wb");
	wire_pcap_file_header(h, snaplen);
	if (!p->f || fwrite(h, sizeof(h), 1, p->f) != 1 || fflush(p->f)) {
		snprintf(err, errlen, "--pcap %s: %s", path, strerror(errno));
		if (p->f)
			fclose(p->f);
		free(p);
		return NULL;
	}
	p->offset_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	return p;
}

int wire_pcap_write(struct wire_pcap *p, const struct rp_wire_pkt *k, size_t size)
{
	uint8_t h[16];

	if (size < sizeof(*k) || k->caplen > RP_WIRE_SNAP_MAX || k->caplen > k->len) {
		p->malformed++;
		return -1;
	}
	wire_pcap_rec_header(h, (uint64_t)((int64_t)k->ns + p->offset_ns), k->caplen, k->len);
	fwrite(h, sizeof(h), 1, p->f);
	fwrite(k->data, k->caplen, 1, p->f);
	p->written++;
	return 0;
}

int64_t wire_pcap_close(struct wire_pcap *p, char *err, size_t errlen)
{
	int64_t n;
	int rc = 0;

	if (!p)
		return 0;
	if (ferror(p->f) | fclose(p->f)) {
		snprintf(err, errlen, "writing the pcap file failed");
		rc = -1;
	} else if (p->malformed) {
		snprintf(err, errlen, "%llu malformed capture records",
			 (unsigned long long)p->malformed);
		rc = -1;
	}
	n = (int64_t)p->written;
	free(p);
	return rc < 0 ? -1 : n;
}
