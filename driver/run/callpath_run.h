/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --call-path around one run: the programs loaded before the workers
 * start, each worker registered, and after the run every worker's records
 * joined with its own clock reads into the report's stage table.
 */
#ifndef REQPERF_CALLPATH_RUN_H
#define REQPERF_CALLPATH_RUN_H

#include <sys/types.h>

#include "callpath.h"
#include "callpath_load.h"
#include "config.h"
#include "events_run.h"

/* NULL *cp without --call-path. Returns 0, or -1 after one line. */
int callpath_run_open(struct rp_callpath **cp, const struct rp_config *c);
int callpath_run_add(struct rp_callpath *cp, const pid_t *pids, int n);
/* Stops the programs, joins worker i's records with events_run_user(ev,
 * i) for every worker and fills *out. Returns 0, or -1 after one line. */
int callpath_run_finish(struct rp_callpath *cp, const struct events_run *ev, int nworkers,
			struct rp_cp_report *out);

#endif
