/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --pcap: the wire view's captured packets in the classic pcap savefile
 * format (pcap-savefile(5): version 2.4, microsecond times, Ethernet link
 * type as lo and veth frame them), so tcpdump, tshark and Wireshark read
 * the file. Written here rather than with libpcap: Debian's libpcap.a
 * needs a libsystemd.a Debian does not ship, and the VM matrix runs a
 * static binary; the format is two fixed headers.
 */
#ifndef REQPERF_WIRE_PCAP_H
#define REQPERF_WIRE_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RP_PCAP_MAGIC 0xa1b2c3d4u /* microsecond timestamps */
#define RP_PCAP_LINKTYPE_ETHERNET 1

struct wire_pcap;
struct rp_wire_pkt;

/* Pure: the 24-byte file header and a packet's 16-byte record header, in
 * host byte order as the format allows (readers check the magic). */
void wire_pcap_file_header(uint8_t out[24], uint32_t snaplen);
void wire_pcap_rec_header(uint8_t out[16], uint64_t realtime_ns, uint32_t caplen, uint32_t len);

/* Opens path for writing (the header written at once, so a bad path fails
 * before the run). Returns NULL with a one-line reason in err. */
struct wire_pcap *wire_pcap_open(const char *path, uint32_t snaplen, char *err, size_t errlen);
/* Writes one packet; its CLOCK_MONOTONIC time becomes wall-clock time
 * with the offset taken at open. -1 for a malformed record (counted). */
int wire_pcap_write(struct wire_pcap *p, const struct rp_wire_pkt *k, size_t size);
/* Flushes and closes. Returns the packets written, or -1 with a reason in
 * err when a write failed or records were malformed. NULL-safe (0). */
int64_t wire_pcap_close(struct wire_pcap *p, char *err, size_t errlen);

#endif /* REQPERF_WIRE_PCAP_H */
