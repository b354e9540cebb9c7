// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Backend choice: candidates, pre-checks, failure reasons, verdicts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "backend.h"
#include "report.h"

static struct rp_kernel_facts good(void)
{
	struct rp_kernel_facts k = {
		.bpf_ok = true,
		.btf = true,
		.kprobe_pmu = true,
		.sendmsg_nargs = 3,
		.recvmsg_nargs = 5,
		.tp_sys_enter = true,
		.tp_send_length = true,
		.tp_recv_length = true,
		.tp_sendmsg_locked = true,
		.tp_skb_copy = true,
		.tp_retransmit = true,
		.tp_set_state = true,
		.task_storage = true,
		.func_ret = true,
	};

	return k;
}

static void test_candidates(void **state)
{
	enum rp_backend b[RP_NFAMILIES];

	(void)state;
	assert_int_equal(backend_candidates(RP_PROBE_AUTO, b), 3);
	assert_int_equal(b[0], RP_BACKEND_FENTRY);
	assert_int_equal(b[1], RP_BACKEND_KPROBE);
	assert_int_equal(b[2], RP_BACKEND_TRACEPOINT);
	assert_int_equal(backend_candidates(RP_PROBE_KPROBE, b), 1);
	assert_int_equal(b[0], RP_BACKEND_KPROBE);
	assert_int_equal(backend_candidates(RP_PROBE_TRACEPOINT, b), 1);
	assert_int_equal(b[0], RP_BACKEND_TRACEPOINT);
	assert_int_equal(backend_candidates(RP_PROBE_FENTRY, b), 1);
	assert_int_equal(b[0], RP_BACKEND_FENTRY);
	assert_int_equal(backend_candidates(RP_PROBE_OFF, b), 0);
}

static void expect_precheck(enum rp_backend b, const struct rp_kernel_facts *k, const char *want)
{
	char why[RP_REASON_LEN] = "";

	if (!want) {
		assert_int_equal(backend_precheck(b, k, why, sizeof(why)), 0);
		return;
	}
	assert_int_equal(backend_precheck(b, k, why, sizeof(why)), -1);
	if (!strstr(why, want))
		fail_msg("reason '%s' lacks '%s'", why, want);
}

static void test_precheck_all_good(void **state)
{
	struct rp_kernel_facts k = good();

	(void)state;
	expect_precheck(RP_BACKEND_FENTRY, &k, NULL);
	expect_precheck(RP_BACKEND_KPROBE, &k, NULL);
	expect_precheck(RP_BACKEND_TRACEPOINT, &k, NULL);
	expect_precheck(RP_BACKEND_OFF, &k, "no such backend");
}

static void test_precheck_permissions(void **state)
{
	struct rp_kernel_facts k = good();

	(void)state;
	k.bpf_ok = false;
	k.bpf_errno = EPERM;
	expect_precheck(RP_BACKEND_FENTRY, &k, "bpf() not permitted: run as root");
	expect_precheck(RP_BACKEND_TRACEPOINT, &k, "CAP_BPF+CAP_PERFMON");
	k.bpf_errno = ENOSYS;
	expect_precheck(RP_BACKEND_KPROBE, &k, "without bpf()");
	k.bpf_errno = EINVAL;
	expect_precheck(RP_BACKEND_KPROBE, &k, "EINVAL loading a test program");
	k = good();
	k.btf = false;
	expect_precheck(RP_BACKEND_TRACEPOINT, &k, "no BTF");
}

/* 5.10 (Debian 11): no task storage; 5.11-5.16: no bpf_get_func_ret. */
/* arm64 before 6.4: fentry loads but cannot attach (no trampolines). */
static void test_fentry_attach_unsupported(void **state)
{
	struct rp_kernel_facts k = good();
	char why[RP_REASON_LEN];

	(void)state;
	backend_failure(RP_BACKEND_FENTRY, RP_STAGE_ATTACH, -524, "rp_fentry_send", &k, why,
			sizeof(why));
	assert_non_null(strstr(why, "ENOTSUPP attaching rp_fentry_send"));
	assert_non_null(strstr(why, "arm64 has them since Linux 6.4"));
}

