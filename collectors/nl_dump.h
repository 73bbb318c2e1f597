/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One netlink dump request and its replies, over libmnl. Used by the cttimeout
 * and nft collectors; the replies are handed, message by message, to a pure
 * parser.
 */
#ifndef FWSTATE_NL_DUMP_H
#define FWSTATE_NL_DUMP_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;

/* Called for every reply message that is not NLMSG_DONE/NLMSG_ERROR; returns 0 or -1 to stop. */
typedef int (*fw_nl_message_fn)(const struct nlmsghdr *nlh, void *data);

/*
 * Opens a NETLINK_NETFILTER socket in the caller's network namespace, sends
 * an NLM_F_DUMP request of type (subsys << 8 | msg_type) for nfgen family
 * `family`, and feeds replies to fn. Receiving is bounded by a socket
 * timeout so a silent kernel cannot stall the agent. Returns 0, or -1 with a
 * message in error (errno kept: EPROTONOSUPPORT/ENOENT when the subsystem is
 * absent, EPERM without CAP_NET_ADMIN).
 */
int fw_nl_dump(uint16_t subsys, uint16_t msg_type, uint8_t family, fw_nl_message_fn fn, void *data,
	       char *error, size_t error_len);

#endif
