// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --call-path: the join of a worker's calls with its syscall records, and
 * the stage sums (user/path/callpath.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "callpath.h"
#include "events.h"

/* A call at t0 taking the given stage durations; tcp 0: no TCP hook. */
static void call(struct rp_uevent *u, struct rp_cp_rec *k, uint64_t t0, int dir, int64_t ret,
		 uint64_t entry, uint64_t socket, uint64_t tcp, uint64_t back, uint64_t exit)
{
	memset(u, 0, sizeof(*u));
	memset(k, 0, sizeof(*k));
	u->dir = (uint8_t)dir;
	u->ret = ret;
	u->start_ns = t0;
	k->dir = (uint32_t)dir;
	k->ret = ret;
	k->tid = 7;
	k->enter_ns = t0 + entry;
	k->tcp_ns = tcp ? k->enter_ns + socket : 0;
	k->sock_ns = k->enter_ns + socket + tcp;
	k->exit_ns = k->sock_ns + back;
	u->end_ns = k->exit_ns + exit;
}

static void test_stages_add_up(void **state)
{
	struct rp_uevent u[3];
	struct rp_cp_rec k[3];
	struct rp_cp_acc acc = {0};
	struct rp_cp_report r;

	(void)state;
	call(&u[0], &k[0], 1000, RP_SEND, 100, 10, 20, 300, 5, 50);
	call(&u[1], &k[1], 5000, RP_RECV, 1024, 12, 22, 30, 6, 60);
	call(&u[2], &k[2], 9000, RP_RECV, -11, 14, 40, 0, 7, 70); /* EAGAIN: no TCP copy */
	assert_int_equal(callpath_join(&acc, u, 3, k, 3), 0);
	callpath_summarise(&acc, &r);
	assert_int_equal(r.joined, 3);
	assert_int_equal(r.user_only + r.kernel_other + r.mismatched, 0);
	assert_int_equal(r.st[RP_CPC_SEND][RP_CPS_ENTRY].p50_ns, 10);
	assert_int_equal(r.st[RP_CPC_SEND][RP_CPS_TCP].p50_ns, 300);
	assert_int_equal(r.st[RP_CPC_SEND][RP_CPS_USER].p50_ns, 385);
	assert_int_equal(r.st[RP_CPC_SEND][RP_CPS_KERNEL].p50_ns, 320);
	assert_int_equal(r.st[RP_CPC_RECV_DATA][RP_CPS_EXIT].p50_ns, 60);
	/* a recv that copied nothing: the socket stage runs to the return */
	assert_int_equal(r.st[RP_CPC_RECV_NONE][RP_CPS_TCP].calls, 0);
	assert_int_equal(r.st[RP_CPC_RECV_NONE][RP_CPS_SOCKET].p50_ns, 40);
	assert_int_equal(r.st[RP_CPC_RECV_NONE][RP_CPS_USER].p50_ns, 131);
	callpath_acc_free(&acc);
}

/* Means of the five stages add up to the user mean, exactly. */
static void test_means_add_up(void **state)
{
	enum {
		N = 101
	};
	struct rp_uevent *u = calloc(N, sizeof(*u));
	struct rp_cp_rec *k = calloc(N, sizeof(*k));
	struct rp_cp_acc acc = {0};
	struct rp_cp_report r;
	double sum = 0;

	(void)state;
	for (int i = 0; i < N; i++)
		call(&u[i], &k[i], 1000000 * (uint64_t)(i + 1), RP_SEND, 10, 100 + i, 50 + 3 * i,
		     400 + (i * 37) % 500, 20 + i % 7, 80 + (i * 13) % 90);
	assert_int_equal(callpath_join(&acc, u, N, k, N), 0);
	callpath_summarise(&acc, &r);
	for (int s = RP_CPS_ENTRY; s <= RP_CPS_EXIT; s++)
		sum += r.st[RP_CPC_SEND][s].mean_ns;
	assert_true(sum - r.st[RP_CPC_SEND][RP_CPS_USER].mean_ns < 1e-6 &&
		    r.st[RP_CPC_SEND][RP_CPS_USER].mean_ns - sum < 1e-6);
	/* nearest rank: 101 values 100..200, the median is the 51st */
	assert_int_equal(r.st[RP_CPC_SEND][RP_CPS_ENTRY].p50_ns, 150);
	assert_int_equal(r.st[RP_CPC_SEND][RP_CPS_ENTRY].p90_ns, 190);
	callpath_acc_free(&acc);
	free(u);
	free(k);
}

/* Records of other syscalls, calls without a record, and pairs that
 * disagree are counted, never joined. */
static void test_what_does_not_join(void **state)
{
	struct rp_uevent u[4];
	struct rp_cp_rec k[6];
	struct rp_cp_acc acc = {0};
	struct rp_cp_report r;

	(void)state;
	call(&u[0], &k[1], 1000, RP_SEND, 100, 10, 20, 30, 5, 50);
	call(&u[1], &k[2], 2000, RP_RECV, 100, 10, 20, 30, 5, 50);
	call(&u[2], &k[3], 3000, RP_RECV, 100, 10, 20, 30, 5, 50);
	call(&u[3], &k[4], 4000, RP_RECV, 100, 10, 20, 30, 5, 50);
	k[0] = k[1];
	k[0].enter_ns = 100; /* a syscall before any call (a pipe write) */
	k[0].exit_ns = 200;
	k[2].ret = 99; /* disagrees with the user's return */
	k[3].enter_ns = 3500; /* not inside call 2 ([3000, 3115]) */
	k[3].sock_ns = k[3].exit_ns = 3600;
	k[5] = k[4];
	k[5].enter_ns = 9000; /* after every call */
	k[5].exit_ns = 9100;
	k[4].tcp_ns = k[4].sock_ns + 1; /* hooks out of order */
	assert_int_equal(callpath_join(&acc, u, 4, k, 6), 0);
	callpath_summarise(&acc, &r);
	assert_int_equal(r.joined, 1);
	assert_int_equal(r.mismatched, 2);
	assert_int_equal(r.user_only, 1);
	assert_int_equal(r.kernel_other, 3); /* before, the stray one, after */
	callpath_acc_free(&acc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stages_add_up),
		cmocka_unit_test(test_means_add_up),
		cmocka_unit_test(test_what_does_not_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
