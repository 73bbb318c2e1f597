/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_netlink.h"
#include "ct_fixtures.h"

/* CTA_FILTER_F_CTA_PROTO_NUM and CTA_FILTER_F_CTA_PROTO_DST_PORT (kernel ABI). */
#define FILTER_PROTO_NUM      (1U << 3)
#define FILTER_PROTO_DST_PORT (1U << 5)

#define REQUEST_LEN 56

/* Attributes seen at one level, by type; count of each. */
struct level {
	const struct nlattr *tb[32];
	unsigned seen[32];
	unsigned total;
};

static int collect(const struct nlattr *attr, void *data)
{
	struct level *l = data;
	uint16_t type = mnl_attr_get_type(attr);

	l->total++;
	if (type < 32) {
		l->tb[type] = attr;
		l->seen[type]++;
	}
	return MNL_CB_OK;
}

static void parse_nested(const struct nlattr *nest, struct level *l)
{
	memset(l, 0, sizeof(*l));
	assert_int_equal(mnl_attr_validate(nest, MNL_TYPE_NESTED), 0);
	assert_true(mnl_attr_get_type(nest) == (nest->nla_type & NLA_TYPE_MASK));
	/* The kernel parses these as nests; say so, as its own messages do. */
	assert_true(nest->nla_type & NLA_F_NESTED);
	assert_int_equal(mnl_attr_parse_nested(nest, collect, l), MNL_CB_OK);
}

/* Parses a built request back and checks every byte that matters. */
static void expect_proto_request(const void *buf, size_t len, uint32_t seq, uint8_t family,
                                 uint8_t protocol, uint16_t port)
{
	const struct nlmsghdr *nlh = buf;
	const struct nfgenmsg *nfg;
	struct level top, tuple, proto, filter;
	const uint8_t *port_bytes;

	assert_int_equal(len, REQUEST_LEN);
	assert_true(mnl_nlmsg_ok(nlh, (int)len));
	assert_int_equal(nlh->nlmsg_len, len);
	assert_int_equal(nlh->nlmsg_type, (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_seq, seq);
	assert_int_equal(nlh->nlmsg_pid, 0);

	nfg = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nfg->nfgen_family, family);
	assert_int_equal(nfg->version, NFNETLINK_V0);
	assert_int_equal(nfg->res_id, 0);

	memset(&top, 0, sizeof(top));
	assert_int_equal(mnl_attr_parse(nlh, sizeof(*nfg), collect, &top), MNL_CB_OK);
	assert_int_equal(top.total, 2);
	assert_int_equal(top.seen[CTA_TUPLE_ORIG], 1);
	assert_int_equal(top.seen[CTA_FILTER], 1);

	parse_nested(top.tb[CTA_TUPLE_ORIG], &tuple);
	assert_int_equal(tuple.total, 1);
	assert_int_equal(tuple.seen[CTA_TUPLE_PROTO], 1);

	parse_nested(tuple.tb[CTA_TUPLE_PROTO], &proto);
	assert_int_equal(proto.total, 2);
	assert_int_equal(mnl_attr_validate(proto.tb[CTA_PROTO_NUM], MNL_TYPE_U8), 0);
	assert_int_equal(mnl_attr_get_u8(proto.tb[CTA_PROTO_NUM]), protocol);
	assert_int_equal(mnl_attr_validate(proto.tb[CTA_PROTO_DST_PORT], MNL_TYPE_U16), 0);
	/* Network byte order, as the kernel compares it with the tuple. */
	port_bytes = mnl_attr_get_payload(proto.tb[CTA_PROTO_DST_PORT]);
	assert_int_equal(port_bytes[0], port >> 8);
	assert_int_equal(port_bytes[1], port & 0xff);
	assert_int_equal(ntohs(mnl_attr_get_u16(proto.tb[CTA_PROTO_DST_PORT])), port);

	parse_nested(top.tb[CTA_FILTER], &filter);
	assert_int_equal(filter.total, 1);
	assert_int_equal(mnl_attr_validate(filter.tb[CTA_FILTER_ORIG_FLAGS], MNL_TYPE_U32), 0);
	/* Host byte order: the kernel reads it with nla_get_u32(). */
	assert_int_equal(mnl_attr_get_u32(filter.tb[CTA_FILTER_ORIG_FLAGS]),
	                 FILTER_PROTO_NUM | FILTER_PROTO_DST_PORT);
}

