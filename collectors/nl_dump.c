/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nl_dump.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>

/*
 * A silent kernel must not stall the agent's event loop (and with it the AgentX
 * session, whose master gives up after 1 s): a dump reply normally comes in
 * microseconds.
 */
#define FW_NL_RECV_TIMEOUT_MS 200

/* Bounds retries after signals so a signal storm cannot stall the agent either. */
#define FW_NL_MAX_EINTR 8

/*
 * The kernel fills dump skbs up to 32 KiB when the reader offers that much; a
 * smaller buffer makes recvmsg truncate them. Larger than MNL_SOCKET_BUFFER_SIZE.
 */
#define FW_NL_BUFFER_SIZE 32768

static const char *subsys_label(uint16_t subsys, char *buf, size_t len)
{
	switch (subsys) {
	case NFNL_SUBSYS_CTNETLINK_TIMEOUT:
		return "cttimeout";
	case NFNL_SUBSYS_NFTABLES:
		return "nft";
	}
	snprintf(buf, len, "nfnetlink subsystem %u", subsys);
	return buf;
}

/* Errors that mean "this kernel lacks the subsystem" rather than a failure of ours. */
static const char *absence_hint(int err)
{
	switch (err) {
	case EINVAL:
	case EOPNOTSUPP:
	case ENOENT:
	case EPROTONOSUPPORT:
		return " (kernel support missing?)";
	}
	return "";
}

struct dump_ctx {
	const char *label;
	unsigned int seq;
	unsigned int portid;
	fw_nl_message_fn fn;
	void *data;
	char *error;
	size_t error_len;
};

static int fail(struct dump_ctx *ctx, int err, const char *what)
{
	if (what)
		snprintf(ctx->error, ctx->error_len, "%s dump: %s: %s%s", ctx->label, what,
		         strerror(err), absence_hint(err));
	else
		snprintf(ctx->error, ctx->error_len, "%s dump: %s%s", ctx->label, strerror(err),
		         absence_hint(err));
	errno = err;
	return -1;
}

/* Walks one datagram of replies; 1 when more datagrams are due, 0 at NLMSG_DONE, -1 on error. */
static int handle_datagram(struct dump_ctx *ctx, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int remaining = (int)len;

	while (mnl_nlmsg_ok(nlh, remaining)) {
		if (!mnl_nlmsg_portid_ok(nlh, ctx->portid) || !mnl_nlmsg_seq_ok(nlh, ctx->seq))
			return fail(ctx, EPROTO, "reply does not match the request");
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			return fail(ctx, EINTR, "interrupted by a concurrent ruleset change");

		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_OVERRUN:
			return fail(ctx, ENOBUFS, "kernel reported overrun");
		case NLMSG_ERROR: {
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
				return fail(ctx, EBADMSG, "short error reply");
			/* error 0 is an acknowledgement; a dump ends with NLMSG_DONE regardless. */
			if (err->error == 0)
				break;
			return fail(ctx, err->error < 0 ? -err->error : err->error, NULL);
		}
		case NLMSG_DONE: {
			/* The dump's final status; negative when it failed part way. */
			if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
				int status;

				memcpy(&status, mnl_nlmsg_get_payload(nlh), sizeof(status));
				if (status < 0)
					return fail(ctx, -status, NULL);
			}
			return 0;
		}
		default:
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				break;
			errno = 0;
			if (ctx->fn(nlh, ctx->data) < 0) {
				int saved = errno ? errno : EBADMSG;

				return fail(ctx, saved, "reply rejected");
			}
		}
		nlh = mnl_nlmsg_next(nlh, &remaining);
	}
	/* Leftover bytes that do not form a message mean the kernel's reply was cut. */
	if (remaining > 0)
		return fail(ctx, EBADMSG, "truncated reply");
	return 1;
}

int fw_nl_dump(uint16_t subsys, uint16_t msg_type, uint8_t family, fw_nl_message_fn fn, void *data,
               char *error, size_t error_len)
{
	char label_buf[40];
	struct dump_ctx ctx = {
	    .label = subsys_label(subsys, label_buf, sizeof(label_buf)),
	    .fn = fn,
	    .data = data,
	    .error = error,
	    .error_len = error_len,
	};
	struct timeval tv = {.tv_usec = FW_NL_RECV_TIMEOUT_MS * 1000};
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	char *buf;
	int eintr = 0;
	int ret = -1;
	int saved;

	buf = malloc(FW_NL_BUFFER_SIZE);
	if (!buf)
		return fail(&ctx, ENOMEM, "buffer");

	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl) {
		fail(&ctx, errno, "netlink socket");
		goto out_free;
	}
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		fail(&ctx, errno, "SO_RCVTIMEO");
		goto out_close;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fail(&ctx, errno, "netlink bind");
		goto out_close;
	}
	ctx.portid = mnl_socket_get_portid(nl);
	ctx.seq = (unsigned int)time(NULL);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)((subsys << 8) | msg_type);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ctx.seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		fail(&ctx, errno, "send");
		goto out_close;
	}

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, FW_NL_BUFFER_SIZE);

		if (n < 0) {
			if (errno == EINTR && ++eintr <= FW_NL_MAX_EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				fail(&ctx, ETIMEDOUT, "no reply from the kernel");
				goto out_close;
			}
			fail(&ctx, errno, "receive");
			goto out_close;
		}
		if (n == 0) {
			fail(&ctx, EBADMSG, "empty reply");
			goto out_close;
		}
		ret = handle_datagram(&ctx, buf, (size_t)n);
		if (ret <= 0)
			break;
	}

out_close:
	saved = errno;
	mnl_socket_close(nl);
	errno = saved;
out_free:
	saved = errno;
	free(buf);
	errno = saved;
	return ret;
}

int fw_nl_attr_table(const void *start, size_t len, const uint8_t *policy, unsigned max,
                     const struct nlattr **tb, const char *what, char *error, size_t error_len)
{
	const char *base = start;
	size_t off = 0;
	unsigned i;

	for (i = 0; i <= max; i++)
		tb[i] = NULL;

	while (off < len && len - off >= sizeof(struct nlattr)) {
		const struct nlattr *attr = (const struct nlattr *)(base + off);
		uint16_t type = mnl_attr_get_type(attr);

		if (attr->nla_len < sizeof(struct nlattr) || attr->nla_len > len - off) {
			snprintf(error, error_len,
			         "%s: attribute %u at offset %zu has length %u, %zu bytes left",
			         what, type, off, attr->nla_len, len - off);
			errno = EBADMSG;
			return -1;
		}
		if (type <= max && policy[type] != MNL_TYPE_UNSPEC) {
			if (mnl_attr_validate(attr, (enum mnl_attr_data_type)policy[type]) < 0) {
				snprintf(error, error_len,
				         "%s: attribute %u has a bad payload (%u bytes)", what,
				         type, (unsigned)mnl_attr_get_payload_len(attr));
				errno = EBADMSG;
				return -1;
			}
			tb[type] = attr;
		}
		off += MNL_ALIGN(attr->nla_len);
	}
	/* 1-3 bytes cannot hold an attribute: the sender's lengths are inconsistent. */
	if (off < len) {
		snprintf(error, error_len, "%s: %zu stray bytes after the last attribute", what,
		         len - off);
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

const void *fw_nl_aligned(const void *buf, size_t len, void **copy)
{
	*copy = NULL;
	if (((uintptr_t)buf & 3) == 0)
		return buf;
	*copy = malloc(len ? len : 1);
	if (!*copy)
		return NULL;
	memcpy(*copy, buf, len);
	return *copy;
}
