// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* reqperf merge: run reports of several client hosts as one report. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "merge.h"

/* Run settings that make two runs one experiment; the worker count,
 * CPUs, scheduling and probe may differ from host to host. */
static const char *const same_config[] = {
	"mode", "pipeline", "connections", "recv_size",	 "echo_size", "body_size",
	"path", "nodelay",  "requests",	   "duration_s", NULL,
};

static int differ(const json_t *a, const json_t *b, const char *what, char *why, size_t len)
{
	char *sa = a ? json_dumps(a, JSON_ENCODE_ANY) : NULL;
	char *sb = b ? json_dumps(b, JSON_ENCODE_ANY) : NULL;

	snprintf(why, len, "%s differs: %s vs %s", what, sa ? sa : "(none)", sb ? sb : "(none)");
	free(sa);
	free(sb);
	return -1;
}

/* Same length for every array under a and b's common keys (log2 and
 * skb_hist bucket layouts). */
static int same_layout(const json_t *a, const json_t *b, const char *path, char *why, size_t len)
{
	const char *k;
	json_t *va;
	char sub[256];

	if (json_is_array(a) && json_is_array(b) && json_array_size(a) != json_array_size(b)) {
		snprintf(why, len, "histogram bucket layout differs: %s has %zu vs %zu buckets",
			 path, json_array_size(a), json_array_size(b));
		return -1;
	}
	if (!json_is_object(a) || !json_is_object(b))
		return 0;
	json_object_foreach((json_t *)a, k, va)
	{
		json_t *vb = json_object_get(b, k);

		snprintf(sub, sizeof(sub), "%s.%s", path, k);
		if (vb && same_layout(va, vb, sub, why, len) < 0)
			return -1;
	}
	return 0;
}

int merge_check(const json_t *a, const json_t *b, bool force, char *why, size_t len)
{
	const json_t *ca = json_object_get(a, "config"), *cb = json_object_get(b, "config");
	char what[64];

	if (!json_is_object(a) || !json_is_object(b) || !json_is_object(ca) ||
	    !json_is_object(cb) || !json_is_object(json_object_get(a, "totals")) ||
	    !json_is_object(json_object_get(b, "totals"))) {
		snprintf(why, len, "not a reqperf run report (no config or totals)");
		return -1;
	}
	if (!json_equal(json_object_get(a, "tool"), json_object_get(b, "tool")) ||
	    !json_equal(json_object_get(a, "version"), json_object_get(b, "version")))
		return differ(json_object_get(a, "version"), json_object_get(b, "version"),
			      "version", why, len);
	if (!json_equal(json_object_get(ca, "target"), json_object_get(cb, "target")))
		return differ(json_object_get(ca, "target"), json_object_get(cb, "target"),
			      "target", why, len);
	for (int i = 0; !force && same_config[i]; i++) {
		const json_t *va = json_object_get(ca, same_config[i]);
		const json_t *vb = json_object_get(cb, same_config[i]);

		if (!json_equal(va, vb) && (va || vb)) {
			snprintf(what, sizeof(what), "config %s", same_config[i]);
			return differ(va, vb, what, why, len);
		}
	}
	if (same_layout(json_object_get(a, "totals"), json_object_get(b, "totals"), "totals", why,
			len) < 0)
		return -1;
	return merge_latency_check(a, b, why, len);
}

static double num(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* Two population summaries as one: exact for n, min, max, mean, stddev.
 * Percentiles are not mergeable from summaries and are left out. */
static void merge_ns(json_t *acc, const json_t *add)
{
	double na = num(acc, "n"), nb = num(add, "n"), n = na + nb;
	double ma = num(acc, "mean"), mb = num(add, "mean");
	double sa = num(acc, "stddev"), sb = num(add, "stddev"), d = mb - ma;
	double m2 = na * sa * sa + nb * sb * sb + (n > 0 ? d * d * na * nb / n : 0);
	const char *k;
	json_t *v;
	void *tmp;

	if (nb == 0)
		return;
	if (na > 0) {
		if (num(add, "min") < num(acc, "min"))
			json_object_set(acc, "min", json_object_get(add, "min"));
		if (num(add, "max") > num(acc, "max"))
			json_object_set(acc, "max", json_object_get(add, "max"));
	} else {
		json_object_set(acc, "min", json_object_get(add, "min"));
		json_object_set(acc, "max", json_object_get(add, "max"));
	}
	json_object_set_new(acc, "n", json_integer((json_int_t)n));
	json_object_set_new(acc, "mean", json_real(ma + d * nb / n));
	json_object_set_new(acc, "stddev", json_real(sqrt(m2 / n)));
	json_object_foreach_safe(acc, tmp, k, v)
	{
		if (k[0] == 'p' && k[1] >= '0' && k[1] <= '9')
			json_object_del(acc, k);
	}
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);

	return a >= b && !strcmp(s + a - b, tail);
}

