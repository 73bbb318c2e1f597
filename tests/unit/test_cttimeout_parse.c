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

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>

#include "cttimeout_parse.h"
#include "log.h"
#include "nl_fixtures.h"
#include "timeout_parser_checks.h"

static const char *const tcp_states[] = {
    "syn_sent",  "syn_recv", "established", "fin_wait", "close_wait",     "last_ack",
    "time_wait", "close",    "syn_sent2",   "retrans",  "unacknowledged",
};

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
	assert_int_equal(row->source, FW_SOURCE_CTTIMEOUT);
	assert_string_equal(row->source_name, name);
	assert_int_equal(row->protocol, protocol);
	assert_string_equal(row->state, state);
	assert_int_equal(row->seconds, seconds);
}

static void expect_tcp_rows(const struct fw_timeout_list *list, size_t first, const char *name,
                            const uint32_t seconds[11])
{
	size_t i;

	assert_true(list->count >= first + 11);
	for (i = 0; i < 11; i++)
		expect_row(&list->rows[first + i], name, IPPROTO_TCP, tcp_states[i], seconds[i]);
}

static void test_tcp_policy(void **state)
{
	static const uint32_t seconds[11] = {120, 60, 100, 120, 20, 30, 120, 10, 120, 300, 300};
	struct fw_timeout_list list = {0};
	char error[256] = "";

	(void)state;
	assert_int_equal(fw_cttimeout_parse(fixture_ct_sip_policy, sizeof(fixture_ct_sip_policy),
	                                    &list, error, sizeof(error)),
	                 11);
	assert_int_equal(list.count, 11);
	expect_tcp_rows(&list, 0, "sip-policy", seconds);
	/* the policy's layer 3 protocol, for the nfct command that would replace it */
	assert_int_equal(list.rows[0].l3proto, AF_INET);
	assert_int_equal(list.rows[10].l3proto, AF_INET);
	fw_timeout_list_free(&list);
}

/* Distinct values in every state prove each attribute type maps to the right name. */
static void test_tcp_all_states(void **state)
{
	static const uint32_t seconds[11] = {2001, 2002, 2003, 2004, 2005, 2006,
	                                     2007, 2008, 2009, 2010, 2011};
	struct fw_timeout_list list = {0};
	char error[256] = "";

	(void)state;
	assert_int_equal(fw_cttimeout_parse(fixture_ct_allstates, sizeof(fixture_ct_allstates),
	                                    &list, error, sizeof(error)),
	                 11);
	expect_tcp_rows(&list, 0, "allstates", seconds);
	fw_timeout_list_free(&list);
}

static void test_udp_policy(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";

	(void)state;
	assert_int_equal(fw_cttimeout_parse(fixture_ct_sip_udp, sizeof(fixture_ct_sip_udp), &list,
	                                    error, sizeof(error)),
	                 2);
	assert_int_equal(list.count, 2);
	expect_row(&list.rows[0], "sip-udp", IPPROTO_UDP, "unreplied", 40);
	expect_row(&list.rows[1], "sip-udp", IPPROTO_UDP, "replied", 200);
	fw_timeout_list_free(&list);
}

static void test_other_protocol(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";

	(void)state;
	assert_int_equal(fw_cttimeout_parse(fixture_ct_icmp, sizeof(fixture_ct_icmp), &list, error,
	                                    sizeof(error)),
	                 0);
	assert_int_equal(list.count, 0);
	fw_timeout_list_free(&list);
}

/* The kernel accepts an empty policy name; the parser passes it through. */
static void test_empty_name(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";

	(void)state;
	assert_int_equal(fw_cttimeout_parse(fixture_ct_empty_name, sizeof(fixture_ct_empty_name),
	                                    &list, error, sizeof(error)),
	                 11);
	assert_string_equal(list.rows[2].source_name, "");
	assert_string_equal(list.rows[2].state, "established");
	assert_int_equal(list.rows[2].seconds, 100);
	fw_timeout_list_free(&list);
}

static void test_appends(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";

	(void)state;
	assert_int_equal(fw_cttimeout_parse(fixture_ct_sip_udp, sizeof(fixture_ct_sip_udp), &list,
	                                    error, sizeof(error)),
	                 2);
	assert_int_equal(fw_cttimeout_parse(fixture_ct_sip_policy, sizeof(fixture_ct_sip_policy),
	                                    &list, error, sizeof(error)),
	                 11);
	assert_int_equal(list.count, 13);
	expect_row(&list.rows[0], "sip-udp", IPPROTO_UDP, "unreplied", 40);
	expect_row(&list.rows[4], "sip-policy", IPPROTO_TCP, "established", 100);
	fw_timeout_list_free(&list);
}

