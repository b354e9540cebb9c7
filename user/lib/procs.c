// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "procs.h"

static int reap_some(pid_t *pids, int n, int *status)
{
	int left = 0;

	for (int i = 0; i < n; i++) {
		int st;
		pid_t r;

		if (pids[i] <= 0)
			continue;
		r = waitpid(pids[i], &st, WNOHANG);
		if (r == pids[i] || (r < 0 && errno == ECHILD)) {
			if (r == pids[i] && status)
				*status = st;
			pids[i] = 0;
			continue;
		}
		left++;
	}
	return left;
}

int procs_reap(pid_t *pids, int n, int timeout_ms, int *status)
{
	struct timespec tick = {0, 5 * 1000000};
	int waited = 0;

	while (reap_some(pids, n, status) > 0) {
		if (waited >= timeout_ms) {
			for (int i = 0; i < n; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGKILL);
			for (int i = 0; i < n; i++)
				if (pids[i] > 0 && waitpid(pids[i], status, 0) == pids[i])
					pids[i] = 0;
			return -1;
		}
		nanosleep(&tick, NULL);
		waited += 5;
	}
	return 0;
}
