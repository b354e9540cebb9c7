// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Traced sockets as report rows; pure. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "report.h"
#include "schema.h"
#include "sock_rows.h"

void sock_addr_text(char *buf, size_t len, uint32_t family, const uint8_t addr[16], uint16_t port)
{
	char a[INET6_ADDRSTRLEN] = "?";

	/* A dual-stack server's socket holds the client's IPv4 address
	 * v4-mapped: written as IPv4, as the client's own socket has it. */
	if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)addr)) {
		inet_ntop(AF_INET, addr + 12, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, port);
	} else if (family == AF_INET6) {
		inet_ntop(AF_INET6, addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, port);
	} else {
		inet_ntop(AF_INET, addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, port);
	}
}

/* Every field of fam with a source in k: per direction at [dir] unless
 * it is recv-only (a single value, given to the recv side). */
static void from_sources(const struct rp_family *fam, void *base, const struct rp_ksock *k, int dir)
{
	for (size_t i = 0; i < fam->n; i++) {
		const struct rp_field *f = &fam->fields[i];
		bool one = dir < 0 || (f->flags & RP_FF_RECV);

		if (!f->src_size || ((f->flags & RP_FF_RECV) && dir == RP_SEND))
			continue;
		field_set_u64(base, f, field_src_u64(k, f, one ? 0 : (size_t)dir));
	}
}

void sock_row_from(struct rp_sock_row *r, const struct rp_ksock *k)
{
	struct rp_ksum sum = {0};

	memset(r, 0, sizeof(*r));
	sock_addr_text(r->local, sizeof(r->local), k->family, k->saddr, k->sport);
	sock_addr_text(r->remote, sizeof(r->remote), k->family, k->daddr, k->dport);
	from_sources(&rp_sockrow_family, r, k, -1);
	for (int d = 0; d < RP_NDIR; d++)
		from_sources(&rp_sockdir_family, &r->dir[d], k, d);
	/* segments, retransmits, cwnd, srtt, mss: the kernel's own fold */
	ktcp_fold_sock(&sum, k);
	family_fold(&rp_sockrow_family, r, &rp_ksum_family, &sum);
}

static int busier_first(const void *a, const void *b)
{
	const struct rp_sock_row *x = a, *y = b;
	uint64_t bx = x->dir[0].bytes + x->dir[1].bytes, by = y->dir[0].bytes + y->dir[1].bytes;
	uint64_t cx = x->dir[0].calls + x->dir[1].calls, cy = y->dir[0].calls + y->dir[1].calls;

	if (bx != by)
		return bx > by ? -1 : 1;
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return strcmp(x->local, y->local);
}

void sock_rows_sort(struct rp_sock_row *rows, size_t n)
{
	qsort(rows, n, sizeof(*rows), busier_first);
}
