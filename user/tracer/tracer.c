// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The eBPF loader: kernel facts, one attempt per backend family (open,
 * rodata, autoload, load, attach) until one works, then map reading
 * (kcounters.c turns what is read into report figures).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "backend.h"
#include "btf_args.h"
#include "stats.h"
#include "tracer.h"
#include "tracer_int.h"
#include "tracer_sched.h"
#include "report_bpf.h"
#include "reqperf.skel.h"

/* libbpf's log is global state; only the loader talks to libbpf. */
static bool libbpf_verbose;
static char libbpf_failed_prog[64];

/* Hides libbpf's log unless verbose, but remembers which program the last
 * "prog 'name': ..." warning was about, to name it in the reason. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[256];
	const char *p, *q;
	va_list copy;

	if (level == LIBBPF_WARN) {
		va_copy(copy, ap);
		vsnprintf(line, sizeof(line), fmt, copy);
		va_end(copy);
		p = strstr(line, "prog '");
		q = p ? strchr(p + 6, '\'') : NULL;
		if (q)
			snprintf(libbpf_failed_prog, sizeof(libbpf_failed_prog), "%.*s",
				 (int)(q - p - 6), p + 6);
	}
	return libbpf_verbose ? vfprintf(stderr, fmt, ap) : 0;
}

/* A two-instruction tracepoint program: loads only with CAP_BPF. */
static int probe_bpf(void)
{
	struct bpf_insn insns[2] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	int fd;

	fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "rp_probe", "GPL", insns, 2, NULL);
	if (fd < 0)
		return errno ? errno : -fd;
	close(fd);
	return 0;
}

static bool kprobe_pmu(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

void tracer_kernel_facts(struct rp_kernel_facts *k)
{
	memset(k, 0, sizeof(*k));
	k->bpf_errno = probe_bpf();
	k->bpf_ok = k->bpf_errno == 0;
	k->kprobe_pmu = kprobe_pmu();
	btf_kernel_facts(k);
}

uint32_t tracer_socks_entries(uint64_t conns)
{
	/* Reconnects and sockets in their last calls at close overlap the
	 * new ones briefly: a quarter more, and the default as the floor. */
	uint64_t n = conns + conns / 4 + 1024;

	if (n < RP_MAX_SOCKS)
		n = RP_MAX_SOCKS;
	return n > (1u << 24) ? 1u << 24 : (uint32_t)n;
}

static int configure(struct reqperf_bpf *s, enum rp_backend b, unsigned features,
		     const struct rp_tracer_opts *o, const struct rp_kernel_facts *k)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, s->obj)
	{
		bool on = backend_autoload(bpf_program__section_name(p), b, features);

		if (bpf_program__set_autoload(p, on))
			return -1;
	}
	if (o->comm)
		snprintf((char *)s->rodata->rp_comm, sizeof(s->rodata->rp_comm), "%s", o->comm);
	s->rodata->rp_recvmsg_nargs = (__u32)k->recvmsg_nargs;
	s->rodata->rp_sys_exit_on = b == RP_BACKEND_TRACEPOINT && (features & RP_FEAT_SYS_EXIT);
	/* 6.3/6.4: sendfile/splice into TCP take tcp_sendpage, which has no
	 * sock_send_length; REQPERF_TEST_SENDPAGE_AT_EXIT=1 runs that path on
	 * newer kernels (tests/integration/test_servers.py). */
	s->rodata->rp_sendpage_at_exit =
		s->rodata->rp_sys_exit_on &&
		(k->sendpage_nargs == 5 || getenv("REQPERF_TEST_SENDPAGE_AT_EXIT"));
	s->rodata->rp_events_on = o->events_ring > 0;
	s->rodata->rp_events_slots = (__u32)o->nslots - (o->server_slot && !o->server_events);
	if (o->server_slot && o->server_fresh)
		s->rodata->rp_fresh_slot = (__u32)o->nslots - 1;
	if (bpf_map__set_max_entries(s->maps.rp_events,
				     o->events_ring ? o->events_ring : (__u32)getpagesize()))
		return -1;
	if (bpf_map__set_max_entries(s->maps.rp_slots, (__u32)o->nslots) ||
	    bpf_map__set_max_entries(s->maps.rp_hists, (__u32)o->nslots) ||
	    bpf_map__set_max_entries(s->maps.rp_closed, (__u32)o->nslots))
		return -1;
	if (bpf_map__set_max_entries(s->maps.rp_socks, tracer_socks_entries(o->max_socks)))
		return -1;
	if (sched_view_configure(s->obj, o->nslots))
		return -1;
	return 0;
}

/* The program whose attach failed: the first autoloaded one without a
 * link, since the skeleton attaches in order and stops at a failure. */
