// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impair.h"
#include "parse.h"

static int bad(char *err, size_t cap, const char *fmt, const char *arg)
{
	snprintf(err, cap, fmt, arg);
	return -1;
}

/* "c2s:", "s2c:" or nothing (both): the first and one-past-last way. */
static const char *split_dir(const char *arg, int *lo, int *hi)
{
	*lo = 0;
	*hi = RP_IMP_NDIRS;
	for (int d = 0; d < RP_IMP_NDIRS; d++) {
		size_t n = strlen(impair_dir_name(d));

		if (!strncmp(arg, impair_dir_name(d), n) && arg[n] == ':') {
			*lo = d;
			*hi = d + 1;
			return arg + n + 1;
		}
	}
	return arg;
}

/* "1.5%" into pct, within [min, max) */
static int parse_pct(const char *s, double min, double max, double *pct)
{
	char num[64];
	size_t n = strlen(s);

	if (n < 2 || n >= sizeof(num) || s[n - 1] != '%')
		return -1;
	memcpy(num, s, n - 1);
	num[n - 1] = '\0';
	if (parse_double(num, min, max, pct) < 0 || *pct >= max)
		return -1;
	return 0;
}

/* "3,7,12": strictly increasing packet numbers, each >= 1 */
static int parse_at(const char *s, struct rp_impair_action *a)
{
	char tmp[512];
	char *save = NULL;

	if (strlen(s) >= sizeof(tmp))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s", s);
	a->nat = 0;
	for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		long v;

		if (a->nat == RP_IMPAIR_LIST_MAX || parse_long(t, 1, UINT32_MAX, &v) < 0 ||
		    (a->nat && (uint32_t)v <= a->at[a->nat - 1]))
			return -1;
		a->at[a->nat++] = (uint32_t)v;
	}
	return a->nat ? 0 : -1;
}

static int parse_action(struct rp_impair *im, bool dup, const char *arg, char *err, size_t cap)
{
	const char *opt = dup ? "--dup" : "--loss";
	struct rp_impair_action a = {0};
	int lo, hi;
	const char *v = split_dir(arg, &lo, &hi);
	long n;

	if (!strncmp(v, "every:", 6)) {
		if (parse_long(v + 6, 1, UINT32_MAX, &n) < 0) {
			snprintf(err, cap, "%s: every:N needs N >= 1, got '%s'", opt, arg);
			return -1;
		}
		a.kind = RP_IMP_EVERY;
		a.every = (uint32_t)n;
	} else if (!strncmp(v, "at:", 3)) {
		if (parse_at(v + 3, &a) < 0) {
			snprintf(err, cap,
				 "%s: at: needs up to %d increasing packet numbers >= 1, got '%s'",
				 opt, RP_IMPAIR_LIST_MAX, arg);
			return -1;
		}
		a.kind = RP_IMP_AT;
	} else {
		if (parse_pct(v, 0, 100, &a.pct) < 0) {
			snprintf(err, cap,
				 "%s: expected [c2s:|s2c:]P%% with 0 <= P < 100, every:N or "
				 "at:N1,N2,..., got '%s'",
				 opt, arg);
			return -1;
		}
		a.kind = a.pct > 0 ? RP_IMP_RANDOM : RP_IMP_OFF;
	}
	for (int d = lo; d < hi; d++) {
		if (dup)
			im->way[d].dup = a;
		else
			im->way[d].loss = a;
	}
	return 0;
}

int impair_parse_loss(struct rp_impair *im, const char *arg, char *err, size_t cap)
{
	return parse_action(im, false, arg, err, cap);
}

int impair_parse_dup(struct rp_impair *im, const char *arg, char *err, size_t cap)
{
	return parse_action(im, true, arg, err, cap);
}

int impair_parse_rate(struct rp_impair *im, const char *arg, char *err, size_t cap)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {{"gbit", 1e9}, {"mbit", 1e6}, {"kbit", 1e3}, {"bit", 1}};
	int lo, hi;
	const char *v = split_dir(arg, &lo, &hi);
	size_t n = strlen(v);

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t u = strlen(units[i].unit);
		char num[64];
		double x;

		if (n <= u || n - u >= sizeof(num) || strcmp(v + n - u, units[i].unit))
			continue;
		memcpy(num, v, n - u);
		num[n - u] = '\0';
		if (parse_double(num, 0, 1e12, &x) < 0 || x * units[i].mult < 8000)
			break;
		for (int d = lo; d < hi; d++)
			im->way[d].rate_bps = (uint64_t)llround(x * units[i].mult);
		return 0;
	}
	return bad(err, cap,
		   "--link-rate: expected [c2s:|s2c:]RATE of at least 8kbit, as 100mbit, 1gbit, "
		   "500kbit, got '%s'",
		   arg);
}

