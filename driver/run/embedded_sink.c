// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "embedded_sink.h"
#include "netns.h"
#include "procs.h"
#include "sink.h"

static volatile sig_atomic_t sink_stop;

static void on_signal(int sig)
{
	(void)sig;
	sink_stop = 1;
}

/* The workers' connections with room for reconnects (a server's
 * "Connection: close" opens a new one while the old one closes). */
static int embedded_sink_max_conns(const struct rp_config *cfg)
{
	uint64_t n = 2 * config_total_conns(cfg) + 1024;

	return n > 100000000 ? 100000000 : (int)n;
}

static void child(const struct rp_config *cfg, struct rp_sink_counters *counters, int fd,
		  pid_t parent)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct sink_opts o = {.threads = cfg->sink_threads,
			      .body_size = cfg->body_size,
			      .echo_size = cfg->echo_size,
			      .max_conns = embedded_sink_max_conns(cfg),
			      .split_ms = cfg->sink_split_ms,
			      .pause_ms = cfg->sink_pause_ms,
			      .pause_every_ms = cfg->sink_pause_every_ms,
			      .quiet = true};
	char host[48];

	/* The driver may have died before PDEATHSIG was armed. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	sigaction(SIGTERM, &sa, NULL);
	/* Ctrl-C reaches the whole group: the driver decides when we stop. */
	signal(SIGINT, SIG_IGN);
	if (netns_join(cfg, RP_LINK_SINK) < 0) {
		fprintf(stderr, "reqperf: embedded sink: cannot enter its namespace: %s\n",
			strerror(errno));
		_exit(1);
	}
	netns_host(cfg, parent, RP_LINK_SINK, host, sizeof(host));
	snprintf(o.listen, sizeof(o.listen), "%s:0", host);
	_exit(sink_run(&o, &sink_stop, counters, fd) == 0 ? 0 : 1);
}

/* poll() for one fd, retried after signals, bounded by timeout_ms overall. */
static int poll_in(struct pollfd *p, int timeout_ms)
{
	struct timespec t0, t1;
	int n, left = timeout_ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((n = poll(p, 1, left)) < 0 && errno == EINTR) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = timeout_ms -
		       (int)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return 0;
	}
	return n;
}

static void unmap(struct embedded_sink *s)
{
	if (s->counters)
		munmap(s->counters, sizeof(*s->counters));
	s->counters = NULL;
}

int embedded_sink_start(struct embedded_sink *s, struct rp_config *cfg)
{
	pid_t parent = getpid();
	struct pollfd p;
	char host[48];
	int fds[2];

	memset(s, 0, sizeof(*s));
	s->counters = mmap(NULL, sizeof(*s->counters), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s->counters == MAP_FAILED) {
		s->counters = NULL;
		fprintf(stderr, "reqperf: embedded sink: %s\n", strerror(errno));
		return -1;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		fprintf(stderr, "reqperf: embedded sink: %s\n", strerror(errno));
		unmap(s);
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0) {
		fprintf(stderr, "reqperf: fork: %s\n", strerror(errno));
		s->pid = 0;
		close(fds[0]);
		close(fds[1]);
		unmap(s);
		return -1;
	}
	if (s->pid == 0) {
		close(fds[0]);
		child(cfg, s->counters, fds[1], parent);
	}
	close(fds[1]);
	p = (struct pollfd){.fd = fds[0], .events = POLLIN};
	/* Ctrl-C during start-up interrupts the wait; the caller notices the
	 * stop flag later and says "interrupted", so keep waiting here. */
	if (poll_in(&p, 5000) != 1 || read(fds[0], &s->port, sizeof(s->port)) != sizeof(s->port)) {
		fprintf(stderr, "reqperf: embedded sink did not start\n");
		close(fds[0]);
		embedded_sink_stop(s, NULL);
		return -1;
	}
	close(fds[0]);
	netns_host(cfg, parent, RP_LINK_SINK, host, sizeof(host));
	snprintf(cfg->target, sizeof(cfg->target), "%s:%u", host, s->port);
	return 0;
}

int embedded_sink_stop(struct embedded_sink *s, struct rp_sink_counters *out)
{
	int status = 0, rc;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	rc = procs_reap(&s->pid, 1, 3000, &status);
	if (out && s->counters)
		*out = *s->counters;
	unmap(s);
	s->pid = 0;
	return rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
