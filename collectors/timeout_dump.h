/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A netlink dump whose replies become timeout rows: shared by cttimeout and nft. */
#ifndef FWSTATE_TIMEOUT_DUMP_H
#define FWSTATE_TIMEOUT_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "timeout_row.h"

typedef int (*fw_timeout_parse_fn)(const void *buf, size_t len, struct fw_timeout_list *out,
                                   char *error, size_t error_len);

struct nlmsghdr;

/* A parser for a message already at a 4-byte aligned address. */
typedef int (*fw_timeout_parse_aligned_fn)(const struct nlmsghdr *nlh, size_t len,
                                           struct fw_timeout_list *out, char *error,
                                           size_t error_len);

/*
 * Runs parse on buf (copied first when it is not aligned, as a fuzzer or a
 * test may hand it). `what` names the source in errors.
 */
int fw_timeout_parse_any(const void *buf, size_t len, fw_timeout_parse_aligned_fn parse,
                         struct fw_timeout_list *out, const char *what, char *error,
                         size_t error_len);

/*
 * Checks that the len bytes at nlh hold one whole nfnetlink message of `type`.
 * Returns 0, or -1 with "<what>: ..." in error and errno EBADMSG.
 */
int fw_timeout_check_message(const struct nlmsghdr *nlh, size_t len, uint16_t type,
                             const char *what, char *error, size_t error_len);

/*
 * The dump request of a netlink timeout source, into buf (FW_NL_REQUEST_MAX
 * bytes, aligned): every cttimeout policy, or the nft objects of type ct
 * timeout only (NFTA_OBJ_TYPE; without it the kernel returns every object of
 * every table). NULL for the sysctls.
 */
struct nlmsghdr *fw_timeout_request(enum fw_timeout_source source, void *buf);

/* The parser of one reply message of that dump. */
fw_timeout_parse_fn fw_timeout_parser(enum fw_timeout_source source);

/* "cttimeout dump", "nft dump": what errors of the dump start with. */
const char *fw_timeout_dump_label(enum fw_timeout_source source);

/* A ruleset commit during a dump interrupts it; a few tries ride that out. */
#define FW_TIMEOUT_DUMP_ATTEMPTS 3

/*
 * Dumps a netlink source, blocking, and parses every reply into out. All or
 * nothing: on failure out is as it was. A dump interrupted by a concurrent
 * change is retried. Returns 0, or -1 with error set (errno EBADMSG when a
 * reply did not parse).
 */
int fw_timeout_dump(enum fw_timeout_source source, struct fw_timeout_list *out, char *error,
                    size_t error_len);

#endif
