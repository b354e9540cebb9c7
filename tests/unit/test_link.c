// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --netns planning (names, addresses) and the report's link section. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "netns_plan.h"
#include "report_link.h"

static void test_plan(void **state)
{
	struct rp_netns_plan p;
	char a[32];

	(void)state;
	netns_plan(&p, 4194304);
	assert_string_equal(p.ns[RP_LINK_CLIENT], "reqperf-4194304-c");
	assert_string_equal(p.ns[RP_LINK_SINK], "reqperf-4194304-s");
	assert_string_equal(p.ifname[RP_LINK_CLIENT], "rp-c");
	assert_string_equal(p.ifname[RP_LINK_SINK], "rp-s");
	netns_fmt_addr(a, sizeof(a), p.addr[RP_LINK_CLIENT], p.prefix);
	assert_string_equal(a, "169.254.77.1/30");
	netns_fmt_addr(a, sizeof(a), p.addr[RP_LINK_SINK], -1);
	assert_string_equal(a, "169.254.77.2");
	/* both hosts of one /30, neither its network nor its broadcast */
	assert_int_equal(p.addr[0] >> 2, p.addr[1] >> 2);
	assert_true((p.addr[0] & 3) != 0 && (p.addr[0] & 3) != 3);
	assert_true((p.addr[1] & 3) != 0 && (p.addr[1] & 3) != 3);
}

static void test_name_pid(void **state)
{
	struct rp_netns_plan p;

	(void)state;
	netns_plan(&p, 1234);
	assert_int_equal(netns_name_pid(p.ns[0]), 1234);
	assert_int_equal(netns_name_pid(p.ns[1]), 1234);
	assert_int_equal(netns_name_pid("reqperf-1-c"), 1);
	assert_int_equal(netns_name_pid("reqperf-0-c"), 0);
	assert_int_equal(netns_name_pid("reqperf-01-c"), 0);
	assert_int_equal(netns_name_pid("reqperf--c"), 0);
	assert_int_equal(netns_name_pid("reqperf-12-x"), 0);
	assert_int_equal(netns_name_pid("reqperf-12-cc"), 0);
	assert_int_equal(netns_name_pid("reqperf-12"), 0);
	assert_int_equal(netns_name_pid("reqperf-12a-c"), 0);
	assert_int_equal(netns_name_pid("other-12-c"), 0);
	assert_int_equal(netns_name_pid("reqperf-99999999999999999999-c"), 0);
	assert_int_equal(netns_name_pid(""), 0);
}

static void test_toggle(void **state)
{
	(void)state;
	assert_string_equal(toggle_name(RP_TOGGLE_KEEP), "keep");
	assert_string_equal(toggle_name(RP_TOGGLE_OFF), "off");
	assert_string_equal(toggle_name(RP_TOGGLE_ON), "on");
}

struct fixture {
	struct rp_config cfg;
	struct rp_worker_report w[2];
	struct rp_report r;
};

static void set_end(struct rp_link_end *e, const char *ns, const char *ifn, const char *addr,
		    int8_t tso)
{
	snprintf(e->netns, sizeof(e->netns), "%s", ns);
	snprintf(e->ifname, sizeof(e->ifname), "%s", ifn);
	snprintf(e->addr, sizeof(e->addr), "%s", addr);
	e->mtu = 1500;
	e->tso = tso;
	e->gso = 0;
	e->gro = -1;
}

static void make(struct fixture *f, int8_t sink_tso)
{
	memset(f, 0, sizeof(*f));
	config_defaults(&f->cfg);
	f->cfg.netns = true;
	f->cfg.mtu = 1500;
	f->cfg.tso = RP_TOGGLE_OFF;
	f->cfg.gso = RP_TOGGLE_OFF;
	f->r.config = &f->cfg;
	f->r.nworkers = 2;
	f->r.workers = f->w;
	f->w[1].tcp_info.snd_mss = 1448;
	f->w[1].tcp_info.rcv_mss = 1400;
	f->r.has_link = true;
	snprintf(f->r.link.kind, sizeof(f->r.link.kind), "veth");
	set_end(&f->r.link.end[0], "reqperf-4194304-c", "rp-c", "169.254.77.1/30", 0);
	set_end(&f->r.link.end[1], "reqperf-4194304-s", "rp-s", "169.254.77.2/30", sink_tso);
}

