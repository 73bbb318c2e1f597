/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>

#include "log.h"
#include "nft_timeout_parse.h"
#include "nl_fixtures.h"
#include "timeout_parser_checks.h"

/* Names used when recording fixture_nft_long_names. */
#define LONG_TABLE  "sbc_edge_firewall_for_sip_over_tls_desk_phones_building_a_floor_3"
#define LONG_OBJECT "keep_registrations_alive_past_the_ten_minute_refresh_interval"

static const char *const tcp_states[] = {
    "syn_sent",  "syn_recv", "established", "fin_wait", "close_wait",     "last_ack",
    "time_wait", "close",    "syn_sent2",   "retrans",  "unacknowledged",
};

/* nft fills states a policy leaves out with its own defaults (nft 1.0.6). */
#define NFT_DEFAULTS(established, close_wait)                                     \
	{                                                                         \
		120, 60, established, 120, close_wait, 30, 120, 10, 120, 300, 300 \
	}

static int warnings;

static void count_warnings(int priority, const char *subsystem, const char *message)
{
	(void)subsystem;
	(void)message;
	if (priority == LOG_WARNING)
		warnings++;
}

static void expect_row(const struct fw_timeout_row *row, const char *name, uint8_t protocol,
                       const char *state, uint32_t seconds)
{
	assert_int_equal(row->source, FW_SOURCE_NFT);
	assert_string_equal(row->source_name, name);
	assert_int_equal(row->protocol, protocol);
	assert_string_equal(row->state, state);
	assert_int_equal(row->seconds, seconds);
}

static void expect_tcp_object(const uint8_t *buf, size_t len, const char *name,
                              const uint32_t seconds[11])
{
	struct fw_timeout_list list = {0};
	char error[256] = "";
	size_t i;

	assert_int_equal(fw_nft_timeout_parse(buf, len, &list, error, sizeof(error)), 11);
	assert_int_equal(list.count, 11);
	for (i = 0; i < 11; i++)
		expect_row(&list.rows[i], name, IPPROTO_TCP, tcp_states[i], seconds[i]);
	fw_timeout_list_free(&list);
}

static void test_tcp_object(void **state)
{
	static const uint32_t seconds[11] = NFT_DEFAULTS(300, 30);

	(void)state;
	expect_tcp_object(fixture_nft_siptls, sizeof(fixture_nft_siptls), "inet filter siptls",
	                  seconds);
}

static void test_tcp_all_states(void **state)
{
	static const uint32_t seconds[11] = {1001, 1002, 1003, 1004, 1005, 1006,
	                                     1007, 1008, 1009, 1010, 1011};

	(void)state;
	expect_tcp_object(fixture_nft_allstates, sizeof(fixture_nft_allstates),
	                  "inet filter allstates", seconds);
}

static void test_ip6_table(void **state)
{
	static const uint32_t seconds[11] = NFT_DEFAULTS(600, 60);
	struct fw_timeout_list list = {0};
	char error[256];

	(void)state;
	expect_tcp_object(fixture_nft_siptls6, sizeof(fixture_nft_siptls6), "ip6 v6fw siptls6",
	                  seconds);
	/* l3proto ip6 of the object (recorded), ip of the inet one */
	assert_int_equal(fw_nft_timeout_parse(fixture_nft_siptls6, sizeof(fixture_nft_siptls6),
	                                      &list, error, sizeof(error)),
	                 11);
	assert_int_equal(list.rows[0].l3proto, NFPROTO_IPV6);
	fw_timeout_list_clear(&list);
	assert_int_equal(fw_nft_timeout_parse(fixture_nft_siptls, sizeof(fixture_nft_siptls), &list,
	                                      error, sizeof(error)),
	                 11);
	assert_int_equal(list.rows[0].l3proto, NFPROTO_IPV4);
	fw_timeout_list_free(&list);
}

