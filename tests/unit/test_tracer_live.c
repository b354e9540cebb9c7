// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Real eBPF, real traffic: the tracer counts this process's loopback TCP
 * calls and must agree with what the calls returned, with SIOCINQ after
 * each recv, and with TCP_INFO's segment counters. Needs root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_args.h"
#include "hist_index.h"
#include "tracer.h"

#define WAIT_MS 5000
#define MAX_IDS 64

/* What the test saw of one direction, classified as the kernel should. */
struct tally {
	uint64_t calls, ok, bytes, eagain, errors, short_calls;
	uint64_t full_queued, short_empty, short_queued;
};

struct traffic {
	struct tally t[RP_NDIR];
	struct tcp_info info0, info1;
};

/* The peer, not traced: per round, reads the request bytes announced as
 * a 4-byte length in front, answers with the reply size asked for, then
 * writes one byte to the sync pipe. A zero length ends it. */
struct round {
	uint32_t req;
	uint32_t reply;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	size_t put = 0;

	while (put < len) {
		ssize_t n = write(fd, (const char *)buf + put, len - put);

		if (n <= 0)
			return -1;
		put += (size_t)n;
	}
	return 0;
}

static void peer_main(int lfd, int sync_fd)
{
	struct timeval tv = {WAIT_MS / 1000, 0};
	static char buf[1 << 16];
	struct round r;
	int fd;

	alarm(30); /* a stuck parent must not leave us behind */
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		_exit(1);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(buf, 'x', sizeof(buf));
	for (;;) {
		if (read_full(sync_fd, &r, sizeof(r)) || !r.req)
			_exit(0);
		if (read_full(fd, buf, r.req) || write_full(fd, buf, r.reply) ||
		    write_full(sync_fd, "k", 1))
			_exit(1);
	}
}

static int wait_readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, ms) == 1 ? 0 : -1;
}

static int inq(int fd)
{
	int n = -1;

	ioctl(fd, SIOCINQ, &n);
	return n;
}

/* Waits until the whole reply is queued on fd, so every recv's outcome
 * (and what stays queued after it) is known in advance. */
static void wait_queued(int fd, int sync_fd, int want)
{
	uint64_t end = now_ms() + WAIT_MS;
	char k;

	assert_int_equal(wait_readable(sync_fd, WAIT_MS), 0);
	assert_int_equal(read(sync_fd, &k, 1), 1);
	while (inq(fd) < want && now_ms() < end)
		usleep(1000);
	assert_int_equal(inq(fd), want);
}

static void count(struct tally *t, ssize_t ret, size_t len, int err)
{
	t->calls++;
	if (ret > 0) {
		t->ok++;
		t->bytes += (uint64_t)ret;
		t->short_calls += (size_t)ret < len;
	} else if (ret < 0 && err == EAGAIN) {
		t->eagain++;
	} else if (ret < 0) {
		t->errors++;
	}
}

static void classify_recv(struct tally *t, ssize_t ret, size_t len, int queued)
{
	if (ret <= 0)
		return;
	if ((size_t)ret >= len)
		t->full_queued += queued > 0;
	else if (queued > 0)
		t->short_queued++;
	else
		t->short_empty++;
}