static void test_unaligned_buffer(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";
	size_t len = sizeof(fixture_ct_sip_policy);
	uint8_t *buf = malloc(len + 1);

	(void)state;
	assert_non_null(buf);
	memcpy(buf + 1, fixture_ct_sip_policy, len);
	assert_int_equal(fw_cttimeout_parse(buf + 1, len, &list, error, sizeof(error)), 11);
	assert_string_equal(list.rows[4].state, "close_wait");
	assert_int_equal(list.rows[4].seconds, 20);
	free(buf);
	fw_timeout_list_free(&list);
}

static const struct parser_fixture fixtures[] = {
    {fixture_ct_sip_policy, sizeof(fixture_ct_sip_policy), 11},
    {fixture_ct_sip_udp, sizeof(fixture_ct_sip_udp), 2},
    {fixture_ct_allstates, sizeof(fixture_ct_allstates), 11},
    {fixture_ct_icmp, sizeof(fixture_ct_icmp), 0},
    {fixture_ct_empty_name, sizeof(fixture_ct_empty_name), 11},
};

/* A buffer shorter than the header's nlmsg_len is always refused. */
static void test_truncated_buffer(void **state)
{
	(void)state;
	check_truncated_buffers(fw_cttimeout_parse, fixtures,
	                        sizeof(fixtures) / sizeof(fixtures[0]));
}

/* Cut messages whose nlmsg_len agrees: -1 or fewer rows, never a read past the cut. */
static void test_truncated_message(void **state)
{
	(void)state;
	check_truncated_messages(fw_cttimeout_parse, fixtures,
	                         sizeof(fixtures) / sizeof(fixtures[0]));
}

static void test_corrupt_lengths(void **state)
{
	const uint8_t *fx = fixture_ct_sip_policy;
	size_t len = sizeof(fixture_ct_sip_policy);
	size_t name = find_attr(fx, ATTR_OFFSET, len, CTA_TIMEOUT_NAME);
	size_t l4 = find_attr(fx, ATTR_OFFSET, len, CTA_TIMEOUT_L4PROTO);
	size_t data = find_attr(fx, ATTR_OFFSET, len, CTA_TIMEOUT_DATA);
	size_t inner;
	char error[256];

	(void)state;
	assert_true(name && l4 && data);
	inner = find_attr(fx, data + 4, len, CTA_TIMEOUT_TCP_ESTABLISHED);
	assert_true(inner);

	/* Name claims more bytes than the message holds. */
	assert_int_equal(
	    parse_modified(fw_cttimeout_parse, fx, len, name, 0x1000, error, sizeof(error)), -1);
	assert_non_null(strstr(error, "length"));
	/* Attribute length below the attribute header. */
	assert_int_equal(parse_modified(fw_cttimeout_parse, fx, len, name, 2, error, sizeof(error)),
	                 -1);
	/* Name that loses its terminating NUL. */
	assert_int_equal(
	    parse_modified(fw_cttimeout_parse, fx, len, name, 4 + 10, error, sizeof(error)), -1);
	/* u8 protocol stretched to two bytes. */
	assert_int_equal(parse_modified(fw_cttimeout_parse, fx, len, l4, 6, error, sizeof(error)),
	                 -1);
	assert_non_null(strstr(error, "bad payload"));
	/* Nest longer than the message. */
	assert_int_equal(parse_modified(fw_cttimeout_parse, fx, len, data,
	                                (uint16_t)(len - data + 4), error, sizeof(error)),
	                 -1);
	/* be32 timeout shrunk to two bytes. */
	assert_int_equal(
	    parse_modified(fw_cttimeout_parse, fx, len, inner, 6, error, sizeof(error)), -1);
	assert_non_null(strstr(error, "timeout data"));
	/* Timeout attribute running past the end of its nest. */
	assert_int_equal(
	    parse_modified(fw_cttimeout_parse, fx, len, inner, 0x100, error, sizeof(error)), -1);
}

static void test_wrong_message_type(void **state)
{
	struct fw_timeout_list list = {0};
	char error[256] = "";
	uint8_t *buf = copy_of(fixture_ct_sip_policy, sizeof(fixture_ct_sip_policy));

	(void)state;
	((struct nlmsghdr *)buf)->nlmsg_type = NLMSG_ERROR;
	assert_int_equal(
	    fw_cttimeout_parse(buf, sizeof(fixture_ct_sip_policy), &list, error, sizeof(error)),
	    -1);
	assert_non_null(strstr(error, "message type"));
	free(buf);
	fw_timeout_list_free(&list);
}

