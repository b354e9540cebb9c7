/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* "HOST:PORT" parsing: IPv4 dotted quads, "[v6]:port", "localhost". */
#ifndef REQPERF_ADDR_H
#define REQPERF_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* Returns 0, or -1 with a one-line reason in err. Port 0 is accepted only
 * when allow_zero is set (listening on an ephemeral port). No DNS lookups:
 * the host must be a numeric address or "localhost". */
int addr_parse(const char *s, int allow_zero, struct sockaddr_storage *ss, socklen_t *len,
	       char *err, size_t errlen);
/* "HOST:PORT" of a socket address. */
void addr_format(const struct sockaddr *sa, char *buf, size_t cap);

#endif /* REQPERF_ADDR_H */
