/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The conntrack event filter, run by the kernel's own BPF engine: attached to
 * a datagram socketpair, it sees recorded conntrack events as the event
 * socket would, and lets through exactly the SIP-TLS ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>

#include "ct_event_filter.h"
#include "ct_fixtures.h"
#include "ct_msg.h"

#define FIXTURE(name) fixture_##name, sizeof(fixture_##name)

struct pair {
	int fd[2];
};

/* A socketpair whose receiving end runs the filter for these ports and families. */
static void open_filtered_dns(struct pair *p, const uint16_t *ports, size_t count, int ipv4,
                              int ipv6, int dns)
{
	struct sock_filter prog[FW_CT_EVENT_FILTER_MAX];
	struct sock_fprog fprog;
	size_t len =
	    fw_ct_event_filter_build(ports, count, ipv4, ipv6, dns, prog, FW_CT_EVENT_FILTER_MAX);

	assert_true(len > 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, p->fd), 0);
	fprog.len = (unsigned short)len;
	fprog.filter = prog;
	if (setsockopt(p->fd[1], SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)) != 0)
		fail_msg("the kernel refused the program: %s", strerror(errno));
}

static void open_filtered(struct pair *p, const uint16_t *ports, size_t count, int ipv4, int ipv6)
{
	open_filtered_dns(p, ports, count, ipv4, ipv6, 0);
}

static void close_pair(struct pair *p)
{
	close(p->fd[0]);
	close(p->fd[1]);
}

/* 1 when the message came through whole, 0 when the filter dropped it. */
static int passes(const struct pair *p, const uint8_t *msg, size_t len)
{
	uint8_t buf[4096];
	ssize_t n;

	assert_int_equal(send(p->fd[0], msg, len, 0), (ssize_t)len);
	n = recv(p->fd[1], buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0) {
		assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
		return 0;
	}
	assert_int_equal(n, (ssize_t)len);
	assert_memory_equal(buf, msg, len);
	return 1;
}

static void test_sip_tls_events_pass_the_rest_is_dropped(void **state)
{
	static const uint16_t ports[] = {5061};
	struct pair p;

	(void)state;
	open_filtered(&p, ports, 1, 1, 1);
	/* every kind of event of a session, IPv4 and IPv6 */
	assert_true(passes(&p, FIXTURE(v4_new)));
	assert_true(passes(&p, FIXTURE(v4_established)));
	assert_true(passes(&p, FIXTURE(v4_close)));
	assert_true(passes(&p, FIXTURE(v4_destroy_time_wait)));
	assert_true(passes(&p, FIXTURE(v4_destroy_flushed)));
	assert_true(passes(&p, FIXTURE(v4_zone_mark_new)));
	assert_true(passes(&p, FIXTURE(v6_new)));
	assert_true(passes(&p, FIXTURE(v6_destroy_time_wait)));
	/* foreign traffic */
	assert_false(passes(&p, FIXTURE(v4_https_new)));
	assert_false(passes(&p, FIXTURE(v6_https_new)));
	assert_false(passes(&p, FIXTURE(v4_udp_5061_new)));
	close_pair(&p);
}

static void test_other_ports(void **state)
{
	static const uint16_t https[] = {443};
	static const uint16_t several[] = {5060, 5062, 443, 5061};
	struct pair p;

	(void)state;
	open_filtered(&p, https, 1, 1, 1);
	assert_true(passes(&p, FIXTURE(v4_https_new)));
	assert_true(passes(&p, FIXTURE(v6_https_new)));
	assert_false(passes(&p, FIXTURE(v4_new)));
	close_pair(&p);
	open_filtered(&p, several, 4, 1, 1);
	assert_true(passes(&p, FIXTURE(v4_new)));
	assert_true(passes(&p, FIXTURE(v4_https_new)));
	assert_false(passes(&p, FIXTURE(v4_udp_5061_new)));
	close_pair(&p);
}

static void test_families_ruled_out(void **state)
{
	static const uint16_t ports[] = {5061};
	struct pair p;

	(void)state;
	open_filtered(&p, ports, 1, 1, 0);
	assert_true(passes(&p, FIXTURE(v4_new)));
	assert_false(passes(&p, FIXTURE(v6_new)));
	close_pair(&p);
	open_filtered(&p, ports, 1, 0, 1);
	assert_false(passes(&p, FIXTURE(v4_new)));
	assert_true(passes(&p, FIXTURE(v6_new)));
	close_pair(&p);
}

/* What the filter cannot read it passes: user space checks it (and reports it malformed). */
static void test_unreadable_and_foreign_messages_pass(void **state)
{
	static const uint16_t ports[] = {5061};
	uint8_t copy[sizeof(fixture_v4_new)];
	struct nlmsghdr noop = {.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP};
	struct pair p;

	(void)state;
	open_filtered(&p, ports, 1, 1, 1);
	/* the agent's own marker: a netlink NOOP */
	assert_true(passes(&p, (const uint8_t *)&noop, sizeof(noop)));
	/* cut before the tuple: nothing to judge by */
	assert_true(passes(&p, fixture_v4_new, 20));
	/* a tuple attribute whose length runs past the message */
	memcpy(copy, fixture_v4_new, sizeof(copy));
	copy[20] = 0xff;
	copy[21] = 0x0f;
	assert_true(passes(&p, copy, sizeof(copy)));
	close_pair(&p);
}

