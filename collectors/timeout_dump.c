/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timeout_dump.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>

#include "nl_dump.h"

/* A ruleset commit during a dump interrupts it; a few tries ride that out. */
#define DUMP_ATTEMPTS 3

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

int fw_timeout_dump(uint16_t subsys, uint16_t msg_type, uint8_t family, fw_timeout_parse_fn parse,
                    struct fw_timeout_list *out, char *error, size_t error_len)
{
	size_t first = out->count;

	for (int attempt = 1;; attempt++) {
		struct dump_ctx ctx = {.parse = parse, .out = out};
		int saved;

		if (fw_nl_dump(subsys, msg_type, family, on_message, &ctx, error, error_len) == 0)
			return 0;
		saved = errno;
		/* partial results would make rows flicker in the table: drop them */
		out->count = first;
		if (ctx.parse_failed) {
			snprintf(error, error_len, "%s", ctx.error);
			errno = EBADMSG;
			return -1;
		}
		if (saved != EINTR || attempt == DUMP_ATTEMPTS) {
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
