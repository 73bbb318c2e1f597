/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure parser for nftables NFT_MSG_NEWOBJ messages of type ct timeout
 * (`nft list ct timeout FAMILY TABLE NAME`).
 */
#ifndef FWSTATE_NFT_TIMEOUT_PARSE_H
#define FWSTATE_NFT_TIMEOUT_PARSE_H

#include <stddef.h>

#include "timeout_row.h"

/*
 * Parses one netlink message of `len` bytes starting at `buf` (the nlmsghdr,
 * then struct nfgenmsg whose nfgen_family is the table family). Objects of
 * other types yield no rows. Appends one FW_SOURCE_NFT row per TCP/UDP state,
 * with source name "<family> <table> <object>" (family as nft spells it: ip,
 * ip6, inet, arp, bridge, netdev). Returns rows appended, or -1 when the
 * message is malformed: error says what.
 */
int fw_nft_timeout_parse(const void *buf, size_t len, struct fw_timeout_list *out, char *error,
                         size_t error_len);

/* Dumps all nft ct timeout objects of the current netns. Returns 0, or -1 with error set. */
int fw_nft_timeout_dump(struct fw_timeout_list *out, char *error, size_t error_len);

#endif