int impair_parse_delay(struct rp_impair *im, const char *arg, char *err, size_t cap)
{
	char tmp[128];
	int lo, hi;
	const char *v = split_dir(arg, &lo, &hi);
	char *colon;
	double delay, jitter = 0;

	snprintf(tmp, sizeof(tmp), "%s", v);
	colon = strchr(tmp, ':');
	if (colon)
		*colon = '\0';
	if (parse_double(tmp, 0, 60000, &delay) < 0 ||
	    (colon && parse_double(colon + 1, 0, 60000, &jitter) < 0) || (delay == 0 && !jitter))
		return bad(err, cap,
			   "--delay: expected [c2s:|s2c:]MS[:JITTER_MS], 0..60000 each and not "
			   "both 0, got '%s'",
			   arg);
	for (int d = lo; d < hi; d++) {
		im->way[d].delay = true;
		im->way[d].delay_ms = delay;
		im->way[d].jitter_ms = jitter;
	}
	return 0;
}

int impair_parse_reorder(struct rp_impair *im, const char *arg, char *err, size_t cap)
{
	int lo, hi;
	const char *v = split_dir(arg, &lo, &hi);
	double pct;

	if (parse_pct(v, 0, 100, &pct) < 0 || pct <= 0)
		return bad(err, cap,
			   "--reorder: expected [c2s:|s2c:]P%% with 0 < P < 100, got '%s'", arg);
	for (int d = lo; d < hi; d++)
		im->way[d].reorder_pct = pct;
	return 0;
}

const char *impair_check(const struct rp_impair *im)
{
	for (int d = 0; d < RP_IMP_NDIRS; d++)
		if (im->way[d].reorder_pct > 0 && !im->way[d].delay)
			return "--reorder needs --delay in the same direction (netem reorders by "
			       "sending some packets without the delay)";
	return NULL;
}

static bool action_on(const struct rp_impair_action *a)
{
	return a->kind != RP_IMP_OFF;
}

bool impair_way_netem(const struct rp_impair_way *w)
{
	return w->delay || w->reorder_pct > 0;
}

bool impair_way_qdisc(const struct rp_impair_way *w)
{
	return w->rate_bps || impair_way_netem(w);
}

bool impair_needs_bpf(const struct rp_impair *im)
{
	for (int d = 0; d < RP_IMP_NDIRS; d++)
		if (action_on(&im->way[d].loss) || action_on(&im->way[d].dup))
			return true;
	return false;
}

bool impair_any(const struct rp_impair *im)
{
	for (int d = 0; d < RP_IMP_NDIRS; d++)
		if (impair_way_qdisc(&im->way[d]))
			return true;
	return impair_needs_bpf(im) || im->seed_set || im->asked;
}

const char *impair_rtx_name(int cls)
{
	static const char *const names[RP_RTX_NCLASSES] = {"fast", "rto", "probe"};

	return cls >= 0 && cls < RP_RTX_NCLASSES ? names[cls] : "?";
}

static void rule_of(const struct rp_impair_action *a, struct rp_impair_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = a->kind;
	if (a->kind == RP_IMP_RANDOM)
		r->threshold = (uint32_t)fmin(ldexp(a->pct / 100.0, 32), (double)UINT32_MAX);
	r->every = a->every;
	r->nat = a->nat;
	memcpy(r->at, a->at, sizeof(r->at));
}

void impair_rules(const struct rp_impair *im, struct rp_impair_rules *out)
{
	memset(out, 0, sizeof(*out));
	out->seed = im->seed;
	for (int d = 0; d < RP_IMP_NDIRS; d++) {
		rule_of(&im->way[d].loss, &out->loss[d]);
		rule_of(&im->way[d].dup, &out->dup[d]);
	}
}

uint32_t impair_tbf_burst(uint64_t rate_bps, uint32_t mtu)
{
	uint64_t b = rate_bps / 8 / 250; /* 4 ms */
	uint64_t min = 2 * ((uint64_t)mtu + 14);

	return (uint32_t)(b < min ? min : b > UINT32_MAX ? UINT32_MAX : b);
}

