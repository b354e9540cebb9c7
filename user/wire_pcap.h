/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --pcap: the wire view's captured packets written with libpcap
 * (Ethernet link type, as lo and veth frame them), so tcpdump, tshark and
 * Wireshark read the file. Kept apart from libbpf: pcap.h and linux/bpf.h
 * both define struct bpf_insn.
 */
#ifndef REQPERF_WIRE_PCAP_H
#define REQPERF_WIRE_PCAP_H

#include <stddef.h>
#include <stdint.h>

struct wire_pcap;
struct rp_wire_pkt;

/* Opens path for writing. Returns NULL with a one-line reason in err. */
struct wire_pcap *wire_pcap_open(const char *path, uint32_t snaplen, char *err, size_t errlen);
/* Writes one packet; its CLOCK_MONOTONIC time becomes wall-clock time
 * with the offset taken at open. -1 for a malformed record (counted). */
int wire_pcap_write(struct wire_pcap *p, const struct rp_wire_pkt *k, size_t size);
/* Flushes and closes. Returns the packets written, or -1 with a reason in
 * err when a write failed or records were malformed. NULL-safe (0). */
int64_t wire_pcap_close(struct wire_pcap *p, char *err, size_t errlen);

#endif /* REQPERF_WIRE_PCAP_H */
