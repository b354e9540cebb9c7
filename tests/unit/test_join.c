// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* reqperf join: the 4-tuple match and the server view it makes
 * (user/path/join.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "join.h"

static struct rp_join_sock sock(const char *l, const char *r, uint64_t out, uint64_t in,
				uint64_t segs_out, uint64_t segs_in)
{
	struct rp_join_sock s = {
		.bytes = {out, in}, .segs_out = segs_out, .segs_in = segs_in, .exact = true};

	snprintf(s.local, sizeof(s.local), "%s", l);
	snprintf(s.remote, sizeof(s.remote), "%s", r);
	return s;
}

static void client_user(struct rp_join *j, uint64_t c2s, uint64_t s2c)
{
	memset(j, 0, sizeof(*j));
	j->in.have_bytes[RP_VIEW_CLIENT_USER] = true;
	j->in.bytes[RP_VIEW_CLIENT_USER][RP_PATH_C2S] = c2s;
	j->in.bytes[RP_VIEW_CLIENT_USER][RP_PATH_S2C] = s2c;
}

static void test_matched_by_reversed_tuple(void **state)
{
	struct rp_join_sock c[2] = {sock("10.0.0.1:40000", "10.0.0.2:80", 100, 900, 2, 3),
				    sock("10.0.0.1:40001", "10.0.0.2:80", 50, 450, 1, 2)};
	struct rp_join_sock s[3] = {sock("10.0.0.2:80", "10.0.0.9:5000", 7, 7, 1, 1),
				    sock("10.0.0.2:80", "10.0.0.1:40001", 450, 50, 2, 1),
				    sock("10.0.0.2:80", "10.0.0.1:40000", 900, 100, 3, 2)};
	struct rp_join j;

	(void)state;
	client_user(&j, 150, 1350);
	join_match(&j, c, 2, s, 3);
	assert_int_equal(j.matched, 2);
	assert_int_equal(j.other_socks, 1);
	assert_int_equal(j.conn_differ, 0);
	assert_true(j.in.have_bytes[RP_VIEW_SERVER_KERNEL]);
	assert_int_equal(j.in.bytes[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S], 150);
	assert_int_equal(j.in.bytes[RP_VIEW_SERVER_KERNEL][RP_PATH_S2C], 1350);
	assert_int_equal(j.in.segs[RP_VIEW_SERVER_KERNEL][RP_PATH_S2C], 5);
	assert_int_equal(join_verdict(&j), 0);
}

static void test_missing_and_differing(void **state)
{
	struct rp_join_sock c[2] = {sock("10.0.0.1:40000", "10.0.0.2:80", 100, 900, 2, 3),
				    sock("10.0.0.1:40001", "10.0.0.2:80", 50, 450, 1, 2)};
	struct rp_join_sock s[1] = {sock("10.0.0.2:80", "10.0.0.1:40000", 900, 100, 3, 2)};
	struct rp_join j;

	(void)state;
	client_user(&j, 150, 1350);
	join_match(&j, c, 2, s, 1);
	assert_int_equal(j.matched, 1);
	assert_false(j.in.have_bytes[RP_VIEW_SERVER_KERNEL]); /* short: no figure */
	assert_string_equal(j.first_unmatched, "10.0.0.1:40001 -> 10.0.0.2:80");
	assert_int_equal(join_verdict(&j), 1);

	s[0].bytes[0] = 899; /* one byte short of what the client read */
	client_user(&j, 100, 900);
	join_match(&j, c, 1, s, 1);
	assert_int_equal(j.conn_differ, 1);
	assert_int_equal(join_verdict(&j), 3);
}

/* A server socket answers one connection only, and an inexact one gives
 * no segment figure. */
static void test_each_socket_once(void **state)
{
	struct rp_join_sock c[2] = {sock("10.0.0.1:40000", "10.0.0.2:80", 10, 90, 1, 1),
				    sock("10.0.0.1:40000", "10.0.0.2:80", 10, 90, 1, 1)};
	struct rp_join_sock s[1] = {sock("10.0.0.2:80", "10.0.0.1:40000", 90, 10, 1, 1)};
	struct rp_join j;

	(void)state;
	client_user(&j, 20, 180);
	join_match(&j, c, 2, s, 1);
	assert_int_equal(j.matched, 1);
	s[0].exact = false;
	client_user(&j, 10, 90);
	join_match(&j, c, 1, s, 1);
	assert_true(j.in.have_bytes[RP_VIEW_SERVER_KERNEL]);
	assert_false(j.in.have_segs[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S]);
	assert_int_equal(join_verdict(&j), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matched_by_reversed_tuple),
		cmocka_unit_test(test_missing_and_differing),
		cmocka_unit_test(test_each_socket_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
