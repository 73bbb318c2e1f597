/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ct_event.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "nl_dump.h"

/* Offset of the first attribute: nlmsghdr, then struct nfgenmsg. */
#define NFNL_ATTR_OFFSET (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg)))

static const uint8_t ct_policy[CTA_MAX + 1] = {
    [CTA_TUPLE_ORIG] = MNL_TYPE_NESTED,
    [CTA_TUPLE_REPLY] = MNL_TYPE_NESTED,
    [CTA_STATUS] = MNL_TYPE_U32,
    [CTA_PROTOINFO] = MNL_TYPE_NESTED,
    [CTA_TIMEOUT] = MNL_TYPE_U32,
    [CTA_MARK] = MNL_TYPE_U32,
    [CTA_COUNTERS_ORIG] = MNL_TYPE_NESTED,
    [CTA_COUNTERS_REPLY] = MNL_TYPE_NESTED,
    [CTA_ID] = MNL_TYPE_U32,
    [CTA_ZONE] = MNL_TYPE_U16,
    [CTA_TIMESTAMP] = MNL_TYPE_NESTED,
};

static const uint8_t tuple_policy[CTA_TUPLE_MAX + 1] = {
    [CTA_TUPLE_IP] = MNL_TYPE_NESTED,
    [CTA_TUPLE_PROTO] = MNL_TYPE_NESTED,
    [CTA_TUPLE_ZONE] = MNL_TYPE_U16,
};

/* IPv6 addresses are BINARY: mnl_attr_validate() does not check their length, we do. */
static const uint8_t ip_policy[CTA_IP_MAX + 1] = {
    [CTA_IP_V4_SRC] = MNL_TYPE_U32,
    [CTA_IP_V4_DST] = MNL_TYPE_U32,
    [CTA_IP_V6_SRC] = MNL_TYPE_BINARY,
    [CTA_IP_V6_DST] = MNL_TYPE_BINARY,
};

static const uint8_t proto_policy[CTA_PROTO_MAX + 1] = {
    [CTA_PROTO_NUM] = MNL_TYPE_U8,
    [CTA_PROTO_SRC_PORT] = MNL_TYPE_U16,
    [CTA_PROTO_DST_PORT] = MNL_TYPE_U16,
};

static const uint8_t protoinfo_policy[CTA_PROTOINFO_MAX + 1] = {
    [CTA_PROTOINFO_TCP] = MNL_TYPE_NESTED,
};

static const uint8_t tcp_policy[CTA_PROTOINFO_TCP_MAX + 1] = {
    [CTA_PROTOINFO_TCP_STATE] = MNL_TYPE_U8,
    [CTA_PROTOINFO_TCP_FLAGS_ORIGINAL] = MNL_TYPE_BINARY,
    [CTA_PROTOINFO_TCP_FLAGS_REPLY] = MNL_TYPE_BINARY,
};

static const uint8_t counters_policy[CTA_COUNTERS_MAX + 1] = {
    [CTA_COUNTERS_PACKETS] = MNL_TYPE_U64,
    [CTA_COUNTERS_BYTES] = MNL_TYPE_U64,
    [CTA_COUNTERS32_PACKETS] = MNL_TYPE_U32,
    [CTA_COUNTERS32_BYTES] = MNL_TYPE_U32,
};

static const uint8_t timestamp_policy[CTA_TIMESTAMP_MAX + 1] = {
    [CTA_TIMESTAMP_START] = MNL_TYPE_U64,
};

static int malformed(char *error, size_t error_len, const char *fmt, unsigned value)
{
	snprintf(error, error_len, fmt, value);
	errno = EBADMSG;
	return -1;
}

/* Attribute tables of a nested attribute's payload. */
static int nested_table(const struct nlattr *nest, const uint8_t *policy, unsigned max,
                        const struct nlattr **tb, const char *what, char *error, size_t error_len)
{
	return fw_nl_attr_table(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest), policy,
	                        max, tb, what, error, error_len);
}

static uint32_t be32_attr(const struct nlattr *attr)
{
	return ntohl(mnl_attr_get_u32(attr));
}

static uint64_t be64_attr(const struct nlattr *attr)
{
	return be64toh(mnl_attr_get_u64(attr));
}

