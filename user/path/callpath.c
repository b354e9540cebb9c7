// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --call-path: the join of user and kernel records, and the stage sums. */
#include <stdlib.h>
#include <string.h>

#include "callpath.h"
#include "events.h"
#include "grow.h"
#include "stats.h"

const char *const rp_cp_stage_names[RP_CPS_N] = {"entry", "socket", "tcp",   "return",
						 "exit",  "user",   "kernel"};
const char *const rp_cp_class_names[RP_CPC_N] = {"send", "recv_data", "recv_none"};

static int push(struct rp_cp_vals *s, uint64_t v)
{
	uint64_t *p = grow(s->v, &s->cap, s->n, sizeof(*p), 1024, 0);

	if (!p)
		return -1;
	s->v = p;
	s->v[s->n++] = v;
	s->sum += v;
	return 0;
}

/* The hooks in the order a call passes them; the TCP one may be absent. */
static bool in_order(const struct rp_uevent *u, const struct rp_cp_rec *k)
{
	if (!k->sock_ns || k->enter_ns < u->start_ns || k->sock_ns < k->enter_ns ||
	    k->exit_ns < k->sock_ns || u->end_ns < k->exit_ns)
		return false;
	return !k->tcp_ns || (k->enter_ns <= k->tcp_ns && k->tcp_ns <= k->sock_ns);
}

static int add_call(struct rp_cp_acc *acc, const struct rp_uevent *u, const struct rp_cp_rec *k)
{
	enum rp_cp_class c = u->dir == RP_SEND ? RP_CPC_SEND
			     : u->ret > 0      ? RP_CPC_RECV_DATA
					       : RP_CPC_RECV_NONE;
	struct rp_cp_vals *s = acc->s[c];
	uint64_t tcp = k->tcp_ns ? k->tcp_ns : k->sock_ns;
	int rc = 0;

	if (k->dir != u->dir || k->ret != u->ret || !in_order(u, k)) {
		acc->mismatched++;
		return 0;
	}
	rc |= push(&s[RP_CPS_ENTRY], k->enter_ns - u->start_ns);
	rc |= push(&s[RP_CPS_SOCKET], tcp - k->enter_ns);
	if (k->tcp_ns)
		rc |= push(&s[RP_CPS_TCP], k->sock_ns - k->tcp_ns);
	rc |= push(&s[RP_CPS_RETURN], k->exit_ns - k->sock_ns);
	rc |= push(&s[RP_CPS_EXIT], u->end_ns - k->exit_ns);
	rc |= push(&s[RP_CPS_USER], u->end_ns - u->start_ns);
	rc |= push(&s[RP_CPS_KERNEL], k->sock_ns - k->enter_ns);
	acc->joined++;
	return rc;
}

int callpath_join(struct rp_cp_acc *acc, const struct rp_uevent *u, size_t nu,
		  const struct rp_cp_rec *k, size_t nk)
{
	size_t i = 0, j = 0;

	/* Both lists are in time order: walk them together. */
	while (i < nu && j < nk) {
		if (k[j].exit_ns < u[i].start_ns || k[j].enter_ns < u[i].start_ns) {
			acc->kernel_other++; /* before this call: another syscall */
			j++;
		} else if (k[j].enter_ns > u[i].end_ns) {
			acc->user_only++; /* this call has no record */
			i++;
		} else if (add_call(acc, &u[i++], &k[j++]) < 0) {
			acc->oom = true;
			return -1;
		}
	}
	acc->user_only += nu - i;
	acc->kernel_other += nk - j;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void callpath_summarise(struct rp_cp_acc *acc, struct rp_cp_report *r)
{
	r->on = true;
	r->joined = acc->joined;
	r->user_only = acc->user_only;
	r->kernel_other = acc->kernel_other;
	r->mismatched = acc->mismatched;
	for (int c = 0; c < RP_CPC_N; c++) {
		for (int s = 0; s < RP_CPS_N; s++) {
			struct rp_cp_vals *v = &acc->s[c][s];
			struct rp_cp_stat *st = &r->st[c][s];

			memset(st, 0, sizeof(*st));
			if (!v->n)
				continue;
			qsort(v->v, v->n, sizeof(*v->v), cmp_u64);
			st->calls = v->n;
			st->p50_ns = v->v[stats_rank(v->n, 50) - 1];
			st->p90_ns = v->v[stats_rank(v->n, 90) - 1];
			st->mean_ns = (double)v->sum / (double)v->n;
		}
	}
}

void callpath_acc_free(struct rp_cp_acc *acc)
{
	for (int c = 0; c < RP_CPC_N; c++)
		for (int s = 0; s < RP_CPS_N; s++)
			free(acc->s[c][s].v);
	memset(acc, 0, sizeof(*acc));
}
