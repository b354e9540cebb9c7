// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* How the I/O phase records a timed call and an error. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "io_state.h"

void io_error(struct io *io, const char *fmt, ...)
{
	va_list ap;

	io->res->errors++;
	if (io->res->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(io->res->error, sizeof(io->res->error), fmt, ap);
	va_end(ap);
}

void io_extra(struct io *io, uint64_t n)
{
	io->res->extra_responses += n;
	io_error(io, "%llu response%s beyond the requests sent (the server answered unasked)",
		 (unsigned long long)n, n == 1 ? "" : "s");
}

void io_record_call(struct rp_ucalls *k, uint64_t ns, ssize_t n, size_t asked, int err)
{
	k->calls++;
	stats_record(&k->ns, ns);
	if (n > 0) {
		k->bytes += (uint64_t)n;
		if ((size_t)n < asked)
			k->short_calls++;
	} else if (n < 0) {
		if (err == EAGAIN || err == EWOULDBLOCK)
			k->eagain++;
		else if (err != EINTR) /* the loop retries it */
			k->errors++;
	}
}
