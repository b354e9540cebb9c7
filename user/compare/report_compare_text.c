// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The --compare table: one column per setting, every line < 80 columns. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "compare_stats.h"
#include "report_compare.h"

#define LABEL_W 17
#define CMP_CELL_W 14

struct row {
	int metric;
	const char *label;
	double scale; /* shown value = value * scale */
};

/* One row a line, in the order printed. */
/* clang-format off */
static const struct row rows[] = {
	{RP_CM_SEND_USER, "send user us", 1e-3},
	{RP_CM_SEND_KERNEL, "send kernel us", 1e-3},
	{RP_CM_RECV_USER, "recv user us", 1e-3},
	{RP_CM_RECV_KERNEL, "recv kernel us", 1e-3},
	{RP_CM_SEND_RATE, "send/s (1/mean)", 1},
	{RP_CM_RECV_RATE, "recv/s (1/mean)", 1},
	{RP_CM_RPS, "responses/s", 1},
	{RP_CM_RECV_CALLS, "recv calls", 1},
	{RP_CM_MIGRATIONS, "migrations", 1},
	{RP_CM_NVCSW, "vol. switches", 1},
	{RP_CM_NIVCSW, "invol. switches", 1},
	{RP_CM_RUNQ, "run-queue ms", 1e-6},
	{RP_CM_GAP, "user-kernel ms", 1e-6},
	{RP_CM_SOFTIRQ, "softirq share %", 100},
};
/* clang-format on */

/* Whole numbers below 10^4 as they are; else four significant digits
 * with k/M/G/T above 10^4: at most 7 characters. */
static void fmt_num(char *b, size_t n, double v)
{
	static const char *const suffix[] = {"", "k", "M", "G", "T"};
	double a;
	int i = 0;

	if (isnan(v)) {
		snprintf(b, n, "-");
		return;
	}
	if (fabs(v) < 1e4 && v == floor(v)) {
		snprintf(b, n, "%.0f", v);
		return;
	}
	while (fabs(v) >= 1e4 && i < 4) {
		v /= 1e3;
		i++;
	}
	a = fabs(v);
	snprintf(b, n, "%.*f%s", a < 10 ? 3 : a < 100 ? 2 : a < 1000 ? 1 : 0, v, suffix[i]);
}

static void fmt_ratio(char *b, size_t n, const struct cstats_cmp *c)
{
	const char *mark = c->significant ? "*" : "~";

	if (isnan(c->ratio) || isnan(c->median))
		snprintf(b, n, "x-%s", mark);
	else if (c->ratio < 10)
		snprintf(b, n, "x%.2f%s", c->ratio, mark);
	else
		snprintf(b, n, "x%.0f%s", c->ratio, mark);
}

/* label, then one cell per setting; no trailing blanks. */
static void print_cells(FILE *out, const char *label, char cells[][40], int n)
{
	char line[LABEL_W + RP_CMP_MAX_SETTINGS * CMP_CELL_W + 1];
	int len = snprintf(line, sizeof(line), "%-*s", LABEL_W, label);

	for (int s = 0; s < n; s++)
		len += snprintf(line + len, sizeof(line) - (size_t)len, "%-*.*s", CMP_CELL_W,
				CMP_CELL_W - 1, cells[s]);
	while (len > 0 && line[len - 1] == ' ')
		line[--len] = '\0';
	fprintf(out, "%s\n", line);
}

/* The values of metric m over the complete rounds of setting s. */
static int gather(const struct rp_compare_report *c, int s, int m, double scale, double *v)
{
	int n = 0;

	for (int i = 0; i < c->nrounds && n < CSTATS_MAX_N; i++)
		if (c->rounds[i].setting == s && c->rounds[i].status == 0)
			v[n++] = c->rounds[i].v[m] * scale;
	return n;
}

static void print_row(FILE *out, const struct rp_compare_report *c, const struct row *row)
{
	double base[CSTATS_MAX_N], v[CSTATS_MAX_N];
	char cell[3][RP_CMP_MAX_SETTINGS][40];
	int nb = gather(c, 0, row->metric, row->scale, base);

	for (int s = 0; s < c->nsettings; s++) {
		int n = gather(c, s, row->metric, row->scale, v);
		struct cstats_cmp cmp;
		char med[16], lo[16], hi[16], ratio[16];

		cstats_compare(v, n, base, nb, &cmp);
		fmt_num(med, sizeof(med), cmp.median);
		fmt_num(lo, sizeof(lo), cmp.lo);
		fmt_num(hi, sizeof(hi), cmp.hi);
		fmt_ratio(ratio, sizeof(ratio), &cmp);
		if (s == 0 || isnan(cmp.median))
			snprintf(cell[0][s], sizeof(cell[0][s]), "%s", med);
		else
			snprintf(cell[0][s], sizeof(cell[0][s]), "%s %s", med, ratio);
		if (isnan(cmp.lo))
			snprintf(cell[1][s], sizeof(cell[1][s]), "-");
		else
			snprintf(cell[1][s], sizeof(cell[1][s]), "%s-%s", lo, hi);
		if (s == 0 || isnan(cmp.delta))
			snprintf(cell[2][s], sizeof(cell[2][s]), "-");
		else
			snprintf(cell[2][s], sizeof(cell[2][s]), "p%.3f d%+.2f", cmp.p, cmp.delta);
	}
	print_cells(out, row->label, cell[0], c->nsettings);
	print_cells(out, "  range", cell[1], c->nsettings);
	print_cells(out, "  p, Cliff's d", cell[2], c->nsettings);
}