static void test_udp_object(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";

	(void)state;
	assert_int_equal(fw_nft_timeout_parse(fixture_nft_sipudp, sizeof(fixture_nft_sipudp), &list,
	                                      error, sizeof(error)),
	                 2);
	assert_int_equal(list.count, 2);
	expect_row(&list.rows[0], "inet filter sipudp", IPPROTO_UDP, "unreplied", 25);
	expect_row(&list.rows[1], "inet filter sipudp", IPPROTO_UDP, "replied", 90);
	fw_timeout_list_free(&list);
}

static void test_counter_object(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";

	(void)state;
	assert_int_equal(fw_nft_timeout_parse(fixture_nft_counter, sizeof(fixture_nft_counter),
	                                      &list, error, sizeof(error)),
	                 0);
	assert_int_equal(list.count, 0);
	fw_timeout_list_free(&list);
}

static void test_long_names_truncated(void **state)
{
	const char *full = "inet " LONG_TABLE " " LONG_OBJECT;
	struct fw_timeout_list list = {0};
	char error[256] = "";

	(void)state;
	warnings = 0;
	fw_log_set_sink(count_warnings);
	assert_int_equal(fw_nft_timeout_parse(fixture_nft_long_names,
	                                      sizeof(fixture_nft_long_names), &list, error,
	                                      sizeof(error)),
	                 11);
	assert_int_equal(fw_nft_timeout_parse(fixture_nft_long_names,
	                                      sizeof(fixture_nft_long_names), &list, error,
	                                      sizeof(error)),
	                 11);
	fw_log_set_sink(NULL);
	assert_int_equal(warnings, 1);

	assert_true(strlen(full) > FW_SOURCE_NAME_MAX);
	assert_int_equal(strlen(list.rows[0].source_name), FW_SOURCE_NAME_MAX);
	assert_memory_equal(list.rows[0].source_name, full, FW_SOURCE_NAME_MAX);
	expect_row(&list.rows[2], list.rows[0].source_name, IPPROTO_TCP, "established", 3600);
	fw_timeout_list_free(&list);
}

