// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `reqperf sink`: options, signals, then sink_run() until Ctrl-C. */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cmd_sink.h"
#include "parse.h"
#include "fdlimit.h"
#include "report_text.h"
#include "sink.h"

#define MAX_BODY (64u << 20)
#define MAX_ECHO (1u << 20)
#define MAX_THREADS 1024

static volatile sig_atomic_t stop;

static const char doc[] =
	"Serve GET / with a fixed body (or echo fixed-size messages) until Ctrl-C.\n"
	"\n"
	"Each response carries X-Body-CRC32 and X-Seq (the response's number on\n"
	"its connection); HEAD gets the head only, other paths 404, other methods\n"
	"405, malformed requests 400, header blocks over 8 KiB 431.\n"
	"\v"
	"EXAMPLES:\n"
	"    reqperf sink                          # 127.0.0.1:8080, 3072-byte body\n"
	"    reqperf sink --listen [::1]:9000 --threads 2\n"
	"    reqperf sink --echo 4096              # raw TCP echo, 4096-byte messages\n";

enum {
	OPT_BODY = 256,
	OPT_ECHO,
	OPT_MAX_CONNS,
	OPT_REQUEST_TIMEOUT,
	OPT_SPLIT_DELAY,
	OPT_WRITE,
	OPT_READ,
	OPT_PAUSE,
	OPT_SEND_TIMEOUT,
	OPT_MAX_OWED,
};

static const struct argp_option options[] = {
	{"listen", 'l', "HOST:PORT", 0, "Address to listen on (default 127.0.0.1:8080)", 0},
	{"threads", 't', "N", 0, "Threads, each with its own listening socket (default 1)", 0},
	{"body-size", OPT_BODY, "BYTES", 0, "Response body size, 0..64 MiB (default 3072)", 0},
	{"echo", OPT_ECHO, "SIZE", 0, "Raw TCP echo of SIZE-byte messages (1..1 MiB)", 0},
	{"max-conns", OPT_MAX_CONNS, "N", 0, "Close connections over N at once (default 10000)", 0},
	{"request-timeout", OPT_REQUEST_TIMEOUT, "SECONDS", 0,
	 "Close a connection that sends no complete request for this long (default 10, 0: never)",
	 0},
	{"send-timeout", OPT_SEND_TIMEOUT, "SECONDS", 0,
	 "Close a connection that takes none of what it is owed for this long (default 10, "
	 "0: never)",
	 0},
	{"max-owed", OPT_MAX_OWED, "BYTES", 0,
	 "Unsent bytes queued per connection, at most (TCP_NOTSENT_LOWAT; default 256 KiB, 0: the "
	 "kernel's)",
	 0},
	{"split-delay", OPT_SPLIT_DELAY, "MS", 0,
	 "Write each response in two halves, MS apart (a test of partial arrival)", 0},
	{"write", OPT_WRITE, "MODE", 0,
	 "How responses are written: sendmsg (default), writev, sendfile (body from a memfd)", 0},
	{"read", OPT_READ, "MODE", 0,
	 "How requests are read: recv (default), splice (socket to a pipe, then read)", 0},
	{"pause", OPT_PAUSE, "P:S", 0,
	 "Stop answering for P ms every S ms after the first connection (a test of "
	 "coordinated omission)",
	 0},
	{"quiet", 'q', NULL, 0, "No startup line, live counter or summary", 0},
	{0},
};

