// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Output paths. reqperf runs as root, often in world-writable directories
 * (/tmp), so a file is never opened through a symlink owned by somebody
 * else: such a link could point the write at any file (as
 * fs.protected_symlinks prevents on hosts that turn it on). A link the
 * caller owns is followed. Every check runs before the workload, so a bad
 * path costs no run.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outpath.h"

#define RP_OUTPATHS 7 /* json, csv, events, svg, pcap, timeline, lifecycle */

struct out {
	const char *opt;
	const char *path;
	char real[PATH_MAX];
	struct stat st; /* st_ino 0: the file does not exist yet */
};

static int list(const struct rp_config *c, struct out *o)
{
	const char *opts[] = {"--json", "--csv",      "--events",   "--svg",
			      "--pcap", "--timeline", "--lifecycle"};
	const char *paths[] = {c->json_path, c->csv_path,      c->events_path,	 c->svg_path,
			       c->pcap_path, c->timeline_path, c->lifecycle_path};
	int n = 0;

	for (int i = 0; i < RP_OUTPATHS; i++) {
		if (!paths[i])
			continue;
		memset(&o[n], 0, sizeof(o[n]));
		o[n].opt = opts[i];
		o[n++].path = paths[i];
	}
	return n;
}

bool outpath_stdout_taken(const struct rp_config *c)
{
	struct out o[RP_OUTPATHS];
	int n = list(c, o);

	for (int i = 0; i < n; i++)
		if (!strcmp(o[i].path, "-"))
			return true;
	return false;
}

/* A symlink as the last component must be the caller's own. */
static int own_link(const char *path, const struct stat *lst, char *err, size_t cap,
		    const char *opt)
{
	if (!S_ISLNK(lst->st_mode) || lst->st_uid == geteuid())
		return 0;
	snprintf(err, cap, "%s %s: a symlink owned by uid %u; not following it (name its target)",
		 opt, path, (unsigned)lst->st_uid);
	return -1;
}

/* path, or where its chain of dangling symlinks ends (at most 8 links),
 * into out; -1 with errno on a loop or an unreadable link. */
static int dangling(const char *path, char *out, size_t cap)
{
	char link[PATH_MAX], dir[PATH_MAX];
	const char *d;
	struct stat lst;
	ssize_t n;

	snprintf(out, cap, "%s", path);
	for (int hops = 0; lstat(out, &lst) == 0 && S_ISLNK(lst.st_mode); hops++) {
		if (hops == 8 || (n = readlink(out, link, sizeof(link) - 1)) < 0) {
			errno = hops == 8 ? ELOOP : errno;
			return -1;
		}
		link[n] = '\0';
		snprintf(dir, sizeof(dir), "%s", out);
		d = dirname(dir);
		if (link[0] != '/' && strlen(d) + strlen(link) + 2 > cap) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (link[0] == '/')
			snprintf(out, cap, "%s", link);
		else if (snprintf(out, cap, "%s/%s", d, link) < 0)
			return -1;
	}
	return 0;
}

/* Fills o->real (links resolved) and o->st; checks the file can be written. */
static int resolve(struct out *o, char *err, size_t cap)
{
	char dir[PATH_MAX], base[PATH_MAX], rdir[PATH_MAX];
	struct stat lst;

	if (lstat(o->path, &lst) == 0 && own_link(o->path, &lst, err, cap, o->opt) < 0)
		return -1;
	if (realpath(o->path, o->real) && stat(o->real, &o->st) == 0) {
		if (S_ISDIR(o->st.st_mode)) {
			snprintf(err, cap, "%s %s: is a directory", o->opt, o->path);
			return -1;
		}
		if (access(o->real, W_OK) < 0) {
			snprintf(err, cap, "%s %s: %s", o->opt, o->path, strerror(errno));
			return -1;
		}
		return 0;
	}
	/* A new file: its directory must exist and be writable. A dangling
	 * link names where the file will be. */
	if (dangling(o->path, o->real, sizeof(o->real)) < 0) {
		snprintf(err, cap, "%s %s: %s", o->opt, o->path, strerror(errno));
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", o->real);
	snprintf(base, sizeof(base), "%s", o->real);
	if (!realpath(dirname(dir), rdir) || access(rdir, W_OK | X_OK) < 0) {
		snprintf(err, cap, "%s %s: directory %s: %s", o->opt, o->path, dirname(base),
			 strerror(errno));
		return -1;
	}
	snprintf(base, sizeof(base), "%s", o->real);
	if (strlen(rdir) + strlen(basename(base)) + 2 > sizeof(o->real)) {
		snprintf(err, cap, "%s %s: path too long", o->opt, o->path);
		return -1;
	}
	snprintf(o->real, sizeof(o->real), "%s/%s", strcmp(rdir, "/") ? rdir : "", basename(base));
	memset(&o->st, 0, sizeof(o->st));
	return 0;
}

static bool same(const struct out *a, const struct out *b)
{
	if (a->st.st_ino && b->st.st_ino)
		return a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino;
	return !strcmp(a->real, b->real);
}

int outpath_check(const struct rp_config *c, char *err, size_t cap)
{
	struct out o[RP_OUTPATHS];
	int n = list(c, o), i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (!strcmp(o[i].path, "-") && !strcmp(o[j].path, "-")) {
				snprintf(err, cap, "%s - and %s -: only one output can use stdout",
					 o[i].opt, o[j].opt);
				return -1;
			}
	for (i = 0; i < n; i++)
		if (strcmp(o[i].path, "-") && resolve(&o[i], err, cap) < 0)
			return -1;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(o[i].path, "-") && strcmp(o[j].path, "-") &&
			    same(&o[i], &o[j])) {
				snprintf(err, cap,
					 "%s and %s both write %s: give each its own file",
					 o[i].opt, o[j].opt, o[i].real);
				return -1;
			}
	return 0;
}

FILE *outpath_open(const char *path)
{
	int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, fd;
	struct stat lst;
	FILE *f;

	if (!strcmp(path, "-"))
		return stdout;
	fd = open(path, flags | O_NOFOLLOW, 0644);
	if (fd < 0 && errno == ELOOP && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		if (lst.st_uid != geteuid()) {
			fprintf(stderr,
				"reqperf: cannot write %s: a symlink owned by uid %u; not "
				"following "
				"it\n",
				path, (unsigned)lst.st_uid);
			return NULL;
		}
		fd = open(path, flags, 0644); /* the caller's own link */
	}
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		fprintf(stderr, "reqperf: cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

int outpath_close(FILE *f)
{
	return f == stdout ? fflush(f) : fclose(f);
}