/* Builds a cttimeout message; a NULL name or proto < 0 leaves that attribute out. */
static struct nlmsghdr *build(uint32_t *space, const char *name, int l4proto, int with_data,
                              uint16_t extra_attr)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(space);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK_TIMEOUT << 8) | IPCTNL_MSG_TIMEOUT_NEW;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	if (name)
		mnl_attr_put_strz(nlh, CTA_TIMEOUT_NAME, name);
	mnl_attr_put_u16(nlh, CTA_TIMEOUT_L3PROTO, htons(AF_INET));
	if (l4proto >= 0)
		mnl_attr_put_u8(nlh, CTA_TIMEOUT_L4PROTO, (uint8_t)l4proto);
	if (extra_attr)
		mnl_attr_put_u32(nlh, extra_attr, htonl(7));
	if (with_data) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, CTA_TIMEOUT_DATA);

		mnl_attr_put_u32(nlh, CTA_TIMEOUT_TCP_ESTABLISHED, htonl(600));
		mnl_attr_put_u32(nlh, CTA_TIMEOUT_TCP_CLOSE_WAIT, htonl(60));
		/* A state this parser does not know, as a newer kernel might send. */
		mnl_attr_put_u32(nlh, CTA_TIMEOUT_TCP_MAX + 1, htonl(1));
		mnl_attr_nest_end(nlh, nest);
	}
	mnl_attr_put_u32(nlh, CTA_TIMEOUT_USE, htonl(1));
	return nlh;
}

static void test_missing_attributes(void **state)
{
	uint32_t space[1024];
	struct fw_timeout_list list = {0};
	char error[256];
	struct nlmsghdr *nlh;

	(void)state;
	nlh = build(space, NULL, IPPROTO_TCP, 1, 0);
	assert_int_equal(fw_cttimeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), -1);
	assert_non_null(strstr(error, "name"));
	nlh = build(space, "p", -1, 1, 0);
	assert_int_equal(fw_cttimeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), -1);
	assert_non_null(strstr(error, "protocol"));
	nlh = build(space, "p", IPPROTO_TCP, 0, 0);
	assert_int_equal(fw_cttimeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), -1);
	assert_non_null(strstr(error, "data"));
	assert_int_equal(list.count, 0);
	fw_timeout_list_free(&list);
}

/* Unknown attributes and states from a newer kernel are skipped, not fatal. */
static void test_unknown_attributes(void **state)
{
	uint32_t space[1024];
	struct fw_timeout_list list = {0};
	char error[256] = "";
	struct nlmsghdr *nlh = build(space, "future", IPPROTO_TCP, 1, CTA_TIMEOUT_MAX + 3);

	(void)state;
	assert_int_equal(fw_cttimeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), 2);
	expect_row(&list.rows[0], "future", IPPROTO_TCP, "established", 600);
	expect_row(&list.rows[1], "future", IPPROTO_TCP, "close_wait", 60);
	fw_timeout_list_free(&list);
}

static void test_long_name_truncated(void **state)
{
	uint32_t space[1024];
	struct fw_timeout_list list = {0};
	char error[256] = "";
	char name[FW_SOURCE_NAME_MAX + 21];
	struct nlmsghdr *nlh;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	name[0] = 'A';
	nlh = build(space, name, IPPROTO_TCP, 1, 0);

	warnings = 0;
	fw_log_set_sink(count_warnings);
	assert_int_equal(fw_cttimeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), 2);
	assert_int_equal(fw_cttimeout_parse(nlh, nlh->nlmsg_len, &list, error, sizeof(error)), 2);
	fw_log_set_sink(NULL);
	/* Said once, not on every poll. */
	assert_int_equal(warnings, 1);

	assert_int_equal(strlen(list.rows[0].source_name), FW_SOURCE_NAME_MAX);
	assert_memory_equal(list.rows[0].source_name, name, FW_SOURCE_NAME_MAX);
	fw_timeout_list_free(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp_policy),         cmocka_unit_test(test_tcp_all_states),
	    cmocka_unit_test(test_udp_policy),         cmocka_unit_test(test_other_protocol),
	    cmocka_unit_test(test_empty_name),         cmocka_unit_test(test_appends),
	    cmocka_unit_test(test_unaligned_buffer),   cmocka_unit_test(test_truncated_buffer),
	    cmocka_unit_test(test_truncated_message),  cmocka_unit_test(test_corrupt_lengths),
	    cmocka_unit_test(test_wrong_message_type), cmocka_unit_test(test_missing_attributes),
	    cmocka_unit_test(test_unknown_attributes), cmocka_unit_test(test_long_name_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
