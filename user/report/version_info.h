/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * `reqperf --version`: what was built and what this kernel offers, checked
 * at run time (BTF, bpf() permission, the probe backends --probe auto
 * would try and whether the kernel rules each out, the tracepoints
 * present). Rendering is pure; driver/cli/main.c gathers the facts.
 */
#ifndef REQPERF_VERSION_INFO_H
#define REQPERF_VERSION_INFO_H

#include <stdio.h>

#include "backend.h"

struct rp_version_info {
	const char *version;
	const char *libbpf_linked; /* libbpf_version_string(): "v1.5" */
	unsigned libbpf_built_major, libbpf_built_minor; /* headers built against */
	const char *kernel; /* uname: release */
	const char *machine;
	struct rp_kernel_facts facts;
};

int version_text(FILE *out, const struct rp_version_info *v);

#endif /* REQPERF_VERSION_INFO_H */