/* Appends words to argv, each copied into buf. */
struct argbuf {
	char **argv;
	int argc;
	char *buf;
	size_t cap, used;
};

static void arg(struct argbuf *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void arg(struct argbuf *a, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (a->argc >= RP_IMPAIR_ARGV_MAX - 1 || a->used >= a->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(a->buf + a->used, a->cap - a->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= a->cap - a->used)
		return;
	a->argv[a->argc++] = a->buf + a->used;
	a->argv[a->argc] = NULL;
	a->used += (size_t)n + 1;
}

static void head(struct argbuf *a, const char *ns, const char *ifname)
{
	arg(a, "tc");
	arg(a, "-n");
	arg(a, "%s", ns);
	arg(a, "qdisc");
	arg(a, "add");
	arg(a, "dev");
	arg(a, "%s", ifname);
}

static void netem_params(struct argbuf *a, const struct rp_impair_way *w)
{
	arg(a, "netem");
	arg(a, "delay");
	arg(a, "%gms", w->delay_ms);
	if (w->jitter_ms > 0)
		arg(a, "%gms", w->jitter_ms);
	if (w->reorder_pct > 0) {
		arg(a, "reorder");
		arg(a, "%g%%", w->reorder_pct);
	}
}

int impair_qdisc_argv(const struct rp_impair_way *w, const char *ns, const char *ifname,
		      uint32_t mtu, char *argv[RP_IMPAIR_ARGV_MAX], char *buf, size_t cap)
{
	struct argbuf a = {.argv = argv, .buf = buf, .cap = cap};

	argv[0] = NULL;
	if (!impair_way_qdisc(w))
		return 0;
	head(&a, ns, ifname);
	arg(&a, "root");
	arg(&a, "handle");
	arg(&a, "1:");
	if (!w->rate_bps) {
		netem_params(&a, w);
		return a.argc;
	}
	arg(&a, "tbf");
	arg(&a, "rate");
	arg(&a, "%" PRIu64 "bit", w->rate_bps);
	arg(&a, "burst");
	arg(&a, "%" PRIu32, impair_tbf_burst(w->rate_bps, mtu));
	arg(&a, "latency");
	arg(&a, "%dms", RP_IMPAIR_TBF_LATENCY_MS);
	return a.argc;
}

int impair_netem_child_argv(const struct rp_impair_way *w, const char *ns, const char *ifname,
			    char *argv[RP_IMPAIR_ARGV_MAX], char *buf, size_t cap)
{
	struct argbuf a = {.argv = argv, .buf = buf, .cap = cap};

	argv[0] = NULL;
	if (!w->rate_bps || !impair_way_netem(w))
		return 0;
	head(&a, ns, ifname);
	arg(&a, "parent");
	arg(&a, "1:1");
	arg(&a, "handle");
	arg(&a, "10:");
	netem_params(&a, w);
	return a.argc;
}

const char *impair_dir_name(int dir)
{
	return dir == RP_IMP_C2S ? "c2s" : "s2c";
}

const char *impair_dir_words(int dir)
{
	return dir == RP_IMP_C2S ? "client->sink" : "sink->client";
}

void impair_action_fmt(const struct rp_impair_action *a, char *buf, size_t cap)
{
	size_t len;

	switch (a->kind) {
	case RP_IMP_OFF:
		snprintf(buf, cap, "off");
		return;
	case RP_IMP_RANDOM:
		snprintf(buf, cap, "random %g%%", a->pct);
		return;
	case RP_IMP_EVERY:
		snprintf(buf, cap, "every:%" PRIu32, a->every);
		return;
	case RP_IMP_AT:
		snprintf(buf, cap, "at:");
		for (uint32_t i = 0; i < a->nat; i++) {
			len = strlen(buf);
			snprintf(buf + len, cap - len, "%s%" PRIu32, i ? "," : "", a->at[i]);
		}
		return;
	}
	snprintf(buf, cap, "?");
}

void impair_rate_fmt(uint64_t bps, char *buf, size_t cap)
{
	if (bps >= 1000000000 && bps % 1000000 == 0)
		snprintf(buf, cap, "%g Gbit/s", (double)bps / 1e9);
	else if (bps >= 1000000)
		snprintf(buf, cap, "%g Mbit/s", (double)bps / 1e6);
	else
		snprintf(buf, cap, "%g kbit/s", (double)bps / 1e3);
}
