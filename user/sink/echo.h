/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Echo mode's message content: deterministic, so both ends check it. */
#ifndef REQPERF_ECHO_H
#define REQPERF_ECHO_H

#include <stdint.h>

/* Byte off of message msg on one connection. */
static inline uint8_t echo_byte(uint64_t msg, uint32_t off)
{
	return (uint8_t)((msg * 131u + off * 7u + (off >> 8)) ^ 0x5a);
}

#endif /* REQPERF_ECHO_H */
