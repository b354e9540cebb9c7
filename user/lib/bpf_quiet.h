/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* libbpf's messages off while an optional part loads: its failure is
 * reported as one line of ours, not libbpf's verifier dump. */
#ifndef REQPERF_BPF_QUIET_H
#define REQPERF_BPF_QUIET_H

#include <bpf/libbpf.h>
#include <stdbool.h>

/* Unless verbose, silences libbpf; returns what bpf_quiet_end() restores. */
libbpf_print_fn_t bpf_quiet_begin(bool verbose);
void bpf_quiet_end(bool verbose, libbpf_print_fn_t old);

#endif /* REQPERF_BPF_QUIET_H */