/* Decimal, no sign, within [min, max]. */
static int parse_num(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return -1;
	return 0;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	struct sink_opts *o = state->input;
	struct sockaddr_storage ss;
	unsigned long v;
	socklen_t len;
	char err[160];
	double d;

	switch (key) {
	case 'l':
		if (addr_parse(arg, 1, &ss, &len, err, sizeof(err)) < 0)
			argp_error(state, "bad --listen: %s", err);
		snprintf(o->listen, sizeof(o->listen), "%s", arg);
		break;
	case 't':
		if (parse_num(arg, 1, MAX_THREADS, &v) < 0)
			argp_error(state, "bad --threads '%s': expected 1..%d", arg, MAX_THREADS);
		o->threads = (int)v;
		break;
	case OPT_BODY:
		if (parse_num(arg, 0, MAX_BODY, &v) < 0)
			argp_error(state, "bad --body-size '%s': expected 0..%u", arg, MAX_BODY);
		o->body_size = (uint32_t)v;
		break;
	case OPT_ECHO:
		if (parse_num(arg, 1, MAX_ECHO, &v) < 0)
			argp_error(state, "bad --echo '%s': expected 1..%u", arg, MAX_ECHO);
		o->echo_size = (uint32_t)v;
		break;
	case OPT_MAX_CONNS:
		if (parse_num(arg, 1, 1000000, &v) < 0)
			argp_error(state, "bad --max-conns '%s': expected 1..1000000", arg);
		o->max_conns = (int)v;
		break;
	case OPT_REQUEST_TIMEOUT:
		if (parse_double(arg, 0, 86400, &d) < 0)
			argp_error(state, "bad --request-timeout '%s': expected 0..86400 seconds",
				   arg);
		o->request_timeout_ms = (uint32_t)(d * 1000 + 0.999);
		break;
	case OPT_SEND_TIMEOUT:
		if (parse_double(arg, 0, 86400, &d) < 0)
			argp_error(state, "bad --send-timeout '%s': expected 0..86400 seconds",
				   arg);
		o->send_timeout_ms = (uint32_t)(d * 1000 + 0.999);
		break;
	case OPT_MAX_OWED:
		if (parse_num(arg, 0, 1u << 30, &v) < 0 || (v && v < 4096))
			argp_error(state, "bad --max-owed '%s': expected 0 or 4096..1073741824",
				   arg);
		o->max_owed = (uint32_t)v;
		break;
	case OPT_SPLIT_DELAY:
		if (parse_num(arg, 1, 10000, &v) < 0)
			argp_error(state, "bad --split-delay '%s': expected 1..10000 ms", arg);
		o->split_ms = (uint32_t)v;
		break;
	case OPT_WRITE:
		if (!strcmp(arg, "sendmsg"))
			o->write = SINK_WRITE_SENDMSG;
		else if (!strcmp(arg, "writev"))
			o->write = SINK_WRITE_WRITEV;
		else if (!strcmp(arg, "sendfile"))
			o->write = SINK_WRITE_SENDFILE;
		else
			argp_error(state, "bad --write '%s': expected sendmsg, writev or sendfile",
				   arg);
		break;
	case OPT_READ:
		if (!strcmp(arg, "recv"))
			o->read = SINK_READ_RECV;
		else if (!strcmp(arg, "splice"))
			o->read = SINK_READ_SPLICE;
		else
			argp_error(state, "bad --read '%s': expected recv or splice", arg);
		break;
	case OPT_PAUSE:
		if (lat_parse_pause(arg, &o->pause_ms, &o->pause_every_ms) < 0)
			argp_error(state, "bad --pause '%s': expected P:S in ms with 1 <= P < S",
				   arg);
		break;
	case 'q':
		o->quiet = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: blocking calls return EINTR */
	sigemptyset(&sa.sa_mask);
	/* writev() and sendfile() have no MSG_NOSIGNAL (--write). */
	signal(SIGPIPE, SIG_IGN);
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0) {
		fprintf(stderr, "sink: sigaction: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Room for --max-conns connections; fewer allowed: one line, then the
 * sink runs with what it has (a refused accept() is counted). */
static int raise_fd_limit(struct sink_opts *o)
{
	uint64_t got;
	char err[256];

	if (fdlimit_raise((uint64_t)o->max_conns + FDLIMIT_RESERVE, &got, err, sizeof(err)) < 0)
		fprintf(stderr, "reqperf sink: warning: --max-conns %d %s\n", o->max_conns, err);
	return 0;
}

const struct argp cmd_sink_argp = {options, parse_arg, NULL, doc, NULL, NULL, NULL};

int cmd_sink(int argc, char **argv)
{
	struct sink_opts o = {
		.listen = "127.0.0.1:8080",
		.threads = 1,
		.body_size = 3072,
		.max_conns = 10000,
		.request_timeout_ms = 10000,
		.send_timeout_ms = 10000,
		.max_owed = 256u << 10,
	};
	struct rp_sink_counters c;
	char *args[argc + 1];
	int i;

	/* messages and --help say "reqperf sink", not "sink" */
	args[0] = "reqperf sink";
	for (i = 1; i < argc; i++)
		args[i] = argv[i];
	args[argc] = NULL;
	argp_err_exit_status = 2;
	if (argp_parse(&cmd_sink_argp, argc, args, 0, NULL, &o))
		return 2;
	o.live = !o.quiet;
	if (raise_fd_limit(&o) < 0)
		return 1;
	if (install_signals() < 0)
		return 1;
	if (sink_run(&o, &stop, &c, -1) < 0)
		return 1;
	if (!o.quiet)
		report_sink_text(stdout, &c, o.echo_size);
	return 0;
}
