// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netns_plan.h"
#include "parse.h"
#include "svg.h"
#include "sweep.h"

static int fail(char *err, size_t cap, const char *what, const char *arg)
{
	snprintf(err, cap, "%s, got '%s'", what, arg);
	return -1;
}

int sweep_parse_loss(struct rp_sweep *s, const char *arg, char *err, size_t cap)
{
	const char *v = arg;
	char tmp[256], *save = NULL;

	s->dir_lo = 0;
	s->dir_hi = RP_IMP_NDIRS;
	for (int d = 0; d < RP_IMP_NDIRS; d++) {
		size_t n = strlen(impair_dir_name(d));

		if (!strncmp(arg, impair_dir_name(d), n) && arg[n] == ':') {
			s->dir_lo = d;
			s->dir_hi = d + 1;
			v = arg + n + 1;
		}
	}
	if (strlen(v) >= sizeof(tmp))
		return fail(err, cap, "--sweep-loss: too long", arg);
	snprintf(tmp, sizeof(tmp), "%s", v);
	s->nloss = 0;
	for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		double p;

		if (s->nloss == RP_SWEEP_MAX_LOSS || parse_double(t, 0, 99.999, &p) < 0 ||
		    (s->nloss && p <= s->loss[s->nloss - 1]))
			return fail(err, cap,
				    "--sweep-loss: expected [c2s:|s2c:] and up to 8 increasing "
				    "percents 0 <= P < 100, e.g. 0,0.1,1,5",
				    arg);
		s->loss[s->nloss++] = p;
	}
	return s->nloss ? 0 : fail(err, cap, "--sweep-loss: empty list", arg);
}

int sweep_parse_mtu(struct rp_sweep *s, const char *arg, char *err, size_t cap)
{
	char tmp[128], *save = NULL;

	if (strlen(arg) >= sizeof(tmp))
		return fail(err, cap, "--sweep-mtu: too long", arg);
	snprintf(tmp, sizeof(tmp), "%s", arg);
	s->nmtu = 0;
	for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		long m;

		if (s->nmtu == RP_SWEEP_MAX_MTU ||
		    parse_long(t, RP_NETNS_MIN_MTU, RP_NETNS_MAX_MTU, &m) < 0)
			return fail(err, cap, "--sweep-mtu: expected up to 4 MTUs 68..65535", arg);
		s->mtu[s->nmtu++] = (uint32_t)m;
	}
	return s->nmtu ? 0 : fail(err, cap, "--sweep-mtu: empty list", arg);
}

int sweep_plan(struct rp_sweep *s, uint32_t mtu_default)
{
	if (!s->nmtu) {
		s->mtu[0] = mtu_default;
		s->nmtu = 1;
	}
	s->nsettings = 0;
	for (int m = 0; m < s->nmtu; m++)
		for (int l = 0; l < s->nloss; l++)
			s->settings[s->nsettings++] =
				(struct rp_sweep_setting){s->loss[l], s->mtu[m]};
	return s->nsettings;
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : NAN;
}