static void test_family_names(void **state)
{
	static const struct {
		uint8_t family;
		const char *name;
	} cases[] = {
	    {NFPROTO_INET, "inet filter siptls"},     {NFPROTO_IPV4, "ip filter siptls"},
	    {NFPROTO_IPV6, "ip6 filter siptls"},      {NFPROTO_ARP, "arp filter siptls"},
	    {NFPROTO_BRIDGE, "bridge filter siptls"}, {NFPROTO_NETDEV, "netdev filter siptls"},
	    {99, "family-99 filter siptls"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fw_timeout_list list = {0};
		char error[256] = "";
		uint8_t *buf = copy_of(fixture_nft_siptls, sizeof(fixture_nft_siptls));
		struct nfgenmsg *nfg = mnl_nlmsg_get_payload((struct nlmsghdr *)buf);

		nfg->nfgen_family = cases[i].family;
		assert_int_equal(fw_nft_timeout_parse(buf, sizeof(fixture_nft_siptls), &list, error,
		                                      sizeof(error)),
		                 11);
		assert_string_equal(list.rows[10].source_name, cases[i].name);
		free(buf);
		fw_timeout_list_free(&list);
	}
}

static void test_unaligned_buffer(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";
	size_t len = sizeof(fixture_nft_sipudp);
	uint8_t *buf = malloc(len + 3);

	(void)state;
	assert_non_null(buf);
	memcpy(buf + 3, fixture_nft_sipudp, len);
	assert_int_equal(fw_nft_timeout_parse(buf + 3, len, &list, error, sizeof(error)), 2);
	expect_row(&list.rows[1], "inet filter sipudp", IPPROTO_UDP, "replied", 90);
	free(buf);
	fw_timeout_list_free(&list);
}

static const struct parser_fixture fixtures[] = {
    {fixture_nft_siptls, sizeof(fixture_nft_siptls), 11},
    {fixture_nft_sipudp, sizeof(fixture_nft_sipudp), 2},
    {fixture_nft_allstates, sizeof(fixture_nft_allstates), 11},
    {fixture_nft_counter, sizeof(fixture_nft_counter), 0},
    {fixture_nft_siptls6, sizeof(fixture_nft_siptls6), 11},
    {fixture_nft_long_names, sizeof(fixture_nft_long_names), 11},
};

static void test_truncated_buffer(void **state)
{
	(void)state;
	check_truncated_buffers(fw_nft_timeout_parse, fixtures,
	                        sizeof(fixtures) / sizeof(fixtures[0]));
}

static void test_truncated_message(void **state)
{
	(void)state;
	fw_log_set_sink(count_warnings);
	check_truncated_messages(fw_nft_timeout_parse, fixtures,
	                         sizeof(fixtures) / sizeof(fixtures[0]));
	fw_log_set_sink(NULL);
}

static void test_corrupt_lengths(void **state)
{
	const uint8_t *fx = fixture_nft_siptls;
	size_t len = sizeof(fixture_nft_siptls);
	size_t table = find_attr(fx, ATTR_OFFSET, len, NFTA_OBJ_TABLE);
	size_t type = find_attr(fx, ATTR_OFFSET, len, NFTA_OBJ_TYPE);
	size_t data = find_attr(fx, ATTR_OFFSET, len, NFTA_OBJ_DATA);
	size_t l4, policy, inner;
	char error[256];

	(void)state;
	assert_true(table && type && data);
	l4 = find_attr(fx, data + 4, len, NFTA_CT_TIMEOUT_L4PROTO);
	policy = find_attr(fx, data + 4, len, NFTA_CT_TIMEOUT_DATA);
	assert_true(l4 && policy);
	inner = find_attr(fx, policy + 4, len, CTA_TIMEOUT_TCP_ESTABLISHED);
	assert_true(inner);

	assert_int_equal(
	    parse_modified(fw_nft_timeout_parse, fx, len, table, 0x2000, error, sizeof(error)), -1);
	assert_non_null(strstr(error, "length"));
	assert_int_equal(
	    parse_modified(fw_nft_timeout_parse, fx, len, table, 3, error, sizeof(error)), -1);
	/* Object type widened to six bytes. */
	assert_int_equal(
	    parse_modified(fw_nft_timeout_parse, fx, len, type, 10, error, sizeof(error)), -1);
	assert_non_null(strstr(error, "bad payload"));
	assert_int_equal(parse_modified(fw_nft_timeout_parse, fx, len, data,
	                                (uint16_t)(len - data + 8), error, sizeof(error)),
	                 -1);
	assert_int_equal(parse_modified(fw_nft_timeout_parse, fx, len, l4, 8, error, sizeof(error)),
	                 -1);
	assert_non_null(strstr(error, "ct timeout"));
	assert_int_equal(
	    parse_modified(fw_nft_timeout_parse, fx, len, policy, 0x400, error, sizeof(error)), -1);
	assert_int_equal(
	    parse_modified(fw_nft_timeout_parse, fx, len, inner, 7, error, sizeof(error)), -1);
	assert_non_null(strstr(error, "policy"));
	assert_int_equal(
	    parse_modified(fw_nft_timeout_parse, fx, len, inner, 0x200, error, sizeof(error)), -1);
}

static void test_wrong_message_type(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";
	uint8_t *buf = copy_of(fixture_nft_siptls, sizeof(fixture_nft_siptls));

	(void)state;
	((struct nlmsghdr *)buf)->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE;
	assert_int_equal(
	    fw_nft_timeout_parse(buf, sizeof(fixture_nft_siptls), &list, error, sizeof(error)), -1);
	assert_non_null(strstr(error, "message type"));
	free(buf);
	fw_timeout_list_free(&list);
}

enum build_flags {
	NO_TABLE = 1,
	NO_NAME = 2,
	NO_TYPE = 4,
	NO_DATA = 8,
	NO_L4PROTO = 16,
	NO_POLICY = 32,
};

static struct nlmsghdr *build(uint32_t *space, unsigned flags, uint32_t obj_type, uint8_t l4proto)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(space);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWOBJ;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_INET;
	if (!(flags & NO_TABLE))
		mnl_attr_put_strz(nlh, NFTA_OBJ_TABLE, "t");
	if (!(flags & NO_NAME))
		mnl_attr_put_strz(nlh, NFTA_OBJ_NAME, "o");
	if (!(flags & NO_TYPE))
		mnl_attr_put_u32(nlh, NFTA_OBJ_TYPE, htonl(obj_type));
	if (!(flags & NO_DATA)) {
		struct nlattr *data = mnl_attr_nest_start(nlh, NFTA_OBJ_DATA);

		mnl_attr_put_u16(nlh, NFTA_CT_TIMEOUT_L3PROTO, htons(NFPROTO_IPV4));
		if (!(flags & NO_L4PROTO))
			mnl_attr_put_u8(nlh, NFTA_CT_TIMEOUT_L4PROTO, l4proto);
		if (!(flags & NO_POLICY)) {
			struct nlattr *policy = mnl_attr_nest_start(nlh, NFTA_CT_TIMEOUT_DATA);

			mnl_attr_put_u32(nlh, 1, htonl(11));
			mnl_attr_put_u32(nlh, 2, htonl(22));
			mnl_attr_nest_end(nlh, policy);
		}
		mnl_attr_nest_end(nlh, data);
	}
	/* Newer kernels append attributes the parser has never heard of. */
	mnl_attr_put_u32(nlh, NFTA_OBJ_MAX + 5, htonl(5));
	return nlh;
}