static const char *short_policy(const char *name)
{
	return strncmp(name, "SCHED_", 6) ? name : name + 6;
}

/* "RR/99" when every worker of every complete round of s agrees. */
static void policy_cell(const struct rp_compare_report *c, int s, char *b, size_t n)
{
	const char *name = NULL;
	int prio = 0, kp = -2;

	snprintf(b, n, "-");
	for (int i = 0; i < c->nrounds; i++) {
		const struct rp_cmp_round *r = &c->rounds[i];

		for (int w = 0; r->setting == s && w < r->nworkers; w++) {
			const struct rp_cmp_worker *x = &r->workers[w];

			if (kp != -2 && (x->sv.kpolicy != kp || x->sv.kprio != prio ||
					 strcmp(x->sched, name))) {
				snprintf(b, n, "mixed");
				return;
			}
			kp = x->sv.kpolicy;
			prio = x->sv.kprio;
			name = x->sched;
		}
	}
	if (kp >= 0)
		snprintf(b, n, "%s/%d", short_policy(sched_policy_name(kp)), prio);
	else if (name)
		snprintf(b, n, "%s (user)", short_policy(name));
}

/* Whether the rounds asked for can reach significance at all, and how
 * long each round's I/O lasted. */
static void print_power(FILE *out, const struct rp_compare_report *c)
{
	int n = c->repeat;
	double lo = NAN, hi = NAN, p = cstats_min_p(n, n);

	for (int i = 0; i < c->nrounds; i++) {
		double ms = c->rounds[i].elapsed_s * 1e3;

		if (c->rounds[i].status || !(ms > 0))
			continue;
		lo = isnan(lo) || ms < lo ? ms : lo;
		hi = isnan(hi) || ms > hi ? ms : hi;
	}
	if (!isnan(lo))
		fprintf(out, "rounds: %.1f-%.1f ms of I/O each%s\n", lo, hi,
			c->config && c->config->duration_s > 0 ? ""
							       : "; --duration S lengthens them");
	if (p >= CSTATS_ALPHA)
		fprintf(out,
			"NOTE: %d rounds per setting cannot be significant: the exact test's\n"
			"smallest p for %d vs %d rounds is %.3f >= %.2f; use --repeat %d or more\n",
			n, n, n, p, CSTATS_ALPHA, cstats_rounds_needed(CSTATS_ALPHA));
}

static void print_head(FILE *out, const struct rp_compare_report *c)
{
	const struct rp_config *cfg = c->config;
	int done[RP_CMP_MAX_SETTINGS] = {0};
	char cell[RP_CMP_MAX_SETTINGS][40];

	fprintf(out, "reqperf %.24s compare: %s, %d rounds per setting%s\n",
		c->version ? c->version : "?",
		c->what == RP_COMPARE_BOTH ? "affinity x sched" : compare_name(c->what), c->repeat,
		c->interrupted ? " (INTERRUPTED)" : "");
	if (cfg)
		fprintf(out,
			"%d workers x %" PRIu64 " requests, %s, recv %" PRIu32 " B; backend %s\n",
			cfg->workers, cfg->requests, mode_name(cfg->mode), cfg->recv_size,
			backend_name(c->backend));
	if (c->load[0] >= 0 && c->load[1] >= 0)
		fprintf(out, "host load average %.2f before, %.2f after (%ld CPUs online)\n",
			c->load[0], c->load[1], c->ncpus_online);
	fprintf(out, "cell: median of the rounds, x its ratio to the first column; * beyond\n"
		     "the rounds' spread (ranges apart, exact test p < 0.05), ~ not significant;\n"
		     "p: exact Mann-Whitney p, d: Cliff's delta against the first column\n");
	print_power(out, c);
	fputc('\n', out);
	for (int i = 0; i < c->nrounds; i++)
		done[c->rounds[i].setting] += c->rounds[i].status == 0;
	for (int s = 0; s < c->nsettings; s++)
		snprintf(cell[s], sizeof(cell[s]), "%s", c->settings[s].name);
	print_cells(out, "setting", cell, c->nsettings);
	for (int s = 0; s < c->nsettings; s++)
		snprintf(cell[s], sizeof(cell[s]), "%d/%d", done[s], c->repeat);
	print_cells(out, "rounds ok", cell, c->nsettings);
	for (int s = 0; s < c->nsettings; s++)
		policy_cell(c, s, cell[s], sizeof(cell[s]));
	print_cells(out, "policy (kernel)", cell, c->nsettings);
}

int compare_text(FILE *out, const struct rp_compare_report *c)
{
	print_head(out, c);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		print_row(out, c, &rows[i]);
	fprintf(out, "(every round and worker: --json)\n");
	return ferror(out) ? -1 : 0;
}
