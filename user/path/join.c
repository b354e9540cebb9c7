// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* reqperf join: the 4-tuple match and the joined path view (join.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "join.h"

static const char *const heads[RP_NVIEWS] = {"client user",  "client kernel", "wire sent",
					     "wire arrived", "server kernel", "server user"};

int join_match(struct rp_join *j, const struct rp_join_sock *c, size_t nc,
	       const struct rp_join_sock *s, size_t ns)
{
	bool *used = calloc(ns ? ns : 1, sizeof(*used));
	uint64_t bytes[2] = {0, 0}, segs[2] = {0, 0}, rtx = 0;
	bool exact = true;

	/* Without it one server socket could match several clients. */
	if (!used)
		return -1;
	j->conns = nc;
	j->server_socks = ns;
	for (size_t i = 0; i < nc; i++) {
		size_t k;

		rtx += c[i].retransmits;
		for (k = 0; k < ns; k++)
			if (!used[k] && !strcmp(s[k].local, c[i].remote) &&
			    !strcmp(s[k].remote, c[i].local))
				break;
		if (k == ns) {
			if (!j->first_unmatched[0])
				snprintf(j->first_unmatched, sizeof(j->first_unmatched), "%s -> %s",
					 c[i].local, c[i].remote);
			continue;
		}
		if (used)
			used[k] = true;
		j->matched++;
		bytes[RP_PATH_C2S] += s[k].bytes[1]; /* the server received */
		bytes[RP_PATH_S2C] += s[k].bytes[0];
		segs[RP_PATH_C2S] += s[k].segs_in;
		segs[RP_PATH_S2C] += s[k].segs_out;
		rtx += s[k].retransmits;
		exact = exact && s[k].exact;
		if (s[k].bytes[1] != c[i].bytes[0] || s[k].bytes[0] != c[i].bytes[1]) {
			j->conn_differ++;
			if (!j->first_differ[0])
				snprintf(j->first_differ, sizeof(j->first_differ), "%s -> %s",
					 c[i].local, c[i].remote);
		}
	}
	j->other_socks = ns - j->matched;
	free(used);
	if (!nc || j->matched != nc)
		return 0; /* a server figure short of a connection is no figure */
	j->in.have_bytes[RP_VIEW_SERVER_KERNEL] = true;
	j->in.bytes[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S] = bytes[RP_PATH_C2S];
	j->in.bytes[RP_VIEW_SERVER_KERNEL][RP_PATH_S2C] = bytes[RP_PATH_S2C];
	j->in.segs[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S] = segs[RP_PATH_C2S];
	j->in.segs[RP_VIEW_SERVER_KERNEL][RP_PATH_S2C] = segs[RP_PATH_S2C];
	/* after a loss a receiver's segments are not the sender's */
	j->in.have_segs[RP_VIEW_SERVER_KERNEL][RP_PATH_C2S] = exact && !rtx;
	j->in.have_segs[RP_VIEW_SERVER_KERNEL][RP_PATH_S2C] = exact;
	if (rtx) {
		j->in.have_segs[RP_VIEW_CLIENT_KERNEL][RP_PATH_S2C] = false;
		j->in.have_segs[RP_VIEW_WIRE_RX][RP_PATH_C2S] = false;
		j->in.have_segs[RP_VIEW_WIRE_RX][RP_PATH_S2C] = false;
	}
	return 0;
}

int join_verdict(const struct rp_join *j)
{
	if (!j->conns || j->matched != j->conns)
		return 1;
	return path_ok(&j->in) && !j->conn_differ ? 0 : 3;
}

void join_print_text(FILE *out, const struct rp_join *j, const char *run, const char *trace)
{
	struct rp_path_check k[RP_PATH_NCHECKS];
	int n = path_checks(&j->in, k);

	fprintf(out, "join: %s with the server's trace %s\n", run, trace);
	fprintf(out,
		"  connections matched by 4-tuple: %" PRIu64 " of %" PRIu64 "; %" PRIu64
		" with bytes differing; %" PRIu64 " of the trace's %" PRIu64
		" sockets not the run's\n",
		j->matched, j->conns, j->conn_differ, j->other_socks, j->server_socks);
	if (j->first_unmatched[0])
		fprintf(out, "  NOT in the trace (first): %s\n", j->first_unmatched);
	if (j->first_differ[0])
		fprintf(out, "  bytes DIFFER (first): %s\n", j->first_differ);
	fprintf(out, "  %-13s %10s %10s %10s %10s\n", "", "bytes c>s", "bytes s>c", "segs c>s",
		"segs s>c");
	for (int v = 0; v < RP_NVIEWS; v++) {
		fprintf(out, "  %-13s", heads[v]);
		for (int i = 0; i < n; i++) {
			if (k[i].have[v])
				fprintf(out, " %10" PRIu64, k[i].v[v]);
			else
				fprintf(out, " %10s", "-");
		}
		fputc('\n', out);
	}
	fprintf(out, "  %-13s", "");
	for (int i = 0; i < n; i++)
		fprintf(out, " %10s", k[i].ok ? "equal" : "DIFFER");
	fputc('\n', out);
}

void join_write_json(struct json_writer *w, const struct rp_join *j, const char *run,
		     const char *trace)
{
	struct rp_path_check k[RP_PATH_NCHECKS];
	int n = path_checks(&j->in, k);

	json_begin_object(w);
	json_kv_string(w, "tool", "reqperf");
	json_kv_string(w, "command", "join");
	json_kv_string(w, "run", run);
	json_kv_string(w, "trace", trace);
	json_kv_u64(w, "connections", j->conns);
	json_kv_u64(w, "matched", j->matched);
	json_kv_u64(w, "bytes_differ", j->conn_differ);
	json_kv_u64(w, "server_sockets", j->server_socks);
	json_kv_u64(w, "other_server_sockets", j->other_socks);
	json_key(w, "path");
	json_begin_object(w);
	json_key(w, "checks");
	json_begin_array(w);
	for (int i = 0; i < n; i++) {
		json_begin_object(w);
		json_kv_string(w, "what", k[i].what);
		for (int v = 0; v < RP_NVIEWS; v++)
			if (k[i].have[v])
				json_kv_u64(w, rp_view_names[v], k[i].v[v]);
		json_kv_bool(w, "equal", k[i].ok);
		json_end_object(w);
	}
	json_end_array(w);
	json_end_object(w);
	json_kv_bool(w, "equal", join_verdict(j) == 0);
	json_end_object(w);
}
