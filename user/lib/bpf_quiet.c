// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* libbpf's messages off while an optional part loads (bpf_quiet.h). */
#include "bpf_quiet.h"

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

libbpf_print_fn_t bpf_quiet_begin(bool verbose)
{
	return verbose ? NULL : libbpf_set_print(silent);
}

void bpf_quiet_end(bool verbose, libbpf_print_fn_t old)
{
	if (!verbose)
		libbpf_set_print(old);
}
