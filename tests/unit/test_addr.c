// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* "HOST:PORT" parsing and formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "addr.h"

/* Parses s and formats the result back. */
static void round_trip(const char *s, int allow_zero, const char *want, int family)
{
	struct sockaddr_storage ss;
	char err[128] = "", out[128];
	socklen_t len = 0;

	if (addr_parse(s, allow_zero, &ss, &len, err, sizeof(err)) != 0)
		fail_msg("'%s': %s", s, err);
	assert_int_equal(ss.ss_family, family);
	assert_int_equal(len, family == AF_INET ? sizeof(struct sockaddr_in)
						: sizeof(struct sockaddr_in6));
	addr_format((struct sockaddr *)&ss, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_parse_ok(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	socklen_t len;
	char err[128];

	(void)state;
	round_trip("127.0.0.1:8080", 0, "127.0.0.1:8080", AF_INET);
	round_trip("[::1]:80", 0, "[::1]:80", AF_INET6);
	round_trip("localhost:80", 0, "127.0.0.1:80", AF_INET);
	round_trip("0.0.0.0:0", 1, "0.0.0.0:0", AF_INET);
	round_trip("10.1.2.3:65535", 0, "10.1.2.3:65535", AF_INET);
	round_trip("[fe80::1:2]:1", 0, "[fe80::1:2]:1", AF_INET6);
	round_trip("[::]:0", 1, "[::]:0", AF_INET6);
	assert_int_equal(addr_parse("192.168.1.2:443", 0, &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(ntohs(sin->sin_port), 443);
	assert_int_equal(ntohl(sin->sin_addr.s_addr), 0xc0a80102);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *in;
		int allow_zero;
		const char *err; /* a substring of the message */
	} cases[] = {
		{"", 0, "empty address"},
		{"127.0.0.1", 0, "missing port"},
		{"127.0.0.1:", 0, "missing port"},
		{"[::1]", 0, "missing port"},
		{"[::1", 0, "missing ']'"},
		{"127.0.0.1:65536", 0, "out of range"},
		{"127.0.0.1:99999999999999999999", 0, "out of range"},
		{"127.0.0.1:0", 0, "out of range (1..65535)"},
		{"127.0.0.1:-1", 0, "not a number"},
		{"127.0.0.1:+80", 0, "not a number"},
		{"127.0.0.1:8o", 0, "not a number"},
		{"127.0.0.1: 80", 0, "not a number"},
		{":80", 0, "empty host"},
		{"[]:80", 0, "empty host"},
		{"example.com:80", 0, "no DNS: use a numeric address"},
		{"localhost.localdomain:80", 0, "no DNS"},
		{"256.1.1.1:80", 0, "bad IPv4 address"},
		{"127.1:80", 0, "bad IPv4 address"},
		{"[1.2.3.4]:80", 0, "bad IPv6 address"},
		{"[::g]:80", 0, "bad IPv6 address"},
		{"::1:80", 0, "[addr]:port"},
	};
	struct sockaddr_storage ss;
	char err[128];
	socklen_t len;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		if (addr_parse(cases[i].in, cases[i].allow_zero, &ss, &len, err, sizeof(err)) != -1)
			fail_msg("'%s' was accepted", cases[i].in);
		if (!strstr(err, cases[i].err))
			fail_msg("'%s': got '%s', want '%s'", cases[i].in, err, cases[i].err);
	}
	/* NULL input and a NULL error buffer are fine */
	assert_int_equal(addr_parse(NULL, 0, &ss, &len, NULL, 0), -1);
}

static void test_format_small_buffer(void **state)
{
	struct sockaddr_storage ss;
	char out[8];
	socklen_t len;

	(void)state;
	assert_int_equal(addr_parse("127.0.0.1:8080", 0, &ss, &len, NULL, 0), 0);
	addr_format((struct sockaddr *)&ss, out, sizeof(out));
	assert_string_equal(out, "127.0.0"); /* truncated, still terminated */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_format_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