static void test_precheck_kernel_minimums(void **state)
{
	struct rp_kernel_facts k = good();

	(void)state;
	k.task_storage = false;
	k.func_ret = false;
	expect_precheck(RP_BACKEND_FENTRY, &k, "needs Linux 5.11 or newer");
	expect_precheck(RP_BACKEND_KPROBE, &k, "needs Linux 5.11 or newer");
	expect_precheck(RP_BACKEND_TRACEPOINT, &k, "needs Linux 5.11 or newer");
	k.task_storage = true;
	expect_precheck(RP_BACKEND_FENTRY, &k, "fentry backend needs Linux 5.17 or newer");
	expect_precheck(RP_BACKEND_KPROBE, &k, NULL);
}

static void test_precheck_prototypes(void **state)
{
	struct rp_kernel_facts k = good();

	(void)state;
	k.recvmsg_nargs = 6; /* before 5.19 */
	expect_precheck(RP_BACKEND_FENTRY, &k, NULL);
	k.recvmsg_nargs = 4; /* 6.18: addr_len gone too */
	expect_precheck(RP_BACKEND_KPROBE, &k, NULL);
	k.recvmsg_nargs = 7;
	expect_precheck(RP_BACKEND_FENTRY, &k, "unexpected tcp_recvmsg prototype (7 arguments");
	k.recvmsg_nargs = -1;
	expect_precheck(RP_BACKEND_KPROBE, &k, "tcp_recvmsg not found");
	k = good();
	k.sendmsg_nargs = -1;
	expect_precheck(RP_BACKEND_FENTRY, &k, "tcp_sendmsg not found");
	k.sendmsg_nargs = 4;
	expect_precheck(RP_BACKEND_FENTRY, &k, "unexpected tcp_sendmsg prototype");
	/* The tracepoint backend does not care about function prototypes. */
	expect_precheck(RP_BACKEND_TRACEPOINT, &k, NULL);
}

static void test_precheck_tracepoints(void **state)
{
	struct rp_kernel_facts k = good();

	(void)state;
	k.tp_recv_length = false; /* Debian 6.1 */
	expect_precheck(RP_BACKEND_TRACEPOINT, &k, "added in 6.3");
	expect_precheck(RP_BACKEND_FENTRY, &k, NULL);
	k.tp_sys_enter = false;
	expect_precheck(RP_BACKEND_TRACEPOINT, &k, "sys_enter");
}

static void test_features(void **state)
{
	struct rp_kernel_facts k = good();

	(void)state;
	assert_int_equal(backend_features(&k), RP_FEAT_SENDMSG_LOCKED | RP_FEAT_SKB_COPY |
						       RP_FEAT_RETRANSMIT | RP_FEAT_SOCK_STATE);
	k.tp_sendmsg_locked = false; /* 6.1 */
	k.tp_retransmit = false;
	assert_int_equal(backend_features(&k), RP_FEAT_SKB_COPY | RP_FEAT_SOCK_STATE);
	memset(&k, 0, sizeof(k));
	assert_int_equal(backend_features(&k), 0);
}

