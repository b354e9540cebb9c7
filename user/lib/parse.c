// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "parse.h"

int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int add_range(int *cpus, int n, int max, long lo, long hi, char *err, size_t errlen)
{
	for (long c = lo; c <= hi; c++) {
		for (int i = 0; i < n; i++) {
			if (cpus[i] == c) {
				snprintf(err, errlen, "cpu %ld listed twice", c);
				return -1;
			}
		}
		if (n >= max) {
			snprintf(err, errlen, "more than %d cpus", max);
			return -1;
		}
		cpus[n++] = (int)c;
	}
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int parse_cpu_list(const char *s, int *cpus, int max, char *err, size_t errlen)
{
	char buf[1024], *save = NULL, *tok;
	int n = 0;

	if (!s || !*s || strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "expected a list such as 0,2-3");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		long lo, hi;

		if (dash)
			*dash = '\0';
		if (parse_long(tok, 0, max - 1, &lo) < 0 ||
		    (dash && parse_long(dash + 1, 0, max - 1, &hi) < 0)) {
			snprintf(err, errlen, "bad cpu '%s' (expected 0..%d)", dash ? s : tok,
				 max - 1);
			return -1;
		}
		if (!dash)
			hi = lo;
		if (hi < lo) {
			snprintf(err, errlen, "bad range %ld-%ld", lo, hi);
			return -1;
		}
		n = add_range(cpus, n, max, lo, hi, err, errlen);
		if (n < 0)
			return -1;
	}
	if (n == 0) {
		snprintf(err, errlen, "expected a list such as 0,2-3");
		return -1;
	}
	qsort(cpus, (size_t)n, sizeof(*cpus), cmp_int);
	return n;
}

int parse_target(const char *s, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;

	return addr_parse(s, 0, &ss, &len, err, errlen);
}
