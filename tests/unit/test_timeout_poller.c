/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The timeout poll without blocking: the requests it sends (nft asks for ct
 * timeout objects only), and the polls that need no reply: sources whose
 * module is not loaded are not asked, and end the poll at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>

#include "log.h"
#include "timeout_dump.h"
#include "timeout_poller.h"

static void test_requests(void **state)
{
	union {
		char bytes[FW_NL_REQUEST_MAX];
		uint32_t align;
	} req;
	struct nlmsghdr *nlh;
	const struct nlattr *attr;
	int attrs = 0;

	(void)state;
	nlh = fw_timeout_request(FW_SOURCE_NFT, req.bytes);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETOBJ);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family,
	                 NFPROTO_UNSPEC);
	mnl_attr_for_each(attr, nlh, sizeof(struct nfgenmsg))
	{
		attrs++;
		assert_int_equal(mnl_attr_get_type(attr), NFTA_OBJ_TYPE);
		assert_int_equal(ntohl(mnl_attr_get_u32(attr)), NFT_OBJECT_CT_TIMEOUT);
	}
	assert_int_equal(attrs, 1);

	nlh = fw_timeout_request(FW_SOURCE_CTTIMEOUT, req.bytes);
	assert_int_equal(nlh->nlmsg_type,
	                 (NFNL_SUBSYS_CTNETLINK_TIMEOUT << 8) | IPCTNL_MSG_TIMEOUT_GET);
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + sizeof(struct nfgenmsg));
	assert_null(fw_timeout_request(FW_SOURCE_SYSCTL, req.bytes));
	assert_string_equal(fw_timeout_dump_label(FW_SOURCE_NFT), "nft dump");
	assert_string_equal(fw_timeout_dump_label(FW_SOURCE_CTTIMEOUT), "cttimeout dump");
}

static unsigned sysctl_reads;

static int fake_sysctl(const char *proc_root, struct fw_timeout_list *out, unsigned *file_errors,
                       char *error, size_t error_len)
{
	struct fw_timeout_row row;

	(void)proc_root;
	(void)error;
	(void)error_len;
	sysctl_reads++;
	*file_errors = 0;
	memset(&row, 0, sizeof(row));
	row.source = FW_SOURCE_SYSCTL;
	fw_timeout_set_source_name(&row, FW_SYSCTL_SOURCE_NAME);
	row.protocol = IPPROTO_TCP;
	snprintf(row.state, sizeof(row.state), "close_wait");
	row.seconds = 60;
	return fw_timeout_list_append(out, &row);
}

static int nothing_loaded(const char *module)
{
	(void)module;
	return 0;
}

static void silent(int priority, const char *subsystem, const char *message)
{
	(void)priority;
	(void)subsystem;
	(void)message;
}

static void test_no_module_loaded(void **state)
{
	struct fw_timeout_collector c;
	struct fw_timeout_poller p;
	struct fw_timeout_list previous = {0}, out = {0};

	(void)state;
	fw_log_set_sink(silent);
	fw_timeout_collector_init(&c);
	c.readers.sysctl = fake_sysctl;
	c.may_ask = nothing_loaded;
	fw_timeout_poller_init(&p, &c);
	/* complete at once: the sysctls read, nothing else asked, no socket opened */
	assert_int_equal(fw_timeout_poller_start(&p, &previous, &out), 1);
	assert_false(fw_timeout_poller_busy(&p));
	assert_int_equal(fw_timeout_poller_fd(&p), -1);
	assert_int_equal(sysctl_reads, 1);
	assert_int_equal(out.count, 1);
	assert_int_equal(c.status[FW_SOURCE_SYSCTL].ok, 1);
	for (int s = FW_SOURCE_CTTIMEOUT; s <= FW_SOURCE_NFT; s++) {
		assert_int_equal(c.status[s].ok, 1);
		assert_int_equal(c.status[s].not_in_use, 1);
	}
	assert_true(c.last_check != 0);
	/* nothing awaited: nothing to give up on */
	assert_int_equal(fw_timeout_poller_expire(&p), 0);
	assert_int_equal(fw_timeout_poller_process(&p), 0);
	fw_timeout_poller_free(&p);
	fw_timeout_list_free(&out);
	fw_log_set_sink(NULL);
}

/* Readers switched off (as tests do) count as read, empty, without a request. */
static void test_no_reader(void **state)
{
	struct fw_timeout_collector c;
	struct fw_timeout_poller p;
	struct fw_timeout_list out = {0};

	(void)state;
	fw_timeout_collector_init(&c);
	c.readers.sysctl = fake_sysctl;
	c.readers.cttimeout = NULL;
	c.readers.nft = NULL;
	c.may_ask = NULL;
	fw_timeout_poller_init(&p, &c);
	assert_int_equal(fw_timeout_poller_start(&p, NULL, &out), 1);
	assert_int_equal(fw_timeout_poller_fd(&p), -1);
	assert_int_equal(c.status[FW_SOURCE_NFT].ok, 1);
	assert_int_equal(c.status[FW_SOURCE_NFT].not_in_use, 0);
	fw_timeout_poller_free(&p);
	fw_timeout_list_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_requests),
	    cmocka_unit_test(test_no_module_loaded),
	    cmocka_unit_test(test_no_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
