/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timeout_dump.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <linux/netlink.h>

#include "cttimeout_parse.h"
#include "nft_timeout_parse.h"
#include "nl_dump.h"

struct nlmsghdr *fw_timeout_request(enum fw_timeout_source source, void *buf)
{
	struct nlmsghdr *nlh;

	switch (source) {
	case FW_SOURCE_CTTIMEOUT:
		return fw_nl_dump_put_request(buf, NFNL_SUBSYS_CTNETLINK_TIMEOUT,
		                              IPCTNL_MSG_TIMEOUT_GET, AF_UNSPEC);
	case FW_SOURCE_NFT:
		nlh = fw_nl_dump_put_request(buf, NFNL_SUBSYS_NFTABLES, NFT_MSG_GETOBJ,
		                             NFPROTO_UNSPEC);
		mnl_attr_put_u32(nlh, NFTA_OBJ_TYPE, htonl(NFT_OBJECT_CT_TIMEOUT));
		return nlh;
	case FW_SOURCE_SYSCTL:
		break;
	}
	return NULL;
}

fw_timeout_parse_fn fw_timeout_parser(enum fw_timeout_source source)
{
	return source == FW_SOURCE_CTTIMEOUT ? fw_cttimeout_parse
	       : source == FW_SOURCE_NFT     ? fw_nft_timeout_parse
	                                     : NULL;
}

const char *fw_timeout_dump_label(enum fw_timeout_source source)
{
	return source == FW_SOURCE_NFT ? "nft dump" : "cttimeout dump";
}

struct dump_ctx {
	fw_timeout_parse_fn parse;
	struct fw_timeout_list *out;
	char error[256];
	int parse_failed;
};

static int on_message(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;

	if (ctx->parse(nlh, nlh->nlmsg_len, ctx->out, ctx->error, sizeof(ctx->error)) < 0) {
		ctx->parse_failed = 1;
		return -1;
	}
	return 0;
}

int fw_timeout_dump(enum fw_timeout_source source, struct fw_timeout_list *out, char *error,
                    size_t error_len)
{
	size_t first = out->count;

	for (int attempt = 1;; attempt++) {
		union {
			char bytes[FW_NL_REQUEST_MAX];
			uint32_t align;
		} req;
		struct dump_ctx ctx = {.parse = fw_timeout_parser(source), .out = out};
		int saved;

		if (fw_nl_dump_request(fw_timeout_dump_label(source),
		                       fw_timeout_request(source, req.bytes), on_message, &ctx,
		                       error, error_len) == 0)
			return 0;
		saved = errno;
		/* partial results would make rows flicker in the table: drop them */
		out->count = first;
		if (ctx.parse_failed) {
			snprintf(error, error_len, "%s", ctx.error);
			errno = EBADMSG;
			return -1;
		}
		if (saved != EINTR || attempt == FW_TIMEOUT_DUMP_ATTEMPTS) {
			errno = saved;
			return -1;
		}
	}
}

int fw_timeout_parse_any(const void *buf, size_t len, fw_timeout_parse_aligned_fn parse,
                         struct fw_timeout_list *out, const char *what, char *error,
                         size_t error_len)
{
	void *copy;
	const void *aligned = fw_nl_aligned(buf, len, &copy);
	int ret;

	if (!aligned) {
		snprintf(error, error_len, "%s: out of memory", what);
		errno = ENOMEM;
		return -1;
	}
	ret = parse(aligned, len, out, error, error_len);
	free(copy);
	return ret;
}

int fw_timeout_check_message(const struct nlmsghdr *nlh, size_t len, uint16_t type,
                             const char *what, char *error, size_t error_len)
{
	if (len < sizeof(*nlh)) {
		snprintf(error, error_len, "%s: message of %zu bytes is too short", what, len);
	} else if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct nfgenmsg) ||
	           nlh->nlmsg_len > len) {
		snprintf(error, error_len, "%s: message length %u does not fit %zu bytes", what,
		         nlh->nlmsg_len, len);
	} else if (nlh->nlmsg_type != type) {
		snprintf(error, error_len, "%s: unexpected message type 0x%04x", what,
		         nlh->nlmsg_type);
	} else {
		return 0;
	}
	errno = EBADMSG;
	return -1;
}
