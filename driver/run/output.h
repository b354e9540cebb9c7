/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Writes the report where the options say: text, --json, --csv. */
#ifndef REQPERF_OUTPUT_H
#define REQPERF_OUTPUT_H

#include "report.h"

int output_write(const struct rp_report *r);

#endif