static const char *unattached_prog(const struct reqperf_bpf *s)
{
	const struct bpf_object_skeleton *sk = s->skeleton;
	int i;

	for (i = 0; i < sk->prog_cnt; i++)
		if (bpf_program__autoload(*sk->progs[i].prog) && !*sk->progs[i].link)
			return bpf_program__name(*sk->progs[i].prog);
	return NULL;
}

static int fail(struct rp_attempt *a, struct reqperf_bpf *s, enum rp_stage stage, int err,
		const char *prog, const struct rp_kernel_facts *k)
{
	a->err = err < 0 ? err : -err;
	if (!a->err)
		a->err = -EINVAL;
	backend_failure(a->backend, stage, a->err, prog, k, a->reason, sizeof(a->reason));
	reqperf_bpf__destroy(s);
	return -1;
}

static int try_backend(struct rp_tracer *t, const struct rp_tracer_opts *o,
		       const struct rp_kernel_facts *k, struct rp_attempt *a)
{
	unsigned features = backend_features(k);
	struct reqperf_bpf *s;
	int err;

	/* Scheduler programs fire on every switch system-wide: only when read. */
	if (o->no_sched)
		features &= ~(unsigned)RP_FEAT_SCHED;
	/* sys_exit fires on every syscall too: only for a foreign process. */
	if (!o->splice_reads)
		features &= ~(unsigned)RP_FEAT_SYS_EXIT;

	s = reqperf_bpf__open();
	if (!s)
		return fail(a, NULL, RP_STAGE_OPEN, -errno, NULL, k);
	if (configure(s, a->backend, features, o, k))
		return fail(a, s, RP_STAGE_OPEN, -errno, NULL, k);
	libbpf_failed_prog[0] = '\0';
	err = reqperf_bpf__load(s);
	if (err)
		return fail(a, s, RP_STAGE_LOAD, err,
			    libbpf_failed_prog[0] ? libbpf_failed_prog : NULL, k);
	err = reqperf_bpf__attach(s);
	if (err)
		return fail(a, s, RP_STAGE_ATTACH, err, unattached_prog(s), k);
	a->err = 0;
	t->skel = s;
	t->backend = a->backend;
	t->features = features;
	t->sendmsg_nargs = k->sendmsg_nargs;
	t->recvmsg_nargs = k->recvmsg_nargs;
	if (o->verbose)
		fprintf(stderr, "reqperf: btf: tcp_sendmsg has %d arguments, tcp_recvmsg %d\n",
			k->sendmsg_nargs, k->recvmsg_nargs);
	return 0;
}

static void note_rejected(struct rp_tracer *t, const struct rp_attempt *att, int n, bool verbose)
{
	size_t used = 0;
	int i;

	t->rejected[0] = '\0';
	for (i = 0; i < n && att[i].err; i++) {
		if (verbose)
			fprintf(stderr, "reqperf: %s backend rejected: %s\n",
				backend_name(att[i].backend), att[i].reason);
		if (used < sizeof(t->rejected))
			used += (size_t)snprintf(t->rejected + used, sizeof(t->rejected) - used,
						 "%s%s: %s", i ? "; " : "",
						 backend_name(att[i].backend), att[i].reason);
	}
}

static int choose(struct rp_tracer *t, const struct rp_tracer_opts *o, char *err, size_t errlen)
{
	struct rp_attempt att[RP_NFAMILIES] = {};
	enum rp_backend cand[RP_NFAMILIES];
	struct rp_kernel_facts k;
	int i, n, tried;

	tracer_kernel_facts(&k);
	n = backend_candidates(o->probe, cand);
	for (i = 0; i < n; i++) {
		att[i].backend = cand[i];
		if (backend_precheck(cand[i], &k, att[i].reason, sizeof(att[i].reason))) {
			att[i].err = -EOPNOTSUPP;
			continue;
		}
		if (!try_backend(t, o, &k, &att[i]))
			break;
	}
	tried = i < n ? i + 1 : n;
	note_rejected(t, att, tried, o->verbose);
	if (backend_verdict(o->probe, att, tried, err, errlen) == RP_BACKEND_OFF)
		return -1;
	return 0;
}

