/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* --start-at: a wall-clock start time shared by several client hosts. */
#ifndef REQPERF_START_AT_H
#define REQPERF_START_AT_H

#include <stddef.h>

/* How far ahead a start may be set (seconds): a typo of a day or a year
 * must not leave processes waiting. */
#define START_AT_MAX_AHEAD 3600.0

/*
 * Parses TIME as Unix seconds ("1764919800", "1764919800.25") or UTC ISO
 * 8601 ("2026-12-05T07:30:00Z", fraction allowed; the Z is required: the
 * hosts' time zones must not matter). now is CLOCK_REALTIME in seconds.
 * Returns 0 with *at, or -1 with one line in why: not a time, in the past,
 * or more than max_ahead seconds after now.
 */
int start_at_parse(const char *s, double now, double max_ahead, double *at, char *why, size_t len);

/* t (Unix seconds) as "2026-12-05T07:30:00.000Z". */
void start_at_format(double t, char *buf, size_t len);

#endif /* REQPERF_START_AT_H */
