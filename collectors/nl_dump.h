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
 * message in error (errno kept: EINVAL when the kernel lacks the subsystem,
 * which is what nfnetlink answers, EPROTONOSUPPORT when nfnetlink itself is
 * absent, EPERM without CAP_NET_ADMIN, ETIMEDOUT when no reply came, EINTR
 * when a concurrent change interrupted the dump; when fn returns -1, fn's
 * errno or EBADMSG). fn may have seen some messages before a failure.
 */
int fw_nl_dump(uint16_t subsys, uint16_t msg_type, uint8_t family, fw_nl_message_fn fn, void *data,
               char *error, size_t error_len);

/*
 * Attribute access needs 4-byte alignment, and parsers may be handed any byte
 * buffer: returns buf when it is aligned, else a malloc'd copy also stored in
 * *copy (for the caller to free); NULL when memory ran out.
 */
const void *fw_nl_aligned(const void *buf, size_t len, void **copy);

struct nlattr;

/*
 * Validates the attributes in the `len` bytes at `start` (4-byte aligned) and
 * indexes them by type into tb[0..max]. policy[type] is an MNL_TYPE_* value
 * checked with mnl_attr_validate(); types above max or with policy
 * MNL_TYPE_UNSPEC are skipped, as newer kernels add attributes. Nothing past
 * start + len is read. Returns 0, or -1 with "<what>: ..." in error.
 */
int fw_nl_attr_table(const void *start, size_t len, const uint8_t *policy, unsigned max,
                     const struct nlattr **tb, const char *what, char *error, size_t error_len);

#endif
