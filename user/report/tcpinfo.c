// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/tcp.h>

#include "tcpinfo.h"

void tcpinfo_add_sender(struct rp_tcpinfo *t, const struct tcp_info *ti)
{
	t->busy_us += ti->tcpi_busy_time;
	t->rwnd_limited_us += ti->tcpi_rwnd_limited;
	t->sndbuf_limited_us += ti->tcpi_sndbuf_limited;
	if (ti->tcpi_delivery_rate > t->delivery_rate_max)
		t->delivery_rate_max = ti->tcpi_delivery_rate;
}

void tcpinfo_add_path(struct rp_tcpinfo *t, const struct tcp_info *ti)
{
	t->conns++;
	t->reord_seen += ti->tcpi_reord_seen;
	if (ti->tcpi_snd_mss > t->snd_mss)
		t->snd_mss = ti->tcpi_snd_mss;
	if (ti->tcpi_rcv_mss > t->rcv_mss)
		t->rcv_mss = ti->tcpi_rcv_mss;
	t->snd_cwnd = ti->tcpi_snd_cwnd;
	t->rtt_us = ti->tcpi_rtt;
	tcpinfo_add_sender(t, ti);
}

void tcpinfo_add_conn(struct rp_tcpinfo *t, const struct tcp_info *ti)
{
	t->data_segs_out += ti->tcpi_data_segs_out;
	t->data_segs_in += ti->tcpi_data_segs_in;
	t->total_retrans += ti->tcpi_total_retrans;
	t->dsack_dups += ti->tcpi_dsack_dups;
	tcpinfo_add_path(t, ti);
}

void tcpinfo_sum(struct rp_tcpinfo *d, const struct rp_tcpinfo *a)
{
	d->conns += a->conns;
	d->data_segs_out += a->data_segs_out;
	d->data_segs_in += a->data_segs_in;
	d->total_retrans += a->total_retrans;
	d->dsack_dups += a->dsack_dups;
	d->reord_seen += a->reord_seen;
	d->busy_us += a->busy_us;
	d->rwnd_limited_us += a->rwnd_limited_us;
	d->sndbuf_limited_us += a->sndbuf_limited_us;
	if (a->delivery_rate_max > d->delivery_rate_max)
		d->delivery_rate_max = a->delivery_rate_max;
	if (a->snd_mss > d->snd_mss)
		d->snd_mss = a->snd_mss;
	if (a->rcv_mss > d->rcv_mss)
		d->rcv_mss = a->rcv_mss;
	if (a->conns) {
		d->snd_cwnd = a->snd_cwnd;
		d->rtt_us = a->rtt_us;
	}
}

int tcpinfo_add_fd(struct rp_tcpinfo *t, int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return -1;
	tcpinfo_add_conn(t, &ti);
	return 0;
}
