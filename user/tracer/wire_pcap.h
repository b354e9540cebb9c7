/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --pcap: the wire view's captured packets in a pcap savefile written by
 * libpcap (pcap_open_dead + pcap_dump), nanosecond timestamps, Ethernet
 * link type as lo and veth frame them; tcpdump, tshark and Wireshark read
 * it.
 */
#ifndef REQPERF_WIRE_PCAP_H
#define REQPERF_WIRE_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct wire_pcap;
struct rp_wire_pkt;
struct pcap_pkthdr;

/* Pure: a packet's record header for a nanosecond-precision dumper
 * (libpcap keeps nanoseconds in ts.tv_usec then). -1 when the record is
 * malformed: caplen beyond the snapshot array or beyond len. */
int wire_pcap_pkthdr(struct pcap_pkthdr *h, uint64_t realtime_ns, uint32_t caplen, uint32_t len);

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
