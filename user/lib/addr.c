// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* "HOST:PORT" <-> struct sockaddr, numeric only: no resolver, no surprises. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

static int addr_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Decimal digits only (no sign, no spaces), 0..65535. */
static int parse_port(const char *s, int allow_zero, unsigned *port, char *err, size_t errlen)
{
	unsigned v = 0;
	const char *c;

	if (!*s)
		return addr_err(err, errlen, "missing port");
	for (c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return addr_err(err, errlen, "port '%s' is not a number", s);
		if (v <= 65535)
			v = v * 10 + (unsigned)(*c - '0');
	}
	if (v > 65535 || (v == 0 && !allow_zero))
		return addr_err(err, errlen, "port %s out of range (%d..65535)", s,
				allow_zero ? 0 : 1);
	*port = v;
	return 0;
}

static bool all_digits_and_dots(const char *s)
{
	return strspn(s, "0123456789.") == strlen(s);
}

static int parse_v4(const char *host, unsigned port, struct sockaddr_storage *ss, socklen_t *len,
		    char *err, size_t errlen)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	if (strcmp(host, "localhost") == 0)
		host = "127.0.0.1";
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
		if (all_digits_and_dots(host))
			return addr_err(err, errlen, "bad IPv4 address '%s'", host);
		return addr_err(err, errlen, "'%s': no DNS: use a numeric address", host);
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	*len = sizeof(*sin);
	return 0;
}

static int parse_v6(const char *host, unsigned port, struct sockaddr_storage *ss, socklen_t *len,
		    char *err, size_t errlen)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
		return addr_err(err, errlen, "bad IPv6 address '%s'", host);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)port);
	*len = sizeof(*sin6);
	return 0;
}

int addr_parse(const char *s, int allow_zero, struct sockaddr_storage *ss, socklen_t *len,
	       char *err, size_t errlen)
{
	char host[256];
	const char *colon, *hs = s;
	size_t hlen;
	unsigned port;

	if (!s || !*s)
		return addr_err(err, errlen, "empty address");
	if (*s == '[') {
		colon = strchr(s, ']');
		if (!colon)
			return addr_err(err, errlen, "'%s': missing ']'", s);
		hs = s + 1;
		hlen = (size_t)(colon - hs);
		colon++;
		if (*colon != ':')
			return addr_err(err, errlen, "'%s': missing port", s);
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return addr_err(err, errlen, "'%s': missing port", s);
		hlen = (size_t)(colon - s);
		if (memchr(s, ':', hlen))
			return addr_err(err, errlen, "'%s': write IPv6 addresses as [addr]:port",
					s);
	}
	if (hlen == 0)
		return addr_err(err, errlen, "'%s': empty host", s);
	if (hlen >= sizeof(host))
		return addr_err(err, errlen, "'%s': host too long", s);
	memcpy(host, hs, hlen);
	host[hlen] = '\0';
	if (parse_port(colon + 1, allow_zero, &port, err, errlen) < 0)
		return -1;
	if (*s == '[')
		return parse_v6(host, port, ss, len, err, errlen);
	return parse_v4(host, port, ss, len, err, errlen);
}

void addr_format(const struct sockaddr *sa, char *buf, size_t cap)
{
	char ip[INET6_ADDRSTRLEN];
	const struct sockaddr_in6 *sin6;
	const struct sockaddr_in *sin;

	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
		snprintf(buf, cap, "%s:%u", ip, ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, cap, "[%s]:%u", ip, ntohs(sin6->sin6_port));
	} else {
		snprintf(buf, cap, "(family %d)", sa->sa_family);
	}
}
