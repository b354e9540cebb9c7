// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: the command-line value parsers. The first byte picks
 * the parser (target and listen addresses, CPU lists, integers, numbers),
 * the rest is the argument. An accepted value must satisfy what the
 * parser promises (an address formats and parses back to itself, a CPU
 * list is sorted, unique and in range); a rejected one must come with a
 * one-line reason.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "fuzz_check.h"
#include "parse.h"

#define MAX_ARG 1100 /* parse_cpu_list refuses 1024 bytes and more */
#define CPUS 1024

/* One line, unless it quotes an argument that has a newline itself. */
static void check_reason(const char *err, const char *arg)
{
	FUZZ_CHECK(err[0] != '\0' && (!strchr(err, '\n') || strchr(arg, '\n')));
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port && a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a6->sin6_port == b6->sin6_port &&
	       !memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr));
}

static void fuzz_addr(const char *s, int allow_zero)
{
	struct sockaddr_storage ss, again;
	socklen_t len, len2;
	char err[160], text[300];
	uint16_t port;

	memset(err, 0, sizeof(err));
	if (addr_parse(s, allow_zero, &ss, &len, err, sizeof(err)) < 0) {
		check_reason(err, s);
		return;
	}
	FUZZ_CHECK(ss.ss_family == AF_INET || ss.ss_family == AF_INET6);
	FUZZ_CHECK(len == (ss.ss_family == AF_INET ? sizeof(struct sockaddr_in)
						   : sizeof(struct sockaddr_in6)));
	port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	FUZZ_CHECK(allow_zero || port != 0);
	addr_format((struct sockaddr *)&ss, text, sizeof(text));
	FUZZ_CHECK(addr_parse(text, allow_zero, &again, &len2, err, sizeof(err)) == 0);
	FUZZ_CHECK(len2 == len && same_addr(&ss, &again));
	if (!allow_zero) {
		memset(err, 0, sizeof(err));
		FUZZ_CHECK(parse_target(s, err, sizeof(err)) == 0);
	}
}

static void fuzz_cpus(const char *s, int max)
{
	int cpus[CPUS], n;
	char err[128] = "";

	n = parse_cpu_list(s, cpus, max, err, sizeof(err));
	if (n < 0) {
		check_reason(err, s);
		return;
	}
	FUZZ_CHECK(n > 0 && n <= max);
	for (int i = 0; i < n; i++) {
		FUZZ_CHECK(cpus[i] >= 0 && cpus[i] < max);
		FUZZ_CHECK(i == 0 || cpus[i - 1] < cpus[i]);
	}
}

static void fuzz_numbers(const char *s, long lo, long hi)
{
	double d;
	long v;

	if (parse_long(s, lo, hi, &v) == 0) {
		FUZZ_CHECK(v >= lo && v <= hi);
		FUZZ_CHECK(v == strtol(s, NULL, 10));
	}
	if (parse_double(s, (double)lo, (double)hi, &d) == 0)
		FUZZ_CHECK(isfinite(d) && d >= (double)lo && d <= (double)hi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long bounds[][2] = {{1, 1024}, {0, 99}, {-5, 5}, {1, 1000000000L}};
	char s[MAX_ARG + 1];
	unsigned char op;
	size_t n;

	if (size < 1)
		return 0;
	op = data[0];
	n = size - 1 < MAX_ARG ? size - 1 : MAX_ARG;
	memcpy(s, data + 1, n);
	s[n] = '\0';
	switch (op % 4) {
	case 0:
	case 1:
		fuzz_addr(s, op % 4);
		break;
	case 2:
		fuzz_cpus(s, 1 + (op / 4) % 64 * 16);
		break;
	case 3:
		fuzz_numbers(s, bounds[(op / 4) % 4][0], bounds[(op / 4) % 4][1]);
		break;
	}
	return 0;
}
