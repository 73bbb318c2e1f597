/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dump engine's reading of each reply: for the request awaited, or stale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>

#include "nl_dump.h"

#define PORT 777
#define SEQ  1000

static union {
	char bytes[256];
	uint32_t align;
} buf;

static struct nlmsghdr *message(uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	struct nlmsghdr *nlh;

	memset(&buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf.bytes);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = pid;
	return nlh;
}

static struct nlmsghdr *error_message(int error, uint32_t seq)
{
	struct nlmsghdr *nlh = message(NLMSG_ERROR, 0, seq, PORT);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = error;
	return nlh;
}

static struct nlmsghdr *done_message(int status, uint32_t seq, uint16_t flags)
{
	struct nlmsghdr *nlh = message(NLMSG_DONE, NLM_F_MULTI | flags, seq, PORT);
	int *st = mnl_nlmsg_put_extra_header(nlh, sizeof(*st));

	*st = status;
	return nlh;
}

static enum fw_nl_reply classify(const struct nlmsghdr *nlh, uint32_t seq, int *err, int *intr)
{
	*err = -1;
	return fw_nl_classify(nlh, PORT, seq, err, intr);
}

static void test_awaited(void **state)
{
	int err, intr = 0;
	uint16_t row = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;

	(void)state;
	assert_int_equal(classify(message(row, NLM_F_MULTI, SEQ, PORT), SEQ, &err, &intr),
	                 FW_NL_DATA);
	assert_int_equal(classify(done_message(0, SEQ, 0), SEQ, &err, &intr), FW_NL_END);
	assert_int_equal(err, 0);
	assert_int_equal(intr, 0);
	/* failed part way */
	assert_int_equal(classify(done_message(-ENOMEM, SEQ, 0), SEQ, &err, &intr), FW_NL_END);
	assert_int_equal(err, ENOMEM);
	/* refused */
	assert_int_equal(classify(error_message(-EPERM, SEQ), SEQ, &err, &intr), FW_NL_END);
	assert_int_equal(err, EPERM);
	assert_int_equal(classify(error_message(-EBUSY, SEQ), SEQ, &err, &intr), FW_NL_END);
	assert_int_equal(err, EBUSY);
	/* an acknowledgement, a no-op, an overrun */
	assert_int_equal(classify(error_message(0, SEQ), SEQ, &err, &intr), FW_NL_SKIP);
	assert_int_equal(classify(message(NLMSG_NOOP, 0, SEQ, PORT), SEQ, &err, &intr), FW_NL_SKIP);
	assert_int_equal(classify(message(NLMSG_OVERRUN, 0, SEQ, PORT), SEQ, &err, &intr),
	                 FW_NL_END);
	assert_int_equal(err, ENOBUFS);
	/* a short error message */
	assert_int_equal(classify(message(NLMSG_ERROR, 0, SEQ, PORT), SEQ, &err, &intr), FW_NL_END);
	assert_int_equal(err, EBADMSG);
	/* the kernel flags a dump a concurrent change interrupted */
	assert_int_equal(
	    classify(message(row, NLM_F_MULTI | NLM_F_DUMP_INTR, SEQ, PORT), SEQ, &err, &intr),
	    FW_NL_DATA);
	assert_int_equal(intr, 1);
}

static void test_stale(void **state)
{
	int err, intr = 0;
	uint16_t row = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;

	(void)state;
	/* replies to an earlier request: dropped, and its end told apart */
	assert_int_equal(classify(message(row, NLM_F_MULTI, SEQ - 1, PORT), SEQ, &err, &intr),
	                 FW_NL_SKIP);
	assert_int_equal(classify(done_message(0, SEQ - 1, 0), SEQ, &err, &intr), FW_NL_STALE_END);
	assert_int_equal(classify(error_message(-ENOMEM, SEQ - 1), SEQ, &err, &intr),
	                 FW_NL_STALE_END);
	/* a refusal of an old request ends nothing */
	assert_int_equal(classify(error_message(-EBUSY, SEQ - 1), SEQ, &err, &intr), FW_NL_SKIP);
	/* nothing awaited */
	assert_int_equal(classify(message(row, NLM_F_MULTI, SEQ, PORT), 0, &err, &intr),
	                 FW_NL_SKIP);
	assert_int_equal(classify(done_message(0, SEQ, 0), 0, &err, &intr), FW_NL_STALE_END);
	/* for another socket */
	assert_int_equal(classify(message(row, NLM_F_MULTI, SEQ, PORT + 1), SEQ, &err, &intr),
	                 FW_NL_SKIP);
	assert_int_equal(intr, 0);
}

static void test_request(void **state)
{
	union {
		char bytes[FW_NL_REQUEST_MAX];
		uint32_t align;
	} req;
	struct nlmsghdr *nlh;
	const struct nfgenmsg *nfg;

	(void)state;
	nlh = fw_nl_dump_put_request(req.bytes, NFNL_SUBSYS_CTNETLINK_TIMEOUT, 1, 2);
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + sizeof(struct nfgenmsg));
	assert_int_equal(nlh->nlmsg_type, (NFNL_SUBSYS_CTNETLINK_TIMEOUT << 8) | 1);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	nfg = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nfg->nfgen_family, 2);
	assert_int_equal(nfg->version, NFNETLINK_V0);
}

static void test_error_text(void **state)
{
	char error[128];

	(void)state;
	fw_nl_dump_error(error, sizeof(error), "nft dump", "send", EINVAL);
	assert_string_equal(error, "nft dump: send: Invalid argument (kernel support missing?)");
	fw_nl_dump_error(error, sizeof(error), "nft dump", NULL, ETIMEDOUT);
	assert_string_equal(error, "nft dump: no reply from the kernel");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_awaited),
	    cmocka_unit_test(test_stale),
	    cmocka_unit_test(test_request),
	    cmocka_unit_test(test_error_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
