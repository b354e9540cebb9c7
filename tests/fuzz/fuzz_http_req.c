// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: the sink's HTTP request parser (http_req_feed). The
 * input after its first byte is a byte stream from a client. It is fed
 * whole, byte by byte and in pieces; every way must report the same
 * requests ending at the same offsets and the same final verdict.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "http.h"

#define MAX_EVENTS 512

struct event {
	size_t end; /* stream offset just past the event */
	int status;
	struct http_req req;
};

struct trace {
	struct event ev[MAX_EVENTS];
	int n; /* stored */
	uint64_t total; /* seen */
	int final; /* MORE, BAD or TOO_LARGE */
};

static void note(struct trace *t, size_t end, int status, const struct http_req *req)
{
	struct event *e;

	t->total++;
	if (t->n == MAX_EVENTS)
		return;
	e = &t->ev[t->n++];
	memset(e, 0, sizeof(*e));
	e->end = end;
	e->status = status;
	if (req)
		e->req = *req;
}

/* Feeds one piece; returns false once the parser failed for good. */
static bool feed_piece(struct http_req_parser *p, const char *buf, size_t len, size_t base,
		       struct trace *t)
{
	struct http_req req;
	enum http_req_status st;
	size_t off = 0, used;

	do {
		memset(&req, 0xa5, sizeof(req));
		st = http_req_feed(p, buf + off, len - off, &used, &req);
		FUZZ_CHECK(used <= len - off);
		off += used;
		switch (st) {
		case HTTP_REQ_MORE:
			FUZZ_CHECK(off == len);
			return true;
		case HTTP_REQ_DONE:
			FUZZ_CHECK(used > 0);
			FUZZ_CHECK(req.get || !req.head);
			note(t, base + off, st, &req);
			break;
		case HTTP_REQ_BAD:
		case HTTP_REQ_TOO_LARGE:
			note(t, base + off, st, NULL);
			t->final = st;
			/* sticky: nothing more is consumed */
			FUZZ_CHECK(http_req_feed(p, buf, len, &used, &req) == st && used == 0);
			return false;
		default:
			FUZZ_CHECK(!"unknown status");
		}
	} while (off < len);
	return true;
}

static void run(const char *data, size_t size, size_t cut, struct trace *t)
{
	struct http_req_parser *p = malloc(sizeof(*p));
	size_t off = 0, n;

	FUZZ_CHECK(p);
	memset(t, 0, sizeof(*t));
	http_req_init(p);
	while (off < size) {
		n = size - off < cut ? size - off : cut;
		if (!feed_piece(p, data + off, n, off, t))
			break;
		off += n;
	}
	if (t->final == HTTP_REQ_MORE)
		FUZZ_CHECK(feed_piece(p, data, 0, size, t));
	free(p);
}

static bool same_event(const struct event *a, const struct event *b)
{
	return a->end == b->end && a->status == b->status && a->req.get == b->req.get &&
	       a->req.head == b->req.head && a->req.root == b->req.root &&
	       a->req.keep_alive == b->req.keep_alive && a->req.body_len == b->req.body_len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct trace t[FUZZ_NCUTS];
	const char *s = (const char *)data + 1;

	if (size < 1)
		return 0;
	for (int i = 0; i < FUZZ_NCUTS; i++)
		run(s, size - 1, fuzz_cut(i, data[0]), &t[i]);
	for (int i = 1; i < FUZZ_NCUTS; i++) {
		FUZZ_CHECK(t[i].total == t[0].total && t[i].final == t[0].final);
		for (int e = 0; e < t[0].n; e++)
			FUZZ_CHECK(same_event(&t[i].ev[e], &t[0].ev[e]));
	}
	return 0;
}