static ssize_t t_recv(struct traffic *tr, int fd, size_t len, int how)
{
	static char buf[1 << 16];
	struct iovec iov[2] = {{buf, len / 2}, {buf + len / 2, len - len / 2}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	ssize_t n;
	int err;

	if (how == 0)
		n = recv(fd, buf, len, MSG_DONTWAIT);
	else if (how == 1)
		n = read(fd, buf, len);
	else
		n = recvmsg(fd, &m, MSG_DONTWAIT);
	err = errno;
	count(&tr->t[RP_RECV], n, len, err);
	classify_recv(&tr->t[RP_RECV], n, len, inq(fd));
	return n;
}

static ssize_t send_once(int fd, const char *buf, size_t len, int how)
{
	struct iovec iov[2] = {{(void *)buf, len / 3}, {(void *)(buf + len / 3), len - len / 3}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};

	if (how == 0)
		return send(fd, buf, len, MSG_DONTWAIT);
	if (how == 1)
		return write(fd, buf, len);
	return sendmsg(fd, &m, MSG_DONTWAIT);
}

/* Sends all len bytes; a partial send or EAGAIN is counted and retried. */
static void t_send(struct traffic *tr, int fd, size_t len, int how)
{
	static char buf[1 << 16];
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	size_t put = 0;

	while (put < len) {
		ssize_t n = send_once(fd, buf + put, len - put, how);

		count(&tr->t[RP_SEND], n, len - put, errno);
		if (n > 0)
			put += (size_t)n;
		else
			assert_int_equal(poll(&p, 1, WAIT_MS), 1);
	}
}

/* One request/reply round; recv sizes are chosen against the reply. */
static void t_round(struct traffic *tr, int fd, int sync_fd, uint32_t req, uint32_t reply,
		    const size_t *rsz, int nr, int how)
{
	struct round r = {req, reply};
	int i;

	assert_int_equal(write(sync_fd, &r, sizeof(r)), sizeof(r));
	t_send(tr, fd, req, how);
	wait_queued(fd, sync_fd, (int)reply);
	for (i = 0; i < nr; i++)
		t_recv(tr, fd, rsz[i], how);
	assert_int_equal(inq(fd), 0);
	assert_true(t_recv(tr, fd, 512, how) < 0); /* EAGAIN */
}

static void tcp_info(int fd, struct tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	assert_int_equal(getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len), 0);
}

static int listen_any(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)a, sizeof(*a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)a, &len), 0);
	return fd;
}

static void reap(pid_t pid)
{
	uint64_t end = now_ms() + WAIT_MS;
	int st = 0;

	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail_msg("peer did not exit");
		}
		usleep(1000);
	}
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void run_traffic(struct traffic *tr)
{
	static const size_t r1[] = {1024, 1024, 1024}; /* 3000: full, full, short */
	static const size_t r2[] = {4096}; /* exact fit */
	static const size_t r3[] = {500, 500, 500, 500};
	static const size_t r4[] = {2000}; /* recvmsg: short */
	static const size_t r5[] = {50, 100}; /* read(): full, short */
	int sync[2], lfd, fd, i;
	struct sockaddr_in a;
	struct round end = {0, 0};
	pid_t pid;

	memset(tr, 0, sizeof(*tr));
	lfd = listen_any(&a);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sync), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sync[0]);
		peer_main(lfd, sync[1]);
	}
	close(sync[1]);
	close(lfd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	tcp_info(fd, &tr->info0);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	for (i = 0; i < 3; i++)
		assert_true(t_recv(tr, fd, 1024, 0) < 0);
	t_round(tr, fd, sync[0], 100, 3000, r1, 3, 0);
	t_round(tr, fd, sync[0], 20000, 4096, r2, 1, 0);
	t_round(tr, fd, sync[0], 10, 2000, r3, 4, 0);
	t_round(tr, fd, sync[0], 12, 1500, r4, 1, 2);
	t_round(tr, fd, sync[0], 20, 100, r5, 2, 1);
	tcp_info(fd, &tr->info1);
	assert_int_equal(write(sync[0], &end, sizeof(end)), sizeof(end));
	reap(pid);
	close(sync[0]);
	close(fd);
}

static void print_dir(const char *name, const struct rp_calls *c)
{
	print_message("  kernel %s: calls %lu bytes %lu eagain %lu short %lu ns min %lu "
		      "mean %.0f max %lu p50 %lu p99 %lu skbs %lu segs %lu\n",
		      name, c->calls, c->bytes, c->eagain, c->short_calls, c->ns.min, c->ns.mean,
		      c->ns.max, c->ns.p50, c->ns.p99, c->skbs, c->data_segs);
}

static void check_ns(const struct rp_calls *c)
{
	assert_int_equal(c->ns.n, c->calls);
	assert_true(c->ns.min > 0);
	assert_true((double)c->ns.min <= c->ns.mean && c->ns.mean <= (double)c->ns.max);
	assert_true(c->ns.min <= c->ns.p50 && c->ns.p50 <= c->ns.p99 && c->ns.p99 <= c->ns.max);
	assert_true(c->ns.stddev >= 0 && c->ns.stddev <= (double)c->ns.max);
}

