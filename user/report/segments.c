// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Segments per message against the minimum, and why (segments.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "segments.h"

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
	return b ? (a + b - 1) / b : 0;
}

static void fill_dir(struct rp_seg_dir *d, uint64_t segs, uint64_t msgs, uint64_t bytes,
		     uint32_t mss, const char *from)
{
	d->segs = segs;
	d->messages = msgs;
	d->bytes = bytes;
	d->mss = mss;
	d->mss_from = from;
	d->known = mss > 0 && msgs > 0;
	if (!d->known)
		return;
	/* messages of one size (echo) or within a few bytes (X-Seq digits):
	 * the mean message's minimum */
	d->per_msg = ceil_div(ceil_div(bytes, msgs), mss);
	d->min = msgs * d->per_msg;
	d->stream_min = ceil_div(bytes, mss);
	d->beyond = (int64_t)segs - (int64_t)d->min;
}

static void say(char *b, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(b);
	va_list ap;

	if (len >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(b + len, cap - len, fmt, ap);
	va_end(ap);
}

static const char *noun(const struct rp_segments *s, bool in)
{
	if (s->echo)
		return in ? "echoed messages" : "messages";
	return in ? "responses" : "requests";
}

/* ": N of M sends returned with bytes unsent, held by X a, Y b" from the
 * kernel's reading at each send's return (classes largest first). */
static void say_holds(struct rp_segments *s, const uint64_t *held)
{
	uint64_t all = 0, left[RP_NHOLDS];
	int said = 0;

	for (int i = 0; i < RP_NHOLDS; i++) {
		all += held[i];
		left[i] = i == RP_HOLD_NONE ? 0 : held[i];
	}
	if (!all)
		return;
	say(s->why, sizeof(s->why), "; %" PRIu64 " of %" PRIu64 " sends returned with bytes unsent",
	    all - held[RP_HOLD_NONE], all);
	for (;;) {
		int top = 0;

		for (int i = 1; i < RP_NHOLDS; i++)
			if (left[i] > left[top])
				top = i;
		if (!left[top])
			break;
		say(s->why, sizeof(s->why), "%s %s %" PRIu64, said++ ? "," : ", held by",
		    hold_name(top), left[top]);
		left[top] = 0;
	}
}

/* One sentence for a direction: more, fewer or exactly the minimum. */
static void explain(struct rp_segments *s, const struct rp_seg_dir *d, bool in)
{
	const char *what = in ? "in" : "out";
	uint64_t writes =
		in ? (s->has_sink ? s->sink_send_calls : UINT64_MAX) : s->client_send_calls;

	if (!d->known)
		return;
	if (d->beyond == 0) {
		say(s->why, sizeof(s->why),
		    "%s%s: every one of %" PRIu64 " %s took the minimum %" PRIu64 " segment%s.",
		    s->why[0] ? " " : "", what, d->messages, noun(s, in), d->per_msg,
		    d->per_msg == 1 ? "" : "s");
		return;
	}
	say(s->why, sizeof(s->why),
	    "%s%s: %" PRIu64 " segments for %" PRIu64 " %s, %" PRId64 " %s than %" PRIu64 " each",
	    s->why[0] ? " " : "", what, d->segs, d->messages, noun(s, in),
	    d->beyond > 0 ? d->beyond : -d->beyond, d->beyond > 0 ? "more" : "fewer", d->per_msg);
	if (d->beyond < 0 && writes < d->messages) {
		say(s->why, sizeof(s->why), ": the %s wrote them in %" PRIu64 " writes",
		    in ? "sink" : "client", writes);
	} else if (d->beyond < 0) {
		/* the embedded sink always sets TCP_NODELAY */
		bool nodelay = in ? s->has_sink : s->nodelay;

		bool measured = in ? s->has_held_in : s->has_held_out;

		if (measured) {
			say(s->why, sizeof(s->why), ": the %s coalesced them (TCP_NODELAY %s)",
			    in ? "sink" : "client", nodelay ? "on" : "off");
			say_holds(s, in ? s->held_in : s->held_out);
		} else {
			say(s->why, sizeof(s->why), ": the %s coalesced them (%s)",
			    in ? "sink" : "client",
			    nodelay ? "TCP_NODELAY set: autocork, TSQ or the windows held writes"
				    : "Nagle on: writes wait for the ACK of unacknowledged data");
		}
	} else if (in && s->sink_split_writes) {
		say(s->why, sizeof(s->why), ": the sink wrote %" PRIu64 " %s in two or more writes",
		    s->sink_split_writes, noun(s, false));
		if (s->sink_short_reads)
			say(s->why, sizeof(s->why),
			    " after %" PRIu64 " short reads (the client's sends reached it"
			    " coalesced across message boundaries)",
			    s->sink_short_reads);
	} else if (!in && s->client_short_sends) {
		say(s->why, sizeof(s->why), ": %" PRIu64 " sends were short (the socket was full)",
		    s->client_short_sends);
	} else {
		say(s->why, sizeof(s->why), ": no split write or short send explains them");
	}
	say(s->why, sizeof(s->why), ".");
}

void report_segments(const struct rp_report *r, struct rp_segments *s)
{
	const struct rp_config *c = r->config;
	uint64_t segs_out = 0, segs_in = 0, req = 0, rsp = 0, bout = 0, bin = 0;
	uint32_t mss_out = 0, mss_in = 0;
	const char *in_from = "sink tcp_info";

	memset(s, 0, sizeof(*s));
	s->echo = c && c->echo_size;
	s->nodelay = c && c->nodelay;
	for (int i = 0; i < r->nworkers; i++) {
		const struct rp_worker_report *w = &r->workers[i];

		segs_out += w->tcp_info.data_segs_out;
		segs_in += w->tcp_info.data_segs_in;
		req += w->requests;
		rsp += w->responses;
		bout += w->user[RP_SEND].bytes;
		bin += w->user[RP_RECV].bytes;
		s->client_short_sends += w->user[RP_SEND].short_calls;
		s->client_send_calls +=
			w->user[RP_SEND].calls - w->user[RP_SEND].eagain - w->user[RP_SEND].errors;
		if (w->tcp_info.snd_mss > mss_out)
			mss_out = w->tcp_info.snd_mss;
		if (!w->has_kernel)
			continue;
		s->has_held_out = true;
		for (int h = 0; h < RP_NHOLDS; h++)
			s->held_out[h] += w->kernel[RP_SEND].held[h];
	}
	if (r->server.has_kernel) {
		s->has_held_in = true;
		memcpy(s->held_in, r->server.kernel[RP_SEND].held, sizeof(s->held_in));
	}
	s->has_sink = r->has_sink;
	if (r->has_sink) {
		s->sink_short_reads = r->sink.echo_short_recvs;
		s->sink_split_writes = r->sink.split_writes;
		s->sink_send_calls = r->sink.send_calls;
		mss_in = r->sink.tcp.snd_mss;
	}
	if (!mss_in) { /* no sink tcp_info: the same path, the same MSS */
		mss_in = mss_out;
		in_from = "client snd_mss, assumed";
	}
	fill_dir(&s->out, segs_out, req, bout, mss_out, "client tcp_info");
	fill_dir(&s->in, segs_in, rsp, bin, mss_in, in_from);
	s->known = s->out.known || s->in.known;
	explain(s, &s->in, true);
	explain(s, &s->out, false);
}
