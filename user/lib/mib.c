// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdlib.h>
#include <string.h>

#include "mib.h"

static const struct {
	const char *name, *what;
} fields[RP_MIB_N] = {
	[RP_MIB_OFO_QUEUE] = {"TCPOFOQueue", "segments queued out of order (receiver)"},
	[RP_MIB_SACK_REORDER] = {"TCPSACKReorder", "reordering detected from SACKs (sender)"},
	[RP_MIB_TS_REORDER] = {"TCPTSReorder", "reordering detected from timestamps (sender)"},
	[RP_MIB_RENO_REORDER] = {"TCPRenoReorder", "reordering detected without SACK (sender)"},
	[RP_MIB_FAST_RETRANS] = {"TCPFastRetrans", "fast retransmissions"},
	[RP_MIB_SLOW_START_RETRANS] = {"TCPSlowStartRetrans",
				       "retransmissions in slow start after an RTO"},
	[RP_MIB_TIMEOUTS] = {"TCPTimeouts", "retransmission timer expiries"},
	[RP_MIB_LOSS_PROBES] = {"TCPLossProbes", "tail-loss probes sent"},
	[RP_MIB_SPURIOUS_RTOS] = {"TCPSpuriousRTOs", "RTOs found spurious (F-RTO)"},
	[RP_MIB_DSACK_RECV] = {"TCPDSACKRecv", "D-SACKs received"},
	[RP_MIB_DSACK_OFO_RECV] = {"TCPDSACKOfoRecv", "D-SACKs received for out-of-order data"},
	[RP_MIB_DSACK_SENT] = {"TCPDSACKOldSent", "D-SACKs sent for old duplicates"},
	[RP_MIB_DELAYED_ACKS] = {"DelayedACKs", "delayed-ACK timer expiries"},
	[RP_MIB_DELAYED_ACK_LOST] = {"DelayedACKLost",
				     "old data received again (our ACK presumed lost)"},
};

const char *rp_mib_name(int f)
{
	return f >= 0 && f < RP_MIB_N ? fields[f].name : "?";
}

const char *rp_mib_what(int f)
{
	return f >= 0 && f < RP_MIB_N ? fields[f].what : "?";
}

static int field_of(const char *name, size_t len)
{
	for (int f = 0; f < RP_MIB_N; f++)
		if (strlen(fields[f].name) == len && !strncmp(fields[f].name, name, len))
			return f;
	return -1;
}

/* The next whitespace-separated token of *p (not past end), its length in
 * *len; NULL at the end. */
static const char *token(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *e;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end)
		return NULL;
	for (e = s; e < end && *e != ' ' && *e != '\t'; e++)
		;
	*len = (size_t)(e - s);
	*p = e;
	return s;
}

/* One "TcpExt: names" line [n0, n1) and its "TcpExt: values" [v0, v1). */
static int parse_pair(struct rp_mib *m, const char *n0, const char *n1, const char *v0,
		      const char *v1)
{
	const char *np = n0 + strlen("TcpExt:"), *vp = v0 + strlen("TcpExt:"), *name, *val;
	size_t nlen, vlen;
	int found = 0;

	while ((name = token(&np, n1, &nlen)) && (val = token(&vp, v1, &vlen))) {
		int f = field_of(name, nlen);

		if (f >= 0) {
			m->v[f] = strtoull(val, NULL, 10);
			found++;
		}
	}
	return found;
}

int mib_parse(struct rp_mib *m, const char *text)
{
	const char *p = text;
	int found = -1;

	memset(m, 0, sizeof(*m));
	while (p && *p) {
		const char *n1 = strchr(p, '\n'), *v0, *v1;

		if (!n1)
			break;
		v0 = n1 + 1;
		v1 = strchr(v0, '\n');
		if (!v1)
			v1 = v0 + strlen(v0);
		if (!strncmp(p, "TcpExt:", 7) && !strncmp(v0, "TcpExt:", 7)) {
			found = (found < 0 ? 0 : found) + parse_pair(m, p, n1, v0, v1);
			p = *v1 ? v1 + 1 : v1;
			continue;
		}
		p = n1 + 1;
	}
	m->read = found >= 0;
	return found;
}
