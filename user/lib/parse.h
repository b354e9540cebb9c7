/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Strict parsing of command-line values: whole string, range-checked. */
#ifndef REQPERF_PARSE_H
#define REQPERF_PARSE_H

#include <stddef.h>

/* Decimal integer in [min, max]; 0 or -1. */
int parse_long(const char *s, long min, long max, long *out);
/* Decimal number in [min, max], finite; 0 or -1. */
int parse_double(const char *s, double min, double max, double *out);
/* "0,2-3,5": sorted, without duplicates, each below max_cpu; returns the
 * count or -1 with the reason in err. */
int parse_cpu_list(const char *s, int *cpus, int max, char *err, size_t errlen);
/* A "HOST:PORT" a client can connect to (port 1..65535). */
int parse_target(const char *s, char *err, size_t errlen);

#endif /* REQPERF_PARSE_H */