static void check_skbs(const struct rp_calls *c, uint64_t ok)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < RP_SKB_SLOTS; i++)
		sum += c->skb_hist[i];
	assert_int_equal(sum, c->calls);
	/* Every call that moved data filled or drained at least one skb. */
	assert_true(c->skbs >= ok);
}

static void check_dir(const struct rp_calls *c, const struct tally *t)
{
	assert_int_equal(c->calls, t->calls);
	assert_int_equal(c->bytes, t->bytes);
	assert_int_equal(c->eagain, t->eagain);
	assert_int_equal(c->errors, t->errors);
	assert_int_equal(c->short_calls, t->short_calls);
	check_ns(c);
}

static void check_kernel(struct rp_tracer *t, const struct traffic *tr)
{
	struct rp_calls k[RP_NDIR];
	struct rp_cpu_report cpus[64];
	uint64_t drops[RP_NDROPS], calls = 0;
	struct rp_ktcp kt;
	unsigned f = tracer_features(t);
	int i, n;

	assert_int_equal(tracer_read_slot(t, 0, k, &kt), 0);
	print_dir("send", &k[RP_SEND]);
	print_dir("recv", &k[RP_RECV]);
	print_message("  sockets %lu inexact %lu segs out %lu in %lu (tcp_info %u %u) cwnd %u "
		      "srtt %u us mss %u\n",
		      kt.sockets, kt.inexact, kt.data_segs_out, kt.data_segs_in,
		      tr->info1.tcpi_data_segs_out - tr->info0.tcpi_data_segs_out,
		      tr->info1.tcpi_data_segs_in - tr->info0.tcpi_data_segs_in, kt.snd_cwnd,
		      kt.srtt_us, kt.mss);
	check_dir(&k[RP_SEND], &tr->t[RP_SEND]);
	check_dir(&k[RP_RECV], &tr->t[RP_RECV]);
	assert_int_equal(k[RP_RECV].full_queued, tr->t[RP_RECV].full_queued);
	assert_int_equal(k[RP_RECV].short_empty, tr->t[RP_RECV].short_empty);
	assert_int_equal(k[RP_RECV].short_queued, tr->t[RP_RECV].short_queued);
	assert_int_equal(k[RP_RECV].short_empty + k[RP_RECV].short_queued, k[RP_RECV].short_calls);
	assert_int_equal(kt.sockets, 1);
	assert_int_equal(kt.data_segs_out,
			 tr->info1.tcpi_data_segs_out - tr->info0.tcpi_data_segs_out);
	assert_int_equal(kt.data_segs_in,
			 tr->info1.tcpi_data_segs_in - tr->info0.tcpi_data_segs_in);
	assert_int_equal(k[RP_SEND].data_segs, kt.data_segs_out);
	assert_int_equal(k[RP_RECV].data_segs, kt.data_segs_in);
	if (f & RP_FEAT_SOCK_STATE)
		assert_int_equal(kt.inexact, 0);
	if (f & RP_FEAT_SENDMSG_LOCKED) {
		check_skbs(&k[RP_SEND], tr->t[RP_SEND].ok);
		assert_true(k[RP_SEND].size_goal_sum >= k[RP_SEND].calls);
	}
	if (f & RP_FEAT_SKB_COPY)
		check_skbs(&k[RP_RECV], tr->t[RP_RECV].ok);
	n = tracer_read_cpus(t, cpus, 64);
	assert_true(n >= 1);
	for (i = 0; i < n; i++)
		calls += cpus[i].calls[RP_SEND] + cpus[i].calls[RP_RECV];
	assert_int_equal(calls, k[RP_SEND].calls + k[RP_RECV].calls);
	tracer_drops(t, drops);
	for (i = 0; i < RP_NDROPS; i++)
		assert_int_equal(drops[i], 0);
}

static int prog_exists(uint32_t id)
{
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static void check_named_rp(const uint32_t *ids, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(ids[i]);

		assert_true(fd >= 0);
		assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
		assert_memory_equal(info.name, "rp_", 3);
		close(fd);
	}
}

