// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Medians, spreads and significance over --compare rounds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Copies the non-NaN values of v (at most CSTATS_MAX_N) into out. */
static int finite_copy(const double *v, int n, double *out)
{
	int k = 0;

	for (int i = 0; i < n && k < CSTATS_MAX_N; i++)
		if (!isnan(v[i]))
			out[k++] = v[i];
	return k;
}

double cstats_median(const double *v, int n)
{
	double s[CSTATS_MAX_N];
	int k = finite_copy(v, n, s);

	if (!k)
		return NAN;
	qsort(s, (size_t)k, sizeof(s[0]), cmp_double);
	return k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
}

int cstats_range(const double *v, int n, double *lo, double *hi)
{
	int k = 0;

	*lo = *hi = NAN;
	for (int i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		if (!k || v[i] < *lo)
			*lo = v[i];
		if (!k || v[i] > *hi)
			*hi = v[i];
		k++;
	}
	return k;
}

/*
 * c[u] = how many of the C(m+n, m) orderings of m + n distinct values
 * give U = u: the coefficients of the Gaussian binomial [m+n choose m]
 * in q, built as prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i).
 */
static void u_counts(int m, int n, double *c)
{
	int deg = 0;

	memset(c, 0, (size_t)(m * n + m + 1) * sizeof(*c));
	c[0] = 1;
	for (int i = 1; i <= m; i++) {
		int k = n + i;

		for (int j = deg + k; j >= k; j--)
			c[j] -= c[j - k];
		deg += k;
		for (int j = i; j <= deg; j++)
			c[j] += c[j - i];
		deg -= i;
	}
}

double cstats_mann_whitney_p(const double *a, int na, const double *b, int nb)
{
	static const int cap = CSTATS_MAX_N * CSTATS_MAX_N + CSTATS_MAX_N + 1;
	double x[CSTATS_MAX_N], y[CSTATS_MAX_N], c[CSTATS_MAX_N * CSTATS_MAX_N + CSTATS_MAX_N + 1];
	double u = 0, total = 0, tail = 0, p;
	int m = finite_copy(a, na, x), n = finite_copy(b, nb, y);

	if (!m || !n || m * n + m + 1 > cap)
		return 1;
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++)
			u += x[i] > y[j] ? 1 : x[i] == y[j] ? 0.5 : 0;
	if (u > (double)(m * n) / 2)
		u = (double)(m * n) - u;
	u_counts(m, n, c);
	for (int k = 0; k <= m * n; k++) {
		total += c[k];
		if (k <= (int)ceil(u))
			tail += c[k];
	}
	p = 2 * tail / total;
	return p < 1 ? p : 1;
}

void cstats_compare(const double *v, int n, const double *base, int nb, struct cstats_cmp *out)
{
	double blo, bhi, bmed = cstats_median(base, nb);
	int k = cstats_range(base, nb, &blo, &bhi);

	out->n = cstats_range(v, n, &out->lo, &out->hi);
	out->median = cstats_median(v, n);
	out->ratio = bmed != 0 && !isnan(bmed) ? out->median / bmed : NAN;
	out->p = cstats_mann_whitney_p(v, n, base, nb);
	out->p_min = cstats_min_p(out->n, k);
	out->delta = cstats_cliffs_delta(v, n, base, nb);
	out->significant = k && out->n && (out->lo > bhi || out->hi < blo) && out->p < CSTATS_ALPHA;
}

double cstats_min_p(int m, int n)
{
	double c = 1; /* C(m + n, m), built exactly enough in doubles */

	if (m <= 0 || n <= 0)
		return 1;
	for (int i = 1; i <= m; i++)
		c = c * (double)(n + i) / (double)i;
	return 2 / c < 1 ? 2 / c : 1;
}

int cstats_rounds_needed(double alpha)
{
	for (int r = 1; r <= CSTATS_MAX_N; r++)
		if (cstats_min_p(r, r) < alpha)
			return r;
	return CSTATS_MAX_N;
}

double cstats_cliffs_delta(const double *a, int na, const double *b, int nb)
{
	double x[CSTATS_MAX_N], y[CSTATS_MAX_N], d = 0;
	int m = finite_copy(a, na, x), n = finite_copy(b, nb, y);

	if (!m || !n)
		return NAN;
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++)
			d += x[i] > y[j] ? 1 : x[i] < y[j] ? -1 : 0;
	return d / (double)(m * n);
}
