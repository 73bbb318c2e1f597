/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cttimeout_parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>

#include "log.h"
#include "nl_dump.h"
#include "timeout_dump.h"

/* Offset of the first attribute: nlmsghdr, then struct nfgenmsg. */
#define NFNL_ATTR_OFFSET (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg)))

/* Retries when a dump is interrupted by a concurrent change (NLM_F_DUMP_INTR). */

static const uint8_t timeout_policy[CTA_TIMEOUT_MAX + 1] = {
    [CTA_TIMEOUT_NAME] = MNL_TYPE_NUL_STRING, [CTA_TIMEOUT_L3PROTO] = MNL_TYPE_U16,
    [CTA_TIMEOUT_L4PROTO] = MNL_TYPE_U8,      [CTA_TIMEOUT_DATA] = MNL_TYPE_NESTED,
    [CTA_TIMEOUT_USE] = MNL_TYPE_U32,
};

/* Every state attribute is a be32 number of seconds; sized for the larger (TCP) set. */
static const uint8_t state_policy[CTA_TIMEOUT_TCP_MAX + 1] = {
    [1 ... CTA_TIMEOUT_TCP_MAX] = MNL_TYPE_U32,
};

int fw_cttimeout_data_rows(const struct nlattr *data, uint8_t l4proto,
                           const struct fw_timeout_row *tmpl, struct fw_timeout_list *out,
                           const char *what, char *error, size_t error_len)
{
	const struct nlattr *tb[CTA_TIMEOUT_TCP_MAX + 1];
	size_t first = out->count;
	unsigned max;
	unsigned type;

	if (l4proto == IPPROTO_TCP)
		max = CTA_TIMEOUT_TCP_MAX;
	else if (l4proto == IPPROTO_UDP)
		max = CTA_TIMEOUT_UDP_MAX;
	else
		return 0;

	if (fw_nl_attr_table(mnl_attr_get_payload(data), mnl_attr_get_payload_len(data),
	                     state_policy, max, tb, what, error, error_len) < 0)
		return -1;

	for (type = 1; type <= max; type++) {
		struct fw_timeout_row row = *tmpl;
		const char *state = fw_timeout_state_name(l4proto, type);

		if (!tb[type] || !state)
			continue;
		row.protocol = l4proto;
		snprintf(row.state, sizeof(row.state), "%s", state);
		row.seconds = ntohl(mnl_attr_get_u32(tb[type]));
		if (fw_timeout_list_append(out, &row) < 0) {
			out->count = first;
			snprintf(error, error_len, "%s: out of memory", what);
			errno = ENOMEM;
			return -1;
		}
	}
	return (int)(out->count - first);
}

static int parse_aligned(const struct nlmsghdr *nlh, size_t len, struct fw_timeout_list *out,
                         char *error, size_t error_len)
{
	static int warned_long_name;
	const struct nlattr *tb[CTA_TIMEOUT_MAX + 1];
	struct fw_timeout_row tmpl;
	const char *name;
	uint8_t l4proto;

	if (fw_timeout_check_message(nlh, len,
	                             (NFNL_SUBSYS_CTNETLINK_TIMEOUT << 8) | IPCTNL_MSG_TIMEOUT_NEW,
	                             "cttimeout", error, error_len) < 0)
		return -1;
	if (fw_nl_attr_table((const char *)nlh + NFNL_ATTR_OFFSET,
	                     nlh->nlmsg_len - NFNL_ATTR_OFFSET, timeout_policy, CTA_TIMEOUT_MAX, tb,
	                     "cttimeout", error, error_len) < 0)
		return -1;
	if (!tb[CTA_TIMEOUT_NAME] || !tb[CTA_TIMEOUT_L4PROTO] || !tb[CTA_TIMEOUT_DATA]) {
		snprintf(error, error_len, "cttimeout: policy without %s",
		         !tb[CTA_TIMEOUT_NAME]      ? "name"
		         : !tb[CTA_TIMEOUT_L4PROTO] ? "layer 4 protocol"
		                                    : "timeout data");
		errno = EBADMSG;
		return -1;
	}

	name = mnl_attr_get_str(tb[CTA_TIMEOUT_NAME]);
	l4proto = mnl_attr_get_u8(tb[CTA_TIMEOUT_L4PROTO]);
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.source = FW_SOURCE_CTTIMEOUT;
	if (tb[CTA_TIMEOUT_L3PROTO])
		tmpl.l3proto = ntohs(mnl_attr_get_u16(tb[CTA_TIMEOUT_L3PROTO]));
	/* The kernel caps names far below our limit; a long one means a changed kernel. */
	if (fw_timeout_set_source_name(&tmpl, name) && !warned_long_name) {
		warned_long_name = 1;
		fw_log(LOG_WARNING, "cttimeout", "policy name \"%s\" truncated to %d characters",
		       tmpl.source_name, FW_SOURCE_NAME_MAX);
	}

	return fw_cttimeout_data_rows(tb[CTA_TIMEOUT_DATA], l4proto, &tmpl, out,
	                              "cttimeout: timeout data", error, error_len);
}

int fw_cttimeout_parse(const void *buf, size_t len, struct fw_timeout_list *out, char *error,
                       size_t error_len)
{
	return fw_timeout_parse_any(buf, len, parse_aligned, out, "cttimeout", error, error_len);
}

int fw_cttimeout_dump(struct fw_timeout_list *out, char *error, size_t error_len)
{
	return fw_timeout_dump(FW_SOURCE_CTTIMEOUT, out, error, error_len);
}