static json_t *sum_number(const json_t *a, const json_t *b, bool longest)
{
	if (json_is_integer(a) && json_is_integer(b))
		return json_integer(longest ? (json_integer_value(a) > json_integer_value(b)
						       ? json_integer_value(a)
						       : json_integer_value(b))
					    : json_integer_value(a) + json_integer_value(b));
	if (longest)
		return json_real(fmax(json_number_value(a), json_number_value(b)));
	return json_real(json_number_value(a) + json_number_value(b));
}

/* Folds add into acc: numbers summed (keys ending in _s: the longest),
 * arrays summed element by element, "ns" summaries combined, booleans
 * or-ed, anything else kept from acc. */
static void merge_sum(json_t *acc, const json_t *add)
{
	const char *k;
	json_t *va;

	json_object_foreach(acc, k, va)
	{
		json_t *vb = json_object_get(add, k);

		if (!vb)
			continue;
		if (!strcmp(k, "ns") && json_is_object(va))
			merge_ns(va, vb);
		else if (json_is_object(va))
			merge_sum(va, vb);
		else if (json_is_number(va) && json_is_number(vb))
			json_object_set_new(acc, k, sum_number(va, vb, ends_with(k, "_s")));
		else if (json_is_boolean(va) && json_is_boolean(vb))
			json_object_set_new(acc, k,
					    json_boolean(json_is_true(va) || json_is_true(vb)));
		else if (json_is_array(va) && json_is_array(vb))
			for (size_t i = 0; i < json_array_size(va) && i < json_array_size(vb);
			     i++) {
				json_t *x = json_array_get(va, i), *y = json_array_get(vb, i);

				if (json_is_number(x) && json_is_number(y))
					json_array_set_new(va, i, sum_number(x, y, false));
			}
	}
}

/* The host's own row: what a single-host report says about it. */
static json_t *host_row(const json_t *doc, const char *name)
{
	static const char *const keep[] = {"backend",	 "partial", "cpus",	 "sched_cpus",
					   "topology",	 "drops",   "totals",	 "sink",
					   "latency_ns", "start",   "intervals", NULL};
	json_t *h = json_object();

	json_object_set_new(h, "host", json_string(name));
	json_object_set(h, "workers", json_object_get(json_object_get(doc, "config"), "workers"));
	for (int i = 0; keep[i]; i++)
		if (json_object_get(doc, keep[i]))
			json_object_set(h, keep[i], json_object_get(doc, keep[i]));
	return h;
}

/* --start-at: when each host released its workers; the spread between
 * the first and the last is how far apart the hosts began. */
static void merge_start(json_t *out, json_t *const *docs, size_t n)
{
	double first = 0, last = 0;
	json_t *s;

	for (size_t i = 0; i < n; i++) {
		json_t *r = json_object_get(json_object_get(docs[i], "start"), "released");

		if (!json_is_number(r)) {
			json_object_del(out, "start");
			return;
		}
		if (!i || json_number_value(r) < first)
			first = json_number_value(r);
		if (!i || json_number_value(r) > last)
			last = json_number_value(r);
	}
	s = json_object();
	json_object_set(s, "at", json_object_get(json_object_get(docs[0], "start"), "at"));
	json_object_set_new(s, "released_first", json_real(first));
	json_object_set_new(s, "released_last", json_real(last));
	json_object_set_new(s, "spread_s", json_real(last - first));
	json_object_set_new(out, "start", s);
}

static json_t *bytes_check(const json_t *server, const json_t *clients)
{
	json_t *c = json_object();
	json_int_t s = json_integer_value(json_object_get(server, "bytes"));
	json_int_t u = json_integer_value(json_object_get(clients, "bytes"));

	json_object_set_new(c, "server", json_integer(s));
	json_object_set_new(c, "clients", json_integer(u));
	json_object_set_new(c, "equal", json_boolean(s == u));
	return c;
}