static int parse_tuple(const struct nlattr *nest, uint8_t family, struct fw_ct_tuple *t,
                       uint16_t *zone, int *has_zone, const char *what, char *error,
                       size_t error_len)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1];
	const struct nlattr *ip[CTA_IP_MAX + 1];
	const struct nlattr *proto[CTA_PROTO_MAX + 1];
	/* a constant label: formatting one per message was a measurable share of parsing */
	const char *label = what;

	if (nested_table(nest, tuple_policy, CTA_TUPLE_MAX, tb, label, error, error_len) < 0)
		return -1;
	if (!tb[CTA_TUPLE_IP] || !tb[CTA_TUPLE_PROTO]) {
		snprintf(error, error_len, "%s without %s", label,
		         tb[CTA_TUPLE_IP] ? "protocol" : "addresses");
		errno = EBADMSG;
		return -1;
	}
	if (nested_table(tb[CTA_TUPLE_IP], ip_policy, CTA_IP_MAX, ip, label, error, error_len) <
	        0 ||
	    nested_table(tb[CTA_TUPLE_PROTO], proto_policy, CTA_PROTO_MAX, proto, label, error,
	                 error_len) < 0)
		return -1;

	memset(t, 0, sizeof(*t));
	t->family = family;
	if (family == AF_INET) {
		if (!ip[CTA_IP_V4_SRC] || !ip[CTA_IP_V4_DST]) {
			snprintf(error, error_len, "%s without IPv4 addresses", label);
			errno = EBADMSG;
			return -1;
		}
		memcpy(t->src, mnl_attr_get_payload(ip[CTA_IP_V4_SRC]), 4);
		memcpy(t->dst, mnl_attr_get_payload(ip[CTA_IP_V4_DST]), 4);
	} else {
		if (!ip[CTA_IP_V6_SRC] || !ip[CTA_IP_V6_DST] ||
		    mnl_attr_get_payload_len(ip[CTA_IP_V6_SRC]) != 16 ||
		    mnl_attr_get_payload_len(ip[CTA_IP_V6_DST]) != 16) {
			snprintf(error, error_len, "%s without valid IPv6 addresses", label);
			errno = EBADMSG;
			return -1;
		}
		memcpy(t->src, mnl_attr_get_payload(ip[CTA_IP_V6_SRC]), 16);
		memcpy(t->dst, mnl_attr_get_payload(ip[CTA_IP_V6_DST]), 16);
	}

	if (!proto[CTA_PROTO_NUM]) {
		snprintf(error, error_len, "%s without protocol number", label);
		errno = EBADMSG;
		return -1;
	}
	t->protocol = mnl_attr_get_u8(proto[CTA_PROTO_NUM]);
	/* The kernel always sends TCP ports; without them the entry is useless to us. */
	if (t->protocol == IPPROTO_TCP &&
	    (!proto[CTA_PROTO_SRC_PORT] || !proto[CTA_PROTO_DST_PORT])) {
		snprintf(error, error_len, "%s: TCP without ports", label);
		errno = EBADMSG;
		return -1;
	}
	if (proto[CTA_PROTO_SRC_PORT])
		t->sport = ntohs(mnl_attr_get_u16(proto[CTA_PROTO_SRC_PORT]));
	if (proto[CTA_PROTO_DST_PORT])
		t->dport = ntohs(mnl_attr_get_u16(proto[CTA_PROTO_DST_PORT]));

	/* Directional zones (ct original/reply zone) come inside the tuple. */
	if (tb[CTA_TUPLE_ZONE] && !*has_zone) {
		*zone = ntohs(mnl_attr_get_u16(tb[CTA_TUPLE_ZONE]));
		*has_zone = 1;
	}
	return 0;
}

static int parse_counters(const struct nlattr *nest, uint64_t *packets, uint64_t *bytes,
                          const char *what, char *error, size_t error_len)
{
	const struct nlattr *tb[CTA_COUNTERS_MAX + 1];

	if (nested_table(nest, counters_policy, CTA_COUNTERS_MAX, tb, what, error, error_len) < 0)
		return -1;
	if (tb[CTA_COUNTERS_PACKETS])
		*packets = be64_attr(tb[CTA_COUNTERS_PACKETS]);
	else if (tb[CTA_COUNTERS32_PACKETS])
		*packets = be32_attr(tb[CTA_COUNTERS32_PACKETS]);
	else
		return 0;
	if (tb[CTA_COUNTERS_BYTES])
		*bytes = be64_attr(tb[CTA_COUNTERS_BYTES]);
	else if (tb[CTA_COUNTERS32_BYTES])
		*bytes = be32_attr(tb[CTA_COUNTERS32_BYTES]);
	else
		return 0;
	return 1;
}