static void test_autoload(void **state)
{
	const unsigned all =
		RP_FEAT_SENDMSG_LOCKED | RP_FEAT_SKB_COPY | RP_FEAT_RETRANSMIT | RP_FEAT_SOCK_STATE;

	(void)state;
	assert_true(backend_autoload("fentry/tcp_sendmsg", RP_BACKEND_FENTRY, 0));
	assert_true(backend_autoload("fexit/tcp_recvmsg", RP_BACKEND_FENTRY, 0));
	assert_false(backend_autoload("kprobe/tcp_sendmsg", RP_BACKEND_FENTRY, all));
	assert_false(backend_autoload("tp_btf/sys_enter", RP_BACKEND_FENTRY, all));
	assert_true(backend_autoload("kprobe/tcp_recvmsg", RP_BACKEND_KPROBE, 0));
	assert_true(backend_autoload("kretprobe/tcp_recvmsg", RP_BACKEND_KPROBE, 0));
	assert_false(backend_autoload("fexit/tcp_recvmsg", RP_BACKEND_KPROBE, all));
	/* The verifier must never see another family's programs. */
	assert_true(backend_autoload("tp_btf/sys_enter", RP_BACKEND_TRACEPOINT, 0));
	assert_true(backend_autoload("tp_btf/sock_send_length", RP_BACKEND_TRACEPOINT, 0));
	assert_true(backend_autoload("tp_btf/sock_recv_length", RP_BACKEND_TRACEPOINT, 0));
	assert_false(backend_autoload("fentry/tcp_sendmsg", RP_BACKEND_TRACEPOINT, all));
	assert_false(backend_autoload("kretprobe/tcp_sendmsg", RP_BACKEND_TRACEPOINT, all));
	/* Optional programs follow the features, in any backend. */
	assert_true(backend_autoload("tp_btf/tcp_retransmit_skb", RP_BACKEND_KPROBE,
				     RP_FEAT_RETRANSMIT));
	assert_false(
		backend_autoload("tp_btf/tcp_retransmit_skb", RP_BACKEND_KPROBE, RP_FEAT_SKB_COPY));
	/* cwnd and srtt are read at each call's return: no tcp_probe program. */
	assert_false(backend_autoload("tp_btf/tcp_probe", RP_BACKEND_KPROBE, all));
	assert_true(backend_autoload("tp_btf/tcp_sendmsg_locked", RP_BACKEND_FENTRY,
				     RP_FEAT_SENDMSG_LOCKED));
	assert_false(backend_autoload("tp_btf/tcp_sendmsg_locked", RP_BACKEND_FENTRY,
				      all & ~RP_FEAT_SENDMSG_LOCKED));
	assert_true(backend_autoload("tp_btf/skb_copy_datagram_iovec", RP_BACKEND_TRACEPOINT,
				     RP_FEAT_SKB_COPY));
	assert_true(backend_autoload("tp_btf/tcp_retransmit_skb", RP_BACKEND_TRACEPOINT, all));
	assert_true(backend_autoload("tp_btf/inet_sock_set_state", RP_BACKEND_TRACEPOINT, all));
	assert_false(backend_autoload("tp_btf/inet_sock_set_state", RP_BACKEND_OFF, all));
	/* tcp_sendpage (before 6.5) and io_uring submissions: their own
	 * family only, and only where the kernel has them. */
	assert_true(backend_autoload("fentry/tcp_sendpage", RP_BACKEND_FENTRY, RP_FEAT_SENDPAGE));
	assert_false(backend_autoload("fentry/tcp_sendpage", RP_BACKEND_FENTRY,
				      all & ~RP_FEAT_SENDPAGE));
	assert_true(
		backend_autoload("kretprobe/tcp_sendpage", RP_BACKEND_KPROBE, RP_FEAT_SENDPAGE));
	assert_false(backend_autoload("kprobe/tcp_sendpage", RP_BACKEND_FENTRY, RP_FEAT_SENDPAGE));
	assert_true(backend_autoload("tp_btf/io_uring_submit_req", RP_BACKEND_TRACEPOINT,
				     RP_FEAT_URING));
	assert_false(backend_autoload("tp_btf/io_uring_submit_req", RP_BACKEND_TRACEPOINT, 0));
	assert_false(
		backend_autoload("tp_btf/io_uring_submit_req", RP_BACKEND_FENTRY, RP_FEAT_URING));
	/* splice from a socket: tcp_splice_read where BTF has it; sys_exit
	 * (every syscall) only when the loader asks for it. */
	assert_true(
		backend_autoload("fexit/tcp_splice_read", RP_BACKEND_FENTRY, RP_FEAT_SPLICE_READ));
	assert_false(backend_autoload("kprobe/tcp_splice_read", RP_BACKEND_KPROBE,
				      all & ~RP_FEAT_SPLICE_READ));
	assert_true(backend_autoload("tp_btf/sys_exit", RP_BACKEND_TRACEPOINT, RP_FEAT_SYS_EXIT));
	assert_false(backend_autoload("tp_btf/sys_exit", RP_BACKEND_TRACEPOINT,
				      all & ~RP_FEAT_SYS_EXIT));
	assert_false(backend_autoload("tp_btf/sys_exit", RP_BACKEND_FENTRY, RP_FEAT_SYS_EXIT));
	/* Unknown sections stay off; names match whole, families by prefix. */
	assert_false(backend_autoload("tp_btf/sys_enter_x", RP_BACKEND_TRACEPOINT, all));
	assert_false(backend_autoload("tp_btf/other", RP_BACKEND_TRACEPOINT, all));
	assert_false(backend_autoload("fentr", RP_BACKEND_FENTRY, all));
	assert_false(backend_autoload(NULL, RP_BACKEND_FENTRY, all));
}

