/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ct_msg.h"

#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

/* Every optional attribute of the largest message fits well below this. */
#define CT_MSG_MAX 512

static void put_tuple(struct nlmsghdr *nlh, uint16_t type, uint8_t family, const uint8_t *src,
                      const uint8_t *dst, uint8_t protocol, uint16_t sport, uint16_t dport)
{
	struct nlattr *tuple = mnl_attr_nest_start(nlh, type);
	struct nlattr *ip = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	struct nlattr *proto;

	if (family == AF_INET) {
		mnl_attr_put(nlh, CTA_IP_V4_SRC, 4, src);
		mnl_attr_put(nlh, CTA_IP_V4_DST, 4, dst);
	} else {
		mnl_attr_put(nlh, CTA_IP_V6_SRC, 16, src);
		mnl_attr_put(nlh, CTA_IP_V6_DST, 16, dst);
	}
	mnl_attr_nest_end(nlh, ip);
	proto = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, protocol);
	mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(sport));
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(dport));
	mnl_attr_nest_end(nlh, proto);
	mnl_attr_nest_end(nlh, tuple);
}

static void put_counters(struct nlmsghdr *nlh, uint16_t type, uint64_t packets, uint64_t bytes)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u64(nlh, CTA_COUNTERS_PACKETS, htobe64(packets));
	mnl_attr_put_u64(nlh, CTA_COUNTERS_BYTES, htobe64(bytes));
	mnl_attr_nest_end(nlh, nest);
}

static void put_protoinfo(struct nlmsghdr *nlh, const struct ct_msg_spec *spec)
{
	struct nlattr *info = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	struct nlattr *tcp = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);

	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, spec->tcp_state);
	if (spec->tcp_details) {
		struct nf_ct_tcp_flags flags = {.flags = 0x23, .mask = 0};

		mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, 7);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_REPLY, 7);
		mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, sizeof(flags), &flags);
		mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_REPLY, sizeof(flags), &flags);
	}
	mnl_attr_nest_end(nlh, tcp);
	mnl_attr_nest_end(nlh, info);
}

size_t ct_msg_build(void *buf, size_t len, const struct ct_msg_spec *spec)
{
	const struct fw_ct_tuple *o = &spec->orig;
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	if (len < CT_MSG_MAX)
		return 0;
	memset(buf, 0, CT_MSG_MAX);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | spec->msg_type;
	nlh->nlmsg_flags = spec->nl_flags;
	nlh->nlmsg_seq = spec->seq;
	nlh->nlmsg_pid = spec->portid;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = o->family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;

	put_tuple(nlh, CTA_TUPLE_ORIG, o->family, o->src, o->dst, o->protocol, o->sport, o->dport);
	put_tuple(nlh, CTA_TUPLE_REPLY, o->family, o->dst, o->src, o->protocol, o->dport, o->sport);
	mnl_attr_put_u32(nlh, CTA_STATUS, htonl(spec->status));
	if (spec->has_timeout)
		mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(spec->timeout));
	if (spec->has_counters) {
		put_counters(nlh, CTA_COUNTERS_ORIG, spec->orig_packets, spec->orig_bytes);
		put_counters(nlh, CTA_COUNTERS_REPLY, spec->reply_packets, spec->reply_bytes);
	}
	if (spec->has_start) {
		struct nlattr *ts = mnl_attr_nest_start(nlh, CTA_TIMESTAMP);

		mnl_attr_put_u64(nlh, CTA_TIMESTAMP_START, htobe64(spec->start_ns));
		mnl_attr_nest_end(nlh, ts);
	}
	if (spec->has_state)
		put_protoinfo(nlh, spec);
	if (spec->has_mark)
		mnl_attr_put_u32(nlh, CTA_MARK, htonl(spec->mark));
	if (spec->has_id) {
		mnl_attr_put_u32(nlh, CTA_ID, htonl(spec->id));
		mnl_attr_put_u32(nlh, CTA_USE, htonl(1));
	}
	return nlh->nlmsg_len;
}