/* Program release can wait for an RCU grace period: poll, bounded. */
static void check_released(const uint32_t *ids, int n)
{
	uint64_t end = now_ms() + WAIT_MS;
	int i, left;

	do {
		for (i = 0, left = 0; i < n; i++)
			left += prog_exists(ids[i]);
		if (left)
			usleep(10000);
	} while (left && now_ms() < end);
	assert_int_equal(left, 0);
}

static void skip_unless_root(void)
{
	if (geteuid() != 0) {
		print_message("test_tracer_live: skipped: loading eBPF needs root\n");
		skip();
	}
}

static void traced_run(enum rp_probe p, enum rp_backend *chosen)
{
	struct rp_tracer_opts o = {.probe = p, .nslots = 1};
	struct rp_tracer *t = NULL;
	uint32_t ids[MAX_IDS];
	struct traffic tr;
	char err[512] = "";
	int n;

	assert_int_equal(tracer_open(&t, &o, err, sizeof(err)), 0);
	*chosen = tracer_backend(t);
	print_message("  backend %s, features %#x%s%s\n", backend_name(*chosen), tracer_features(t),
		      tracer_rejected(t)[0] ? ", rejected: " : "", tracer_rejected(t));
	n = tracer_prog_ids(t, ids, MAX_IDS);
	assert_true(n >= 3);
	check_named_rp(ids, n);
	assert_int_equal(tracer_add_tgid(t, (uint32_t)getpid(), 0), 0);
	assert_int_equal(tracer_add_tgid(t, 1, 1), -1); /* slot out of range */
	run_traffic(&tr);
	check_kernel(t, &tr);
	tracer_close(t);
	check_released(ids, n);
}

static enum rp_backend auto_choice = RP_BACKEND_OFF;

static void test_auto(void **state)
{
	(void)state;
	skip_unless_root();
	traced_run(RP_PROBE_AUTO, &auto_choice);
	assert_int_not_equal(auto_choice, RP_BACKEND_OFF);
}

static bool kernel_has_sock_length_tps(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool yes = btf && btf_has_tracepoint(btf, "sock_send_length") &&
		   btf_has_tracepoint(btf, "sock_recv_length");

	btf__free(btf);
	return yes;
}