static void expect_failure(enum rp_backend b, enum rp_stage stage, int err, const char *prog,
			   bool pmu, const char *want)
{
	struct rp_kernel_facts k = good();
	char why[RP_REASON_LEN] = "";

	k.kprobe_pmu = pmu;
	backend_failure(b, stage, err, prog, &k, why, sizeof(why));
	if (strcmp(why, want))
		fail_msg("got '%s', want '%s'", why, want);
}

static void test_failure_reasons(void **state)
{
	(void)state;
	expect_failure(
		RP_BACKEND_FENTRY, RP_STAGE_LOAD, -EPERM, "rp_fentry_send", true,
		"EPERM loading rp_fentry_send (function tracing is blocked or not built in)");
	expect_failure(RP_BACKEND_KPROBE, RP_STAGE_ATTACH, -ENOENT, "rp_kp_send", false,
		       "kernel has no kprobes (attach failed: ENOENT)");
	expect_failure(RP_BACKEND_KPROBE, RP_STAGE_ATTACH, -ENOENT, "rp_kp_send", true,
		       "ENOENT attaching rp_kp_send");
	expect_failure(RP_BACKEND_TRACEPOINT, RP_STAGE_LOAD, -EACCES, "rp_tp_send", true,
		       "EACCES loading rp_tp_send (the verifier rejected it; --verbose shows "
		       "its log)");
	expect_failure(RP_BACKEND_KPROBE, RP_STAGE_LOAD, EPERM, NULL, true,
		       "EPERM loading its programs (not permitted: root, or CAP_BPF+CAP_PERFMON?)");
	expect_failure(RP_BACKEND_TRACEPOINT, RP_STAGE_LOAD, -ENOMEM, "rp_sys_enter", true,
		       "ENOMEM loading rp_sys_enter");
	expect_failure(RP_BACKEND_TRACEPOINT, RP_STAGE_OPEN, -9999, NULL, true,
		       "cannot open the BPF object: errno 9999");
}

static void set_attempt(struct rp_attempt *a, enum rp_backend b, int err, const char *why)
{
	a->backend = b;
	a->err = err;
	strcpy(a->reason, why);
}

static void test_verdict_first_success(void **state)
{
	struct rp_attempt a[3];
	char err[256] = "untouched";

	(void)state;
	set_attempt(&a[0], RP_BACKEND_FENTRY, -EPERM, "no trampolines");
	set_attempt(&a[1], RP_BACKEND_KPROBE, 0, "");
	assert_int_equal(backend_verdict(RP_PROBE_AUTO, a, 2, err, sizeof(err)), RP_BACKEND_KPROBE);
	assert_string_equal(err, "untouched");
}

