/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure parser for nfnetlink cttimeout (IPCTNL_MSG_TIMEOUT_NEW) messages, the
 * replies to a cttimeout dump (`nfct timeout list`).
 */
#ifndef FWSTATE_CTTIMEOUT_PARSE_H
#define FWSTATE_CTTIMEOUT_PARSE_H

#include <stddef.h>

#include "timeout_row.h"

struct nlattr;

/*
 * Parses one netlink message of `len` bytes starting at `buf` (the nlmsghdr).
 * Appends one FW_SOURCE_CTTIMEOUT row per TCP/UDP state; policies for other
 * protocols yield no rows. Source name is the policy name. Returns the number
 * of rows appended (0 included), or -1 when the message is malformed (short,
 * bad attribute lengths, missing name/l4proto/data): error says what.
 */
int fw_cttimeout_parse(const void *buf, size_t len, struct fw_timeout_list *out, char *error,
                       size_t error_len);

/*
 * Appends one row per state in a CTA_TIMEOUT_DATA-style nest (CTA_TIMEOUT_TCP_*
 * or CTA_TIMEOUT_UDP_* be32 seconds) for l4proto, copying the other fields
 * from tmpl. Shared with the nft parser, whose ct timeout objects carry the
 * same nest. Other protocols give 0. Returns rows appended (all or none), or
 * -1 with "<what>: ..." in error.
 */
int fw_cttimeout_data_rows(const struct nlattr *data, uint8_t l4proto,
                           const struct fw_timeout_row *tmpl, struct fw_timeout_list *out,
                           const char *what, char *error, size_t error_len);

/* Dumps all cttimeout policies of the current netns. Returns 0, or -1 with error set. */
int fw_cttimeout_dump(struct fw_timeout_list *out, char *error, size_t error_len);

#endif
