// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The open-file limit (RLIMIT_NOFILE) raised to what a run needs. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>

#include "fdlimit.h"

void fdlimit_plan(uint64_t cur, uint64_t max, uint64_t nr_open, uint64_t need, int privileged,
		  uint64_t *new_cur, uint64_t *new_max)
{
	*new_max = max;
	if (privileged && need > max && max != RLIM_INFINITY)
		*new_max = need < nr_open ? need : nr_open;
	*new_cur = cur > *new_max ? cur : *new_max;
	if (*new_cur > *new_max)
		*new_cur = *new_max;
}

static uint64_t nr_open(void)
{
	unsigned long long v = 1048576;
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 1048576;
		fclose(f);
	}
	return v;
}

int fdlimit_raise(uint64_t need, uint64_t *got, char *err, size_t errlen)
{
	struct rlimit r;
	uint64_t cur, max;

	if (getrlimit(RLIMIT_NOFILE, &r) < 0) {
		snprintf(err, errlen, "getrlimit(RLIMIT_NOFILE): %s", strerror(errno));
		return -1;
	}
	/* Privileged first; without CAP_SYS_RESOURCE the hard limit stays. */
	fdlimit_plan(r.rlim_cur, r.rlim_max, nr_open(), need, 1, &cur, &max);
	if (setrlimit(RLIMIT_NOFILE, &(struct rlimit){cur, max}) < 0) {
		fdlimit_plan(r.rlim_cur, r.rlim_max, nr_open(), need, 0, &cur, &max);
		if (setrlimit(RLIMIT_NOFILE, &(struct rlimit){cur, max}) < 0)
			cur = r.rlim_cur;
	}
	*got = cur;
	if (cur >= need)
		return 0;
	snprintf(err, errlen,
		 "needs %llu open files but RLIMIT_NOFILE allows %llu "
		 "(hard limit %llu; raise it with ulimit -Hn, or run with CAP_SYS_RESOURCE)",
		 (unsigned long long)need, (unsigned long long)cur, (unsigned long long)r.rlim_max);
	return -1;
}

int fdlimit_open_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}