static void expect_request(const void *buf, size_t len, uint32_t seq, uint8_t family, uint16_t port)
{
	expect_proto_request(buf, len, seq, family, IPPROTO_TCP, port);
}

static void test_request_contents(void **state)
{
	static const uint16_t ports[] = {1, 443, 5061, 0x8001, 65535};
	static const uint8_t families[] = {AF_INET, AF_INET6};
	uint8_t buf[256] __attribute__((aligned(4)));
	size_t p, f;

	(void)state;
	for (p = 0; p < sizeof(ports) / sizeof(ports[0]); p++) {
		for (f = 0; f < 2; f++) {
			uint32_t seq = 0x01020304U + (uint32_t)(p * 2 + f);
			size_t len = fw_ct_build_filtered_dump(buf, sizeof(buf), seq, families[f],
			                                       IPPROTO_TCP, ports[p]);

			expect_request(buf, len, seq, families[f], ports[p]);
			/* DNS over UDP: the same request for another protocol */
			len = fw_ct_build_filtered_dump(buf, sizeof(buf), seq, families[f],
			                                IPPROTO_UDP, ports[p]);
			expect_proto_request(buf, len, seq, families[f], IPPROTO_UDP, ports[p]);
		}
	}
}

/* Byte for byte what kernel 6.18 accepted (ct_fixtures.h), but for the sequence number. */
static void test_matches_accepted_request(void **state)
{
	uint8_t buf[REQUEST_LEN] __attribute__((aligned(4)));
	size_t len;

	(void)state;
	len = fw_ct_build_filtered_dump(buf, sizeof(buf), 0x6b04a131U, AF_INET, IPPROTO_TCP, 5061);
	assert_int_equal(len, sizeof(fixture_filtered_request_v4_5061));
	assert_memory_equal(buf, fixture_filtered_request_v4_5061, len);
	expect_request(fixture_filtered_request_v4_5061, len, 0x6b04a131U, AF_INET, 5061);
}

/* Too small a buffer gets nothing written; any alignment works. */
static void test_buffer_size_and_alignment(void **state)
{
	uint8_t area[REQUEST_LEN + 8] __attribute__((aligned(4)));
	uint8_t aligned[REQUEST_LEN] __attribute__((aligned(4)));
	size_t size, i;

	(void)state;
	for (size = 0; size < REQUEST_LEN; size++) {
		memset(area, 0xa5, sizeof(area));
		assert_int_equal(
		    fw_ct_build_filtered_dump(area, size, 1, AF_INET, IPPROTO_TCP, 5061), 0);
		for (i = 0; i < sizeof(area); i++)
			assert_int_equal(area[i], 0xa5);
	}
	assert_int_equal(
	    fw_ct_build_filtered_dump(area, REQUEST_LEN, 1, AF_INET, IPPROTO_TCP, 5061),
	    REQUEST_LEN);
	assert_int_equal(area[REQUEST_LEN], 0xa5);

	for (i = 1; i < 4; i++) {
		assert_int_equal(fw_ct_build_filtered_dump(area + i, REQUEST_LEN, 7, AF_INET6,
		                                           IPPROTO_TCP, 5061),
		                 REQUEST_LEN);
		memcpy(aligned, area + i, REQUEST_LEN);
		expect_request(aligned, REQUEST_LEN, 7, AF_INET6, 5061);
	}
}

/* Padding and reserved fields are zero: the request carries nothing stale. */
static void test_no_stale_bytes(void **state)
{
	uint8_t a[REQUEST_LEN] __attribute__((aligned(4)));
	uint8_t b[REQUEST_LEN] __attribute__((aligned(4)));

	(void)state;
	memset(a, 0x00, sizeof(a));
	memset(b, 0xff, sizeof(b));
	assert_int_equal(fw_ct_build_filtered_dump(a, sizeof(a), 9, AF_INET, IPPROTO_TCP, 5061),
	                 REQUEST_LEN);
	assert_int_equal(fw_ct_build_filtered_dump(b, sizeof(b), 9, AF_INET, IPPROTO_TCP, 5061),
	                 REQUEST_LEN);
	assert_memory_equal(a, b, REQUEST_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_request_contents),
	    cmocka_unit_test(test_matches_accepted_request),
	    cmocka_unit_test(test_buffer_size_and_alignment),
	    cmocka_unit_test(test_no_stale_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
