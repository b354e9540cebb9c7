// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* reqperf join: reads a run's JSON report and a server's `reqperf trace
 * --json`, and joins them into one path view (user/path/join.c). */
#include <argp.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_join.h"
#include "join.h"
#include "json.h"
#include "outpath.h"

struct join_opts {
	const char *files[2];
	int n;
	const char *json; /* NULL: none; "-": stdout */
};

static const struct argp_option options[] = {
	{"json", 'j', "FILE", 0, "Also write the joined path as JSON to FILE (- for stdout)", 0},
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	struct join_opts *o = st->input;

	switch (key) {
	case 'j':
		if (!arg[0])
			argp_error(st, "--json: expected a file name or -");
		o->json = arg;
		return 0;
	case ARGP_KEY_ARG:
		if (o->n == 2)
			argp_error(st, "expected two files, RUN.json and TRACE.json");
		o->files[o->n++] = arg;
		return 0;
	case ARGP_KEY_END:
		if (o->n != 2)
			argp_error(st, "expected two files, RUN.json and TRACE.json");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const char doc[] =
	"Join a client run's JSON report (reqperf run --json, with the kernel view: it lists "
	"the run's connections) with a server-side trace taken meanwhile (reqperf trace --json "
	"on the server host): each connection is matched with the server socket of the same "
	"4-tuple, and the path view compares client, wire and server. Exit 0: every "
	"connection matched and every view agrees; 1: a connection is not in the trace; 3: "
	"the views DIFFER.";

const struct argp cmd_join_argp = {options, parse_arg, "RUN.json TRACE.json", doc, NULL,
				   NULL,    NULL};

static uint64_t num(const json_t *o, const char *path)
{
	char buf[128], *save = NULL;
	const json_t *v = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		v = json_object_get(v, k);
	return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}

/* A "connections" / "sockets" array; NULL with a reason when malformed. */
static struct rp_join_sock *socks(const json_t *a, size_t *n, const char **why)
{
	struct rp_join_sock *s;
	size_t i;
	json_t *e;

	*n = json_array_size(a);
	s = calloc(*n ? *n : 1, sizeof(*s));
	if (!s) {
		*why = "out of memory";
		return NULL;
	}
	json_array_foreach(a, i, e)
	{
		const char *l = json_string_value(json_object_get(e, "local"));
		const char *r = json_string_value(json_object_get(e, "remote"));

		if (!l || !r) {
			*why = "a socket without \"local\" and \"remote\"";
			free(s);
			return NULL;
		}
		snprintf(s[i].local, sizeof(s[i].local), "%s", l);
		snprintf(s[i].remote, sizeof(s[i].remote), "%s", r);
		s[i].calls[0] = num(e, "send.calls");
		s[i].calls[1] = num(e, "recv.calls");
		s[i].bytes[0] = num(e, "send.bytes");
		s[i].bytes[1] = num(e, "recv.bytes");
		s[i].segs_out = num(e, "data_segs_out");
		s[i].segs_in = num(e, "data_segs_in");
		s[i].retransmits = num(e, "retransmits");
		s[i].exact = json_is_true(json_object_get(e, "exact"));
	}
	return s;
}

static void set(struct rp_path_inputs *in, int v, uint64_t c2s, uint64_t s2c)
{
	in->have_bytes[v] = true;
	in->bytes[v][RP_PATH_C2S] = c2s;
	in->bytes[v][RP_PATH_S2C] = s2c;
}

/* The client's views as its run measured them. */
static void client_views(struct rp_path_inputs *in, const json_t *run, const struct rp_join_sock *c,
			 size_t nc)
{
	const json_t *checks = json_object_get(json_object_get(run, "path"), "checks"), *k;
	bool exact = nc > 0;
	uint64_t segs[2] = {0, 0};
	size_t i;

	set(in, RP_VIEW_CLIENT_USER, num(run, "totals.user.send.bytes"),
	    num(run, "totals.user.recv.bytes"));
	if (json_object_get(json_object_get(run, "totals"), "kernel"))
		set(in, RP_VIEW_CLIENT_KERNEL, num(run, "totals.kernel.send.bytes"),
		    num(run, "totals.kernel.recv.bytes"));
	for (i = 0; i < nc; i++) {
		exact = exact && c[i].exact;
		segs[RP_PATH_C2S] += c[i].segs_out;
		segs[RP_PATH_S2C] += c[i].segs_in;
	}
	for (int d = 0; d < 2; d++) {
		in->have_segs[RP_VIEW_CLIENT_KERNEL][d] = exact;
		in->segs[RP_VIEW_CLIENT_KERNEL][d] = segs[d];
	}
	/* The wire, when the run watched it: its own path checks carry it. */
	json_array_foreach(checks, i, k)
	{
		static const char *const keys[2] = {"wire_sent", "wire_arrived"};
		int at = path_check_index(json_string_value(json_object_get(k, "what")));
		int d = at & 1, segs_row = at >= 2;

		for (int w = 0; w < 2 && at >= 0; w++) {
			const json_t *v = json_object_get(k, keys[w]);

			if (!json_is_integer(v))
				continue;
			if (segs_row) {
				in->have_segs[RP_VIEW_WIRE_TX + w][d] = true;
				in->segs[RP_VIEW_WIRE_TX + w][d] = (uint64_t)json_integer_value(v);
			} else {
				in->have_bytes[RP_VIEW_WIRE_TX + w] = true;
				in->bytes[RP_VIEW_WIRE_TX + w][d] = (uint64_t)json_integer_value(v);
			}
		}
	}
	if (json_object_get(run, "sink"))
		set(in, RP_VIEW_SERVER_USER, num(run, "sink.bytes_in"), num(run, "sink.bytes_out"));
}

static json_t *load(const char *path, const char *command)
{
	const char *got;
	json_error_t e;
	json_t *d = json_load_file(path, 0, &e);

	if (!d) {
		fprintf(stderr, "reqperf join: %s:%d: %s\n", path, e.line, e.text);
		return NULL;
	}
	got = json_string_value(json_object_get(d, "command"));
	if (strcmp(got ? got : "run", command) || !json_object_get(d, "tool")) {
		fprintf(stderr, "reqperf join: %s is not a reqperf %s report\n", path, command);
		json_decref(d);
		return NULL;
	}
	return d;
}

static int write_json(const struct join_opts *o, const struct rp_join *j)
{
	FILE *f = strcmp(o->json, "-") ? outpath_open(o->json) : stdout;
	struct json_writer w;
	int rc;

	if (!f)
		return -1;
	json_init(&w, f, true);
	join_write_json(&w, j, o->files[0], o->files[1]);
	rc = json_finish(&w);
	rc |= f == stdout ? fflush(f) : outpath_close(f);
	if (rc)
		fprintf(stderr, "reqperf join: writing %s failed\n", o->json);
	return rc ? -1 : 0;
}

int cmd_join(int argc, char **argv)
{
	struct join_opts o = {0};
	struct rp_join_sock *c = NULL, *s = NULL;
	struct rp_join j = {0};
	json_t *run = NULL, *trace = NULL;
	const char *why = NULL;
	size_t nc = 0, ns = 0;
	int rc = 2;

	if (argp_parse(&cmd_join_argp, argc, argv, 0, NULL, &o))
		return 2;
	run = load(o.files[0], "run");
	trace = run ? load(o.files[1], "trace") : NULL;
	if (!trace)
		goto out;
	if (!json_is_array(json_object_get(run, "connections"))) {
		fprintf(stderr,
			"reqperf join: %s lists no connections (a run with the kernel "
			"view writes them; not with --probe off)\n",
			o.files[0]);
		goto out;
	}
	c = socks(json_object_get(run, "connections"), &nc, &why);
	s = c ? socks(json_object_get(trace, "sockets"), &ns, &why) : NULL;
	if (!s) {
		fprintf(stderr, "reqperf join: %s\n", why);
		goto out;
	}
	client_views(&j.in, run, c, nc);
	if (join_match(&j, c, nc, s, ns) < 0) {
		fprintf(stderr, "reqperf join: out of memory\n");
		goto out;
	}
	join_print_text(stdout, &j, o.files[0], o.files[1]);
	rc = join_verdict(&j);
	if (o.json && write_json(&o, &j) < 0)
		rc = 1;
	else if (rc == 1)
		fprintf(stderr,
			"reqperf join: %" PRIu64 " of %" PRIu64
			" connections are not in the trace (first: %s)\n",
			j.conns - j.matched, j.conns,
			j.first_unmatched[0] ? j.first_unmatched : "-");
	else if (rc == 3)
		fprintf(stderr, "reqperf join: the views along the path DIFFER\n");
out:
	free(c);
	free(s);
	json_decref(run);
	json_decref(trace);
	return rc;
}
