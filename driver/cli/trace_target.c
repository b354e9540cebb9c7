// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `reqperf trace`'s checks of its target, read from /proc. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_target.h"

#define PF_KTHREAD 0x00200000 /* include/linux/sched.h */

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

void trace_pid_comm(long pid, char *buf, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	if (read_line(path, buf, len))
		snprintf(buf, len, "?");
}

/* The state and flags fields of /proc/PID/stat (the third and ninth; comm
 * may hold spaces and parentheses, so count from the last ')'). */
static int stat_flags(long pid, char *state, unsigned long *flags)
{
	char path[64], line[1024], *p;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (read_line(path, line, sizeof(line)))
		return -1;
	p = strrchr(line, ')');
	if (!p || p[1] != ' ')
		return -1;
	*state = p[2];
	/* After ')': state(3) ppid(4) pgrp(5) session(6) tty(7) tpgid(8) flags(9). */
	for (field = 2; field < 9 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -1;
	*flags = strtoul(p + 1, NULL, 10);
	return 0;
}

enum trace_pid_state trace_pid_state(long pid, char *comm, size_t len)
{
	unsigned long flags = 0;
	char state = 0;

	comm[0] = '\0';
	if (kill((pid_t)pid, 0) && errno == ESRCH)
		return TRACE_PID_GONE;
	trace_pid_comm(pid, comm, len);
	if (stat_flags(pid, &state, &flags))
		return TRACE_PID_OK;
	/* A zombie has exited: only its parent has not reaped it yet. */
	if (state == 'Z' || state == 'X')
		return TRACE_PID_GONE;
	if (flags & PF_KTHREAD)
		return TRACE_PID_KTHREAD;
	return TRACE_PID_OK;
}

bool trace_pid_other_netns(long pid, char *ns, size_t len)
{
	char path[64], mine[64] = "";
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
	n = readlink(path, ns, len - 1);
	if (n <= 0)
		return false;
	ns[n] = '\0';
	n = readlink("/proc/self/ns/net", mine, sizeof(mine) - 1);
	if (n <= 0)
		return false;
	mine[n] = '\0';
	return strcmp(ns, mine) != 0;
}

/* Any thread of process dir named comm. */
static bool threads_named(const char *pid, const char *comm)
{
	char path[300], name[64];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task/%s/comm", pid, e->d_name);
		found = !read_line(path, name, sizeof(name)) && !strcmp(name, comm);
	}
	closedir(d);
	return found;
}

bool trace_comm_exists(const char *comm)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			found = threads_named(e->d_name, comm);
	closedir(d);
	return found;
}
