// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A worker process: pin to its CPU, raise itself to the requested real-time
 * policy, wait at the start barrier, run the I/O phase, drop to the lowest
 * priority (as the seed does) and hand the result to the parent.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "io.h"
#include "netns.h"
#include "worker.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int policy_of(enum rp_sched s)
{
	if (s == RP_SCHED_RR)
		return SCHED_RR;
	if (s == RP_SCHED_FIFO)
		return SCHED_FIFO;
	return SCHED_OTHER;
}

/* A setting that did not take, joined to the earlier ones with "; ". */
static void warn(struct worker_result *r, const char *fmt, ...)
{
	size_t len = strlen(r->sched_warning);
	va_list ap;

	if (len && len + 2 < sizeof(r->sched_warning)) {
		strcpy(r->sched_warning + len, "; ");
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(r->sched_warning + len, sizeof(r->sched_warning) - len, fmt, ap);
	va_end(ap);
}

static const char *policy_name(int policy)
{
	return policy == SCHED_RR     ? "SCHED_RR"
	       : policy == SCHED_FIFO ? "SCHED_FIFO"
				      : "SCHED_OTHER";
}

static void set_sched(const struct rp_config *cfg, struct worker_result *r)
{
	int policy = policy_of(cfg->sched), want = 0;
	struct sched_param sp = {0};

	if (policy != SCHED_OTHER) {
		want = cfg->priority >= 0 ? cfg->priority : sched_get_priority_max(policy);
		sp.sched_priority = want;
		if (sched_setscheduler(0, policy, &sp) < 0)
			warn(r, "cannot set %s priority %d (%s)", policy_name(policy), want,
			     strerror(errno));
	}
	/* Report what the kernel says, not what was asked. */
	r->policy = sched_getscheduler(0);
	if (sched_getparam(0, &sp) == 0)
		r->priority = sp.sched_priority;
	if (r->policy != policy || r->priority != want)
		warn(r, "asked %s/%d, running %s/%d", policy_name(policy), want,
		     policy_name(r->policy), r->priority);
}

static void pin(const struct worker_ctx *w, struct worker_result *r)
{
	cpu_set_t set;

	r->cpu = -1;
	if (w->cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	if (w->cpu >= CPU_SETSIZE || sched_setaffinity(0, sizeof(set), &set) < 0) {
		warn(r, "cannot pin to cpu %d (%s): running unpinned", w->cpu,
		     w->cpu >= CPU_SETSIZE ? "beyond CPU_SETSIZE" : strerror(errno));
		return;
	}
	r->cpu = w->cpu;
	if (sched_getcpu() != w->cpu)
		warn(r, "pinned to cpu %d but running on cpu %d", w->cpu, sched_getcpu());
}

static void lower_priority(void)
{
	struct sched_param sp = {0};

	sched_setscheduler(0, SCHED_OTHER, &sp);
	setpriority(PRIO_PROCESS, 0, 19);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Blocks until the parent closes the barrier; bounded so an orphan ends:
 * 30 s, plus the wait for --start-at. */
static int barrier_wait(int fd, double start_at)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	struct timespec now;
	int bound = 30000;
	char c;
	int n;

	clock_gettime(CLOCK_REALTIME, &now);
	if (start_at > (double)now.tv_sec)
		bound += (int)((start_at - (double)now.tv_sec) * 1000.0);
	do {
		n = poll(&p, 1, bound);
	} while (n < 0 && errno == EINTR && !stop_flag);
	if (n <= 0 || stop_flag)
		return -1;
	return read(fd, &c, 1) == 0 ? 0 : -1;
}

int worker_main(const struct worker_ctx *w)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct worker_result *r;
	struct io io;
	char ready = 'R';
	int rc;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	r = calloc(1, sizeof(*r));
	if (!r)
		return 1;
	r->magic = WORKER_RESULT_MAGIC;
	r->id = w->id;
	for (int d = 0; d < RP_NDIR; d++)
		stats_init(&r->call[d].ns);
	lat_result_init(&r->lat, !w->cfg->latency_off, w->cfg->rate > 0);
	pin(w, r);
	set_sched(w->cfg, r);
	/* Before any socket; a worker left outside never connects. */
	if (netns_join(w->cfg, RP_LINK_CLIENT) < 0) {
		snprintf(r->error, sizeof(r->error), "cannot enter the client namespace: %s",
			 strerror(errno));
		r->errors = 1;
	} else if (io_setup(&io, w, r, &stop_flag) < 0) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		r->errors = 1;
	}
	if (write_all(w->result_fd, &ready, 1) < 0)
		return 1;
	if (!r->errors && barrier_wait(w->barrier_fd, w->cfg->start_at) < 0) {
		snprintf(r->error, sizeof(r->error), "no start signal from the driver");
		r->errors = 1;
	}
	if (!r->errors)
		io_run(&io);
	r->last_cpu = sched_getcpu();
	lower_priority();
	r->complete = r->errors == 0 && r->crc_errors == 0;
	rc = write_all(w->result_fd, r, sizeof(*r)) < 0 ? 1 : 0;
	return rc ? rc : (r->complete ? 0 : 1);
}
