// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --call-path around one run (callpath_run.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callpath_run.h"
#include "events.h"

int callpath_run_open(struct rp_callpath **cp, const struct rp_config *c)
{
	uint64_t limit = c->events_limit ? c->events_limit : RP_EVENTS_LIMIT;
	char err[256];

	*cp = NULL;
	if (!c->call_path)
		return 0;
	if (callpath_open(cp, c->events_ring ? c->events_ring : RP_EVENTS_RING,
			  limit * (uint64_t)c->workers, c->verbose, err, sizeof(err)) < 0) {
		fprintf(stderr, "reqperf: --call-path: %s\n", err);
		return -1;
	}
	return 0;
}

int callpath_run_add(struct rp_callpath *cp, const pid_t *pids, int n)
{
	for (int i = 0; cp && i < n; i++) {
		if (callpath_add_tgid(cp, (uint32_t)pids[i]) < 0) {
			fprintf(stderr, "reqperf: cannot register worker %d for --call-path\n", i);
			return -1;
		}
	}
	return 0;
}

int callpath_run_finish(struct rp_callpath *cp, const struct events_run *ev, int nworkers,
			struct rp_cp_report *out)
{
	struct rp_cp_acc acc = {0};
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!cp)
		return 0;
	callpath_stop(cp);
	for (int i = 0; i < nworkers && rc == 0; i++) {
		const struct rp_uev_buf *u = events_run_user(ev, i);
		struct rp_cp_rec *k = NULL;
		long nk;

		if (!u || !u->tid)
			continue; /* the worker never started */
		nk = callpath_records(cp, u->tid, &k);
		uint64_t nu = u->n < u->cap ? u->n : u->cap;

		out->user_dropped += u->dropped;
		if (nk < 0 || callpath_join(&acc, u->ev, nu, k, (size_t)nk) < 0)
			rc = -1;
		free(k);
	}
	if (rc < 0) {
		fprintf(stderr, "reqperf: out of memory joining --call-path records\n");
		callpath_acc_free(&acc);
		return -1;
	}
	callpath_summarise(&acc, out);
	callpath_drops(cp, out->drops);
	callpath_acc_free(&acc);
	return 0;
}
