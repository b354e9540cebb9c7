// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The path options of `reqperf run` (the server end, the wire) and their
 * cross-checks. */
#include <argp.h>
#include <stdint.h>
#include <string.h>

#include "rp_wire.h"
#include "cmd_wire.h"
#include "config.h"
#include "parse.h"

enum {
	OPT_WIRE = 3000,
	OPT_PCAP,
	OPT_SNAPLEN,
	OPT_SERVER_PID,
	OPT_SERVER_COMM,
	OPT_TIMELINE,
	OPT_CALL_PATH,
	OPT_LIFECYCLE,
};

#define DEFAULT_SNAPLEN 128

static const struct argp_option options[] = {
	{"wire", OPT_WIRE, NULL, 0,
	 "Count every packet of the run's connections on the interfaces they cross", 0},
	{"pcap", OPT_PCAP, "FILE", 0,
	 "Write those packets' headers to a pcap file (implies --wire)", 0},
	{"snaplen", OPT_SNAPLEN, "BYTES", 0, "--pcap: bytes kept per packet, 1..256 (default 128)",
	 0},
	{"timeline", OPT_TIMELINE, "FILE", 0,
	 "Write every call as a Chrome trace (Perfetto, chrome://tracing; implies events)", 0},
	{"call-path", OPT_CALL_PATH, NULL, 0,
	 "Time each call's stages: user, syscall entry, socket, TCP, syscall exit", 0},
	{"lifecycle", OPT_LIFECYCLE, "FILE", 0,
	 "Write every response's lifecycle, server write to client read, as JSON Lines "
	 "(implies events; packet stages with --wire)",
	 0},
	{"server-pid", OPT_SERVER_PID, "PID", 0,
	 "With --target on this host: trace that server process too (repeatable)", 0},
	{"server-comm", OPT_SERVER_COMM, "NAME", 0,
	 "With --target on this host: trace every process named NAME too", 0},
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	struct rp_config *c = st->input;
	long v;

	switch (key) {
	case OPT_WIRE:
		c->wire = true;
		break;
	case OPT_PCAP:
		if (!arg[0] || !strcmp(arg, "-"))
			argp_error(st, "--pcap: expected a file name, got '%s'", arg);
		c->pcap_path = arg;
		c->wire = true;
		break;
	case OPT_SNAPLEN:
		if (parse_long(arg, 1, RP_WIRE_SNAP_MAX, &v) < 0)
			argp_error(st, "--snaplen: expected 1..%d, got '%s'", RP_WIRE_SNAP_MAX,
				   arg);
		c->snaplen = (uint32_t)v;
		break;
	case OPT_TIMELINE:
		if (!arg[0] || !strcmp(arg, "-"))
			argp_error(st, "--timeline: expected a file name, got '%s'", arg);
		c->timeline_path = arg;
		break;
	case OPT_CALL_PATH:
		c->call_path = true;
		break;
	case OPT_LIFECYCLE:
		if (!arg[0])
			argp_error(st, "--lifecycle: expected a file name, got '%s'", arg);
		c->lifecycle_path = arg;
		break;
	case OPT_SERVER_PID:
		if (parse_long(arg, 1, 4194304, &v) < 0)
			argp_error(st, "--server-pid: expected 1..4194304, got '%s'", arg);
		if (c->nserver_pids == RP_MAX_SERVER_PIDS)
			argp_error(st, "--server-pid: at most %d", RP_MAX_SERVER_PIDS);
		c->server_pids[c->nserver_pids++] = (int)v;
		break;
	case OPT_SERVER_COMM:
		if (!arg[0] || strlen(arg) >= sizeof(c->server_comm))
			argp_error(st, "--server-comm: expected 1..15 characters, got '%s'", arg);
		snprintf(c->server_comm, sizeof(c->server_comm), "%s", arg);
		break;
	case ARGP_KEY_END:
		if ((c->nserver_pids || c->server_comm[0]) && !c->target[0])
			argp_error(st, "--server-pid and --server-comm name a --target's processes "
				       "(the embedded sink is traced anyway)");
		if ((c->nserver_pids || c->server_comm[0]) && c->probe == RP_PROBE_OFF)
			argp_error(st, "--server-pid and --server-comm need the kernel view: not "
				       "with --probe off");
		if (c->snaplen && !c->pcap_path)
			argp_error(st, "--snaplen needs --pcap FILE");
		if (!c->snaplen)
			c->snaplen = DEFAULT_SNAPLEN;
		if (c->lifecycle_path && c->probe == RP_PROBE_OFF)
			argp_error(st,
				   "--lifecycle joins the kernel's records: not with --probe off");
		if (c->lifecycle_path && c->target[0] && !c->nserver_pids && !c->server_comm[0])
			argp_error(st, "--lifecycle with --target needs the server's processes: "
				       "--server-pid or --server-comm");
		if (c->wire && c->probe == RP_PROBE_OFF)
			argp_error(st,
				   "--wire and --pcap load eBPF programs: not with --probe off");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cmd_wire_argp = {options, parse_arg, NULL, NULL, NULL, NULL, NULL};