static void test_build_limits(void **state)
{
	static const uint16_t ports[17] = {5061};
	struct sock_filter prog[FW_CT_EVENT_FILTER_MAX];

	(void)state;
	assert_int_equal(fw_ct_event_filter_build(ports, 0, 1, 1, 0, prog, FW_CT_EVENT_FILTER_MAX),
	                 0);
	assert_int_equal(fw_ct_event_filter_build(ports, 17, 1, 1, 0, prog, FW_CT_EVENT_FILTER_MAX),
	                 0);
	assert_true(fw_ct_event_filter_build(ports, 16, 1, 1, 0, prog, FW_CT_EVENT_FILTER_MAX) > 0);
	assert_int_equal(fw_ct_event_filter_build(ports, 1, 1, 1, 0, prog, 10), 0);
	/* the largest program: 16 ports and DNS */
	assert_true(fw_ct_event_filter_build(ports, 16, 1, 1, 1, prog, FW_CT_EVENT_FILTER_MAX) > 0);
}

/* A NEW event of a flow from 192.0.2.10 / 2001:db8:1::10 to proto/dport, as the kernel sends it. */
static size_t flow_event(uint8_t *buf, size_t len, uint8_t family, uint8_t protocol, uint16_t dport)
{
	struct ct_msg_spec spec = {
	    .msg_type = IPCTNL_MSG_CT_NEW,
	    .nl_flags = NLM_F_CREATE | NLM_F_EXCL,
	    .orig = {.family = family, .protocol = protocol, .sport = 40000, .dport = dport},
	    .status = 0x8, /* IPS_CONFIRMED */
	    .has_timeout = 1,
	    .timeout = 30,
	    .has_id = 1,
	    .id = 7,
	};

	if (family == AF_INET) {
		memcpy(spec.orig.src, (const uint8_t[]){192, 0, 2, 10}, 4);
		memcpy(spec.orig.dst, (const uint8_t[]){8, 8, 8, 8}, 4);
	} else {
		memcpy(spec.orig.src, (const uint8_t[]){0x20, 1, 0xd, 0xb8, 0, 1, [15] = 0x10}, 16);
		memcpy(spec.orig.dst,
		       (const uint8_t[]){0x20, 1, 0x48, 0x60, 0x48, 0x60, [14] = 0x88, 0x88}, 16);
	}
	if (protocol == IPPROTO_TCP) {
		spec.has_state = 1;
		spec.tcp_state = TCP_CONNTRACK_SYN_SENT;
	}
	len = ct_msg_build(buf, len, &spec);
	assert_true(len > 0);
	return len;
}

/* With the resolvers followed: DNS over UDP and TCP 53 and over TLS (TCP 853) pass too. */
static void test_dns_flows(void **state)
{
	static const uint16_t ports[] = {5061};
	static const uint8_t families[] = {AF_INET, AF_INET6};
	uint8_t msg[1024];
	struct pair with, without;

	(void)state;
	open_filtered_dns(&with, ports, 1, 1, 1, 1);
	open_filtered(&without, ports, 1, 1, 1);
	for (size_t f = 0; f < 2; f++) {
		uint8_t fam = families[f];
		size_t len;

		len = flow_event(msg, sizeof(msg), fam, IPPROTO_UDP, 53);
		assert_true(passes(&with, msg, len));
		assert_false(passes(&without, msg, len));
		len = flow_event(msg, sizeof(msg), fam, IPPROTO_TCP, 53);
		assert_true(passes(&with, msg, len));
		assert_false(passes(&without, msg, len));
		len = flow_event(msg, sizeof(msg), fam, IPPROTO_TCP, 853);
		assert_true(passes(&with, msg, len));
		assert_false(passes(&without, msg, len));
		/* the SIP port still passes, for TCP only */
		len = flow_event(msg, sizeof(msg), fam, IPPROTO_TCP, 5061);
		assert_true(passes(&with, msg, len));
		len = flow_event(msg, sizeof(msg), fam, IPPROTO_UDP, 5061);
		assert_false(passes(&with, msg, len));
		/* DNS over TLS is TCP: UDP 853 (DNS over QUIC) is not followed */
		len = flow_event(msg, sizeof(msg), fam, IPPROTO_UDP, 853);
		assert_false(passes(&with, msg, len));
		/* other UDP and TCP, and other protocols */
		len = flow_event(msg, sizeof(msg), fam, IPPROTO_UDP, 123);
		assert_false(passes(&with, msg, len));
		len = flow_event(msg, sizeof(msg), fam, IPPROTO_TCP, 443);
		assert_false(passes(&with, msg, len));
		len = flow_event(msg, sizeof(msg), fam, IPPROTO_SCTP, 53);
		assert_false(passes(&with, msg, len));
	}
	/* the recorded SIP-TLS events pass with DNS on as without */
	assert_true(passes(&with, FIXTURE(v4_new)));
	assert_true(passes(&with, FIXTURE(v4_established)));
	close_pair(&with);
	close_pair(&without);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sip_tls_events_pass_the_rest_is_dropped),
	    cmocka_unit_test(test_other_ports),
	    cmocka_unit_test(test_families_ruled_out),
	    cmocka_unit_test(test_unreadable_and_foreign_messages_pass),
	    cmocka_unit_test(test_build_limits),
	    cmocka_unit_test(test_dns_flows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
