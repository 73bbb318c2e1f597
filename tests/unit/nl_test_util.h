/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the netlink parser tests share: exact-size copies and attribute lookup in recorded bytes. */
#ifndef FWSTATE_NL_TEST_UTIL_H
#define FWSTATE_NL_TEST_UTIL_H

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where the attributes of an nfnetlink message begin. */
#define ATTR_OFFSET (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg)))

/* Exact-size heap copy so AddressSanitizer flags any read past len. */
static inline uint8_t *copy_of(const uint8_t *buf, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, buf, len);
	return copy;
}

/* Offset of the first attribute of `type` among those in [start, end), or 0. */
static inline size_t find_attr(const uint8_t *buf, size_t start, size_t end, uint16_t type)
{
	size_t off = start;

	while (off + 4 <= end) {
		const struct nlattr *attr = (const struct nlattr *)(buf + off);

		if (attr->nla_len < 4)
			return 0;
		if ((attr->nla_type & NLA_TYPE_MASK) == type)
			return off;
		off += MNL_ALIGN(attr->nla_len);
	}
	return 0;
}

#endif
