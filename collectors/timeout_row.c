/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timeout_row.h"

#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fw_timeout_list_append(struct fw_timeout_list *list, const struct fw_timeout_row *row)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 32;
		struct fw_timeout_row *rows = realloc(list->rows, capacity * sizeof(*rows));

		if (!rows)
			return -1;
		list->rows = rows;
		list->capacity = capacity;
	}
	list->rows[list->count++] = *row;
	return 0;
}

void fw_timeout_list_clear(struct fw_timeout_list *list)
{
	list->count = 0;
}

void fw_timeout_list_free(struct fw_timeout_list *list)
{
	free(list->rows);
	list->rows = NULL;
	list->count = list->capacity = 0;
}

size_t fw_timeout_list_count_source(const struct fw_timeout_list *list,
                                    enum fw_timeout_source source)
{
	size_t count = 0;

	for (size_t i = 0; i < list->count; i++)
		count += list->rows[i].source == source;
	return count;
}

uint32_t fw_timeout_list_shortened_tcp(const struct fw_timeout_list *list)
{
	uint32_t lowest = 0;

	for (size_t i = 0; i < list->count; i++) {
		const struct fw_timeout_row *row = &list->rows[i];

		if (row->protocol != IPPROTO_TCP || row->seconds == 0 ||
		    (strcmp(row->state, "unacknowledged") != 0 &&
		     strcmp(row->state, "retrans") != 0))
			continue;
		if (lowest == 0 || row->seconds < lowest)
			lowest = row->seconds;
	}
	return lowest;
}

int fw_timeout_row_same_key(const struct fw_timeout_row *a, const struct fw_timeout_row *b)
{
	return a->source == b->source && a->protocol == b->protocol &&
	       strcmp(a->source_name, b->source_name) == 0 && strcmp(a->state, b->state) == 0;
}

int fw_timeout_set_source_name(struct fw_timeout_row *row, const char *name)
{
	size_t len = strlen(name);

	if (len > FW_SOURCE_NAME_MAX)
		len = FW_SOURCE_NAME_MAX;
	memcpy(row->source_name, name, len);
	row->source_name[len] = '\0';
	return strlen(name) > FW_SOURCE_NAME_MAX;
}

static const char *const tcp_state_names[] = {
    [CTA_TIMEOUT_TCP_SYN_SENT] = "syn_sent",       [CTA_TIMEOUT_TCP_SYN_RECV] = "syn_recv",
    [CTA_TIMEOUT_TCP_ESTABLISHED] = "established", [CTA_TIMEOUT_TCP_FIN_WAIT] = "fin_wait",
    [CTA_TIMEOUT_TCP_CLOSE_WAIT] = "close_wait",   [CTA_TIMEOUT_TCP_LAST_ACK] = "last_ack",
    [CTA_TIMEOUT_TCP_TIME_WAIT] = "time_wait",     [CTA_TIMEOUT_TCP_CLOSE] = "close",
    [CTA_TIMEOUT_TCP_SYN_SENT2] = "syn_sent2",     [CTA_TIMEOUT_TCP_RETRANS] = "retrans",
    [CTA_TIMEOUT_TCP_UNACK] = "unacknowledged",
};

static const char *const udp_state_names[] = {
    [CTA_TIMEOUT_UDP_UNREPLIED] = "unreplied",
    [CTA_TIMEOUT_UDP_REPLIED] = "replied",
};

const char *fw_timeout_state_name(uint8_t protocol, unsigned attr_type)
{
	if (protocol == IPPROTO_TCP &&
	    attr_type < sizeof(tcp_state_names) / sizeof(tcp_state_names[0]))
		return tcp_state_names[attr_type];
	if (protocol == IPPROTO_UDP &&
	    attr_type < sizeof(udp_state_names) / sizeof(udp_state_names[0]))
		return udp_state_names[attr_type];
	return NULL;
}

const char *fw_protocol_name(uint8_t protocol, char *buf, size_t len)
{
	if (protocol == IPPROTO_TCP)
		snprintf(buf, len, "tcp");
	else if (protocol == IPPROTO_UDP)
		snprintf(buf, len, "udp");
	else
		snprintf(buf, len, "proto-%u", protocol);
	return buf;
}

const char *fw_source_kind_name(enum fw_timeout_source source)
{
	switch (source) {
	case FW_SOURCE_SYSCTL:
		return "sysctl";
	case FW_SOURCE_CTTIMEOUT:
		return "cttimeout";
	case FW_SOURCE_NFT:
		return "nft";
	}
	return "unknown";
}
