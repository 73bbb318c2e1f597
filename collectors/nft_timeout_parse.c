/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nft_timeout_parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "cttimeout_parse.h"
#include "log.h"
#include "nl_dump.h"
#include "timeout_dump.h"

/* Offset of the first attribute: nlmsghdr, then struct nfgenmsg. */
#define NFNL_ATTR_OFFSET (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg)))

/* Retries when the ruleset changes during the dump (NLM_F_DUMP_INTR). */

static const uint8_t obj_policy[NFTA_OBJ_MAX + 1] = {
    [NFTA_OBJ_TABLE] = MNL_TYPE_NUL_STRING, [NFTA_OBJ_NAME] = MNL_TYPE_NUL_STRING,
    [NFTA_OBJ_TYPE] = MNL_TYPE_U32,         [NFTA_OBJ_DATA] = MNL_TYPE_NESTED,
    [NFTA_OBJ_USE] = MNL_TYPE_U32,          [NFTA_OBJ_HANDLE] = MNL_TYPE_U64,
};

static const uint8_t ct_timeout_policy[NFTA_CT_TIMEOUT_MAX + 1] = {
    [NFTA_CT_TIMEOUT_L3PROTO] = MNL_TYPE_U16,
    [NFTA_CT_TIMEOUT_L4PROTO] = MNL_TYPE_U8,
    [NFTA_CT_TIMEOUT_DATA] = MNL_TYPE_NESTED,
};

static const char *family_name(uint8_t family, char *buf, size_t len)
{
	switch (family) {
	case NFPROTO_INET:
		return "inet";
	case NFPROTO_IPV4:
		return "ip";
	case NFPROTO_IPV6:
		return "ip6";
	case NFPROTO_ARP:
		return "arp";
	case NFPROTO_BRIDGE:
		return "bridge";
	case NFPROTO_NETDEV:
		return "netdev";
	}
	snprintf(buf, len, "family-%u", family);
	return buf;
}

static int malformed(char *error, size_t error_len, const char *what)
{
	snprintf(error, error_len, "nft: %s", what);
	errno = EBADMSG;
	return -1;
}

static int parse_aligned(const struct nlmsghdr *nlh, size_t len, struct fw_timeout_list *out,
                         char *error, size_t error_len)
{
	static int warned_long_name;
	const struct nlattr *tb[NFTA_OBJ_MAX + 1];
	const struct nlattr *ct[NFTA_CT_TIMEOUT_MAX + 1];
	const struct nfgenmsg *nfg;
	struct fw_timeout_row tmpl;
	char family_buf[16];
	char name[FW_SOURCE_NAME_MAX + 2];
	int name_len;

	if (fw_timeout_check_message(nlh, len, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWOBJ, "nft",
	                             error, error_len) < 0)
		return -1;
	nfg = mnl_nlmsg_get_payload(nlh);
	if (fw_nl_attr_table((const char *)nlh + NFNL_ATTR_OFFSET,
	                     nlh->nlmsg_len - NFNL_ATTR_OFFSET, obj_policy, NFTA_OBJ_MAX, tb, "nft",
	                     error, error_len) < 0)
		return -1;
	if (!tb[NFTA_OBJ_TABLE] || !tb[NFTA_OBJ_NAME] || !tb[NFTA_OBJ_TYPE])
		return malformed(error, error_len, "object without table, name or type");

	/* A plain object dump returns counters, quotas, ...: only ct timeouts are ours. */
	if (ntohl(mnl_attr_get_u32(tb[NFTA_OBJ_TYPE])) != NFT_OBJECT_CT_TIMEOUT)
		return 0;
	if (!tb[NFTA_OBJ_DATA])
		return malformed(error, error_len, "ct timeout object without data");
	if (fw_nl_attr_table(mnl_attr_get_payload(tb[NFTA_OBJ_DATA]),
	                     mnl_attr_get_payload_len(tb[NFTA_OBJ_DATA]), ct_timeout_policy,
	                     NFTA_CT_TIMEOUT_MAX, ct, "nft: ct timeout", error, error_len) < 0)
		return -1;
	if (!ct[NFTA_CT_TIMEOUT_L4PROTO] || !ct[NFTA_CT_TIMEOUT_DATA])
		return malformed(error, error_len,
		                 "ct timeout object without layer 4 protocol or policy");

	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.source = FW_SOURCE_NFT;
	if (ct[NFTA_CT_TIMEOUT_L3PROTO])
		tmpl.l3proto = ntohs(mnl_attr_get_u16(ct[NFTA_CT_TIMEOUT_L3PROTO]));
	name_len =
	    snprintf(name, sizeof(name), "%s %s %s",
	             family_name(nfg->nfgen_family, family_buf, sizeof(family_buf)),
	             mnl_attr_get_str(tb[NFTA_OBJ_TABLE]), mnl_attr_get_str(tb[NFTA_OBJ_NAME]));
	fw_timeout_set_source_name(&tmpl, name);
	/* Table and object names may be 255 bytes each; say once that we cut them. */
	if (name_len > FW_SOURCE_NAME_MAX && !warned_long_name) {
		warned_long_name = 1;
		fw_log(LOG_WARNING, "nft",
		       "ct timeout source name of %d characters truncated to \"%s\" (limit %d)",
		       name_len, tmpl.source_name, FW_SOURCE_NAME_MAX);
	}

	return fw_cttimeout_data_rows(ct[NFTA_CT_TIMEOUT_DATA],
	                              mnl_attr_get_u8(ct[NFTA_CT_TIMEOUT_L4PROTO]), &tmpl, out,
	                              "nft: ct timeout policy", error, error_len);
}

int fw_nft_timeout_parse(const void *buf, size_t len, struct fw_timeout_list *out, char *error,
                         size_t error_len)
{
	return fw_timeout_parse_any(buf, len, parse_aligned, out, "nft", error, error_len);
}

int fw_nft_timeout_dump(struct fw_timeout_list *out, char *error, size_t error_len)
{
	return fw_timeout_dump(FW_SOURCE_NFT, out, error, error_len);
}
