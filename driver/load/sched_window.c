// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The scheduler window. The worker writes its window straight into the
 * BPF array it shares with the kernel (a MAP_SHARED mapping inherited at
 * fork): a plain store, no syscall, so opening or closing it cannot
 * itself cause a switch.
 *
 * getrusage() is read twice at each edge, once on either side of the
 * store. A switch the kernel counts falls inside the window by program
 * order, so its count lies between (close_first - open_second) and
 * (close_second - open_first); the two are equal, and the check exact,
 * unless a switch landed between the two reads of an edge.
 */
#include <sched.h>
#include <sys/resource.h>
#include <time.h>

#include "clock.h"
#include "sched_window.h"

static struct rp_sched_win *own_window(const struct worker_ctx *w)
{
	return w->sched_wins ? &w->sched_wins[w->id + 1] : NULL;
}

/* One sleep just before the window makes the task switch out and in
 * again, so the kernel sees the policy it will run the I/O phase with
 * even when the phase itself never switches. */
static void settle(void)
{
	struct timespec ts = {0, 50000};

	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

void sched_window_open(const struct worker_ctx *w, struct worker_result *r)
{
	struct rp_sched_win *win = own_window(w);
	struct rusage a, b;

	if (win)
		settle();
	getrusage(RUSAGE_SELF, &a);
	r->win_start_ns = now_ns();
	if (win) {
		win->start_ns = r->win_start_ns;
		__atomic_store_n(&win->state, RP_WIN_OPEN, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&w->sched_wins[0].state, 1, __ATOMIC_SEQ_CST);
	}
	getrusage(RUSAGE_SELF, &b);
	r->win_cpu = sched_getcpu();
	/* Kept until the close: the lower bound starts at the second read. */
	r->ru_nvcsw[0] = (uint64_t)b.ru_nvcsw;
	r->ru_nvcsw[1] = (uint64_t)a.ru_nvcsw;
	r->ru_nivcsw[0] = (uint64_t)b.ru_nivcsw;
	r->ru_nivcsw[1] = (uint64_t)a.ru_nivcsw;
}

void sched_window_close(const struct worker_ctx *w, struct worker_result *r)
{
	struct rp_sched_win *win = own_window(w);
	struct rusage c, d;

	getrusage(RUSAGE_SELF, &c);
	r->win_end_ns = now_ns();
	if (win) {
		__atomic_store_n(&win->state, RP_WIN_CLOSED, __ATOMIC_SEQ_CST);
		__atomic_fetch_sub(&w->sched_wins[0].state, 1, __ATOMIC_SEQ_CST);
	}
	getrusage(RUSAGE_SELF, &d);
	r->ru_nvcsw[0] = (uint64_t)c.ru_nvcsw - r->ru_nvcsw[0];
	r->ru_nvcsw[1] = (uint64_t)d.ru_nvcsw - r->ru_nvcsw[1];
	r->ru_nivcsw[0] = (uint64_t)c.ru_nivcsw - r->ru_nivcsw[0];
	r->ru_nivcsw[1] = (uint64_t)d.ru_nivcsw - r->ru_nivcsw[1];
	r->has_rusage = 1;
}
