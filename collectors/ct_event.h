/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One conntrack message (event or dump row) as a plain struct, and the pure
 * parser that fills it from netlink bytes.
 */
#ifndef FWSTATE_CT_EVENT_H
#define FWSTATE_CT_EVENT_H

#include <stddef.h>
#include <stdint.h>

struct fw_ct_tuple {
	uint8_t family;   /* AF_INET or AF_INET6 */
	uint8_t protocol; /* IPPROTO_TCP, ... */
	uint8_t src[16];  /* 4 octets used for AF_INET */
	uint8_t dst[16];
	uint16_t sport; /* host byte order */
	uint16_t dport;
};

enum fw_ct_kind {
	FW_CT_NEW = 1, /* IPCTNL_MSG_CT_NEW with NLM_F_CREATE */
	FW_CT_UPDATE,  /* IPCTNL_MSG_CT_NEW without NLM_F_CREATE (also every dump row) */
	FW_CT_DESTROY, /* IPCTNL_MSG_CT_DELETE */
};

struct fw_ct_event {
	enum fw_ct_kind kind;
	uint32_t
	    portid;  /* nlmsg_pid: non-zero when a netlink request caused it (conntrack -D/-F) */
	uint32_t id; /* CTA_ID */
	struct fw_ct_tuple orig;
	struct fw_ct_tuple
	    reply; /* NAT shows here: reply.dst/dport is the phone as the server sees it */
	uint16_t zone;
	uint32_t mark;
	uint32_t status; /* IPS_* bits */
	uint8_t has_tcp_state;
	uint8_t tcp_state; /* TCP_CONNTRACK_* */
	uint8_t tcp_flags_orig;
	uint8_t tcp_flags_reply;
	uint8_t has_timeout;
	uint32_t timeout; /* CTA_TIMEOUT: seconds left, as the kernel re-armed it */
	uint8_t has_counters;
	uint64_t orig_packets, orig_bytes, reply_packets, reply_bytes;
	uint8_t has_start;
	uint64_t start_ns; /* CTA_TIMESTAMP_START, CLOCK_REALTIME ns (nf_conntrack_timestamp=1) */
};

/*
 * Parses one netlink message (nlmsghdr first) of `len` bytes. Returns 1 when ev
 * was filled, 0 for a well-formed message that is not a conntrack entry
 * (other subsystem, NLMSG_DONE, ...), -1 when malformed (error says what).
 * Every attribute is validated before use; nothing past len is read.
 */
int fw_ct_parse(const void *buf, size_t len, struct fw_ct_event *ev, char *error, size_t error_len);

/* "ESTABLISHED", "CLOSE_WAIT", ... as conntrack -L prints them; "NONE" if unknown. */
const char *fw_tcp_state_label(uint8_t tcp_state);

#endif