int tracer_open(struct rp_tracer **out, const struct rp_tracer_opts *workers, char *err,
		size_t errlen)
{
	struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
	struct rp_tracer_opts all = *workers, *o = &all;
	struct rp_tracer *t;

	*out = NULL;
	all.nslots += workers->server_slot;
	if (o->nslots < 1 || o->nslots > RP_MAX_SLOTS) {
		snprintf(err, errlen, "slot count %d outside 1..%d", o->nslots, RP_MAX_SLOTS);
		return -1;
	}
	libbpf_verbose = o->verbose;
	libbpf_set_print(libbpf_print);
	/* Memory is charged to the memcg since 5.11; older kernels need this. */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->nslots = (uint32_t)o->nslots;
	t->nworkers = (uint32_t)workers->nslots;
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus > 0)
		t->percpu = calloc((size_t)t->ncpus, sizeof(*t->percpu));
	if (!t->percpu) {
		snprintf(err, errlen, "cannot size the per-CPU buffers");
		free(t);
		return -1;
	}
	if (choose(t, o, err, errlen)) {
		tracer_close(t);
		return -1;
	}
	if (t->features & RP_FEAT_SCHED)
		t->sched = sched_view_open(t->skel->obj, o->nslots);
	if (!t->sched)
		t->features &= ~(unsigned)RP_FEAT_SCHED;
	*out = t;
	return 0;
}

enum rp_backend tracer_backend(const struct rp_tracer *t)
{
	return t ? t->backend : RP_BACKEND_OFF;
}

unsigned tracer_features(const struct rp_tracer *t)
{
	return t ? t->features : 0;
}

const char *tracer_rejected(const struct rp_tracer *t)
{
	return t ? t->rejected : "";
}

struct bpf_object *tracer_bpf_object(const struct rp_tracer *t)
{
	return t ? t->skel->obj : NULL;
}

struct rp_sched_view *tracer_sched(const struct rp_tracer *t)
{
	return t ? t->sched : NULL;
}

void tracer_btf_nargs(const struct rp_tracer *t, int *sendmsg, int *recvmsg)
{
	*sendmsg = t ? t->sendmsg_nargs : -1;
	*recvmsg = t ? t->recvmsg_nargs : -1;
}

/* The programs' per-thread state for tgid's main thread, made now so that
 * the scheduler's tracepoints (which must not allocate) see the task from
 * its first switch on. Task storage is keyed by a pidfd. */
static int add_task(struct rp_tracer *t, uint32_t tgid, uint32_t slot)
{
	struct rp_task v = {.call.slot = slot, .ev.fd = -1};
	int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)tgid, 0);
	int err;

	if (pidfd < 0)
		return -1;
	err = bpf_map__update_elem(t->skel->maps.rp_tasks, &pidfd, sizeof(pidfd), &v, sizeof(v),
				   BPF_ANY);
	close(pidfd);
	return err ? -1 : 0;
}

int tracer_nslots(const struct rp_tracer *t)
{
	return t ? (int)t->nslots : 0;
}

int tracer_server_slot(const struct rp_tracer *t)
{
	return t && t->nslots > t->nworkers ? (int)t->nworkers : -1;
}

int tracer_add_tgid(struct rp_tracer *t, uint32_t tgid, uint32_t slot)
{
	if (!t || slot >= t->nslots)
		return -1;
	if (bpf_map__update_elem(t->skel->maps.rp_tgids, &tgid, sizeof(tgid), &slot, sizeof(slot),
				 BPF_ANY))
		return -1;
	if (add_task(t, tgid, slot))
		return -1;
	/* The programs' cheap pre-filter (rp_maybe_traced); .data and .bss are mmapped. */
	if (tgid < t->skel->data->rp_tgid_lo)
		t->skel->data->rp_tgid_lo = tgid;
	if (tgid > t->skel->bss->rp_tgid_hi)
		t->skel->bss->rp_tgid_hi = tgid;
	return 0;
}

int tracer_stats_enable(void)
{
	return bpf_enable_stats(BPF_STATS_RUN_TIME);
}

int tracer_prog_costs(const struct rp_tracer *t, struct rp_bpf_costs *c)
{
	struct bpf_program *p;

	c->n = 0;
	if (!t)
		return -1;
	bpf_object__for_each_program(p, t->skel->obj)
	{
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		struct rp_prog_cost *o = &c->progs[c->n];
		int fd = bpf_program__fd(p);

		if (fd < 0 || c->n >= RP_MAX_PROG_COSTS || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		snprintf(o->name, sizeof(o->name), "%s", bpf_program__name(p));
		o->runs = info.run_cnt;
		o->run_ns = info.run_time_ns;
		o->insns = info.xlated_prog_len / (__u32)sizeof(struct bpf_insn);
		o->jited_bytes = info.jited_prog_len;
		c->n++;
	}
	return 0;
}

int tracer_prog_ids(const struct rp_tracer *t, uint32_t *ids, int max)
{
	struct bpf_program *p;
	int n = 0;

	if (!t)
		return 0;
	bpf_object__for_each_program(p, t->skel->obj)
	{
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		if (fd < 0 || n >= max || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		ids[n++] = info.id;
	}
	return n;
}

void tracer_close(struct rp_tracer *t)
{
	if (!t)
		return;
	sched_view_close(t->sched);
	reqperf_bpf__destroy(t->skel);
	free(t->percpu);
	free(t);
}
