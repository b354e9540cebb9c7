// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --start-at: a wall-clock start time shared by several client hosts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "start_at.h"

/* "YYYY-MM-DDTHH:MM:SS[.frac]Z" as Unix seconds; -1 if it is not one. */
static int parse_iso(const char *s, double *out)
{
	struct tm tm = {0};
	double frac = 0;
	const char *p;
	char *end;
	int n = 0;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 19)
		return -1;
	p = s + n;
	if (*p == '.') {
		frac = strtod(p, &end);
		if (end == p + 1)
			return -1;
		p = end;
	}
	if (strcmp(p, "Z") || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (double)timegm(&tm) + frac;
	return 0;
}

/* Unix seconds, digits with an optional fraction. */
static int parse_epoch(const char *s, double *out)
{
	char *end;

	if (!*s || strspn(s, "0123456789.") != strlen(s))
		return -1;
	*out = strtod(s, &end);
	return *end || !isfinite(*out) ? -1 : 0;
}

int start_at_parse(const char *s, double now, double max_ahead, double *at, char *why, size_t len)
{
	char a[40], b[40];

	if (parse_epoch(s, at) < 0 && parse_iso(s, at) < 0) {
		snprintf(why, len,
			 "--start-at: expected Unix seconds or YYYY-MM-DDTHH:MM:SS[.frac]Z (UTC), "
			 "got '%s'",
			 s);
		return -1;
	}
	start_at_format(*at, a, sizeof(a));
	start_at_format(now, b, sizeof(b));
	if (*at <= now) {
		snprintf(why, len, "--start-at: %s is in the past (now %s)", a, b);
		return -1;
	}
	if (*at - now > max_ahead) {
		snprintf(why, len, "--start-at: %s is more than %.0f s ahead (now %s)", a,
			 max_ahead, b);
		return -1;
	}
	return 0;
}

void start_at_format(double t, char *buf, size_t len)
{
	long long total_ms = llround(t * 1000.0);
	time_t s = (time_t)(total_ms / 1000);
	int ms = (int)(total_ms % 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}
