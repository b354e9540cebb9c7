/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Statistics over the rounds of `reqperf run --compare`: medians, the
 * spread (min..max) of the rounds, and whether a setting differs from the
 * baseline by more than that spread. Pure: no I/O, no allocation beyond
 * small fixed buffers; NaN values (a figure a round did not have) are
 * skipped everywhere.
 */
#ifndef REQPERF_COMPARE_STATS_H
#define REQPERF_COMPARE_STATS_H

#include <stdbool.h>

/* Most rounds per setting the exact test below handles. */
#define CSTATS_MAX_N 64

/* Median of the non-NaN values (mean of the middle two for an even
 * count); NaN when there is none. */
double cstats_median(const double *v, int n);
/* Smallest and largest non-NaN value; NaN both when there is none.
 * Returns the count of non-NaN values. */
int cstats_range(const double *v, int n, double *lo, double *hi);
/*
 * Exact two-sided Mann-Whitney U test of a against b (at most
 * CSTATS_MAX_N values each, NaN skipped): the probability, were both
 * drawn from one distribution, of a rank sum at least as extreme. Ties
 * count one half and the tail is taken conservatively. 1 when either
 * side is empty.
 */
double cstats_mann_whitney_p(const double *a, int na, const double *b, int nb);

/* The smallest two-sided p the exact test can give for m against n rounds
 * (every round of one side beyond every round of the other): 2 / C(m+n, m).
 * 3 against 3: 0.1, so nothing can reach p < 0.05. */
double cstats_min_p(int m, int n);
/* Fewest rounds per side (R against R) whose smallest p is below alpha. */
int cstats_rounds_needed(double alpha);
/* Cliff's delta of a against b: (#(a > b) - #(a < b)) / (na nb) over all
 * pairs, -1..1; the effect size that goes with the rank test (+1: every
 * round of a above every round of b). NaN when either side is empty. */
double cstats_cliffs_delta(const double *a, int na, const double *b, int nb);

/* One setting's figure against the baseline's. */
struct cstats_cmp {
	int n; /* non-NaN rounds */
	double median;
	double lo, hi; /* spread: the rounds' range */
	double ratio; /* median / baseline median; NaN when that is 0 */
	bool significant; /* ranges apart and p < CSTATS_ALPHA */
	double p; /* cstats_mann_whitney_p */
	double p_min; /* cstats_min_p for these round counts */
	double delta; /* Cliff's delta against the baseline */
};

/* Significance level of the exact test. */
#define CSTATS_ALPHA 0.05

/* Differences within the spread are not significant: significant only
 * when every round of v lies beyond every round of base and, so few
 * rounds cannot pass by chance, the exact test agrees (p < CSTATS_ALPHA:
 * at least 4 rounds each when the ranges are just apart). */
void cstats_compare(const double *v, int n, const double *base, int nb, struct cstats_cmp *out);

#endif /* REQPERF_COMPARE_STATS_H */