static int parse_protoinfo(const struct nlattr *nest, struct fw_ct_event *ev, char *error,
                           size_t error_len)
{
	const struct nlattr *info[CTA_PROTOINFO_MAX + 1];
	const struct nlattr *tcp[CTA_PROTOINFO_TCP_MAX + 1];
	const struct nlattr *flags;

	if (nested_table(nest, protoinfo_policy, CTA_PROTOINFO_MAX, info, "conntrack: protoinfo",
	                 error, error_len) < 0)
		return -1;
	/* SCTP and DCCP carry their own protoinfo; only TCP matters here. */
	if (!info[CTA_PROTOINFO_TCP])
		return 0;
	if (nested_table(info[CTA_PROTOINFO_TCP], tcp_policy, CTA_PROTOINFO_TCP_MAX, tcp,
	                 "conntrack: TCP protoinfo", error, error_len) < 0)
		return -1;
	if (tcp[CTA_PROTOINFO_TCP_STATE]) {
		ev->has_tcp_state = 1;
		ev->tcp_state = mnl_attr_get_u8(tcp[CTA_PROTOINFO_TCP_STATE]);
	}
	flags = tcp[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL];
	if (flags) {
		if (mnl_attr_get_payload_len(flags) != sizeof(struct nf_ct_tcp_flags))
			return malformed(error, error_len,
			                 "conntrack: TCP original flags of %u bytes",
			                 mnl_attr_get_payload_len(flags));
		ev->tcp_flags_orig =
		    ((const struct nf_ct_tcp_flags *)mnl_attr_get_payload(flags))->flags;
	}
	flags = tcp[CTA_PROTOINFO_TCP_FLAGS_REPLY];
	if (flags) {
		if (mnl_attr_get_payload_len(flags) != sizeof(struct nf_ct_tcp_flags))
			return malformed(error, error_len, "conntrack: TCP reply flags of %u bytes",
			                 mnl_attr_get_payload_len(flags));
		ev->tcp_flags_reply =
		    ((const struct nf_ct_tcp_flags *)mnl_attr_get_payload(flags))->flags;
	}
	return 0;
}

/* Fills ev from a message already known to be a ctnetlink entry at an aligned address. */
static int parse_entry(const struct nlmsghdr *nlh, struct fw_ct_event *ev, char *error,
                       size_t error_len)
{
	const struct nlattr *tb[CTA_MAX + 1];
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	uint16_t tuple_zone = 0;
	int has_tuple_zone = 0;

	if (nlh->nlmsg_len < NFNL_ATTR_OFFSET)
		return malformed(error, error_len,
		                 "conntrack: message of %u bytes has no room for nfgenmsg",
		                 nlh->nlmsg_len);
	if (nfg->nfgen_family != AF_INET && nfg->nfgen_family != AF_INET6)
		return malformed(error, error_len, "conntrack: unsupported family %u",
		                 nfg->nfgen_family);
	if (fw_nl_attr_table((const char *)nlh + NFNL_ATTR_OFFSET,
	                     nlh->nlmsg_len - NFNL_ATTR_OFFSET, ct_policy, CTA_MAX, tb, "conntrack",
	                     error, error_len) < 0)
		return -1;
	if (!tb[CTA_TUPLE_ORIG]) {
		snprintf(error, error_len, "conntrack: entry without original tuple");
		errno = EBADMSG;
		return -1;
	}

	if (NFNL_MSG_TYPE(nlh->nlmsg_type) == IPCTNL_MSG_CT_DELETE)
		ev->kind = FW_CT_DESTROY;
	else if (nlh->nlmsg_flags & NLM_F_CREATE)
		ev->kind = FW_CT_NEW;
	else
		ev->kind = FW_CT_UPDATE;
	ev->portid = nlh->nlmsg_pid;

	if (parse_tuple(tb[CTA_TUPLE_ORIG], nfg->nfgen_family, &ev->orig, &tuple_zone,
	                &has_tuple_zone, "conntrack: original tuple", error, error_len) < 0)
		return -1;
	if (tb[CTA_TUPLE_REPLY] &&
	    parse_tuple(tb[CTA_TUPLE_REPLY], nfg->nfgen_family, &ev->reply, &tuple_zone,
	                &has_tuple_zone, "conntrack: reply tuple", error, error_len) < 0)
		return -1;

	if (tb[CTA_ZONE])
		ev->zone = ntohs(mnl_attr_get_u16(tb[CTA_ZONE]));
	else if (has_tuple_zone)
		ev->zone = tuple_zone;
	if (tb[CTA_MARK])
		ev->mark = be32_attr(tb[CTA_MARK]);
	if (tb[CTA_STATUS])
		ev->status = be32_attr(tb[CTA_STATUS]);
	if (tb[CTA_ID])
		ev->id = be32_attr(tb[CTA_ID]);
	if (tb[CTA_TIMEOUT]) {
		ev->has_timeout = 1;
		ev->timeout = be32_attr(tb[CTA_TIMEOUT]);
	}
	if (tb[CTA_PROTOINFO] && parse_protoinfo(tb[CTA_PROTOINFO], ev, error, error_len) < 0)
		return -1;

	/* Counters count only when both directions are complete. */
	if (tb[CTA_COUNTERS_ORIG] && tb[CTA_COUNTERS_REPLY]) {
		int orig = parse_counters(tb[CTA_COUNTERS_ORIG], &ev->orig_packets, &ev->orig_bytes,
		                          "conntrack: original counters", error, error_len);
		int reply;

		if (orig < 0)
			return -1;
		reply = parse_counters(tb[CTA_COUNTERS_REPLY], &ev->reply_packets, &ev->reply_bytes,
		                       "conntrack: reply counters", error, error_len);
		if (reply < 0)
			return -1;
		if (orig && reply) {
			ev->has_counters = 1;
		} else {
			ev->orig_packets = ev->orig_bytes = 0;
			ev->reply_packets = ev->reply_bytes = 0;
		}
	}

	if (tb[CTA_TIMESTAMP]) {
		const struct nlattr *ts[CTA_TIMESTAMP_MAX + 1];

		if (nested_table(tb[CTA_TIMESTAMP], timestamp_policy, CTA_TIMESTAMP_MAX, ts,
		                 "conntrack: timestamp", error, error_len) < 0)
			return -1;
		if (ts[CTA_TIMESTAMP_START]) {
			ev->has_start = 1;
			ev->start_ns = be64_attr(ts[CTA_TIMESTAMP_START]);
		}
	}
	return 1;
}

