// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* reqperf merge: the hosts' request-latency histograms as one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"
#include "merge.h"
#include "stats.h"

static const char *hist_of(const json_t *doc)
{
	return json_string_value(json_object_get(json_object_get(doc, "latency_hist"), "of"));
}

int merge_latency_check(const json_t *a, const json_t *b, char *why, size_t len)
{
	const json_t *ha = json_object_get(a, "latency_hist");
	const json_t *hb = json_object_get(b, "latency_hist");
	static const char *const keys[] = {"of", "sub_bits", "buckets"};

	if (!ha && !hb)
		return 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!ha || !hb ||
		    !json_equal(json_object_get(ha, keys[i]), json_object_get(hb, keys[i]))) {
			snprintf(why, len, "latency histogram layout differs: %s", keys[i]);
			return -1;
		}
	if (json_integer_value(json_object_get(ha, "sub_bits")) != RP_HIST_SUB_BITS ||
	    json_integer_value(json_object_get(ha, "buckets")) != RP_HIST_BUCKETS) {
		snprintf(why, len, "latency histogram layout differs from this reqperf's (%d/%d)",
			 RP_HIST_SUB_BITS, RP_HIST_BUCKETS);
		return -1;
	}
	return 0;
}

/* Adds one report's buckets, extremes and mean into s. */
static int add_doc(struct rp_stats *s, const json_t *doc, const char *of)
{
	const json_t *h = json_object_get(doc, "latency_hist");
	const json_t *idx = json_object_get(h, "index"), *cnt = json_object_get(h, "count");
	const json_t *sum = json_object_get(json_object_get(doc, "latency_ns"), of);
	uint64_t n = 0;

	if (!json_is_array(idx) || !json_is_array(cnt) ||
	    json_array_size(idx) != json_array_size(cnt))
		return -1;
	for (size_t i = 0; i < json_array_size(idx); i++) {
		json_int_t b = json_integer_value(json_array_get(idx, i));
		json_int_t c = json_integer_value(json_array_get(cnt, i));

		if (b < 0 || b >= RP_HIST_BUCKETS || c < 0)
			return -1;
		s->hist[b] += (uint64_t)c;
		n += (uint64_t)c;
	}
	if (!n)
		return 0;
	if (n != (uint64_t)json_integer_value(json_object_get(sum, "n")))
		return -1;
	if (!s->n || (uint64_t)json_integer_value(json_object_get(sum, "min")) < s->min)
		s->min = (uint64_t)json_integer_value(json_object_get(sum, "min"));
	if ((uint64_t)json_integer_value(json_object_get(sum, "max")) > s->max)
		s->max = (uint64_t)json_integer_value(json_object_get(sum, "max"));
	s->mean += (json_number_value(json_object_get(sum, "mean")) - s->mean) * (double)n /
		   (double)(s->n + n);
	s->n += n;
	return 0;
}

static json_t *u64_array(const uint64_t *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer((json_int_t)v[i]));
	return a;
}

/* out's latency_ns summary and latency_hist from s. */
static void write_back(json_t *out, const char *of, const struct rp_stats *s)
{
	json_t *lat = json_object_get(out, "latency_ns"), *h = json_object_get(out, "latency_hist");
	json_t *sum = json_object();
	uint64_t *idx = malloc(sizeof(uint64_t) * RP_HIST_BUCKETS);
	uint64_t *cnt = malloc(sizeof(uint64_t) * RP_HIST_BUCKETS);
	struct rp_lat_summary ls;
	size_t k = 0;

	lat_summarize(s, &ls);
	json_object_set_new(sum, "n", json_integer((json_int_t)ls.n));
	json_object_set_new(sum, "min", json_integer((json_int_t)ls.min));
	json_object_set_new(sum, "mean", json_real(ls.mean));
	for (int i = 0; i < RP_LAT_NPCT; i++)
		json_object_set_new(sum, rp_lat_pct_key[i], json_integer((json_int_t)ls.p[i]));
	json_object_set_new(sum, "max", json_integer((json_int_t)ls.max));
	json_object_set_new(lat, of, sum);
	for (size_t i = 0; idx && cnt && i < RP_HIST_BUCKETS; i++)
		if (s->hist[i]) {
			idx[k] = i;
			cnt[k++] = s->hist[i];
		}
	json_object_set_new(h, "index", u64_array(idx, idx && cnt ? k : 0));
	json_object_set_new(h, "count", u64_array(cnt, idx && cnt ? k : 0));
	free(idx);
	free(cnt);
}

int merge_latency(json_t *out, json_t *const *docs, size_t n, char *why, size_t len)
{
	const char *of = hist_of(docs[0]);
	struct rp_stats *s;

	if (!of || !json_is_object(json_object_get(out, "latency_ns")))
		return 0; /* latency off in these runs */
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (add_doc(s, docs[i], of) < 0) {
			snprintf(why, len, "report %zu: latency_hist does not match its latency_ns",
				 i + 1);
			free(s);
			return -1;
		}
	write_back(out, of, s);
	free(s);
	return 0;
}