static void test_tracepoint(void **state)
{
	struct rp_tracer_opts o = {.probe = RP_PROBE_TRACEPOINT, .nslots = 1};
	struct rp_tracer *t = NULL;
	enum rp_backend b;
	char err[512] = "";

	(void)state;
	skip_unless_root();
	if (kernel_has_sock_length_tps()) {
		traced_run(RP_PROBE_TRACEPOINT, &b);
		assert_int_equal(b, RP_BACKEND_TRACEPOINT);
		return;
	}
	assert_int_equal(tracer_open(&t, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tracepoint"));
}

/* An explicit backend works exactly when auto would have reached it:
 * auto tries fentry, kprobe, tracepoint in this order. */
static void expect_explicit(enum rp_probe p, enum rp_backend fam)
{
	struct rp_tracer_opts o = {.probe = p, .nslots = 1};
	struct rp_tracer *t = NULL;
	char err[512] = "";
	int rc = tracer_open(&t, &o, err, sizeof(err));

	if (auto_choice > fam) {
		print_message("  --probe %s: %s\n", backend_name(fam), err);
		assert_int_equal(rc, -1);
		assert_null(t);
		assert_non_null(strstr(err, backend_name(fam)));
		assert_non_null(strstr(err, "failed: "));
	} else if (auto_choice == fam) {
		assert_int_equal(rc, 0);
		assert_int_equal(tracer_backend(t), fam);
	}
	tracer_close(t);
}

static void test_explicit(void **state)
{
	(void)state;
	skip_unless_root();
	assert_int_not_equal(auto_choice, RP_BACKEND_OFF); /* test_auto ran first */
	expect_explicit(RP_PROBE_FENTRY, RP_BACKEND_FENTRY);
	expect_explicit(RP_PROBE_KPROBE, RP_BACKEND_KPROBE);
}

static void test_bad_slot_count(void **state)
{
	struct rp_tracer_opts o = {.probe = RP_PROBE_AUTO, .nslots = 0};
	struct rp_tracer *t = NULL;
	char err[128] = "";

	(void)state;
	assert_int_equal(tracer_open(&t, &o, err, sizeof(err)), -1);
	assert_null(t);
	assert_non_null(strstr(err, "slot count"));
	tracer_close(NULL);
}

static void record(struct rp_kdir *d, struct rp_khist *h, uint64_t ns, uint32_t skbs)
{
	d->calls++;
	d->ns_sum += ns;
	d->ns_sq_lo += ns * ns;
	if (!d->ns_min || ns < d->ns_min)
		d->ns_min = ns;
	if (ns > d->ns_max)
		d->ns_max = ns;
	h->ns[rp_hist_index(ns, RP_KHIST_SUB_BITS)]++;
	d->skbs += skbs;
	h->skbs[skbs]++;
}

/* The pure half of the reader: per-CPU sums and the report's view. */
static void test_sum_and_fill(void **state)
{
	struct rp_kdir cpu[3] = {};
	struct rp_khist h = {};
	struct rp_kdir_sum sum = {};
	struct rp_calls out;
	int i;

	(void)state;
	record(&cpu[0], &h, 100, 1);
	record(&cpu[0], &h, 200, 1);
	record(&cpu[0], &h, 300, 2);
	record(&cpu[2], &h, 1000, 3); /* cpu[1] saw nothing: its min 0 is "unset" */
	cpu[0].bytes = 7;
	cpu[2].bytes = 5;
	cpu[2].eagain = 1;
	cpu[0].full_queued = 2;
	cpu[2].short_empty = 1;
	for (i = 0; i < 3; i++)
		tracer_sum_kdir(&sum, &cpu[i]);
	tracer_sum_khist(&sum, &h);
	tracer_fill_calls(&sum, &out);
	assert_int_equal(out.calls, 4);
	assert_int_equal(out.bytes, 12);
	assert_int_equal(out.eagain, 1);
	assert_int_equal(out.full_queued, 2);
	assert_int_equal(out.short_empty, 1);
	assert_int_equal(out.skbs, 7);
	assert_int_equal(out.skb_hist[1], 2);
	assert_int_equal(out.skb_hist[2], 1);
	assert_int_equal(out.skb_hist[3], 1);
	assert_int_equal(out.data_segs, 0);
	assert_int_equal(out.ns.n, 4);
	assert_int_equal(out.ns.min, 100);
	assert_int_equal(out.ns.max, 1000);
	assert_true(out.ns.mean == 400.0);
	/* population stddev of 100, 200, 300, 1000 = sqrt(125000) */
	assert_true(out.ns.stddev > 353.55 && out.ns.stddev < 353.56);
	assert_true(out.ns.p50 >= 200 && out.ns.p50 < 224);
	assert_true(out.ns.p99 >= 1000 - 64 && out.ns.p99 <= 1000);
	assert_int_equal(out.log2[6], 1); /* 100 in [64, 128) */
	assert_int_equal(out.log2[7], 1);
	assert_int_equal(out.log2[8], 1);
	assert_int_equal(out.log2[9], 1);
}

static void test_sum_carries_squares(void **state)
{
	struct rp_kdir a = {.calls = 1, .ns_sq_lo = UINT64_MAX, .ns_sq_hi = 1};
	struct rp_kdir b = {.calls = 1, .ns_sq_lo = 2, .ns_sq_hi = 3};
	struct rp_kdir_sum sum = {};

	(void)state;
	tracer_sum_kdir(&sum, &a);
	tracer_sum_kdir(&sum, &b);
	assert_int_equal(sum.c.ns_sq_lo, 1);
	assert_int_equal(sum.c.ns_sq_hi, 5);
}

/* Map memory grows as workers x CPUs with a small value: 256 workers on
 * 256 CPUs take about 38 MB with the scheduler view (19.5 MB of it), 18 MB
 * without; it was 212 MB with the histograms in the per-CPU value. */
static void test_map_bytes_formula(void **state)
{
	(void)state;
	assert_true(sizeof(struct rp_kslot) <= 256);
	assert_true(tracer_map_bytes(256, 256, true) < 40000000);
	assert_true(tracer_map_bytes(256, 256, false) < 20000000);
	assert_true(tracer_map_bytes(1024, 2, false) < 8ull << 20);
	assert_true(tracer_map_bytes(2, 2, false) * 512 == tracer_map_bytes(1024, 2, false));
}

/* bytes one map's values take: max_entries x value (per-CPU: x CPUs). */
static uint64_t map_bytes(struct bpf_object *obj, const char *name, int ncpus)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);

	assert_non_null(m);
	assert_int_equal(bpf_obj_get_info_by_fd(bpf_map__fd(m), &info, &len), 0);
	if (info.type == BPF_MAP_TYPE_PERCPU_ARRAY)
		return (uint64_t)info.max_entries * ncpus * ((info.value_size + 7) / 8 * 8);
	return (uint64_t)info.max_entries * info.value_size;
}