void sweep_round_from_report(const struct rp_report *r, struct rp_sweep_round *out)
{
	const struct rp_impair_report *ir = &r->impair;
	uint64_t segs_in = 0, responses = 0, recv = 0, dsack = r->sink.tcp.dsack_dups;

	for (int i = 0; i < r->nworkers; i++) {
		const struct rp_worker_report *w = &r->workers[i];

		segs_in += w->tcp_info.data_segs_in;
		dsack += w->tcp_info.dsack_dups;
		responses += w->responses;
		recv += w->user[RP_RECV].calls;
	}
	for (int m = 0; m < RP_NSW; m++)
		out->v[m] = NAN;
	out->v[RP_SW_SEGS_PER_RESP] = ratio(segs_in, responses);
	out->v[RP_SW_RECV_PER_RESP] = ratio(recv, responses);
	out->v[RP_SW_LOST] = (double)(ir->count[0].lost_pkts + ir->count[1].lost_pkts);
	if (ir->retrans) {
		out->v[RP_SW_FAST] = (double)(ir->retrans_segs[0][RP_RTX_FAST] +
					      ir->retrans_segs[1][RP_RTX_FAST]);
		out->v[RP_SW_RTO] =
			(double)(ir->retrans_segs[0][RP_RTX_RTO] + ir->retrans_segs[1][RP_RTX_RTO]);
		out->v[RP_SW_PROBE] = (double)(ir->retrans_segs[0][RP_RTX_PROBE] +
					       ir->retrans_segs[1][RP_RTX_PROBE]);
	}
	out->v[RP_SW_DSACK] = (double)dsack;
	out->v[RP_SW_RPS] = r->totals.rps;
	if (r->lat.on) {
		out->v[RP_SW_STALLS] = (double)r->lat.stalls;
		out->v[RP_SW_P99_MS] = (double)r->lat.lat.p[2] / 1e6; /* rp_lat_pct[2]: 99 */
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double sweep_median(const struct rp_sweep *s, int setting, int m)
{
	double v[RP_SWEEP_MAX_REPEAT];
	int n = 0;

	for (int i = 0; i < s->nrounds && n < RP_SWEEP_MAX_REPEAT; i++)
		if (s->rounds[i].setting == setting && !s->rounds[i].status &&
		    !isnan(s->rounds[i].v[m]))
			v[n++] = s->rounds[i].v[m];
	if (!n)
		return NAN;
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int complete(const struct rp_sweep *s, int setting)
{
	int n = 0;

	for (int i = 0; i < s->nrounds; i++)
		n += s->rounds[i].setting == setting && !s->rounds[i].status;
	return n;
}

void sweep_text(FILE *out, const struct rp_sweep *s)
{
	fprintf(out, "sweep: loss %s, %d round%s per setting, order rotated each round;\n",
		s->dir_hi - s->dir_lo == 2 ? "both ways" : impair_dir_words(s->dir_lo), s->repeat,
		s->repeat == 1 ? "" : "s");
	fprintf(out, "medians over complete rounds; retransmits in segments, both ends\n");
	fprintf(out, "%6s %5s %4s %7s %6s %6s %5s %5s %5s %5s %5s %8s %8s\n", "loss%", "mtu", "ok",
		"seg/rsp", "rcv/rs", "lost", "fast", "rto", "probe", "dsack", "stall", "resp/s",
		"p99 ms");
	for (int i = 0; i < s->nsettings; i++) {
		double v[RP_NSW];

		for (int m = 0; m < RP_NSW; m++)
			v[m] = sweep_median(s, i, m);
		fprintf(out,
			"%6g %5u %2d/%-1d %7.2f %6.2f %6.0f %5.0f %5.0f %5.0f %5.0f %5.0f %8.0f "
			"%8.3f\n",
			s->settings[i].loss_pct, s->settings[i].mtu, complete(s, i), s->repeat,
			v[RP_SW_SEGS_PER_RESP], v[RP_SW_RECV_PER_RESP], v[RP_SW_LOST],
			v[RP_SW_FAST], v[RP_SW_RTO], v[RP_SW_PROBE], v[RP_SW_DSACK],
			v[RP_SW_STALLS], v[RP_SW_RPS], v[RP_SW_P99_MS]);
	}
	if (s->interrupted)
		fprintf(out, "(interrupted: %d of %d rounds ran)\n", s->nrounds,
			s->nsettings * s->repeat);
}

static const char *const colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

/* x: the loss on a linear axis; one polyline per MTU. */
static void panel(FILE *out, const struct rp_sweep *s, double x, double y, int m, const char *title)
{
	struct svg_plot p = {.out = out, .x = x, .y = y, .w = 330, .h = 200};
	double hi = 0;

	for (int i = 0; i < s->nsettings; i++) {
		double v = sweep_median(s, i, m);

		if (!isnan(v) && v > hi)
			hi = v;
	}
	p.ax = (struct svg_axis){0, s->loss[s->nloss - 1] > 0 ? s->loss[s->nloss - 1] : 1, false};
	p.ay = (struct svg_axis){0, hi > 0 ? hi * 1.1 : 1, false};
	svg_frame(&p, title, "loss %", "", 0);
	for (int mt = 0; mt < s->nmtu; mt++) {
		fprintf(out, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" points=\"",
			colors[mt % 4]);
		for (int l = 0; l < s->nloss; l++) {
			double v = sweep_median(s, mt * s->nloss + l, m);

			if (!isnan(v))
				fprintf(out, "%.1f,%.1f ", svg_px(&p, s->loss[l]), svg_py(&p, v));
		}
		fprintf(out, "\"/>\n");
	}
}

void sweep_svg(FILE *out, const struct rp_sweep *s)
{
	char label[32];

	svg_begin(out, 800, 560, "reqperf sweep: loss x MTU");
	panel(out, s, 60, 60, RP_SW_SEGS_PER_RESP, "data segments in per response");
	panel(out, s, 450, 60, RP_SW_RECV_PER_RESP, "recv() calls per response");
	panel(out, s, 60, 320, RP_SW_FAST, "fast retransmits (segments)");
	panel(out, s, 450, 320, RP_SW_RPS, "responses per second");
	for (int mt = 0; mt < s->nmtu; mt++) {
		snprintf(label, sizeof(label), "mtu %u", s->mtu[mt]);
		svg_legend(out, 60 + 120 * mt, 545, colors[mt % 4], label);
	}
	svg_end(out);
}
