/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timeout_dump.h"

#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>

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