int merge_server(json_t *out, const json_t *trace, const char *name, char *why, size_t len)
{
	static const char *const keep[] = {"pid",  "comm",     "duration_s", "backend", "kernel",
					   "ktcp", "features", "drops",	     NULL};
	const json_t *k = json_object_get(trace, "kernel");
	const json_t *user = json_object_get(json_object_get(out, "totals"), "user");
	json_t *s, *bytes;

	const char *tool = json_string_value(json_object_get(trace, "tool"));
	const char *cmd = json_string_value(json_object_get(trace, "command"));

	if (!tool || strcmp(tool, "reqperf") || !cmd || strcmp(cmd, "trace") ||
	    !json_is_object(json_object_get(k, "send")) ||
	    !json_is_object(json_object_get(k, "recv"))) {
		snprintf(why, len, "%s: not a reqperf trace --json report", name);
		return -1;
	}
	s = json_object();
	json_object_set_new(s, "file", json_string(name));
	for (int i = 0; keep[i]; i++)
		if (json_object_get(trace, keep[i]))
			json_object_set(s, keep[i], json_object_get(trace, keep[i]));
	json_object_set_new(
		s, "sockets",
		json_integer((json_int_t)json_array_size(json_object_get(trace, "sockets"))));
	bytes = json_object();
	json_object_set_new(bytes, "server_recv_vs_clients_send",
			    bytes_check(json_object_get(k, "recv"), json_object_get(user, "send")));
	json_object_set_new(bytes, "server_send_vs_clients_recv",
			    bytes_check(json_object_get(k, "send"), json_object_get(user, "recv")));
	json_object_set_new(s, "bytes", bytes);
	json_object_set_new(out, "server_trace", s);
	return json_is_true(json_object_get(json_object_get(bytes, "server_recv_vs_clients_send"),
					    "equal")) &&
			       json_is_true(json_object_get(
				       json_object_get(bytes, "server_send_vs_clients_recv"),
				       "equal"))
		       ? 0
		       : 1;
}

json_t *merge_reports(json_t *const *docs, const char *const *names, size_t n, char *why,
		      size_t len)
{
	json_t *out, *workers, *hosts, *cfg;
	int nworkers = 0;

	if (n < 1) {
		snprintf(why, len, "no reports to merge");
		return NULL;
	}
	out = json_deep_copy(docs[0]);
	workers = json_array();
	hosts = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *w;
		size_t j;

		json_array_foreach(json_object_get(docs[i], "workers"), j, w)
		{
			json_t *c = json_deep_copy(w);

			json_object_set_new(c, "host", json_string(names[i]));
			json_array_append_new(workers, c);
		}
		nworkers += (int)json_integer_value(
			json_object_get(json_object_get(docs[i], "config"), "workers"));
		json_array_append_new(hosts, host_row(docs[i], names[i]));
		if (i == 0)
			continue;
		merge_sum(json_object_get(out, "totals"), json_object_get(docs[i], "totals"));
		merge_sum(json_object_get(out, "drops"), json_object_get(docs[i], "drops"));
		if (json_is_true(json_object_get(docs[i], "partial")))
			json_object_set_new(out, "partial", json_true());
		if (json_object_get(out, "sink") && json_object_get(docs[i], "sink"))
			merge_sum(json_object_get(out, "sink"), json_object_get(docs[i], "sink"));
		if (!json_equal(json_object_get(out, "backend"),
				json_object_get(docs[i], "backend")))
			json_object_set_new(out, "backend", json_string("mixed"));
	}
	cfg = json_object_get(out, "config");
	if (cfg)
		json_object_set_new(cfg, "workers", json_integer(nworkers));
	/* Per-CPU and per-link rows belong to one host: kept in hosts only. */
	json_object_del(out, "cpus");
	json_object_del(out, "sched_cpus");
	json_object_del(out, "topology");
	json_object_set_new(out, "workers", workers);
	json_object_set_new(out, "hosts", hosts);
	json_object_del(out, "intervals"); /* one host's progress series: in hosts */
	merge_start(out, docs, n);
	if (merge_latency(out, docs, n, why, len) < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}