/* The formula against the loaded maps, at the largest slot count
 * (--workers 1024): the kernel's own sizes say the same. */
static void test_map_bytes_loaded(void **state)
{
	static const char *const maps[] = {"rp_slots", "rp_hists", "rp_closed", "rp_sched",
					   "rp_sched_wins"};
	struct rp_tracer_opts o = {.probe = RP_PROBE_AUTO, .nslots = RP_MAX_SLOTS};
	struct rp_tracer *t = NULL;
	char err[512] = "";
	uint64_t sum = 0;
	int ncpus = libbpf_num_possible_cpus();
	bool sched;

	(void)state;
	skip_unless_root();
	assert_int_equal(tracer_open(&t, &o, err, sizeof(err)), 0);
	sched = tracer_features(t) & RP_FEAT_SCHED;
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		if (sched || strncmp(maps[i], "rp_sched", 8))
			sum += map_bytes(tracer_bpf_object(t), maps[i], ncpus);
	print_message("  %d slots, %d CPUs: %llu bytes in the slot-sized maps\n", RP_MAX_SLOTS,
		      ncpus, (unsigned long long)sum);
	assert_int_equal(sum, tracer_map_bytes(RP_MAX_SLOTS, (uint64_t)ncpus, sched));
	tracer_close(t);
}

/* A report reads every slot's sockets with one walk of the socket map
 * (it used to walk the whole map once per slot), and finds what the
 * single-slot reader finds. */
static void test_one_socket_walk(void **state)
{
	enum {
		N = 8
	};
	struct rp_tracer_opts o = {.probe = RP_PROBE_AUTO, .nslots = N};
	struct rp_calls k[N][RP_NDIR], one[RP_NDIR];
	struct rp_ktcp tcp[N], t1;
	struct rp_tracer *t = NULL;
	char err[512] = "";
	bool ok[N];
	unsigned walks;

	(void)state;
	skip_unless_root();
	assert_int_equal(tracer_open(&t, &o, err, sizeof(err)), 0);
	walks = tracer_sock_walks(t);
	assert_int_equal(tracer_read_slots(t, N, k, tcp, ok), 0);
	assert_int_equal(tracer_sock_walks(t) - walks, 1);
	for (int i = 0; i < N; i++) {
		assert_true(ok[i]);
		assert_int_equal(tracer_read_slot(t, (uint32_t)i, one, &t1), 0);
		assert_memory_equal(&t1, &tcp[i], sizeof(t1));
		assert_int_equal(one[RP_SEND].calls, k[i][RP_SEND].calls);
	}
	assert_int_equal(tracer_read_slots(t, N + 1, k, tcp, ok), -1);
	tracer_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto),
		cmocka_unit_test(test_tracepoint),
		cmocka_unit_test(test_explicit),
		cmocka_unit_test(test_bad_slot_count),
		cmocka_unit_test(test_sum_and_fill),
		cmocka_unit_test(test_sum_carries_squares),
		cmocka_unit_test(test_map_bytes_formula),
		cmocka_unit_test(test_map_bytes_loaded),
		cmocka_unit_test(test_one_socket_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
