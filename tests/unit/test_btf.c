// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Function arity and tracepoint presence from BTF: hand-built and real. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "btf_args.h"

/* FUNC name whose prototype takes nargs ints. */
static void add_func(struct btf *btf, int int_id, const char *name, int nargs)
{
	char arg[8];
	int proto, i;

	proto = btf__add_func_proto(btf, int_id);
	assert_true(proto > 0);
	for (i = 0; i < nargs; i++) {
		snprintf(arg, sizeof(arg), "a%d", i);
		assert_int_equal(btf__add_func_param(btf, arg, int_id), 0);
	}
	assert_true(btf__add_func(btf, name, BTF_FUNC_GLOBAL, proto) > 0);
}

static void test_synthetic_arity(void **state)
{
	struct btf *btf = btf__new_empty();
	int int_id;

	(void)state;
	assert_non_null(btf);
	int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	assert_true(int_id > 0);
	add_func(btf, int_id, "recv_old", 6);
	add_func(btf, int_id, "recv_519", 5);
	add_func(btf, int_id, "recv_618", 4);
	add_func(btf, int_id, "noargs", 0);
	assert_int_equal(btf_func_nargs(btf, "recv_old"), 6);
	assert_int_equal(btf_func_nargs(btf, "recv_519"), 5);
	assert_int_equal(btf_func_nargs(btf, "recv_618"), 4);
	assert_int_equal(btf_func_nargs(btf, "noargs"), 0);
	assert_int_equal(btf_func_nargs(btf, "missing"), -1);
	/* A name that is a type, not a FUNC, is no function. */
	assert_int_equal(btf_func_nargs(btf, "int"), -1);
	btf__free(btf);
}

static void test_synthetic_tracepoints(void **state)
{
	struct btf *btf = btf__new_empty();
	char longname[200];
	int int_id;

	(void)state;
	assert_non_null(btf);
	int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	assert_true(btf__add_typedef(btf, "btf_trace_sock_send_length", int_id) > 0);
	add_func(btf, int_id, "btf_trace_not_a_typedef", 1);
	assert_true(btf_has_tracepoint(btf, "sock_send_length"));
	assert_false(btf_has_tracepoint(btf, "sock_recv_length"));
	assert_false(btf_has_tracepoint(btf, "not_a_typedef"));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_false(btf_has_tracepoint(btf, longname));
	btf__free(btf);
}

/* tcp_recvmsg's arity by kernel release: 6 before 5.19 (nonblock), 5 from
 * 5.19 (6.1 and 6.12 included), 4 on 6.18 (addr_len gone too). Between
 * 6.13 and 6.17 either of the last two is accepted. */
static void expected_recvmsg_nargs(int *lo, int *hi)
{
	struct utsname u;
	int major = 0, minor = 0, v;

	assert_int_equal(uname(&u), 0);
	assert_int_equal(sscanf(u.release, "%d.%d", &major, &minor), 2);
	v = major * 100 + minor;
	*lo = v < 519 ? 6 : v < 613 ? 5 : 4;
	*hi = v < 519 ? 6 : v < 618 ? 5 : 4;
}

static void assert_recvmsg_nargs(int n)
{
	int lo, hi;

	expected_recvmsg_nargs(&lo, &hi);
	if (n < lo || n > hi)
		fail_msg("tcp_recvmsg has %d arguments, expected %d..%d", n, lo, hi);
}

static void skip_without_btf(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		print_message("test_btf: skipped: /sys/kernel/btf/vmlinux is absent\n");
		skip();
	}
}

static void test_kernel_arity(void **state)
{
	struct btf *btf;

	(void)state;
	skip_without_btf();
	btf = btf__load_vmlinux_btf();
	assert_non_null(btf);
	print_message("  tcp_sendmsg %d args, tcp_recvmsg %d args\n",
		      btf_func_nargs(btf, "tcp_sendmsg"), btf_func_nargs(btf, "tcp_recvmsg"));
	assert_int_equal(btf_func_nargs(btf, "tcp_sendmsg"), 3);
	assert_recvmsg_nargs(btf_func_nargs(btf, "tcp_recvmsg"));
	assert_true(btf_has_tracepoint(btf, "sys_enter"));
	assert_true(btf_has_tracepoint(btf, "inet_sock_set_state"));
	assert_false(btf_has_tracepoint(btf, "reqperf_no_such_tracepoint"));
	btf__free(btf);
}

static void test_kernel_facts(void **state)
{
	struct rp_kernel_facts k;

	(void)state;
	skip_without_btf();
	memset(&k, 0xff, sizeof(k));
	assert_int_equal(btf_kernel_facts(&k), 0);
	assert_true(k.btf);
	assert_int_equal(k.sendmsg_nargs, 3);
	assert_recvmsg_nargs(k.recvmsg_nargs);
	assert_true(k.tp_sys_enter);
	assert_true(k.tp_skb_copy);
	assert_true(k.tp_set_state);
	/* sock_send_length and sock_recv_length came together in 6.3. */
	assert_int_equal(k.tp_send_length, k.tp_recv_length);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic_arity),
		cmocka_unit_test(test_synthetic_tracepoints),
		cmocka_unit_test(test_kernel_arity),
		cmocka_unit_test(test_kernel_facts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