static void test_verdict_auto_all_fail(void **state)
{
	struct rp_attempt a[3];
	char err[512];

	(void)state;
	set_attempt(&a[0], RP_BACKEND_FENTRY, -EPERM, "r1");
	set_attempt(&a[1], RP_BACKEND_KPROBE, -ENOENT, "r2");
	set_attempt(&a[2], RP_BACKEND_TRACEPOINT, -EACCES, "r3");
	assert_int_equal(backend_verdict(RP_PROBE_AUTO, a, 3, err, sizeof(err)), RP_BACKEND_OFF);
	assert_string_equal(err, "no eBPF backend works: fentry: r1; kprobe: r2; tracepoint: r3");
	/* One cause for all (not root): said once, as it is. */
	set_attempt(&a[0], RP_BACKEND_FENTRY, -EPERM, "bpf() not permitted: run as root");
	set_attempt(&a[1], RP_BACKEND_KPROBE, -EPERM, "bpf() not permitted: run as root");
	set_attempt(&a[2], RP_BACKEND_TRACEPOINT, -EPERM, "bpf() not permitted: run as root");
	assert_int_equal(backend_verdict(RP_PROBE_AUTO, a, 3, err, sizeof(err)), RP_BACKEND_OFF);
	assert_string_equal(err, "bpf() not permitted: run as root");
}

static void test_verdict_explicit(void **state)
{
	struct rp_attempt a[1];
	char err[256];

	(void)state;
	set_attempt(&a[0], RP_BACKEND_FENTRY, -EPERM, "EPERM loading rp_fentry_send");
	assert_int_equal(backend_verdict(RP_PROBE_FENTRY, a, 1, err, sizeof(err)), RP_BACKEND_OFF);
	assert_string_equal(err, "fentry backend failed: EPERM loading rp_fentry_send");
	assert_int_equal(backend_verdict(RP_PROBE_OFF, a, 0, err, sizeof(err)), RP_BACKEND_OFF);
	assert_string_equal(err, "no backend requested (--probe off)");
}

static void test_verdict_truncates(void **state)
{
	struct rp_attempt a[3];
	char err[24];

	(void)state;
	set_attempt(&a[0], RP_BACKEND_FENTRY, -EPERM, "a long first reason");
	set_attempt(&a[1], RP_BACKEND_KPROBE, -EPERM, "a long second reason");
	set_attempt(&a[2], RP_BACKEND_TRACEPOINT, -EPERM, "a long third reason");
	memset(err, 'z', sizeof(err));
	assert_int_equal(backend_verdict(RP_PROBE_AUTO, a, 3, err, sizeof(err)), RP_BACKEND_OFF);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_memory_equal(err, "no eBPF backend works:", 22);
}

static void test_family_names(void **state)
{
	(void)state;
	assert_string_equal(backend_name(RP_BACKEND_FENTRY), "fentry");
	assert_string_equal(backend_name(RP_BACKEND_KPROBE), "kprobe");
	assert_string_equal(backend_name(RP_BACKEND_TRACEPOINT), "tracepoint");
	assert_string_equal(backend_name(RP_BACKEND_OFF), "off");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidates),
		cmocka_unit_test(test_precheck_all_good),
		cmocka_unit_test(test_precheck_permissions),
		cmocka_unit_test(test_precheck_kernel_minimums),
		cmocka_unit_test(test_fentry_attach_unsupported),
		cmocka_unit_test(test_precheck_prototypes),
		cmocka_unit_test(test_precheck_tracepoints),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_autoload),
		cmocka_unit_test(test_failure_reasons),
		cmocka_unit_test(test_verdict_first_success),
		cmocka_unit_test(test_verdict_auto_all_fail),
		cmocka_unit_test(test_verdict_explicit),
		cmocka_unit_test(test_verdict_truncates),
		cmocka_unit_test(test_family_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
