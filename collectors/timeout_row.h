/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One conntrack timeout as read from one source: the plain row the collectors
 * produce and the agent publishes in fwStateTimeoutTable.
 */
#ifndef FWSTATE_TIMEOUT_ROW_H
#define FWSTATE_TIMEOUT_ROW_H

#include <stddef.h>
#include <stdint.h>

/* Values match the FWSTATE-MIB FwStateTimeoutSourceType enumeration. */
enum fw_timeout_source {
	FW_SOURCE_SYSCTL = 1,
	FW_SOURCE_CTTIMEOUT = 2,
	FW_SOURCE_NFT = 3,
};
#define FW_SOURCE_COUNT 3

/* Bounded so that the whole table index fits in an OID (FWSTATE-MIB SIZE clauses). */
#define FW_SOURCE_NAME_MAX 80
#define FW_STATE_NAME_MAX  24

/* The source name of every sysctl row. */
#define FW_SYSCTL_SOURCE_NAME "net.netfilter"

struct fw_timeout_row {
	enum fw_timeout_source source;
	char source_name[FW_SOURCE_NAME_MAX +
	                 1];               /* "net.netfilter", policy name, "inet filter siptls" */
	uint8_t protocol;                  /* IPPROTO_TCP or IPPROTO_UDP */
	char state[FW_STATE_NAME_MAX + 1]; /* kernel/nft state name: "established", "close_wait" */
	uint32_t seconds;
	uint16_t l3proto; /* cttimeout, nft: the policy's layer 3 protocol (NFPROTO_*); 0 unknown */
};

struct fw_timeout_list {
	struct fw_timeout_row *rows;
	size_t count;
	size_t capacity;
};

/* Returns 0, or -1 when memory runs out (the list is left unchanged). */
int fw_timeout_list_append(struct fw_timeout_list *list, const struct fw_timeout_row *row);
void fw_timeout_list_clear(struct fw_timeout_list *list);
void fw_timeout_list_free(struct fw_timeout_list *list);

/* The rows of one source kind. */
size_t fw_timeout_list_count_source(const struct fw_timeout_list *list,
                                    enum fw_timeout_source source);

/*
 * The lowest TCP unacknowledged or retrans timeout of any row: what the kernel
 * arms instead of a longer timeout while data goes unanswered. 0: no such row.
 */
uint32_t fw_timeout_list_shortened_tcp(const struct fw_timeout_list *list);

/* Same (source, name, protocol, state): the identity of a row across polls. */
int fw_timeout_row_same_key(const struct fw_timeout_row *a, const struct fw_timeout_row *b);

/*
 * Copies name into dst (FW_SOURCE_NAME_MAX bytes at most). Returns 1 when the
 * name had to be truncated, so the caller can say so.
 */
int fw_timeout_set_source_name(struct fw_timeout_row *row, const char *name);

/*
 * Name of a timeout state for an nfnetlink cttimeout attribute type
 * (CTA_TIMEOUT_TCP_* / CTA_TIMEOUT_UDP_*), as the kernel's sysctls name them
 * (nft writes "unacknowledged" as "unack" and "retrans" the same); NULL if unknown.
 * Shared by the cttimeout and nft parsers, which carry the same nested data.
 */
const char *fw_timeout_state_name(uint8_t protocol, unsigned attr_type);

/* "tcp", "udp" or "proto-N" into buf. */
const char *fw_protocol_name(uint8_t protocol, char *buf, size_t len);

const char *fw_source_kind_name(enum fw_timeout_source source);

#endif
