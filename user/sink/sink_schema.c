// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The sink's counters described once (struct rp_sink_counters): summed
 * over its threads (sink.c), the report's "sink" JSON object and its
 * "sink:" / "echo:" text lines walk this table. Table order is the text
 * and JSON order.
 */
#include "report.h"
#include "schema.h"

#define K(m, k, kind, merge) RP_FIELD(rp_sink_counters, m, k, RP_FK_##kind, RP_MERGE_##merge)
#define N(m, kind, merge) K(m, #m, kind, merge)

static const struct rp_field sink_fields[] = {
	{N(requests, U64, SUM), .label = "requests", .unit = "requests",
	 .what = "complete requests parsed"},
	{N(responses, U64, SUM), .label = "responses", .unit = "responses",
	 .what = "responses written whole"},
	{N(connections, U64, SUM), .label = "connections", .unit = "connections",
	 .what = "connections accepted"},
	{N(bytes_in, U64, SUM), .label = "bytes in", .unit = "bytes", .what = "bytes received"},
	{N(bytes_out, U64, SUM), .label = "bytes out", .unit = "bytes", .what = "bytes sent"},
	{N(bad_requests, U64, SUM), .label = "bad requests", .unit = "requests",
	 .what = "answered 400"},
	{N(too_large, U64, SUM), .label = "too large", .unit = "requests",
	 .what = "answered 431 (header over the limit)"},
	{N(rejected, U64, SUM), .label = "rejected", .unit = "connections",
	 .what = "closed at once: over --max-conns"},
	{N(timeouts, U64, SUM), .label = "timeouts", .unit = "connections",
	 .what = "closed: no complete request (or echo byte) within --request-timeout"},
	{N(send_timeouts, U64, SUM), .label = "send timeouts", .unit = "connections",
	 .what = "closed: owed output not taken for --send-timeout (the peer not reading)"},
	{N(errors, U64, SUM), .label = "errors", .unit = "calls", .what = "socket errors"},
	{N(echo_messages, U64, SUM), .label = "messages", .flags = RP_FF_ECHO, .unit = "messages",
	 .what = "echo: messages received whole"},
	{N(echo_recv_calls, U64, SUM), .label = "recv calls", .flags = RP_FF_ECHO, .unit = "calls",
	 .what = "echo: recv() calls that returned data"},
	{N(echo_short_recvs, U64, SUM), .label = "short recvs", .flags = RP_FF_ECHO,
	 .unit = "calls", .what = "echo: recv() calls that returned less than asked"},
	{N(echo_corrupt, U64, SUM), .label = "corrupt", .flags = RP_FF_ECHO, .unit = "messages",
	 .what = "echo: whole messages not in the expected pattern (echoed unchanged)"},
	{N(send_calls, U64, SUM), .label = "send calls", .unit = "calls",
	 .what = "send()/sendmsg() calls that wrote bytes"},
	{N(split_writes, U64, SUM), .label = "split writes", .unit = "messages",
	 .what = "responses (messages) written in 2 or more calls"},
	{K(tcp, "tcp_info", NESTED, OWN), .unit = "",
	 .what = "the sink's sockets' TCP_INFO at close, summed (docs/report.md, TCP_INFO)"},
};

const struct rp_family rp_sink_family = {
	"sink",
	sink_fields,
	sizeof(sink_fields) / sizeof(sink_fields[0]),
	sizeof(struct rp_sink_counters),
};