static int parse_aligned(const struct nlmsghdr *nlh, size_t len, struct fw_ct_event *ev,
                         char *error, size_t error_len)
{
	uint16_t type;

	if (len < sizeof(*nlh)) {
		snprintf(error, error_len, "conntrack: message of %zu bytes is too short", len);
		errno = EBADMSG;
		return -1;
	}
	if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len) {
		snprintf(error, error_len, "conntrack: message length %u does not fit %zu bytes",
		         nlh->nlmsg_len, len);
		errno = EBADMSG;
		return -1;
	}
	/* NLMSG_DONE, NLMSG_ERROR, other subsystems and messages: not entries. */
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE ||
	    NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_CTNETLINK)
		return 0;
	type = NFNL_MSG_TYPE(nlh->nlmsg_type);
	if (type != IPCTNL_MSG_CT_NEW && type != IPCTNL_MSG_CT_DELETE)
		return 0;
	return parse_entry(nlh, ev, error, error_len);
}

int fw_ct_parse(const void *buf, size_t len, struct fw_ct_event *ev, char *error, size_t error_len)
{
	struct fw_ct_event parsed;
	void *copy = NULL;
	int ret;

	if (error_len)
		error[0] = '\0';
	memset(&parsed, 0, sizeof(parsed));
	/* Attribute access needs 4-byte alignment; callers may hand any byte buffer. */
	if (((uintptr_t)buf & 3) == 0) {
		ret = parse_aligned(buf, len, &parsed, error, error_len);
	} else {
		copy = malloc(len ? len : 1);
		if (!copy) {
			snprintf(error, error_len, "conntrack: out of memory");
			errno = ENOMEM;
			memset(ev, 0, sizeof(*ev));
			return -1;
		}
		memcpy(copy, buf, len);
		ret = parse_aligned(copy, len, &parsed, error, error_len);
		free(copy);
	}
	/* Half-filled events never escape: the caller sees all of it or none. */
	if (ret == 1)
		*ev = parsed;
	else
		memset(ev, 0, sizeof(*ev));
	return ret;
}

const char *fw_tcp_state_label(uint8_t tcp_state)
{
	/* Spelled as conntrack -L prints them (libnetfilter_conntrack). */
	static const char *const labels[] = {
	    [TCP_CONNTRACK_NONE] = "NONE",         [TCP_CONNTRACK_SYN_SENT] = "SYN_SENT",
	    [TCP_CONNTRACK_SYN_RECV] = "SYN_RECV", [TCP_CONNTRACK_ESTABLISHED] = "ESTABLISHED",
	    [TCP_CONNTRACK_FIN_WAIT] = "FIN_WAIT", [TCP_CONNTRACK_CLOSE_WAIT] = "CLOSE_WAIT",
	    [TCP_CONNTRACK_LAST_ACK] = "LAST_ACK", [TCP_CONNTRACK_TIME_WAIT] = "TIME_WAIT",
	    [TCP_CONNTRACK_CLOSE] = "CLOSE",       [TCP_CONNTRACK_SYN_SENT2] = "SYN_SENT2",
	};

	if (tcp_state < sizeof(labels) / sizeof(labels[0]) && labels[tcp_state])
		return labels[tcp_state];
	return "NONE";
}
