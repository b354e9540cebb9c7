/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A descriptor made inside another network namespace, without the caller
 * ever leaving its own: a child process enters the namespace, makes the
 * descriptor and passes it back (SCM_RIGHTS). A socket, or a file under
 * /proc/thread-self/net, stays bound to the namespace it was made in, so
 * the driver reads and configures a namespace from where it stands; a
 * failed return from setns() can no longer leave it (and its teardown)
 * in the wrong one.
 */
#ifndef REQPERF_NSOPEN_H
#define REQPERF_NSOPEN_H

/* Runs make(arg) inside the network namespace nsfd (in a child: make may
 * only use async-signal-safe calls) and returns the descriptor it made, or
 * -1 with errno (make's own, or setns()'s). Waits at most a few seconds. */
int nsopen(int nsfd, int (*make)(void *arg), void *arg);

/* Two makers: an AF_INET datagram socket for ioctls, and a file opened
 * read-only (arg: its path). */
int nsopen_ctl_socket(void *arg);
int nsopen_file(void *path);

#endif /* REQPERF_NSOPEN_H */