static void test_missing_attributes(void **state)
{
	static const unsigned bad[] = {NO_TABLE, NO_NAME, NO_TYPE, NO_DATA, NO_L4PROTO, NO_POLICY};
	uint32_t space[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fw_timeout_list list = {0};
		char error[256] = "";
		struct nlmsghdr *nlh = build(space, bad[i], NFT_OBJECT_CT_TIMEOUT, IPPROTO_UDP);

		assert_int_equal(
		    fw_nft_timeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), -1);
		assert_true(error[0] != '\0');
		assert_int_equal(list.count, 0);
		fw_timeout_list_free(&list);
	}
}

static void test_synthetic_objects(void **state)
{
	uint32_t space[1024];
	struct fw_timeout_list list = {0};
	char error[256] = "";
	struct nlmsghdr *nlh;

	(void)state;
	nlh = build(space, 0, NFT_OBJECT_CT_TIMEOUT, IPPROTO_UDP);
	assert_int_equal(fw_nft_timeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), 2);
	expect_row(&list.rows[0], "inet t o", IPPROTO_UDP, "unreplied", 11);
	expect_row(&list.rows[1], "inet t o", IPPROTO_UDP, "replied", 22);

	/* Policies for protocols without rows, and other object types, yield nothing. */
	nlh = build(space, 0, NFT_OBJECT_CT_TIMEOUT, IPPROTO_ICMP);
	assert_int_equal(fw_nft_timeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), 0);
	nlh = build(space, NO_DATA, NFT_OBJECT_QUOTA, IPPROTO_TCP);
	assert_int_equal(fw_nft_timeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), 0);
	assert_int_equal(list.count, 2);
	fw_timeout_list_free(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp_object),         cmocka_unit_test(test_tcp_all_states),
	    cmocka_unit_test(test_ip6_table),          cmocka_unit_test(test_udp_object),
	    cmocka_unit_test(test_counter_object),     cmocka_unit_test(test_long_names_truncated),
	    cmocka_unit_test(test_family_names),       cmocka_unit_test(test_unaligned_buffer),
	    cmocka_unit_test(test_truncated_buffer),   cmocka_unit_test(test_truncated_message),
	    cmocka_unit_test(test_corrupt_lengths),    cmocka_unit_test(test_wrong_message_type),
	    cmocka_unit_test(test_missing_attributes), cmocka_unit_test(test_synthetic_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