static char *render(const struct rp_report *r, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct json_writer j;

	assert_non_null(out);
	if (json) {
		json_init(&j, out, false);
		json_begin_object(&j);
		report_link_json(&j, r);
		json_end_object(&j);
		assert_int_equal(json_finish(&j), 0);
	} else {
		report_link_text(out, r);
	}
	fclose(out);
	return buf;
}

static void assert_short_lines(const char *s)
{
	for (const char *l = s; *l;) {
		size_t n = strcspn(l, "\n");

		if (n >= 80)
			fail_msg("line of %zu columns: %.*s", n, (int)n, l);
		l += n + (l[n] == '\n');
	}
}

static void test_text(void **state)
{
	struct fixture f;
	char *s;

	(void)state;
	make(&f, 0);
	s = render(&f.r, false);
	assert_non_null(strstr(s, "link: veth, mtu 1500, tso off, gso off, gro ?"));
	assert_non_null(strstr(s, "gro ?\n"));
	assert_non_null(strstr(s, "tcp_info (per connection, not the link): client mss snd 1448"
				  " rcv 1400\n"));
	f.r.has_sink = true;
	f.r.sink.tcp.conns = 2;
	f.r.sink.tcp.snd_mss = 1448;
	f.r.sink.tcp.rcv_mss = 536;
	free(s);
	s = render(&f.r, false);
	assert_non_null(strstr(s, "tcp_info (per connection, not the link): client mss snd 1448"
				  " rcv 1400,\n  sink mss snd 1448 rcv 536\n"));
	assert_non_null(strstr(s, "client rp-c in reqperf-4194304-c, 169.254.77.1/30\n"));
	assert_non_null(strstr(s, "sink   rp-s in reqperf-4194304-s, 169.254.77.2/30\n"));
	assert_short_lines(s);
	free(s);
	/* ends that differ show their own settings */
	make(&f, 1);
	s = render(&f.r, false);
	assert_null(strstr(s, "link: veth, mtu"));
	assert_non_null(strstr(s, "169.254.77.2/30, mtu 1500, tso on"));
	assert_non_null(strstr(s, "169.254.77.1/30, mtu 1500, tso off"));
	assert_short_lines(s);
	free(s);
	f.r.has_link = false;
	s = render(&f.r, false);
	assert_string_equal(s, "");
	free(s);
}

static void test_json(void **state)
{
	struct fixture f;
	char *s;

	(void)state;
	make(&f, 1);
	s = render(&f.r, true);
	assert_non_null(strstr(s, "\"topology\":{\"link\":\"veth\",\"mtu\":1500,"
				  "\"snd_mss\":1448,\"rcv_mss\":1400,"));
	assert_non_null(strstr(s, "\"requested\":{\"mtu\":1500,\"tso\":\"off\",\"gso\":\"off\","
				  "\"gro\":\"keep\"}"));
	assert_non_null(strstr(s, "\"client\":{\"netns\":\"reqperf-4194304-c\",\"ifname\":"
				  "\"rp-c\",\"addr\":\"169.254.77.1/30\",\"mtu\":1500,"
				  "\"tso\":false,\"gso\":false,\"gro\":null}"));
	assert_non_null(strstr(s, "\"sink\":{\"netns\":\"reqperf-4194304-s\""));
	assert_non_null(strstr(s, "\"tso\":true"));
	free(s);
	f.r.has_link = false;
	s = render(&f.r, true);
	assert_string_equal(s, "{}");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),   cmocka_unit_test(test_name_pid),
		cmocka_unit_test(test_toggle), cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
