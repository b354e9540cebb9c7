// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The sink's end of each connection, read at its close: segments and MSS
 * as the sink saw them (linux/tcp.h: glibc's tcp_info lacks data_segs). */
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/tcp.h>

#include "sink_int.h"

void sink_tcp_info(struct sink_thread *t, int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return;
	t->c.tcpi_conns++;
	t->c.tcpi_data_segs_in += ti.tcpi_data_segs_in;
	t->c.tcpi_data_segs_out += ti.tcpi_data_segs_out;
	if (ti.tcpi_snd_mss > t->c.snd_mss)
		t->c.snd_mss = ti.tcpi_snd_mss;
	if (ti.tcpi_rcv_mss > t->c.rcv_mss)
		t->c.rcv_mss = ti.tcpi_rcv_mss;
}
