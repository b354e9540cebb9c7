// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * For the static link only (make static, the VM matrix's binary).
 * Debian's libpcap.a pulls in libdbus-1.a (its D-Bus capture source),
 * whose socket-activation code calls two libsystemd functions, and Debian
 * ships no libsystemd.a. reqperf never opens a D-Bus capture source, and
 * libdbus asks sd_is_socket() only about sockets sd_listen_fds() passed:
 * this answers as libsystemd does for a process systemd did not start
 * with sockets (none passed), so the second is never reached.
 */
#include <errno.h>

int sd_listen_fds(int unset_environment);
int sd_is_socket(int fd, int family, int type, int listening);

int sd_listen_fds(int unset_environment)
{
	(void)unset_environment;
	return 0;
}

int sd_is_socket(int fd, int family, int type, int listening)
{
	(void)fd, (void)family, (void)type, (void)listening;
	return -ENOSYS;
}
