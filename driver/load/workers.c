// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "procs.h"
#include "worker.h"
#include "workers.h"

/* Until worker_main() installs its handlers, a stop request must end the
 * child, not set the driver's flag in the child's copy of memory. */
static void child_signals(const sigset_t *old)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_SETMASK, old, NULL);
}

static pid_t fork_one(const struct worker_ctx *tmpl, int id, int cpu, const int barrier[2], int *rd)
{
	struct worker_ctx w = *tmpl;
	pid_t pid, parent = getpid();
	sigset_t stop, old;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	pid = fork();
	if (pid == 0)
		child_signals(&old);
	else
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		/* The driver may have died before PDEATHSIG was armed. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		close(fds[0]);
		/* Only the parent may hold the write end, or EOF never comes. */
		close(barrier[1]);
		w.id = id;
		w.cpu = cpu;
		w.barrier_fd = barrier[0];
		w.result_fd = fds[1];
		_exit(worker_main(&w));
	}
	close(fds[1]);
	*rd = fds[0];
	return pid;
}

int workers_start(struct workers *ws, const struct worker_ctx *tmpl, const int *cpus, int n)
{
	int barrier[2];

	memset(ws, 0, sizeof(*ws));
	ws->barrier_wr = -1;
	ws->pids = calloc((size_t)n, sizeof(*ws->pids));
	ws->fds = calloc((size_t)n, sizeof(*ws->fds));
	ws->got = calloc((size_t)n, sizeof(*ws->got));
	ws->res = calloc((size_t)n, sizeof(*ws->res));
	if (!ws->pids || !ws->fds || !ws->got || !ws->res || pipe2(barrier, O_CLOEXEC) < 0) {
		fprintf(stderr, "reqperf: cannot start workers: %s\n", strerror(errno));
		return -1;
	}
	ws->barrier_wr = barrier[1];
	for (int i = 0; i < n; i++) {
		ws->pids[i] = fork_one(tmpl, i, cpus[i], barrier, &ws->fds[i]);
		if (ws->pids[i] < 0) {
			fprintf(stderr, "reqperf: fork: %s\n", strerror(errno));
			ws->pids[i] = 0;
			close(barrier[0]);
			return -1;
		}
		ws->n = i + 1;
	}
	close(barrier[0]);
	return 0;
}

/* Reads what is available from worker i; -1 at EOF or error. */
static int read_some(struct workers *ws, int i)
{
	size_t total = 1 + sizeof(ws->res[i]);
	char *dst;
	ssize_t r;

	if (ws->got[i] == 0) {
		char c;

		r = read(ws->fds[i], &c, 1);
		if (r == 1 && c == 'R')
			ws->got[i] = 1;
		return r == 1 && c == 'R' ? 0 : (r < 0 && errno == EINTR ? 0 : -1);
	}
	dst = (char *)&ws->res[i] + (ws->got[i] - 1);
	r = read(ws->fds[i], dst, total - ws->got[i]);
	if (r < 0 && errno == EINTR)
		return 0;
	if (r <= 0)
		return -1;
	ws->got[i] += (size_t)r;
	return 0;
}

static void close_fd(struct workers *ws, int i)
{
	if (ws->fds[i] >= 0)
		close(ws->fds[i]);
	ws->fds[i] = -1;
}

int workers_wait_ready(struct workers *ws, int timeout_ms, volatile sig_atomic_t *stop)
{
	for (int waited = 0; waited < timeout_ms && !*stop; waited += 10) {
		int ready = 0;

		for (int i = 0; i < ws->n; i++) {
			struct pollfd p = {.fd = ws->fds[i], .events = POLLIN};

			if (ws->got[i] == 0 && ws->fds[i] >= 0 && poll(&p, 1, 0) == 1 &&
			    read_some(ws, i) < 0)
				close_fd(ws, i);
			if (ws->got[i] >= 1)
				ready++;
			else if (ws->fds[i] < 0)
				return -1;
		}
		if (ready == ws->n)
			return 0;
		poll(NULL, 0, 10);
	}
	return -1;
}

void workers_go(struct workers *ws)
{
	if (ws->barrier_wr >= 0)
		close(ws->barrier_wr);
	ws->barrier_wr = -1;
}

static void signal_all(struct workers *ws, int sig)
{
	for (int i = 0; i < ws->n; i++)
		if (ws->pids[i] > 0 && ws->fds[i] >= 0)
			kill(ws->pids[i], sig);
}

int workers_collect(struct workers *ws, volatile sig_atomic_t *stop)
{
	struct pollfd *p = calloc((size_t)ws->n, sizeof(*p));
	int open = ws->n, complete = 0;
	uint64_t give_up = 0; /* set when the workers were told to stop */

	while (p && open > 0) {
		for (int i = 0; i < ws->n; i++)
			p[i] = (struct pollfd){.fd = ws->fds[i], .events = POLLIN};
		if (poll(p, (nfds_t)ws->n, 100) < 0 && errno != EINTR)
			break;
		if (ws->tick)
			ws->tick(ws->tick_arg, (uint64_t)now_ms() * 1000000ull);
		if (*stop && !give_up) {
			signal_all(ws, SIGTERM);
			give_up = (uint64_t)now_ms() + 3000;
		} else if (give_up && (uint64_t)now_ms() > give_up) {
			break; /* told to stop 3 s ago: reap kills the rest */
		}
		for (int i = 0; i < ws->n; i++) {
			if (ws->fds[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (read_some(ws, i) < 0) {
				close_fd(ws, i);
				open--;
			}
		}
	}
	free(p);
	for (int i = 0; i < ws->n; i++) {
		close_fd(ws, i);
		if (ws->got[i] == 1 + sizeof(ws->res[i]) && ws->res[i].magic == WORKER_RESULT_MAGIC)
			complete++;
		else
			ws->got[i] = 0; /* no usable result */
	}
	return complete;
}

void workers_reap(struct workers *ws)
{
	/* Never released (a failed or interrupted start): stop them at the
	 * barrier instead of letting them run the workload. */
	if (ws->barrier_wr >= 0)
		signal_all(ws, SIGTERM);
	workers_go(ws);
	if (ws->pids)
		procs_reap(ws->pids, ws->n, 3000, NULL);
}

void workers_free(struct workers *ws)
{
	for (int i = 0; ws->fds && i < ws->n; i++)
		close_fd(ws, i);
	free(ws->pids);
	free(ws->fds);
	free(ws->got);
	free(ws->res);
	memset(ws, 0, sizeof(*ws));
}
