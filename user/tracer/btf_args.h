/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the kernel's BTF says about the functions and tracepoints reqperf
 * attaches to: tcp_recvmsg's arity (6 arguments before 5.19, 5 since), and
 * which raw tracepoints exist (each has a btf_trace_<name> typedef).
 */
#ifndef REQPERF_BTF_ARGS_H
#define REQPERF_BTF_ARGS_H

#include <stdbool.h>

#include "backend.h"

struct btf;

/* Number of parameters of FUNC name in btf, or -1 when there is none. */
int btf_func_nargs(const struct btf *btf, const char *name);

/* Whether btf declares the raw tracepoint name. */
bool btf_has_tracepoint(const struct btf *btf, const char *name);
/* Arguments of the raw tracepoint name (its btf_trace_<name> prototype
 * minus the leading void *), -1 when there is none. */
int btf_tracepoint_nargs(const struct btf *btf, const char *name);

/* Whether enum type enum_name in btf has the enumerator value_name
 * (e.g. bpf_func_id's BPF_FUNC_task_storage_get: the helpers it has). */
bool btf_has_enum_value(const struct btf *btf, const char *enum_name, const char *value_name);

/* Fills the BTF part of *k (btf, *_nargs, tp_*) from the running kernel's
 * vmlinux BTF. Returns 0, or -1 with k->btf false when it has none. */
int btf_kernel_facts(struct rp_kernel_facts *k);

#endif /* REQPERF_BTF_ARGS_H */
